import { beforeAll, describe, expect, test } from 'vitest';
import { simulate } from '../../../src-main/engine/sim';
import { detLn } from '../../../src-main/engine/sim/rng';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { loadTestWasm } from './load-wasm';
import type { Scenario, ScenarioLayer, ScenarioReop } from '../../../src-main/engine/sim/scenario';

const US = 1e-6;

let wasm: RetileWasmExports;
beforeAll(async () => {
  wasm = await loadTestWasm();
});

/** Units of copy c of d in row r of W units (unit m = r W + k goes to copy m mod d), counted one by one. */
function unitsOf(c: number, d: number, w: number, r: number): number {
  let n = 0;
  for (let k = 0; k < w; k++) if ((r * w + k) % d === c) n++;
  return n;
}

function base(partial: Partial<Scenario>): Scenario {
  return {
    mesh: { rows: 1, cols: 4 },
    noc: { linkBytesPerS: 1e9, hopLatencyS: 2e-9, energyPerByteHopJ: 1e-12 },
    components: ['crossbar', 'noc', 'merge', 'reprogram', 'leakage'],
    nocComponent: 1,
    mergeComponent: 2,
    reprogramComponent: 3,
    leakageComponent: 4,
    tileLeakageW: 0,
    tenants: [{ name: 'a', requests: 1 }],
    phases: [{ tenant: 0, writeTimeS: 0, writeEnergyJ: 0, after: [] }],
    layers: [],
    reops: [],
    edges: [],
    ...partial,
  };
}

function layer(rows: number, units: number, extra: Partial<ScenarioLayer> = {}): ScenarioLayer {
  return { name: 'l', tenant: 0, phase: 0, rows, unitsPerRow: units, rowSplit: false, outBytesPerRow: 0, psumBytesPerRow: 0, mergeTimePerUnitS: 0, mergeEnergyPerUnitJ: 0, ...extra };
}

function reop(layerIdx: number, tile: number, tpu: number, extra: Partial<ScenarioReop> = {}): ScenarioReop {
  return { layer: layerIdx, copy: 0, piece: 0, tile, timePerUnitS: tpu, energyPerUnitJ: [1e-12, 0, 0, 0, 0], ...extra };
}

