/**
 * The engine host thread (Node worker_threads; the same file runs under Electron's main process).
 * It loads the Wasm module once, then runs jobs one at a time, posting progress (throttled to
 * ~10 per second per stage) and the result. Cancellation arrives through a shared flag that the
 * engine polls between work units, so it works while the job is busy.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadWasm } from './wasm-node';
import { setLimits } from '../engine/limits';
import { isRetileError } from '../engine/errors';
import { JOBS } from './jobs-registry';
import type { JobRequest, WorkerInit, WorkerMessage } from './worker-protocol';
import { knownApiError } from './api-error';
import { createSimPool, type SimPool } from './sim-pool';

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');
const init = workerData as WorkerInit;
const post = (m: WorkerMessage) => port.postMessage(m);

if (init.limits) setLimits(init.limits);
const wasmReady = loadWasm(init.wasmPath);
wasmReady.then((w) => post({ type: 'ready', wasmAbi: w.abiVersion() }));

const PROGRESS_INTERVAL_MS = 100;

/** The deployment jobs' simulation threads, started with the first job that asks. */
let simPool: SimPool | undefined;
const runPool = (): SimPool | undefined =>
  init.simWorkers ? (simPool ??= createSimPool({ threads: init.simWorkers, wasmPath: init.wasmPath, memoryMb: init.memoryMb })) : undefined;

port.on('message', async (req: JobRequest) => {
  if (req.type !== 'run') return;
  const flag = new Int32Array(req.cancelFlag);
  let lastPost = 0;
  let lastStage = '';
  let lastPercent = -1;
  const progress = {
    report(stage: string, fraction: number) {
      const now = Date.now();
      // Throttled, but a new stage or a whole percent more is always sent: work between two
      // reports can be long, and the screen must not sit on a stale figure meanwhile.
      const percent = Math.floor(fraction * 100);
      if (stage !== lastStage || percent !== lastPercent || now - lastPost >= PROGRESS_INTERVAL_MS) {
        lastPost = now;
        lastStage = stage;
        lastPercent = percent;
        post({ type: 'progress', jobId: req.jobId, stage, fraction });
      }
    },
    cancelled: () => Atomics.load(flag, 0) !== 0,
  };
  try {
    const job = JOBS[req.kind];
    if (!job) throw new Error(`unknown job kind '${req.kind}'`);
    const result = await job(req.args, { wasm: await wasmReady, progress, simPool: runPool });
    post({ type: 'result', jobId: req.jobId, result });
  } catch (e) {
    const code = isRetileError(e) ? e.code : 'internal';
    const error = knownApiError(e) ?? undefined;
    post({ type: 'error', jobId: req.jobId, code, message: (e as Error).message, ...(error ? { error } : {}) });
  }
});
