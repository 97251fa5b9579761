/** The referee: a Deployment replayed by the Wasm event simulator. */
import type { Deployment } from '../placement/types';
import { simulate, type SimProgress, type SimResult } from './index';
import { scenarioFromDeployment, type FromDeploymentOptions } from './from-deployment';
import type { RetileWasmExports } from './wasm';
import type { SimulationCache } from './cache';
import { scenarioLowerBoundS } from './bound';

export interface Simulated {
  sim: SimResult;
  /** Scenario re-operator index of each deployment re-operator. */
  reopOf: number[];
  /** Crossbars of each scenario re-operator. */
  crossbars: number[];
}

/** Events the loop ran and the clock's milliseconds it took, summed over the simulations run (not remembered ones). */
export interface SimTally {
  clock: () => number;
  events: number;
  ms: number;
}

/** Events per second of the simulations a tally counted (0 when none ran or the clock stood still). */
export function eventsPerSecond(t: SimTally): number {
  return t.ms > 0 ? t.events / (t.ms / 1000) : 0;
}

export interface RefereeOptions {
  /** Follows the event loop's slices. */
  progress?: SimProgress;
  /** Shape the scenario (e.g. charging the first load). */
  scenario?: Omit<FromDeploymentOptions, 'seed'>;
  /** A scenario simulated before is not simulated again. */
  cache?: SimulationCache;
  /**
   * Simulate only if the deployment could be faster than this makespan: when its proven lower
   * bound (bound.ts) is at least this, it cannot be, and nothing is simulated (null).
   */
  toBeat?: number;
  /** Counts the events and time of each simulation actually run. */
  tally?: SimTally;
}

export function simulateDeployment(dep: Deployment, wasm: RetileWasmExports, seed: number, o?: Omit<RefereeOptions, 'toBeat'>): Simulated;
export function simulateDeployment(dep: Deployment, wasm: RetileWasmExports, seed: number, o: RefereeOptions): Simulated | null;
export function simulateDeployment(dep: Deployment, wasm: RetileWasmExports, seed: number, o: RefereeOptions = {}): Simulated | null {
  const { scenario, index } = scenarioFromDeployment(dep, { ...o.scenario, seed });
  if (o.toBeat !== undefined && scenarioLowerBoundS(scenario) >= o.toBeat) return null;
  let ran = false;
  const run = () => {
    ran = true;
    const t0 = o.tally?.clock() ?? 0;
    const r = simulate(scenario, wasm, o.progress);
    if (o.tally) {
      o.tally.ms += o.tally.clock() - t0;
      o.tally.events += r.events;
    }
    return r;
  };
  const sim = o.cache ? o.cache.get(scenario, run) : run();
  // A remembered result: the loop's last report (and its cancel check) still comes.
  if (!ran) o.progress?.(1);
  return { sim, reopOf: index.reopOf, crossbars: scenario.reops.map((r) => r.crossbars ?? 0) };
}
