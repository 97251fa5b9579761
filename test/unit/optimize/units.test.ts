/** Unit tests of the optimizer's building blocks, against hand calculations in the comments. */
import { describe, expect, it } from 'vitest';
import { chipPreset } from '../../../src-main/engine/hardware/presets';
import { toLayerGraph, zooGraph } from '../../../src-main/engine/workload';
import { integerShares, equalShares, oneTileMove } from '../../../src-main/engine/optimize/tenant-level';
import { packCount, placeLayers } from '../../../src-main/engine/optimize/pack';
import { mapTenant } from '../../../src-main/engine/mapping/mapped-tenant';
import { classifyLayer, classifyTenant } from '../../../src-main/engine/optimize/classify';
import { formRounds } from '../../../src-main/engine/optimize/deploy-plans';
import { duplicate, operatorLevel } from '../../../src-main/engine/optimize/operator-level';
import { multiTenantMetrics, gain } from '../../../src-main/engine/report/multi-tenant';
import { reprogramBoundS } from '../../../src-main/engine/evaluate/bound';

describe('integerShares (largest remainder with clamps)', () => {
  it('splits 10 tiles 1:1:2 as 2.5/2.5/5 -> 3,2,5 (ties to the lower index)', () => {
    expect(integerShares([1, 1, 2], [0, 0, 0], 10)).toEqual([3, 2, 5]);
  });
  it('clamps a tenant to its need and shares the rest in proportion', () => {
    // need [6,0]: tenant 0 gets 6, tenant 1 the other 4 of 10 although its weight is 9x larger.
    expect(integerShares([1, 9], [6, 0], 10)).toEqual([6, 4]);
  });
  it('always sums to the total and never goes below a need', () => {
    const s = integerShares([0.3, 5, 0.001, 2], [3, 1, 2, 1], 37);
    expect(s.reduce((a, b) => a + b, 0)).toBe(37);
    [3, 1, 2, 1].forEach((n, i) => expect(s[i]).toBeGreaterThanOrEqual(n));
  });
  it('equal shares of 10 over 3: 4,3,3', () => {
    expect(equalShares(3, 10)).toEqual([4, 3, 3]);
  });
});

describe('the one-tile move (a tenant of a few tiles)', () => {
  it('one tile from the cheapest tenant above its need to the costliest', () => {
    // lenet5 at its 1-tile need is the slowest (475 us) beside resnet20-cifar (309) and an
    // alexnet (450): 1 x (1 + 0.5 x 0.15) rounds back to 1, so the proportional step never moves it.
    expect(oneTileMove([1, 36, 27], [475, 309, 450], [1, 1, 1])).toEqual([2, 35, 27]);
    // The cheapest tenant is at its need: the next cheapest gives the tile.
    expect(oneTileMove([4, 36, 24], [100, 50, 300], [1, 36, 1])).toEqual([3, 36, 25]);
    // Nobody above its need: no move.
    expect(oneTileMove([2, 3], [5, 1], [2, 3])).toBeNull();
  });
});

describe('formRounds', () => {
  it('groups tenants in order while their needs fit', () => {
    // needs 40+50 fit 100; +30 does not -> new round; 120 > chip -> alone.
    expect(formRounds([40, 50, 30, 120, 10], 100)).toEqual([[0, 1], [2], [3], [4]]);
  });
});

describe('classification', () => {
  it('area when the footprint share is twice the work share, compute for the converse', () => {
    expect(classifyLayer(0.4, 0.1)).toBe('area');
    expect(classifyLayer(0.05, 0.3)).toBe('compute');
    expect(classifyLayer(0.2, 0.15)).toBe('balanced');
  });
  it("VGG16's FC layers are area-intensive and its first conv computation-intensive", () => {
    const chip = chipPreset('isaac', [16, 16]);
    const tm = mapTenant(0, { name: 'vgg16', model: 'vgg16', graph: toLayerGraph(zooGraph('vgg16')), batch: 1, priority: 1 }, chip);
    const c = classifyTenant(tm, chip);
    // conv1_1: 27 x 64 weights -> 1 crossbar, 224*224 MVMs; fc6: 25088 x 4096 -> 196 x 256 crossbars, 1 MVM.
    expect(c.classes[0]).toBe('compute');
    expect(c.classes[c.classes.length - 3]).toBe('area');
    expect(c.parallelism).toBeGreaterThanOrEqual(1);
  });
});

