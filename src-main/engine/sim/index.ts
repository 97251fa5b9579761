/**
 * The event simulator's entry points: scenario in, report out, on the Wasm event loop
 * (assembly/sim.ts), the only implementation.
 */
import { RetileError } from '../errors';
import { rowsToCompute, simulateWasm, type SimProgress, type SimRaw, type SimStopped } from './driver';
import { packScenario, type PackedScenario, type Scenario } from './scenario';
import { summarize, type SimResult } from './summary';
import type { RetileWasmExports } from './wasm';

export type { Scenario } from './scenario';
export type { SimResult } from './summary';
export type { SimProgress, SimRaw, SimStopped } from './driver';

/** The loop's raw arrays with the packing they are indexed by. */
export function simulateRaw(scenario: Scenario, wasm: RetileWasmExports, progress?: SimProgress): { raw: SimRaw; packed: PackedScenario } {
  const packed = packScenario(scenario);
  checkEventBudget(scenario, packed);
  const raw = simulateWasm(wasm, packed, progress);
  checkStatus(raw.status, packed.maxEvents);
  return { raw, packed };
}

export function simulate(scenario: Scenario, wasm: RetileWasmExports, progress?: SimProgress): SimResult {
  const { raw, packed } = simulateRaw(scenario, wasm, progress);
  return summarize(scenario, packed, raw);
}

/**
 * simulate's steps before the event loop, for a loop run on another thread (pool.ts): the
 * scenario packed, its event budget checked. The packing and the summary stay on the run's
 * thread, whose compiled code they already warm; the pool thread runs the loop alone.
 */
export function packForLoop(scenario: Scenario): PackedScenario {
  const packed = packScenario(scenario);
  checkEventBudget(scenario, packed);
  return packed;
}

/** simulate's steps after the event loop: its status checked, its arrays summarized. */
export function summarizeLoop(scenario: Scenario, packed: PackedScenario, raw: SimRaw): SimResult {
  checkStatus(raw.status, packed.maxEvents);
  return summarize(scenario, packed, raw);
}

/**
 * The simulation, or where it stops (driver.ts): once its clock reaches `toBeatS` with a request
 * still open, its makespan cannot be below `toBeatS` and the rest is not simulated.
 */
export function simulateToBeat(scenario: Scenario, wasm: RetileWasmExports, toBeatS: number, progress?: SimProgress): SimResult | SimStopped {
  const packed = packScenario(scenario);
  checkEventBudget(scenario, packed);
  const raw = simulateWasm(wasm, packed, progress, toBeatS);
  if ('stopped' in raw) return raw;
  checkStatus(raw.status, packed.maxEvents);
  return summarize(scenario, packed, raw);
}

/**
 * Before any event runs: the rows the loop must compute are a lower bound on its events, so a run
 * whose rows alone exceed the budget is refused at once, naming the layer that contributes most,
 * instead of after simulating up to the budget.
 */
function checkEventBudget(scenario: Scenario, packed: PackedScenario): void {
  const { total, perLayer } = rowsToCompute(packed);
  if (total <= packed.maxEvents) return;
  let top = 0;
  for (let l = 1; l < perLayer.length; l++) if (perLayer[l]! > perLayer[top]!) top = l;
  const layer = scenario.layers[top]!;
  const tenant = scenario.tenants[layer.tenant]!;
  throw new RetileError(
    'limit',
    `simulation needs at least ${total} events (one per row of every re-operator for every request; the most, ${perLayer[top]}, from layer '${layer.name}' of tenant '${tenant.name}': ${layer.rows} rows x ${tenant.requests} requests x its copies and pieces), above the limit of ${packed.maxEvents}: fewer requests or a smaller batch would fit`,
    { setting: 'maxSimEvents' },
  );
}

/** Status 1: a request never completed; 2: the event budget (engine/limits.ts maxSimEvents) ran out. */
function checkStatus(status: number, maxEvents: number): void {
  if (status === 2) {
    throw new RetileError('limit', `simulation event count is above the limit of ${maxEvents}: fewer requests or a smaller batch would fit`, { setting: 'maxSimEvents' });
  }
  if (status !== 0) throw new RetileError('internal', 'simulation stalled: some request never completed (inconsistent scenario)');
}
