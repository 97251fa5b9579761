/** The optimizer's use of the communication bound (operator-level.ts: commFloors, commAwareCopies). */
import { describe, expect, test } from 'vitest';
import { chipPreset, crossbarsPerTile } from '../../../src-main/engine/hardware';
import { commAwareCopies, commFloors, duplicate, planLinkLoads, planTimes } from '../../../src-main/engine/optimize/operator-level';
import { mapTenant } from '../../../src-main/engine/mapping/mapped-tenant';
import { toLayerGraph, zooGraph } from '../../../src-main/engine/workload';

describe('communication floors', () => {
  test('a layer sees the total load of its busiest link, shared layers included', () => {
    // A holds links 1 (3 s) and 2 (1 s); B holds link 2 (4 s); C holds link 9 alone (0.5 s).
    const f = commFloors([
      { links: [1, 2], seconds: [3, 1] },
      { links: [2], seconds: [4] },
      { links: [9], seconds: [0.5] },
    ]);
    expect(f).toEqual([5, 5, 0.5]); // link 2: 1 + 4 = 5 > link 1's 3
  });

  test('comm-aware duplication is never worse by the link-aware analytic time, and uses no more tiles', () => {
    const chip = chipPreset('isaac', [32, 32]);
    const perTile = crossbarsPerTile(chip);
    const tm = mapTenant(0, { name: 'v', model: 'vgg16', graph: toLayerGraph(zooGraph('vgg16')), batch: 1, priority: 1 }, chip);
    const all = tm.xb.map((_, i) => i);
    const tiles = 1024;
    const base = duplicate(tm, all, tiles, perTile, 'bottleneck');
    const t0 = planTimes(tm, chip, base, [all], planLinkLoads(tm, chip, base, all, tiles, perTile)).runTimeS;
    const { copies, links } = commAwareCopies(tm, chip, all, tiles, perTile, 'bottleneck');
    expect(planTimes(tm, chip, copies, [all], links).runTimeS).toBeLessThanOrEqual(t0);
    // and the link-aware time is above the compute-only time (vgg16's early convs are NoC-bound when
    // duplicated: one layer's 6.4 MB output leaves its router over one 4 GB/s link, 1.6 ms; the
    // compact placement of optimize/curve-order.ts spreads the rest, so the excess is ~10 %, not 20 %).
    expect(planTimes(tm, chip, copies, [all], links).runTimeS).toBeGreaterThan(planTimes(tm, chip, copies, [all]).runTimeS * 1.05);
  });
});
