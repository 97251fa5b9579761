/**
 * A sweep worker thread (bundled as out/main/sweep-worker.js): loads the Wasm module once, then
 * evaluates one sweep case at a time with runDeployment, posting throttled progress and the
 * result. Ctrl-C sets the shared flag, which the engine checks between work units.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadWasm } from '../../service/wasm-node';
import { isRetileError } from '../../engine/errors';
import { runDeployment } from '../../engine/optimize';
import { setLimits } from '../../engine/limits';
import type { FromWorker, SweepWorkerInit, ToWorker } from './protocol';

const port = parentPort;
if (!port) throw new Error('sweep/worker.ts must run in a worker thread');
const init = workerData as SweepWorkerInit;
const flag = new Int32Array(init.cancelFlag);
if (init.limits) setLimits(init.limits);
const post = (m: FromWorker) => port.postMessage(m);
const wasmReady = loadWasm(init.wasmPath);
void wasmReady.then(() => post({ type: 'ready' }));

/** At most ~5 progress messages per second per case: the bar redraws no faster than that. */
const PROGRESS_INTERVAL_MS = 200;

port.on('message', async (m: ToWorker) => {
  if (m.type !== 'case') return;
  let last = 0;
  const progress = {
    report(stage: string, fraction: number) {
      const now = Date.now();
      if (now - last >= PROGRESS_INTERVAL_MS) {
        last = now;
        post({ type: 'progress', index: m.index, stage, fraction });
      }
    },
    cancelled: () => Atomics.load(flag, 0) !== 0,
  };
  try {
    const result = await runDeployment(m.request, { wasm: await wasmReady, progress });
    post({ type: 'result', index: m.index, result });
  } catch (e) {
    post({ type: 'error', index: m.index, code: isRetileError(e) ? e.code : 'internal', message: (e as Error).message });
  }
});
