import { beforeAll, describe, expect, test } from 'vitest';
import { simulate, simulateRaw } from '../../../src-main/engine/sim';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import type { Scenario, ScenarioLayer } from '../../../src-main/engine/sim/scenario';
import { loadTestWasm } from './load-wasm';
import { handScenario, US } from './hand-scenario';

/**
 * Bounded input buffers with back-pressure (docs/simulator.md, "Bounded buffers"), on hand-built
 * scenarios whose times follow by hand. Links are 1e15 B/s with no hop latency, so a row reaches
 * its consumer the instant it is emitted.
 */
let wasm: RetileWasmExports;
beforeAll(async () => {
  wasm = await loadTestWasm();
});

const ROW_BYTES = 100;

function stage(name: string, rows: number): ScenarioLayer {
  return { name, tenant: 0, phase: 0, rows, unitsPerRow: 1, rowSplit: false, outBytesPerRow: ROW_BYTES, psumBytesPerRow: 0, mergeTimePerUnitS: 0, mergeEnergyPerUnitJ: 0 };
}

/** A (1 us per row) on tile 0 feeds B (3 us per row) on tile 1, row for row (window 1, hold 1); tile 1 holds `capRows` rows (0: unbounded). */
function twoStages(rows: number, capRows: number): Scenario {
  const s = handScenario(
    2,
    [{ tenant: 0, writeTimeS: 0, writeEnergyJ: 0, after: [] }],
    [stage('a', rows), stage('b', rows)],
    [
      { layer: 0, copy: 0, piece: 0, tile: 0, timePerUnitS: US, energyPerUnitJ: [0, 0, 0, 0, 0] },
      { layer: 1, copy: 0, piece: 0, tile: 1, timePerUnitS: 3 * US, energyPerUnitJ: [0, 0, 0, 0, 0] },
    ],
    [{ from: 0, to: 1, scale: 1, offset: 0, window: 1, hold: 1 }],
  );
  s.noc.linkBytesPerS = 1e15; // 0.1 ps per row
  s.tileBufferBytes = [0, capRows * ROW_BYTES];
  return s;
}

