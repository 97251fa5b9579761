/**
 * Long CLI jobs that save nothing (a spec run, study cases, a simulation) in the worker pool, so
 * the main thread answers Ctrl-C and SIGTERM at once (interrupt.ts): nothing is half-written,
 * because outputs are written only after every job has finished.
 */
import { RetileError, type ErrorCode } from '../../engine/errors';
import { tileCount } from '../../engine/hardware/costs';
import { maxOf } from '../../engine/arrays';
import { caseChip } from '../../engine/pipeline/study';
import { paths } from '../../service/paths';
import { limitsFromEnv, workerMemoryMb } from '../../service/limits-env';
import { simWorkersFromEnv } from '../../service/sim-workers';
import { onInterrupt } from '../interrupt';
import { log } from '../io';
import { SweepPool } from './pool';
import type { WorkerJob, WorkerOutput } from './protocol';

export interface JobEvents {
  /** One stderr line when the work starts, e.g. "study: 5 case(s)" (the CLI then says Ctrl-C stops it). */
  label?: string;
  /** Called as each job finishes (in finishing order), e.g. to log a line per study case. */
  onOutput?(index: number, output: WorkerOutput): void;
  onProgress?(index: number, stage: string, fraction: number): void;
}

/** Runs the jobs on `workers` threads; resolves with the outputs in job order, or throws the first job's error. */
export async function runJobs(jobs: WorkerJob[], workers: number, events: JobEvents = {}): Promise<WorkerOutput[]> {
  const tiles = Math.max(0, maxOf(jobs.map(jobTiles)));
  const pool = new SweepPool({ workers, workerPath: paths.sweepWorker, wasmPath: paths.wasm, limits: limitsFromEnv(), memoryMb: workerMemoryMb(), simWorkers: simWorkersFromEnv(workers), tiles });
  const restoreSignals = onInterrupt(() => pool.cancel());
  if (events.label) log(`retile: ${events.label} (Ctrl-C stops)`);
  const outputs: (WorkerOutput | undefined)[] = new Array(jobs.length);
  let failure: RetileError | null = null;
  try {
    await pool.run(
      jobs.map((job, index) => ({ index, job })),
      {
        onProgress: events.onProgress,
        onResult(index, output) {
          outputs[index] = output;
          events.onOutput?.(index, output);
        },
        onError(_index, code, message) {
          failure ??= new RetileError(code as ErrorCode, message);
          pool.cancel();
        },
      },
    );
  } finally {
    await pool.close();
    restoreSignals();
  }
  if (failure) throw failure;
  return outputs.map((o, i) => {
    if (!o) throw new RetileError('internal', `job ${i + 1} of ${jobs.length} ended without an output`);
    return o;
  });
}

/** The tiles of a job's chip (the pool sizes its workers' heap by the largest: pool.ts workerHeap). */
function jobTiles(job: WorkerJob): number {
  switch (job.kind) {
    case 'deploy':
    case 'serve':
      return tileCount(job.request.chip);
    case 'simulate':
      return tileCount(job.deployment.chip);
    case 'study':
      return tileCount(caseChip(job.spec));
  }
}

/** The one output of a single job, checked to be of the expected kind. */
export function only<K extends WorkerOutput['kind']>(outputs: WorkerOutput[], kind: K): Extract<WorkerOutput, { kind: K }> {
  const o = outputs[0];
  if (!o || o.kind !== kind) throw new RetileError('internal', `expected a ${kind} output`);
  return o as Extract<WorkerOutput, { kind: K }>;
}
