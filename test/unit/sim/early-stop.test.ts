/**
 * The referee's early stop (sim/driver.ts `stopAtS`): a runner-up's simulation stops once its
 * clock reaches the makespan to beat while a request is still open. Hand case: one re-operator
 * computing 30,000 rows of one 1 us unit, alone: row k ends at (k + 1) us, so the makespan is
 * 30,000 us = 30 ms, and the loop (20,000 events per slice) pauses first at 20 ms, with 10,000
 * rows (10 ms of work) left.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { simulate, simulateToBeat } from '../../../src-main/engine/sim';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { handScenario, US } from './hand-scenario';
import { loadTestWasm } from './load-wasm';

let wasm: RetileWasmExports;
beforeAll(async () => {
  wasm = await loadTestWasm();
});

const ROWS = 30_000;
const lone = handScenario(
  1,
  [{ tenant: 0, writeTimeS: 0, writeEnergyJ: 0, after: [] }],
  [{ name: 'l', tenant: 0, phase: 0, rows: ROWS, unitsPerRow: 1, rowSplit: false, outBytesPerRow: 0, psumBytesPerRow: 0, mergeTimePerUnitS: 0, mergeEnergyPerUnitJ: 0 }],
  [{ layer: 0, copy: 0, piece: 0, tile: 0, timePerUnitS: US, energyPerUnitJ: [0, 0, 0, 0, 0] }],
);

describe('the early stop of a runner-up', () => {
  it('stops at the first pause past the makespan to beat, with the request still open', () => {
    const r = simulateToBeat(lone, wasm, 10e-3);
    expect(r).toEqual({ stopped: true, events: 20_000 });
  });

  it('stops when the clock plus the work still to do reaches it', () => {
    // at the pause (20 ms, 20,000 rows done) 10,000 rows of 1 us are left, one of them perhaps in
    // progress: the makespan is at least 20 + 9.999 ms, past 25 ms
    expect(simulateToBeat(lone, wasm, 25e-3)).toEqual({ stopped: true, events: 20_000 });
  });

  it('runs to the end when neither bound reaches it', () => {
    // 30 ms to beat: at the pause (20 ms) the request is open, the clock is below it and the work
    // left gives 29.999 ms; the makespan (30 ms, equal, not below) is then simulated in full
    const r = simulateToBeat(lone, wasm, 30e-3);
    expect('stopped' in r).toBe(false);
    if ('stopped' in r) return;
    expect(r.makespan_s).toBeCloseTo(ROWS * US, 12);
    expect(r).toEqual(simulate(lone, wasm));
  });
});
