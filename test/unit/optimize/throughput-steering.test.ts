/**
 * The learning-rate loop steered for streams (docs/method.md, step 2, objective `throughput`;
 * optimize/strategies.ts throughputStrategy) against the burst-steered loop on a hand-sized toy:
 * the throughput-steered shares bring the two tenants' stage intervals within one MVM time of
 * each other, the burst-steered ones (batch 1: the latency, the pipeline fill) do not.
 */
import { describe, expect, it } from 'vitest';
import { chipPreset } from '../../../src-main/engine/hardware/presets';
import { mapTenant } from '../../../src-main/engine/mapping/mapped-tenant';
import { evaluateDeployment } from '../../../src-main/engine/evaluate/deployment';
import { singleCopyNeed } from '../../../src-main/engine/optimize/deploy-plans';
import { collaborativeStrategy, throughputStrategy, type StrategyContext } from '../../../src-main/engine/optimize/strategies';
import { chain, convLayer } from '../hardware/fixtures';

describe('throughput steering', () => {
  it('two tenants on ISAAC 2x2: the stream loop gives A 3 tiles (intervals 15t and 16t), the burst loop 2 (22t and 8t)', () => {
    // ISAAC 2x2: 4 tiles of 96 crossbars. Every layer is a 1x1 convolution, 512 -> 16 channels:
    // 4 row blocks of one 128x128 crossbar, so 4 crossbars a copy (24 copies a tile) and the same
    // time t per MVM.
    //  A: one layer on 32x32, 1024 MVMs. s tiles: 24s copies, interval = latency = ceil(1024 / 24s) t
    //     = 43t, 22t, 15t for s = 1, 2, 3.
    //  B: two layers on 12x16, 192 MVMs each; the second needs the whole output of the first (the
    //     chain's row map), so its latency is both stages one after the other and its interval the
    //     longer one. s tiles: 12s copies each, interval ceil(192 / 12s) t = 16t, 8t, 6t; latency
    //     about twice that: 32t, 16t, 12t.
    // Stream (max interval): (3, 1) gives max(15t, 16t) = 16t, (2, 2) max(22t, 8t) = 22t, (1, 3) 43t.
    // Burst at batch 1 (max latency): (3, 1) about 32t, (2, 2) about 22t, (1, 3) about 43t.
    const chip = chipPreset('isaac', [2, 2]);
    const conv = (i: number, h: number, w: number) => convLayer(i, { k: 1, cin: 512, cout: 16, h, w });
    const models = [
      mapTenant(0, { name: 'A', model: 'A', graph: chain('A', [conv(0, 32, 32)]), batch: 1, priority: 1 }, chip),
      mapTenant(1, { name: 'B', model: 'B', graph: chain('B', [conv(0, 12, 16), conv(1, 12, 16)]), batch: 1, priority: 1 }, chip),
    ];
    expect(models.map((m) => m.xb)).toEqual([[4], [4, 4]]);
    const t = models[0]!.mvmTime[0]!;
    expect(models[1]!.mvmTime).toEqual([t, t]);
    const ctx: StrategyContext = { chip, models, objective: 'makespan', seed: 1, need: singleCopyNeed(models, chip), alone: [], evaluate: evaluateDeployment };

    const stream = throughputStrategy(ctx);
    expect(stream.shares).toEqual([3, 1]);
    // A's 3 tiles hold 72 copies, but 74 would be needed for 14t: the Duplicator keeps the fewest
    // copies for 15t, ceil(1024 / 15) = 69. B's one tile: 12 copies of each layer, 16t.
    expect(stream.plans.map((p) => p.copies)).toEqual([[69], [12, 12]]);
    expect(stream.plans.map((p) => Math.round(p.intervalS / t))).toEqual([15, 16]);

    const burst = collaborativeStrategy(ctx);
    expect(burst.shares).toEqual([2, 2]);
    const intervals = burst.plans.map((p) => p.intervalS / t);
    expect(Math.round(intervals[0]!)).toBe(22);
    expect(Math.max(...intervals)).toBeGreaterThan(Math.max(...stream.plans.map((p) => p.intervalS / t)));
  });
});
