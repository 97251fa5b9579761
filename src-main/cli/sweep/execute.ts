/**
 * Runs planned deployment runs in the worker pool and records each as a run of an open project:
 * every run row is written `running` up front (in case order, so ids follow the case order), then
 * finished with its result or ended `failed` as the workers report. Ctrl-C (SIGINT) or SIGTERM
 * cancels the workers, marks every unfinished run `interrupted` synchronously and exits 130
 * (interrupt.ts).
 */
import { availableParallelism } from 'node:os';
import type { Database } from 'better-sqlite3';
import { createRun, endRun, saveRunResult, type NewRun } from '../../store';
import type { RunRequest } from '../../engine/pipeline/run';
import type { RunResult } from '../../engine/report/result';
import { RETILE_VERSION } from '../../service/version';
import { paths } from '../../service/paths';
import { onInterrupt } from '../interrupt';
import { SweepPool } from './pool';
import type { ProgressView } from './progress';
import { limitsFromEnv, workerMemoryMb } from '../../service/limits-env';
import { simWorkersFromEnv } from '../../service/sim-workers';

export interface PlannedRun {
  /** Case index (any order of dispatch; results are reported per index). */
  index: number;
  /** Short text for progress lines, e.g. "8x8 direct seed 1". */
  label: string;
  /** Runs on the same chip and tenants share their baselines' simulations in one worker (pool.ts). */
  affinity?: string;
  request: RunRequest;
  run: Omit<NewRun, 'version'>;
}

export interface ExecutedRun {
  index: number;
  runId: number;
  status: 'finished' | 'failed';
  result: RunResult | null;
  /** Error code from the engine ('bad-input', 'internal', ...) when failed. */
  code: string | null;
  message: string | null;
}

/** One worker per core the process may use. */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/** The worker pool for deployment runs on `workers` threads. */
export function runPool(workers: number, tiles?: number): SweepPool {
  return new SweepPool({ workers, workerPath: paths.sweepWorker, wasmPath: paths.wasm, limits: limitsFromEnv(), memoryMb: workerMemoryMb(), simWorkers: simWorkersFromEnv(workers), tiles });
}

export async function executeRuns(
  db: Database,
  planned: PlannedRun[],
  opts: { workers: number; progress: ProgressView; /** Started already (runPool(...).start()); closed here. */ pool?: SweepPool; dispatch?: (p: PlannedRun[]) => PlannedRun[]; describe?: (e: ExecutedRun, p: PlannedRun) => string },
): Promise<ExecutedRun[]> {
  // Rows first, in case order, in one transaction.
  const runIds = new Map<number, number>();
  db.transaction(() => {
    for (const p of [...planned].sort((a, b) => a.index - b.index)) runIds.set(p.index, createRun(db, { ...p.run, version: RETILE_VERSION }));
  })();
  const open = new Set(runIds.values());
  const byIndex = new Map(planned.map((p) => [p.index, p]));
  const executed = new Map<number, ExecutedRun>();
  const pool = opts.pool ?? runPool(opts.workers);

  // Interrupt: synchronous bookkeeping then exit, so no run is left `running` and no worker lingers.
  const restoreSignals = onInterrupt((signal) => {
    pool.cancel();
    opts.progress.stop();
    const why = signal === 'SIGINT' ? 'interrupted (Ctrl-C) before the run finished' : 'stopped by SIGTERM before the run finished';
    for (const id of open) {
      try {
        endRun(db, id, 'interrupted', why);
      } catch {
        // The file is being closed under us; the app marks leftover `running` runs on open.
      }
    }
    try {
      db.close();
    } catch {
      // already closed
    }
    return `${open.size} unfinished run(s) marked interrupted`;
  });

  const record = (e: ExecutedRun) => {
    executed.set(e.index, e);
    open.delete(e.runId);
    const p = byIndex.get(e.index)!;
    opts.progress.done(opts.describe ? opts.describe(e, p) : `${p.label}: ${e.status}`);
  };

  opts.progress.start(planned.length);
  try {
    const order = opts.dispatch ? opts.dispatch(planned) : planned;
    await pool.run(
      order.map((p) => ({ index: p.index, affinity: p.affinity, job: { kind: 'deploy', request: p.request } })),
      {
        onResult(index, output) {
          const runId = runIds.get(index)!;
          try {
            if (output.kind !== 'deploy') throw new Error(`expected a run result, got a ${output.kind} output`);
            const result = output.result;
            saveRunResult(db, runId, result);
            record({ index, runId, status: 'finished', result, code: null, message: null });
          } catch (e) {
            const message = `saving the result failed: ${(e as Error).message}`;
            endRun(db, runId, 'failed', message);
            record({ index, runId, status: 'failed', result: null, code: 'internal', message });
          }
        },
        onError(index, code, message) {
          const runId = runIds.get(index)!;
          endRun(db, runId, 'failed', message);
          record({ index, runId, status: 'failed', result: null, code, message });
        },
      },
    );
  } finally {
    opts.progress.stop();
    await pool.close();
    restoreSignals();
  }
  return [...executed.values()].sort((a, b) => a.index - b.index);
}
