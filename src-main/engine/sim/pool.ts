/**
 * Simulations on other threads. A host may hand a run a pool of worker threads, each with its own
 * Wasm instance (service/sim-pool.ts); the run sends it the simulations that do not depend on the
 * optimizer (the baselines and the alone runs) when it starts and awaits them where their results
 * are needed, while its own thread optimizes. The engine knows only this interface, so it stays
 * free of Node imports; without a pool (tests, the browser) every simulation runs in-thread.
 */
import type { PackedScenario } from './scenario';
import type { SimRaw } from './driver';

export interface PooledSimulation {
  /** What simulateWasm(wasm, packed) gives on this thread, bit for bit (the loop is deterministic). */
  raw: SimRaw;
  /** Milliseconds the pool thread's event loop took (for the run's events_per_s). */
  ms: number;
}

export interface SimulatorPool {
  /**
   * The smallest scenario worth sending, in rows to compute (driver.ts scenarioRowsToCompute): a
   * smaller one is simulated on the run's thread, where it costs less than its trip (the copies
   * both ways, and the start of a pool thread that would otherwise not be needed).
   */
  readonly minRows: number;
  /**
   * The event loop on a packed scenario (index.ts packForLoop), on a pool thread. Rejects with a
   * RetileError carrying the engine's code (a 'limit' stays a 'limit'), or an 'internal' one
   * naming the cause when the thread died. Aborting `signal` drops the task (the run failed or
   * was cancelled).
   */
  simulate(packed: PackedScenario, signal?: AbortSignal): Promise<PooledSimulation>;
}
