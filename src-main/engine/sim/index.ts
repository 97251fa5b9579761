/**
 * The event simulator's entry points: scenario in, report out, on the Wasm event loop
 * (assembly/sim.ts), the only implementation.
 */
import { RetileError } from '../errors';
import { simulateWasm, type SimProgress, type SimRaw } from './driver';
import { packScenario, type PackedScenario, type Scenario } from './scenario';
import { summarize, type SimResult } from './summary';
import type { RetileWasmExports } from './wasm';

export type { Scenario } from './scenario';
export type { SimResult } from './summary';
export type { SimProgress, SimRaw } from './driver';

/** The loop's raw arrays with the packing they are indexed by. */
export function simulateRaw(scenario: Scenario, wasm: RetileWasmExports, progress?: SimProgress): { raw: SimRaw; packed: PackedScenario } {
  const packed = packScenario(scenario);
  const raw = simulateWasm(wasm, packed, progress);
  checkStatus(raw.status, packed.maxEvents);
  return { raw, packed };
}

export function simulate(scenario: Scenario, wasm: RetileWasmExports, progress?: SimProgress): SimResult {
  const { raw, packed } = simulateRaw(scenario, wasm, progress);
  return summarize(scenario, packed, raw);
}

/** Status 1: a request never completed; 2: the event budget (engine/limits.ts maxSimEvents) ran out. */
function checkStatus(status: number, maxEvents: number): void {
  if (status === 2) {
    throw new RetileError('limit', `simulation event count is above the limit of ${maxEvents}: fewer requests or a smaller batch would fit`, { setting: 'maxSimEvents' });
  }
  if (status !== 0) throw new RetileError('internal', 'simulation stalled: some request never completed (inconsistent scenario)');
}
