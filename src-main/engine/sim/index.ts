/**
 * The event simulator's entry points: scenario in, report out, on either engine.
 * `simulate(scenario, wasm)` runs the Wasm loop; without `wasm` it runs the TypeScript reference.
 */
import { RetileError } from '../errors';
import { simulateWasm } from './driver';
import { simulateReference, type SimRaw } from './reference';
import { packScenario, type Scenario } from './scenario';
import { summarize, type SimResult } from './summary';
import type { RetileWasmExports } from './wasm';

export type { Scenario } from './scenario';
export type { SimResult } from './summary';

export function simulateRaw(scenario: Scenario, wasm?: RetileWasmExports): SimRaw {
  const packed = packScenario(scenario);
  const raw = wasm ? simulateWasm(wasm, packed) : simulateReference(packed);
  if (raw.status !== 0) throw new RetileError('internal', 'simulation stalled: some request never completed (inconsistent scenario)');
  return raw;
}

export function simulate(scenario: Scenario, wasm?: RetileWasmExports): SimResult {
  const packed = packScenario(scenario);
  const raw = wasm ? simulateWasm(wasm, packed) : simulateReference(packed);
  if (raw.status !== 0) throw new RetileError('internal', 'simulation stalled: some request never completed (inconsistent scenario)');
  return summarize(scenario, packed, raw, wasm ? 'wasm' : 'ts');
}