describe('bounded buffers', () => {
  test('a finished row waits while its consumer tile holds k rows, and the producer stops one row later', () => {
    // Buffer of 2 rows. A sends rows 0 and 1 at 1 and 2 us. Row 2 (2..3 us) finds the buffer full
    // and waits; A computes row 3 (3..4 us), which waits behind it. B finishes row 0 at 4 us (its
    // next row, 1, no longer reads row 0): row 2 leaves (waited 3..4 us); row 3 waits for B's row
    // 1 to end at 7 us (4..7 us). Stall 1 + 3 = 4 us. B runs rows back to back, 1..4, 4..7,
    // 7..10, 10..13 us: the makespan is B's, as without a bound.
    const r = simulate(twoStages(4, 2), wasm);
    expect(r.reop_stall_s[0]).toBeCloseTo(4 * US, 11);
    expect(r.reop_stall_s[1]).toBe(0);
    expect(r.makespan_s).toBeCloseTo(13 * US, 11);
    expect(r.buffers.tiles).toEqual([{ tile: 1, capacity_bytes: 200, peak_bytes: 200 }]);
    expect(r.buffers.stages[0]!.stall_s).toBeCloseTo(4 * US, 11);
    expect(r.buffers.stages[1]!.peak_bytes).toBe(200);
    expect(r.buffers.overcommits).toBe(0);
  });

  test('unbounded, A runs ahead: all 4 rows held at once, no stall', () => {
    const r = simulate(twoStages(4, 0), wasm);
    expect(r.reop_stall_s).toEqual([0, 0]);
    expect(r.makespan_s).toBeCloseTo(13 * US, 11);
    // Rows 0..3 arrive by 4 us; B releases row 0 only when it finishes it, at 4 us.
    expect(r.buffers.tiles).toEqual([{ tile: 1, capacity_bytes: 0, peak_bytes: 400 }]);
  });

  test('two copies that split each row unevenly: the tile holds whole rows, exactly', () => {
    // A has 3 units per row in two copies (units go round robin: copy 0 does 2 of row 0, 1 of row
    // 1, ...; copy 1 the rest), 1 us per unit on tiles 0 and 1; a copy's part of a row is 200/3 or
    // 100/3 B, neither exact in binary. Both end their last row at 9 us; B on tile 2 starts row 0
    // at 2 us (copy 0's two units), takes 20 us per row (ends at 122 us) and releases row 0 only at
    // 22 us, so the unbounded tile holds all 6 rows at once: 600 B, exactly (a sum of the 12
    // parts, as floating point adds them, need not be).
    const rows = 6;
    const s = handScenario(
      3,
      [{ tenant: 0, writeTimeS: 0, writeEnergyJ: 0, after: [] }],
      [{ ...stage('a', rows), unitsPerRow: 3 }, stage('b', rows)],
      [
        { layer: 0, copy: 0, piece: 0, tile: 0, timePerUnitS: US, energyPerUnitJ: [0, 0, 0, 0, 0] },
        { layer: 0, copy: 1, piece: 0, tile: 1, timePerUnitS: US, energyPerUnitJ: [0, 0, 0, 0, 0] },
        { layer: 1, copy: 0, piece: 0, tile: 2, timePerUnitS: 20 * US, energyPerUnitJ: [0, 0, 0, 0, 0] },
      ],
      [{ from: 0, to: 1, scale: 1, offset: 0, window: 1, hold: 1 }],
    );
    s.noc.linkBytesPerS = 1e15;
    s.tileBufferBytes = [0, 0, 0];
    const r = simulate(s, wasm);
    expect(r.makespan_s).toBeCloseTo((2 + 6 * 20) * US, 11);
    expect(r.buffers.tiles.find((t) => t.tile === 2)!.peak_bytes).toBe(rows * ROW_BYTES);
  });

  test('a one-row buffer: the producer computes one row ahead and then stops', () => {
    // Row 0 leaves at 1 us. Row 1 (1..2) waits for B to finish row 0 at 4 us (2 us); row 2 is
    // computed 2..3 us and row 3 cannot start while rows 1 and 2 are unsent. Row 1 leaves at 4 us,
    // so row 3 runs 4..5 us; row 2 waits 4..7 us (B's row 1), row 3 waits 7..10 us (B's row 2):
    // stall 2 + 3 + 3 = 8 us, A busy 0..3 and 4..5 us, and B still ends at 13 us.
    const r = simulate(twoStages(4, 1), wasm);
    expect(r.reop_stall_s[0]).toBeCloseTo(8 * US, 11);
    expect(r.makespan_s).toBeCloseTo(13 * US, 11);
    expect(r.buffers.tiles[0]!.peak_bytes).toBe(100);
    const tl = r.timeline;
    const intervals = Array.from({ length: tl.first[1]! - tl.first[0]! }, (_, j) => [tl.start[j]!, tl.end[j]!]);
    expect(intervals.map(([s, e]) => [s! / US, e! / US].map((v) => Math.round(v * 1e3) / 1e3))).toEqual([[0, 3], [4, 5]]);
  });

  test('a share smaller than a reconvergent path needs is let through once per deadlock, and counted', () => {
    // A feeds B and C; B feeds C (a residual shape), each on its own tile, 1 us per row, 2 rows.
    // B's row r reads A's rows up to r + 1 (a 3-row window); C's row r reads A's row r and B's
    // row r. C's tile (200 B) gives each producer one row (hold 1). A sends row 0 at 1 us; its row
    // 1 (1..2 us) finds its share of C's tile full, while B waits for that very row: nothing is
    // left to run, so A's row 1 is sent anyway (one overcommit). B runs 2..3 and 3..4 us, C 3..4
    // and 4..5 us, as unbounded.
    const s = handScenario(
      3,
      [{ tenant: 0, writeTimeS: 0, writeEnergyJ: 0, after: [] }],
      [stage('a', 2), stage('b', 2), stage('c', 2)],
      [0, 1, 2].map((l) => ({ layer: l, copy: 0, piece: 0, tile: l, timePerUnitS: US, energyPerUnitJ: [0, 0, 0, 0, 0] })),
      [
        { from: 0, to: 1, scale: 1, offset: 1, window: 3, hold: 1 },
        { from: 0, to: 2, scale: 1, offset: 0, window: 1, hold: 1 },
        { from: 1, to: 2, scale: 1, offset: 0, window: 1, hold: 1 },
      ],
    );
    s.noc.linkBytesPerS = 1e15; // 0.1 ps per row
    s.tileBufferBytes = [0, 0, 2 * ROW_BYTES];
    const r = simulate(s, wasm);
    expect(r.buffers.overcommits).toBe(1);
    expect(r.makespan_s).toBeCloseTo(5 * US, 11);
    expect(r.buffers.tiles.find((t) => t.tile === 2)!.peak_bytes).toBe(3 * ROW_BYTES);
    s.tileBufferBytes = [0, 0, 0];
    expect(simulate(s, wasm).makespan_s).toBeCloseTo(5 * US, 11);
    // A stream: the same deadlock is broken at once, not when the last request has arrived (a
    // request yet to arrive frees no room). Request 0 (t = 0) ends at 5 us, request 1 (t = 1 s) 5 us after its arrival.
    s.tileBufferBytes = [0, 0, 2 * ROW_BYTES];
    s.tenants[0] = { ...s.tenants[0]!, requests: 2, arrivals: [0, 1] };
    const { raw } = simulateRaw(s, wasm);
    expect(raw.reqDone[0]! / US).toBeCloseTo(5, 6);
    expect((raw.reqDone[1]! - 1) / US).toBeCloseTo(5, 6);
    expect(raw.overcommits).toBe(2);
  });
});
