/** The referee: a Deployment replayed by the Wasm event simulator (src-main/engine/sim). */
import type { Deployment } from '../deploy/types';
import { simulate, type SimResult } from '../sim';
import { scenarioFromDeployment } from '../sim/from-deployment';
import type { RetileWasmExports } from '../sim/wasm';

export interface Simulated {
  sim: SimResult;
  /** Scenario re-operator index of each deployment re-operator. */
  reopOf: number[];
  /** Crossbars of each scenario re-operator. */
  crossbars: number[];
}

export function simulateDeployment(dep: Deployment, wasm: RetileWasmExports | undefined, seed: number): Simulated {
  const { scenario, index } = scenarioFromDeployment(dep, { seed });
  const sim = simulate(scenario, wasm);
  return { sim, reopOf: index.reopOf, crossbars: scenario.reops.map((r) => r.crossbars ?? 0) };
}
