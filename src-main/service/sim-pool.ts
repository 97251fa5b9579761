/**
 * The hosts' pool of simulation threads for one run at a time (engine/sim/pool.ts): piscina over
 * worker_threads, each thread running service/sim-worker.ts with its own Wasm instance. The CLI's
 * run worker and the service's engine worker each make one, on their first deployment job, and
 * hand it to the engine in the run context. A thread that dies fails the simulation it held (so
 * the run) with the reason; piscina starts another for the next.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { badInput, RetileError } from '../engine/errors';
import type { PackedScenario } from '../engine/sim/scenario';
import type { PooledSimulation, SimulatorPool } from '../engine/sim/pool';
import type { SimWorkerInit, SimWorkerReply } from './sim-worker';
import { paths } from './paths';

export interface SimPoolOptions {
  threads: number;
  wasmPath: string;
  /** Old-generation heap of each thread, in MB (as the engine worker's). */
  memoryMb?: number;
  /** The thread's script (default out/main/sim-worker.js; tests hand a stand-in). */
  workerPath?: string;
  /** The smallest scenario sent, in rows to compute (default POOL_MIN_ROWS). */
  minRows?: number;
}

/**
 * Scenarios of fewer rows stay on the run's thread. Starting a pool thread costs about 0.1 s of
 * CPU (the thread, piscina, the driver and the Wasm module loaded); a scenario of 50,000
 * rows takes some 20-50 ms in the loop (four-tenant mix, 2-core machine). So a small run (lenet5
 * placed directly on 8x8: three scenarios of at most 8,172 rows) starts no thread, and a
 * four-tenant run at 32x32 sends its baselines (98,000-174,000 rows) and simulates its alone runs
 * (10,000-34,000) itself.
 */
export const POOL_MIN_ROWS = 50_000;

export interface SimPool extends SimulatorPool {
  close(): Promise<void>;
}

export function createSimPool(o: SimPoolOptions): SimPool {
  const init: SimWorkerInit = { wasmPath: o.wasmPath };
  let piscina: Piscina<PackedScenario, SimWorkerReply> | null = null;
  // Started with the first scenario sent (a small run sends none), then kept for the host's life:
  // each thread compiled the simulator's code once. Not piscina's minThreads 0: with it, tasks
  // queued when the last thread dies wait for a task sent later (a run would hang).
  const started = (): Piscina<PackedScenario, SimWorkerReply> => {
    if (piscina) return piscina;
    piscina = new Piscina<PackedScenario, SimWorkerReply>({
      filename: o.workerPath ?? paths.simWorker,
      minThreads: o.threads,
      maxThreads: o.threads,
      idleTimeout: Infinity,
      workerData: init,
      ...(o.memoryMb ? { resourceLimits: { maxOldGenerationSizeMb: o.memoryMb } } : {}),
    });
    // Failures outside a task (a thread that cannot start) also fail the task waiting for it.
    piscina.on('error', () => undefined);
    return piscina;
  };
  return {
    minRows: o.minRows ?? POOL_MIN_ROWS,
    async simulate(packed: PackedScenario, signal?: AbortSignal): Promise<PooledSimulation> {
      let reply: SimWorkerReply;
      try {
        reply = await started().run(packed, signal ? { signal } : {});
      } catch (e) {
        if (signal?.aborted) throw new RetileError('cancelled', 'the run stopped before this simulation ended');
        throw new RetileError('internal', `a simulation thread stopped: ${(e as Error).message}`);
      }
      if (!reply.ok) throw new RetileError(reply.code, reply.message, reply.where);
      return { raw: reply.raw, ms: reply.ms };
    },
    close: async () => {
      await piscina?.close({ force: true });
    },
  };
}

/**
 * Simulation threads for a run (RETILE_SIM_WORKERS, docs/cli.md): the variable when set (0: none,
 * every simulation on the run's own thread), else one when the machine has two cores beyond the
 * `busy` threads already running jobs (the run's worker, or a sweep's workers), else none. One
 * spare core is not enough: V8's compiler and collector threads use it, and on 2 cores the pool
 * saved no time and cost 255-300 MB at 256x256 (docs/performance.md).
 */
export function simWorkersFromEnv(busy: number, env: NodeJS.ProcessEnv = process.env, cores = availableParallelism()): number {
  const v = env.RETILE_SIM_WORKERS;
  if (v === undefined || v === '') return cores >= busy + 2 ? 1 : 0;
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n > MAX_SIM_WORKERS) {
    throw badInput(`expects an integer from 0 to ${MAX_SIM_WORKERS}, got '${v}'`, { field: 'RETILE_SIM_WORKERS' });
  }
  return n;
}

/** More threads than the simulations a run can send at once (three baselines and the alone runs of 16 tenants) would sit idle. */
const MAX_SIM_WORKERS = 64;
