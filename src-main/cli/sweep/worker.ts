/**
 * A CLI worker thread (bundled as out/main/sweep-worker.js): loads the Wasm module once, then
 * evaluates one job at a time (a deployment run, a study case, a simulation or a serving run), posting throttled
 * progress and the output. Ctrl-C sets the shared flag, which the engine checks between work units;
 * the main thread stays free to answer the signal.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { loadWasm } from '../../service/wasm-node';
import { loadHighs } from '../../service/highs-node';
import { isRetileError } from '../../engine/errors';
import { runDeployment } from '../../engine/pipeline/run';
import { runStudyCase, STUDY_MIXES } from '../../engine/pipeline/study';
import { simulateDeployment } from '../../engine/pipeline/simulate-report';
import { serveDeployment } from '../../engine/pipeline/serve';
import { setLimits } from '../../engine/limits';
import { toLayerGraph, zooGraph, type LayerGraph } from '../../engine/workload';
import type { ProgressSink } from '../../engine/progress';
import { SimulationCache } from '../../engine/sim/cache';
import { createSimPool, type SimPool } from '../../service/sim-pool';
import type { FromWorker, SweepWorkerInit, ToWorker, WorkerJob, WorkerOutput } from './protocol';

const port = parentPort;
if (!port) throw new Error('sweep/worker.ts must run in a worker thread');
const init = workerData as SweepWorkerInit;
const flag = new Int32Array(init.cancelFlag);
if (init.limits) setLimits(init.limits);
const post = (m: FromWorker) => port.postMessage(m);
const wasmReady = loadWasm(init.wasmPath);
void wasmReady.then(() => post({ type: 'ready' }));

/** This worker's simulations, kept across its cases: the baselines and alone runs that several cases share are simulated once. */
const simCache = new SimulationCache();

/** The deployment runs' simulation threads, started with the first such run (none for other jobs). */
let simPool: SimPool | null = null;
function runPool(): { simPool?: SimPool } {
  if (!init.simWorkers) return {};
  simPool ??= createSimPool({ threads: init.simWorkers, wasmPath: init.wasmPath, memoryMb: init.memoryMb });
  return { simPool };
}

/** At most ~5 progress messages per second per case: the bar redraws no faster than that. */
const PROGRESS_INTERVAL_MS = 200;

/** The study's zoo graphs, built once per worker. */
let studyGraphs: Record<string, LayerGraph> | null = null;
function graphs(): Record<string, LayerGraph> {
  if (!studyGraphs) {
    studyGraphs = {};
    for (const names of Object.values(STUDY_MIXES)) for (const n of names) studyGraphs[n] ??= toLayerGraph(zooGraph(n));
  }
  return studyGraphs;
}

async function evaluate(job: WorkerJob, progress: ProgressSink): Promise<WorkerOutput> {
  const wasm = await wasmReady;
  switch (job.kind) {
    case 'deploy':
      return { kind: 'deploy', result: await runDeployment(job.request, { wasm, progress, simCache, highs: loadHighs, ...runPool() }) };
    case 'study':
      return { kind: 'study', result: await runStudyCase(job.spec, graphs(), wasm, { progress, simCache }) };
    case 'simulate':
      return { kind: 'simulate', report: simulateDeployment(job.deployment, wasm, job.options).report };
    case 'serve':
      return { kind: 'serve', result: await serveDeployment(job.request, { wasm, progress }) };
  }
}

/** The stages of a deployment run (pipeline/run.ts) whose simulations every case on the chip shares. */
const BASELINE_STAGES = new Set(['direct baseline', 'baselines', 'alone baselines']);
/**
 * The run's own stages that follow baseline stages (pipeline/run.ts: the baselines, then the
 * candidates, then the alone runs unless a simulation thread took them at the start, then the
 * metrics): entering one, the worker posts what it recorded, so another worker can start a case
 * of the chip during this one's candidates instead of at its end. The strategies' own inner stages
 * are not among them (they stop the recording, not the post).
 */
const AFTER_BASELINES = new Set(['optimize', 'simulate', 'metrics']);

/** Another worker's simulations that came while a case ran: into this worker's cache at once (the case is synchronous, so messages wait otherwise). */
function takeSeeds(): void {
  for (let r = receiveMessageOnPort(port!); r; r = receiveMessageOnPort(port!)) {
    const m = r.message as ToWorker;
    if (m.type === 'baselines') simCache.seed(m.known);
    // Not sent while a case runs (the pool gives a worker its next case after this one's result); kept in order all the same.
    else setImmediate(() => void onMessage(m));
  }
}

async function onMessage(m: ToWorker): Promise<void> {
  if (m.type === 'baselines') return simCache.seed(m.known);
  let last = 0;
  const share = init.share === true && m.job.kind === 'deploy';
  let stageNow = '';
  /** Posts the simulations recorded since the last post (none: nothing). */
  const postRecorded = (): void => {
    const known = simCache.takeRecorded();
    if (known.length) post({ type: 'baselines', index: m.index, known });
  };
  const progress: ProgressSink = {
    report(stage: string, fraction: number) {
      if (share && stage !== stageNow) {
        stageNow = stage;
        simCache.record(BASELINE_STAGES.has(stage));
        if (AFTER_BASELINES.has(stage)) postRecorded();
        takeSeeds();
      }
      const now = Date.now();
      if (now - last >= PROGRESS_INTERVAL_MS) {
        last = now;
        post({ type: 'progress', index: m.index, stage, fraction });
      }
    },
    cancelled: () => Atomics.load(flag, 0) !== 0,
  };
  try {
    const output = await evaluate(m.job, progress);
    if (share) {
      // What came back from a simulation thread since the last post.
      simCache.record(false);
      postRecorded();
    }
    post({ type: 'result', index: m.index, output });
  } catch (e) {
    if (share) {
      simCache.record(false);
      simCache.takeRecorded();
    }
    post({ type: 'error', index: m.index, code: isRetileError(e) ? e.code : 'internal', message: (e as Error).message });
  }
}

port.on('message', (m: ToWorker) => void onMessage(m));