describe('event simulator semantics (hand-computed cases)', () => {
  test('one re-operator: makespan = rows x units x time per unit, energy = units x energy per unit', () => {
    const r = simulate(base({ layers: [layer(4, 3)], reops: [reop(0, 0, US)] }), wasm);
    expect(r.makespan_s).toBeCloseTo(12 * US, 15); // 4 rows x 3 MVMs x 1 us
    expect(r.energy_by_component.crossbar).toBeCloseTo(12e-12, 24);
    expect(r.events).toBe(1 + 4); // the phase start and one completion per row
    expect(r.tile_busy_s[0]!.busy_s).toBeCloseTo(12 * US, 15);
  });

  test('copies split the H*W units round-robin, matching ceil(N/d) x t_mvm', () => {
    // N = 3 x 5 = 15 MVMs on d = 4 copies: copy 0 gets units 0,4,8,12 -> ceil(15/4) = 4 MVMs.
    expect([0, 1, 2, 3].map((c) => [0, 1, 2].reduce((s, r) => s + unitsOf(c, 4, 5, r), 0))).toEqual([4, 4, 4, 3]);
    const reops = [0, 1, 2, 3].map((c) => reop(0, c, US, { copy: c }));
    const r = simulate(base({ layers: [layer(3, 5)], reops }), wasm);
    expect(r.makespan_s).toBeCloseTo(4 * US, 15);
  });

  test('pipeline over one NoC hop: serialization + (h+1) router latencies per row', () => {
    // Producer P (tile 0) and consumer Q (tile 1): 4 rows, 1 MVM per row, 1 us per MVM, 1000 B per row.
    // Row r of P done at (r+1) us; its transfer holds link 0->1 for 1000 B / 1 GB/s = 1 us and lands
    // 2 x 2 ns later (2 routers). Q row 0 starts at 2.004 us; each later row arrives exactly when Q frees
    // up (3.004, 4.004, 5.004), so Q finishes at 6.004 us.
    const s = base({
      layers: [layer(4, 1, { outBytesPerRow: 1000 }), layer(4, 1)],
      reops: [reop(0, 0, US), reop(1, 1, US)],
      edges: [{ from: 0, to: 1, scale: 1, offset: 0 }],
    });
    const r = simulate(s, wasm);
    expect(r.makespan_s).toBeCloseTo(6.004 * US, 14);
    expect(r.transfers).toBe(4);
    // NoC energy: 4 rows x 1000 B x 2 router traversals x 1 pJ.
    expect(r.energy_by_component.noc).toBeCloseTo(8000e-12, 20);
  });

  test('a consumer waits for the row of every copy: one event per (consumer tile, row), at the last landing', () => {
    // Producer: 2 rows x 2 units, copy 0 on tile 0 (1 us per unit), copy 1 on tile 1 (3 us per unit),
    // one unit each per row, 1000 B per row (500 B per copy: 0.5 us on a 1 GB/s link). Consumer on tile 3.
    // Copy 0: rows done at 1 and 2 us, over 3 links (4 routers): land at 1.508 and 2.508 us.
    // Copy 1: rows done at 3 and 6 us, over 2 links (the shared ones are free again): 3.506 and 6.506 us.
    // The consumer (1 us per row) runs row 0 at 3.506 us and row 1 at 6.506 us: makespan 7.506 us.
    const s = base({
      layers: [layer(2, 2, { outBytesPerRow: 1000 }), layer(2, 1)],
      reops: [reop(0, 0, US), reop(0, 1, 3 * US, { copy: 1 }), reop(1, 3, US)],
      edges: [{ from: 0, to: 1, scale: 1, offset: 0 }],
    });
    const r = simulate(s, wasm);
    expect(r.makespan_s).toBeCloseTo(7.506 * US, 14);
    expect(r.transfers).toBe(4);
    // the phase start, 4 producer rows, 2 rows landed at the consumer's tile (not 4 landings), 2 consumer rows
    expect(r.events).toBe(1 + 4 + 2 + 2);
  });

  test('a copy landing on another copy\'s tile after that copy sent holds its consumer back', () => {
    // 1x4 mesh; the producer's 3 units: copy 0 (units 0 and 2, 1000 B: 1 us on a link) on tile 3 at
    // 2 us per unit, copy 1 (unit 1, 500 B: 0.5 us) on tile 0 at 4.2 us; consumers on tiles 0
    // (1 us) and 3 (2 us). Copy 0 sends at 4 us and crosses 3 links west: tile 0 gets its row at
    // 4 + 1 + 4 x 0.002 = 5.008 us. Copy 1 sends last, at 4.2 us, 3 links east: tile 3 at
    // 4.2 + 0.5 + 0.008 = 4.708 us, after copy 0 sent there. Tile 3's consumer ends at 6.708 us.
    const s = base({
      layers: [layer(1, 3, { outBytesPerRow: 1500 }), layer(1, 1), layer(1, 1)],
      reops: [reop(0, 3, 2 * US), reop(0, 0, 4.2 * US, { copy: 1 }), reop(1, 0, US), reop(2, 3, 2 * US)],
      edges: [{ from: 0, to: 1, scale: 1, offset: 0 }, { from: 0, to: 2, scale: 1, offset: 0 }],
    });
    const r = simulate(s, wasm);
    expect(r.makespan_s).toBeCloseTo(6.708 * US, 14);
    expect(r.transfers).toBe(2);
  });

  test('the landings of one row at one time are one event', () => {
    // 2x2 mesh: a producer on tile 0 (2 rows, 1 us each, 1000 B per row) multicasts to consumers on
    // tiles 1 and 2 (1 hop each) and 3 (2 hops, X then Y). Row r leaves the links at (r + 2) us and
    // lands on tiles 1 and 2 two routers later, (r + 2.004) us, on tile 3 at (r + 2.006) us: two
    // landing times per row. The consumers (1 us per row) end at 4.004, 4.004 and 4.006 us.
    const s = base({
      mesh: { rows: 2, cols: 2 },
      layers: [layer(2, 1, { outBytesPerRow: 1000 }), layer(2, 1), layer(2, 1), layer(2, 1)],
      reops: [reop(0, 0, US), reop(1, 1, US), reop(2, 2, US), reop(3, 3, US)],
      edges: [1, 2, 3].map((to) => ({ from: 0, to, scale: 1, offset: 0 })),
    });
    const r = simulate(s, wasm);
    expect(r.makespan_s).toBeCloseTo(4.006 * US, 14);
    expect(r.transfers).toBe(2);
    // the phase start, 2 producer rows, 2 landing times x 2 rows (not 3 tiles x 2 rows), 3 x 2 consumer rows
    expect(r.events).toBe(1 + 2 + 2 * 2 + 3 * 2);
  });

  test('tenants crossing the same link wait for it', () => {
    // Tenants a and b each send one 1000-B row from tile 0 to tile 2 (links 0->1, 1->2) at t = 1 us.
    // Whoever is second (b: later sequence number) waits 1 us for the links: arrival 3.006 instead of 2.006 us.
    const s = base({
      tenants: [{ name: 'a', requests: 1 }, { name: 'b', requests: 1 }],
      phases: [{ tenant: 0, writeTimeS: 0, writeEnergyJ: 0, after: [] }, { tenant: 1, writeTimeS: 0, writeEnergyJ: 0, after: [] }],
      layers: [layer(1, 1, { outBytesPerRow: 1000 }), layer(1, 1), layer(1, 1, { tenant: 1, phase: 1, outBytesPerRow: 1000 }), layer(1, 1, { tenant: 1, phase: 1 })],
      reops: [reop(0, 0, US), reop(1, 2, US), reop(2, 0, US), reop(3, 2, US)],
      edges: [{ from: 0, to: 1, scale: 0, offset: 0 }, { from: 2, to: 3, scale: 0, offset: 0 }],
    });
    const r = simulate(s, wasm);
    expect(r.tenants[0]!.finish_s).toBeCloseTo(3.006 * US, 14);
    expect(r.tenants[1]!.finish_s).toBeCloseTo(4.006 * US, 14);
  });

  test('a batch flows through the pipeline: latencies t, 2t, 3t', () => {
    const s = base({ tenants: [{ name: 'a', requests: 3 }], layers: [layer(2, 1)], reops: [reop(0, 0, US)] });
    const t = simulate(s, wasm).tenants[0]!;
    expect(t.latency_mean_s).toBeCloseTo(4 * US, 15); // (2 + 4 + 6) / 3 us
    expect(t.latency_p50_s).toBeCloseTo(4 * US, 15);
    expect(t.latency_p99_s).toBeCloseTo(6 * US, 15);
    expect(t.throughput_ips).toBeCloseTo(3 / (6 * US), 3);
  });

  test('reprogramming between phases stalls the tenant for the write time', () => {
    // Phase 0: layer A (2 us); then 5 us of writes; phase 1: layer B (3 us) -> finish 10 us.
    const s = base({
      phases: [{ tenant: 0, writeTimeS: 0, writeEnergyJ: 0, after: [] }, { tenant: 0, writeTimeS: 5 * US, writeEnergyJ: 1e-6, after: [0] }],
      layers: [layer(2, 1), layer(3, 1, { phase: 1 })],
      reops: [reop(0, 0, US), reop(1, 0, US)],
      edges: [{ from: 0, to: 1, scale: 0, offset: 1 }],
    });
    const r = simulate(s, wasm);
    expect(r.makespan_s).toBeCloseTo(10 * US, 15);
    expect(r.phases[1]!.start_s).toBeCloseTo(7 * US, 15);
    expect(r.energy_by_component.reprogram).toBe(1e-6);
  });

  test('row-split pieces: partial sums gathered and merged before the row is emitted', () => {
    // Two pieces on tiles 0 and 1, 1 row of 2 MVMs, 1 us per MVM; piece 1 sends 2 x 500 B... psum 1000 B per row:
    // lands at 2 + 1 + 0.004 = 3.004 us; merge 2 MVMs x 0.1 us -> 3.204 us.
    const s = base({
      layers: [layer(1, 2, { rowSplit: true, psumBytesPerRow: 1000, mergeTimePerUnitS: 0.1 * US, mergeEnergyPerUnitJ: 1e-12 })],
      reops: [reop(0, 0, US), reop(0, 1, US, { piece: 1 })],
    });
    const r = simulate(s, wasm);
    expect(r.makespan_s).toBeCloseTo(3.204 * US, 14);
    expect(r.energy_by_component.merge).toBeCloseTo(2e-12, 24);
  });

  test('a gather followed by a later one of the same row is no event', () => {
    // Three pieces on tiles 0 (gather), 1 and 2 of a 1x4 row: 2 rows of 2 MVMs, 1 us per MVM, 1000 B of
    // partial sums per row. Row 0 ends at 2 us on every piece; piece 1 holds link 1->0 for 1 us and
    // lands at 3.004 us, piece 2 then crosses 2->1 and 1->0 from 3 us and lands at 4.006 us; the merge
    // (2 x 0.1 us) ends at 4.206 us. Row 1 ends at 4 us: piece 1 lands at 5.004 us, piece 2 (link 1->0
    // free at 5 us) at 6.006 us, merged at 6.206 us.
    const s = base({
      layers: [layer(2, 2, { rowSplit: true, psumBytesPerRow: 1000, mergeTimePerUnitS: 0.1 * US })],
      reops: [reop(0, 0, US), reop(0, 1, US, { piece: 1 }), reop(0, 2, US, { piece: 2 })],
    });
    const r = simulate(s, wasm);
    expect(r.makespan_s).toBeCloseTo(6.206 * US, 14);
    expect(r.transfers).toBe(4);
    // the phase start, 3 x 2 piece rows, one gather per row (piece 2's: piece 1's lands first), 2 merges
    expect(r.events).toBe(1 + 3 * 2 + 2 + 2);
  });

  test('Poisson arrivals: mean inter-arrival 1/rate; detLn matches Math.log to 1e-15', () => {
    for (const x of [1e-300, 1e-10, 0.1, 0.5, 0.7071, 0.9999999, 1, 2, 1234.5]) {
      expect(Math.abs(detLn(x) - Math.log(x))).toBeLessThan(1e-15 * Math.max(1, Math.abs(Math.log(x))) * 4);
    }
    const rate = 1e4; // requests per second; service 1 us << 100 us mean gap: almost no queueing
    const s = base({ tenants: [{ name: 'a', requests: 2000, arrivalRate: rate, seed: 3 }], layers: [layer(1, 1)], reops: [reop(0, 0, US)] });
    const t = simulate(s, wasm).tenants[0]!;
    // last completion ~ 2000 / rate = 0.2 s within 3 standard deviations (sqrt(2000)/rate ~ 4.5 ms)
    expect(Math.abs(t.finish_s - 0.2)).toBeLessThan(0.0135);
    expect(t.latency_p50_s).toBeCloseTo(US, 12);
  });
});
