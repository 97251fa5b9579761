/**
 * The communication bound of the analytic profile (evaluate/link-load.ts and the `links` option of
 * profileTenant): link loads hand-computed from bytes / link bandwidth on XY routes, and checked
 * against the event simulator's own link busy times (the independent source for a real placement).
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { chipPreset } from '../../../src-main/engine/hardware';
import { mapLayer } from '../../../src-main/engine/mapping';
import { reopCosts } from '../../../src-main/engine/mapping/reop';
import { profileTenant, tenantLinkLoads, deploymentLinkLoads, evaluateDeployment, type PlacedPiece } from '../../../src-main/engine/evaluate';
import { scenarioFromDeployment } from '../../../src-main/engine/sim/from-deployment';
import { simulateRaw } from '../../../src-main/engine/sim';
import { mapTenant } from '../../../src-main/engine/mapping/mapped-tenant';
import { operatorLevel } from '../../../src-main/engine/optimize/operator-level';
import { deployPlans } from '../../../src-main/engine/optimize/deploy-plans';
import { toLayerGraph, zooGraph } from '../../../src-main/engine/workload';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { loadTestWasm } from '../sim/load-wasm';
import { chain, convLayer } from './fixtures';

let wasm: RetileWasmExports;
beforeAll(async () => {
  wasm = await loadTestWasm();
});

// ISAAC preset on an 8x8 tile mesh: concentration 4 (2x2 tiles per router) -> 4x4 routers;
// link bandwidth 32 Gb/s = 4e9 B/s (presets.ts, ISAAC's 32-bit flits at 1 GHz).
const chip = chipPreset('isaac', [8, 8]);
const BW = 4e9;

describe('link loads, hand-computed', () => {
  // conv A: 16 channels, 4 x 4 output -> 4 rows of 4 MVMs; a row is 16 x 4 x 2 B = 128 B.
  const a = convLayer(0, { k: 3, cin: 8, cout: 16, h: 4, w: 4 });
  const b = convLayer(1, { k: 3, cin: 16, cout: 16, h: 4, w: 4 });
  const graph = chain('ab', [a, b]);
  const mappings = graph.layers.map((l) => mapLayer(l, chip));
  const piece = (layer: number, copy: number, tile: number): PlacedPiece => ({ layer, copy, piece: 0, tile, rowBlocks: 1, colBlocks: 1, crossbars: 1, rowSplit: false });

  test('two copies on one router multicast to a consumer three routers east', () => {
    // A's copies on tiles 0 and 1 (router (0,0)), B on tile 6 (row 0, col 6 -> router (0,3)).
    const loads = tenantLinkLoads(chip, graph, mappings, [piece(0, 0, 0), piece(0, 1, 1), piece(1, 0, 6)]);
    // Each copy handles 8 of the 16 units: 128 B x 8 / 4 per row = 256 B; both cross the same
    // 3 +x links (ids (y x 4 + x) x 4 + 0 = 0, 4, 8): 512 B / 4e9 B/s on each.
    const A = loads[0]!;
    expect([...A.links].sort((p, q) => p - q)).toEqual([0, 4, 8]);
    for (const s of A.seconds) expect(s).toBeCloseTo(512 / BW, 18);
    expect(loads[1]!.links).toEqual([]); // B has no consumer
  });

  test('a row-split piece sends its partial sums to the gather tile: 2 x the activation width per output', () => {
    // A cut along rows in two pieces: piece 0 on tile 0 (the gather tile, router (0,0)), piece 1 on
    // tile 4 (row 0, col 4: router (0,2)); B on tile 0, so the multicast takes no link. Piece 1
    // sends 16 outputs x 2 B x 2 = 64 B of partial sums per MVM, 16 MVMs: 1024 B on each of the
    // two links of its route west, (0,2) -> (0,1) -> (0,0).
    const split = (k: number, tile: number): PlacedPiece => ({ layer: 0, copy: 0, piece: k, tile, rowBlocks: 1, colBlocks: 1, crossbars: 1, rowSplit: true });
    const pieces = [split(0, 0), split(1, 4), piece(1, 0, 0)];
    expect(mappings[0]!.colBlocks).toBe(1);
    const costs = pieces.map((p) => reopCosts(chip, graph.layers[p.layer]!, mappings[p.layer]!, p));
    expect(costs[1]!.psumBytesPerMvm).toBe(64);
    // Without costs (a trial placement) and with them: the same loads.
    for (const loads of [tenantLinkLoads(chip, graph, mappings, pieces), tenantLinkLoads(chip, graph, mappings, pieces, costs)]) {
      expect(loads[0]!.links.length).toBe(2);
      for (const s of loads[0]!.seconds) expect(s).toBeCloseTo(1024 / BW, 18);
    }
  });

  test('a consumer on the producer tile costs no link; on the same router, none either', () => {
    const loads = tenantLinkLoads(chip, graph, mappings, [piece(0, 0, 0), piece(1, 0, 0), piece(1, 1, 9)]);
    // tile 9 = row 1, col 1 -> router (0,0), the producer's router: 0 hops.
    expect(loads[0]!.links).toEqual([]);
  });

  test('profile: stage >= own link load, links serve layers in pipeline order, interval >= busiest link', () => {
    // Hand-made loads far above the compute time (a few microseconds): 1 s for A, 0.5 s for B on link 7.
    const links = { layers: [{ links: [7], seconds: [1] }, { links: [7, 11], seconds: [0.5, 0.25] }] };
    const p = profileTenant(graph, chip, { mappings, links, leakage: 'none' });
    expect(p.layers[0]!.timeS).toBeCloseTo(1, 9); // own busiest link
    expect(p.layers[1]!.timeS).toBeCloseTo(0.5, 9);
    expect(p.layers[1]!.finishS).toBeGreaterThanOrEqual(1.5 - 1e-9); // link 7 carries A's 1 s, then B's 0.5 s
    expect(p.intervalS).toBeCloseTo(1.5, 9); // link 7: 1 + 0.5 per inference
    const bare = profileTenant(graph, chip, { mappings, leakage: 'none' });
    expect(bare.intervalS).toBeLessThan(1e-3); // without the bound the stage is compute only
    // Another tenant's 2 s on link 11 comes first.
    const bg = profileTenant(graph, chip, { mappings, links: { ...links, background: { links: [11], seconds: [2] } }, leakage: 'none' });
    expect(bg.intervalS).toBeCloseTo(2.25, 9);
  });
});

describe('a multicast tree: the simulator and the link model take the same links with the same load', () => {
  // A (4 rows of 4 MVMs, 128 B a row) on tile 0, router (0,0); B's two copies on tile 6 (router
  // (0,3)) and tile 54 (row 6, col 6: router (3,3)). XY routes go along x first: both routes take
  // the +x links of routers (0,0), (0,1), (0,2) (ids 0, 4, 8), the second then the +y links of
  // (0,3), (1,3), (2,3) (ids 3x4+2 = 14, 7x4+2 = 30, 11x4+2 = 46). A multicast holds the union
  // once per row: every one of the 6 links carries A's whole output, 4 x 128 B = 512 B, per request.
  const a = convLayer(0, { k: 3, cin: 8, cout: 16, h: 4, w: 4 });
  const b = convLayer(1, { k: 3, cin: 16, cout: 16, h: 4, w: 4 });
  const graph = chain('ab', [a, b]);
  const mappings = graph.layers.map((l) => mapLayer(l, chip));
  const tiles = { a: 0, b0: 6, b1: 54 };
  const union = [0, 4, 8, 14, 30, 46];

  test('the link model, by hand', () => {
    const piece = (layer: number, copy: number, tile: number): PlacedPiece => ({ layer, copy, piece: 0, tile, rowBlocks: 1, colBlocks: 1, crossbars: 1, rowSplit: false });
    const A = tenantLinkLoads(chip, graph, mappings, [piece(0, 0, tiles.a), piece(1, 0, tiles.b0), piece(1, 1, tiles.b1)])[0]!;
    expect([...A.links].sort((p, q) => p - q)).toEqual(union);
    for (const s of A.seconds) expect(s).toBeCloseTo(512 / BW, 18);
  });

  test('the event simulator, on the same placement, by hand', () => {
    const tileRouter = Array.from({ length: 64 }, (_, t) => Math.floor(t / 16) * 4 + Math.floor((t % 8) / 2));
    expect([tileRouter[tiles.a], tileRouter[tiles.b0], tileRouter[tiles.b1]]).toEqual([0, 3, 15]);
    const layer = (name: string, outBytesPerRow: number) => ({ name, tenant: 0, phase: 0, rows: 4, unitsPerRow: 4, rowSplit: false, outBytesPerRow, psumBytesPerRow: 0, mergeTimePerUnitS: 0, mergeEnergyPerUnitJ: 0 });
    const reop = (l: number, copy: number, tile: number) => ({ layer: l, copy, piece: 0, tile, timePerUnitS: 1e-6, energyPerUnitJ: [0, 0, 0, 0, 0] });
    const requests = 3;
    const { raw } = simulateRaw(
      {
        mesh: { rows: 4, cols: 4 },
        tileRouter,
        noc: { linkBytesPerS: BW, hopLatencyS: 0, energyPerByteHopJ: 0 },
        components: ['crossbar', 'noc', 'merge', 'reprogram', 'leakage'],
        nocComponent: 1, mergeComponent: 2, reprogramComponent: 3, leakageComponent: 4,
        tileLeakageW: 0,
        tenants: [{ name: 'ab', requests }],
        phases: [{ tenant: 0, writeTimeS: 0, writeEnergyJ: 0, after: [] }],
        layers: [layer('a', 128), layer('b', 0)],
        reops: [reop(0, 0, tiles.a), reop(1, 0, tiles.b0), reop(1, 1, tiles.b1)],
        edges: [{ from: 0, to: 1, scale: 1, offset: 0 }],
      },
      wasm,
    );
    const used = [...raw.linkBusy.keys()].filter((l) => raw.linkBusy[l]! > 0);
    expect(used).toEqual(union);
    for (const l of union) expect(raw.linkBusy[l]).toBeCloseTo((requests * 512) / BW, 18);
  });
});

describe('link loads match the simulator', () => {
  test('per link, loads x batch = the event loop busy time (placement-only quantity)', () => {
    const tm = mapTenant(0, { name: 'r', model: 'resnet18', graph: toLayerGraph(zooGraph('resnet18')), batch: 2, priority: 1 }, chip);
    const plan = operatorLevel(tm, chip, 64, 'bottleneck');
    const dep = deployPlans(evaluateDeployment, chip, 'test', 'test', [tm], [[0]], [64], [plan]);
    const { scenario } = scenarioFromDeployment(dep);
    const { raw } = simulateRaw(scenario, wasm);
    const loads = deploymentLinkLoads(dep)[0]!.layers;
    const total = new Map<number, number>();
    for (const L of loads) L.links.forEach((l, k) => total.set(l, (total.get(l) ?? 0) + 2 * L.seconds[k]!));
    let busy = 0;
    raw.linkBusy.forEach((v, l) => {
      busy += v;
      expect(total.get(l) ?? 0).toBeCloseTo(v, 12);
    });
    expect(busy).toBeGreaterThan(0);
  });
});
