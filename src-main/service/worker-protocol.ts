import type { ApiError } from '../api/errors';
import type { Limits } from '../engine/limits';

/** Messages between the service (host thread) and the engine worker. Plain data only. */

export interface JobRequest {
  type: 'run';
  jobId: string;
  kind: string;
  args: unknown;
  /** Int32Array(1) over a SharedArrayBuffer: set to 1 to ask the job to stop. */
  cancelFlag: SharedArrayBuffer;
}

export type WorkerMessage =
  | { type: 'ready'; wasmAbi: number }
  | { type: 'progress'; jobId: string; stage: string; fraction: number }
  | { type: 'result'; jobId: string; result: unknown }
  /** `error`: the structured API error when the engine or the arguments refused the job. */
  | { type: 'error'; jobId: string; code: string; message: string; error?: ApiError };

export interface WorkerInit {
  wasmPath: string;
  /** The host's engine limits (engine/limits.ts), applied in the worker too. */
  limits?: Partial<Limits>;
  /** Threads of the simulation pool the deployment jobs get (service/sim-pool.ts; 0 or absent: none). */
  simWorkers?: number;
  /** Old-generation heap of each pool thread, in MB. */
  memoryMb?: number;
}
