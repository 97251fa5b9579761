/** Messages between the CLI's worker pool (main thread) and its worker threads. */
import type { Limits } from '../../engine/limits';
import type { RunRequest } from '../../engine/pipeline/run';
import type { RunResult } from '../../engine/report/result';
import type { StudyCase, StudyCaseSpec } from '../../engine/pipeline/study';
import type { Deployment } from '../../engine/placement/types';
import type { FromDeploymentOptions } from '../../engine/sim/from-deployment';
import type { SimulateReport } from '../../engine/pipeline/simulate-report';
import type { ServeRequest } from '../../engine/pipeline/serve';
import type { ServeResult } from '../../engine/report/serve-result';
import type { KnownSim } from '../../engine/sim/cache';

export interface SweepWorkerInit {
  wasmPath: string;
  /** Int32 flag set to 1 by the main thread on Ctrl-C; the engine polls it between work units. */
  cancelFlag: SharedArrayBuffer;
  /** Engine limits to apply in the worker (from the environment, service/limits-env.ts). */
  limits?: Partial<Limits>;
  /** Threads of the simulation pool a deployment run gets (service/sim-pool.ts; 0: none). */
  simWorkers?: number;
  /** Old-generation heap of each pool thread, in MB. */
  memoryMb?: number;
  /** Other workers run cases of the same chips: post each deployment run's baselines ('baselines'). */
  share?: boolean;
}

/** The long jobs of the CLI: they run off the main thread so Ctrl-C and SIGTERM are answered at once. */
export type WorkerJob =
  | { kind: 'deploy'; request: RunRequest }
  | { kind: 'study'; spec: StudyCaseSpec }
  | { kind: 'simulate'; deployment: Deployment; options: FromDeploymentOptions }
  | { kind: 'serve'; request: ServeRequest };

export type WorkerOutput =
  | { kind: 'deploy'; result: RunResult }
  | { kind: 'study'; result: StudyCase }
  | { kind: 'simulate'; report: SimulateReport }
  | { kind: 'serve'; result: ServeResult };

export type ToWorker =
  | { type: 'case'; index: number; job: WorkerJob }
  /** Another worker's simulations of a chip, for this worker's cache. */
  | { type: 'baselines'; known: KnownSim[] };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'progress'; index: number; stage: string; fraction: number }
  /** A deployment run's baselines and alone runs (posted before its result), for the other workers' caches. */
  | { type: 'baselines'; index: number; known: KnownSim[] }
  | { type: 'result'; index: number; output: WorkerOutput }
  | { type: 'error'; index: number; code: string; message: string };
