/** The referee: a Deployment replayed by the Wasm event simulator. */
import type { Deployment } from '../placement/types';
import { simulate, type SimProgress, type SimResult } from './index';
import { scenarioFromDeployment, type FromDeploymentOptions } from './from-deployment';
import type { RetileWasmExports } from './wasm';
import type { SimulationCache } from './cache';

export interface Simulated {
  sim: SimResult;
  /** Scenario re-operator index of each deployment re-operator. */
  reopOf: number[];
  /** Crossbars of each scenario re-operator. */
  crossbars: number[];
}

/**
 * `progress` follows the event loop's slices; the other options shape the scenario (e.g. charging
 * the first load). With a cache, a scenario simulated before is not simulated again.
 */
export function simulateDeployment(
  dep: Deployment,
  wasm: RetileWasmExports,
  seed: number,
  progress?: SimProgress,
  opts: Omit<FromDeploymentOptions, 'seed'> = {},
  cache?: SimulationCache,
): Simulated {
  const { scenario, index } = scenarioFromDeployment(dep, { ...opts, seed });
  let ran = false;
  const run = () => ((ran = true), simulate(scenario, wasm, progress));
  const sim = cache ? cache.get(scenario, run) : run();
  // A remembered result: the loop's last report (and its cancel check) still comes.
  if (!ran) progress?.(1);
  return { sim, reopOf: index.reopOf, crossbars: scenario.reops.map((r) => r.crossbars ?? 0) };
}
