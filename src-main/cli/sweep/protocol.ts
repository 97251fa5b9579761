/** Messages between the sweep pool (CLI main thread) and its worker threads. */
import type { Limits } from '../../engine/limits';
import type { RunRequest } from '../../engine/optimize';
import type { RunResult } from '../../engine/metrics/result';

export interface SweepWorkerInit {
  wasmPath: string;
  /** Int32 flag set to 1 by the main thread on Ctrl-C; the engine polls it between work units. */
  cancelFlag: SharedArrayBuffer;
  /** Engine limits to apply in the worker (from the environment, service/limits-env.ts). */
  limits?: Partial<Limits>;
}

export type ToWorker = { type: 'case'; index: number; request: RunRequest };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'progress'; index: number; stage: string; fraction: number }
  | { type: 'result'; index: number; result: RunResult }
  | { type: 'error'; index: number; code: string; message: string };
