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
  checkStatus(raw.status, packed.maxEvents);
  return raw;
}

export function simulate(scenario: Scenario, wasm?: RetileWasmExports): SimResult {
  const packed = packScenario(scenario);
  const raw = wasm ? simulateWasm(wasm, packed) : simulateReference(packed);
  checkStatus(raw.status, packed.maxEvents);
  return summarize(scenario, packed, raw, wasm ? 'wasm' : 'ts');
}

/** Status 1: a request never completed; 2: the event budget (engine/limits.ts maxSimEvents) ran out. */
function checkStatus(status: number, maxEvents: number): void {
  if (status === 2) {
    throw new RetileError('limit', `simulation event count is above the limit of ${maxEvents} (setting maxSimEvents): fewer requests or a smaller batch would fit`);
  }
  if (status !== 0) throw new RetileError('internal', 'simulation stalled: some request never completed (inconsistent scenario)');
}