describe('packing (Splitter on tile fragments)', () => {
  const chip = chipPreset('isaac', [16, 16]); // 96 crossbars per tile (12 PEs x 8)
  const tm = mapTenant(0, { name: 'vgg16', model: 'vgg16', graph: toLayerGraph(zooGraph('vgg16')), batch: 1, priority: 1 }, chip);
  it('counts tiles by whole column blocks per tile (conv3_2 of VGG16)', () => {
    // conv3_2: 3x3x256 = 2304 rows -> 18 row blocks; 256 cols x 8 slices / 128 = 16 column blocks.
    // A tile of 96 crossbars holds floor(96 / 18) = 5 column blocks: 16 blocks -> 5+5+5+1 = 4 tiles;
    // two copies: 32 blocks -> 7 tiles (6 x 5 + 2).
    expect(tm.graph.layers[5]!.rows).toBe(2304);
    expect(packCount(tm, tm.xb.map(() => 1), 96, [5])).toBe(4);
    expect(packCount(tm, tm.xb.map(() => 2), 96, [5])).toBe(7);
  });
  it('streams row-split layers without waste (fc6 of VGG16)', () => {
    // fc6: 25088 rows -> 196 row blocks (> 96: row split); 4096 x 8 / 128 = 256 column blocks:
    // 196 x 256 = 50176 crossbars -> ceil(50176 / 96) = 523 tiles.
    const fc6 = tm.graph.layers.findIndex((l) => l.rows === 25088);
    expect(packCount(tm, tm.xb.map(() => 1), 96, [fc6])).toBe(523);
  });
  it('places exactly the counted tiles and covers every copy with its full crossbars', () => {
    const copies = tm.xb.map((_, i) => (i < 3 ? 3 : 1));
    const n = packCount(tm, copies, 96);
    const region = Array.from({ length: n }, (_, i) => i);
    const { reops, used } = placeLayers(tm, 0, copies, tm.xb.map((_, i) => i), region, 96, 0, 8);
    expect(used.length).toBe(n);
    tm.xb.forEach((xb, i) => {
      for (let c = 0; c < copies[i]!; c++) {
        const mine = reops.filter((r) => r.layer === i && r.copy === c);
        expect(mine.reduce((s, r) => s + r.crossbars, 0)).toBe(xb);
        mine.forEach((r, k) => expect(r.piece).toBe(k));
      }
    });
    // No tile holds more than 96 crossbars.
    const perTile = new Map<number, number>();
    reops.forEach((r) => perTile.set(r.tile, (perTile.get(r.tile) ?? 0) + r.crossbars));
    for (const v of perTile.values()) expect(v).toBeLessThanOrEqual(96);
  });
});

describe('Duplicator', () => {
  const chip = chipPreset('isaac', [16, 16]);
  const tm = mapTenant(0, { name: 'resnet18', model: 'resnet18', graph: toLayerGraph(zooGraph('resnet18')), batch: 1, priority: 1 }, chip);
  it('never exceeds the share and gives the most copies to the early (computation-intensive) layers', () => {
    const all = tm.xb.map((_, i) => i);
    const copies = duplicate(tm, all, 128, 96, 'bottleneck');
    expect(packCount(tm, copies, 96)).toBeLessThanOrEqual(128);
    // conv1 (7x7x3 -> 64, 112x112 outputs) must get more copies than the FC layer (1 MVM).
    expect(copies[0]!).toBeGreaterThan(copies[copies.length - 1]!);
    expect(copies[copies.length - 1]).toBe(1);
  });
  it('a share smaller than the tenant gives phases with their writes charged', () => {
    const plan = operatorLevel(tm, chip, 20, 'bottleneck');
    expect(plan.phases).toBeGreaterThan(1);
    expect(plan.reprogramS).toBeGreaterThan(0);
    for (const layers of plan.phaseLayers) expect(packCount(plan.model, plan.copies, 96, layers)).toBeLessThanOrEqual(20);
  });
});

describe('multi-tenant metrics (formulas of PREMA, MoCA and Eyerman and Eeckhout)', () => {
  it('NTT, ANTT, STP, fairness, Jain and SLA rate by hand', () => {
    // T_MT = [2, 3], T_alone = [1, 1] -> NTT [2, 3], ANTT 2.5, NP [0.5, 1/3], STP 5/6,
    // fairness (1/3)/(1/2) = 2/3, Jain (5/6)^2 / (2 (1/4 + 1/9)) = 0.6944/0.7222 = 0.9615.
    const m = multiTenantMetrics({ turnaroundS: [2, 3], aloneS: [1, 1], latencyS: [2, 3], slaS: [2.5, 2.5] });
    expect(m.ntt).toEqual([2, 3]);
    expect(m.antt).toBeCloseTo(2.5, 12);
    expect(m.stp).toBeCloseTo(5 / 6, 12);
    expect(m.fairness).toBeCloseTo(2 / 3, 12);
    expect(m.jain).toBeCloseTo(25 / 36 / (2 * (1 / 4 + 1 / 9)), 12);
    expect(m.slaRate).toBe(0.5);
    expect(gain(10, 4)).toBe(2.5);
  });
  it('SLA rate is null without SLAs', () => {
    expect(multiTenantMetrics({ turnaroundS: [1], aloneS: [1], latencyS: [1], slaS: [null] }).slaRate).toBeNull();
  });
});

describe('lower bound: weights the chip cannot hold at once', () => {
  it('streams the excess over the off-chip links (fractional knapsack, densest layers resident)', () => {
    const chip = chipPreset('isaac'); // 168 tiles x 96 crossbars = 16,128; HyperTransport 4 x 6.4 GB/s = 25.6 GB/s
    // Layer A: 10,000 crossbars holding 4,096 B each; layer B: 10,000 crossbars holding 2,048 B each.
    const tm = { xb: [10_000, 10_000], weightBytes: [40_960_000, 20_480_000] } as unknown as Parameters<typeof reprogramBoundS>[1];
    // Resident at best: all of A (40,960,000 B) + 6,128 crossbars of B (12,550,144 B) = 53,510,144 B.
    // Excess: 61,440,000 - 53,510,144 = 7,929,856 B; / 25.6e9 B/s = 3.0976e-4 s.
    expect(reprogramBoundS(chip, tm, 16_128)).toBeCloseTo(7_929_856 / 25.6e9, 12);
    // A tenant that fits has nothing to stream.
    expect(reprogramBoundS(chip, tm, 20_000)).toBe(0);
  });
});
