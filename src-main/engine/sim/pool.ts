/**
 * Simulations on other threads. A host may hand a run a pool of worker threads, each with its own
 * Wasm instance (service/sim-pool.ts); the run sends it the simulations that do not depend on the
 * optimizer (the baselines and the alone runs) when it starts and awaits them where their results
 * are needed, while its own thread optimizes. The engine knows only this interface, so it stays
 * free of Node imports; without a pool (tests, the browser) every simulation runs in-thread.
 */
import type { Scenario } from './scenario';
import type { SimResult } from './summary';

export interface PooledSimulation {
  /** What simulate(scenario, wasm) gives on this thread, bit for bit (the loop is deterministic). */
  sim: SimResult;
  /** Milliseconds the pool thread's simulation took (for the run's events_per_s). */
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
   * simulate(scenario) on a pool thread. Rejects with a RetileError carrying the engine's code
   * (a 'limit' stays a 'limit'), or an 'internal' one naming the cause when the thread died.
   * Aborting `signal` drops the task (the run failed or was cancelled).
   */
  simulate(scenario: Scenario, signal?: AbortSignal): Promise<PooledSimulation>;
}
