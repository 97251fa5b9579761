/**
 * The hosts' pool of simulation threads for one run at a time (engine/sim/pool.ts): piscina over
 * worker_threads, each thread running service/sim-worker.ts with its own Wasm instance. The CLI's
 * run worker and the service's engine worker each make one, on their first deployment job, and
 * hand it to the engine in the run context. A thread that dies fails the simulation it held (so
 * the run) with the reason; piscina starts another for the next.
 */
import type { Piscina } from 'piscina';
import { RetileError } from '../engine/errors';
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

/**
 * Whether this Node loads an ES module through require() (Node 20.17 and later). Piscina's thread
 * requires the task's module first, and a thread stopped (a cancel, the pool closed) while Node 20
 * built that module's require facade aborted the whole process ("Assertion failed:
 * facade->InstantiateModule", seen once in the test suite's pool test): without require(esm) the
 * require throws ERR_REQUIRE_ESM and piscina loads the module with import() instead.
 */
const REQUIRE_ESM_FLAG = process.allowedNodeEnvironmentFlags.has('--experimental-require-module');

export function createSimPool(o: SimPoolOptions): SimPool {
  const init: SimWorkerInit = { wasmPath: o.wasmPath };
  let piscina: Promise<Piscina<PackedScenario, SimWorkerReply>> | null = null;
  // Started (and piscina loaded) with the first scenario sent, so a small run loads neither; then
  // kept for the host's life: each thread compiled the simulator's code once. Not piscina's
  // minThreads 0: with it, tasks queued when the last thread dies wait for a task sent later (a
  // run would hang).
  const started = (): Promise<Piscina<PackedScenario, SimWorkerReply>> =>
    (piscina ??= import('piscina').then(({ Piscina }) => {
      const p = new Piscina<PackedScenario, SimWorkerReply>({
        filename: o.workerPath ?? paths.simWorker,
        minThreads: o.threads,
        maxThreads: o.threads,
        idleTimeout: Infinity,
        workerData: init,
        ...(o.memoryMb ? { resourceLimits: { maxOldGenerationSizeMb: o.memoryMb } } : {}),
        ...(REQUIRE_ESM_FLAG ? { execArgv: ['--no-experimental-require-module'] } : {}),
      });
      // Failures outside a task (a thread that cannot start) also fail the task waiting for it.
      p.on('error', () => undefined);
      return p;
    }));
  return {
    minRows: o.minRows ?? POOL_MIN_ROWS,
    async simulate(packed: PackedScenario, signal?: AbortSignal): Promise<PooledSimulation> {
      let reply: SimWorkerReply;
      try {
        reply = await (await started()).run(packed, signal ? { signal } : {});
      } catch (e) {
        if (signal?.aborted) throw new RetileError('cancelled', 'the run stopped before this simulation ended');
        throw new RetileError('internal', `a simulation thread stopped: ${(e as Error).message}`);
      }
      if (!reply.ok) throw new RetileError(reply.code, reply.message, reply.where);
      return { raw: reply.raw, ms: reply.ms };
    },
    close: async () => {
      await (await piscina)?.close({ force: true });
    },
  };
}
