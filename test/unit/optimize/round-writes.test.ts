/**
 * Tenants in a schedule of several rounds are written again every repetition (the previous
 * repetition's last round held the crossbars: placement/reprogram.ts loadCharged), so the planners
 * weigh their copies' write time. Hand calculation on the chip of phase-writes.test.ts: ISAAC
 * arrays (a 128 x 128 weight matrix of 16-bit weights in 2-bit slices fills 8 arrays), one PE of
 * 8 arrays per tile, 2 x 2 tiles, open-loop 10 ns / 9 pJ writes, the off-chip link slowed to 1 GB/s.
 *
 *   Each tenant: A conv 1x1, 128 -> 128, 2 output positions (8 arrays = 1 tile, 2 MVMs, so at most
 *   2 copies), then B fc 256 -> 128 (16 arrays = 2 tiles, 1 MVM). Single-copy need 3 tiles:
 *   two tenants do not fit the 4 tiles together, so they run in two rounds, each alone on the chip.
 *
 * A second copy of A would take the spare tile and save at most one MVM (16 x 100 ns + one
 * shift-and-add clock = 1.6 us) but write 8 arrays, 32 768 B (4 096 B an array), more each
 * repetition: 32.8 us at 1 GB/s. So each tenant keeps one copy: a repetition writes 24 arrays,
 * 98 304 B / 1 GB/s = 98.304 us (the transfer, slower than programming a full tile's 131 072
 * cells 64 at a time, 20.48 us), and 393 216 cells x 9 pJ + 98 304 B x 10.4 nJ. Planned as if the
 * weights stayed resident, A took the copy.
 */
import { describe, expect, test } from 'vitest';
import { mapTenant } from '../../../src-main/engine/mapping/mapped-tenant';
import { evaluateDeployment } from '../../../src-main/engine/evaluate/deployment';
import { formRounds, singleCopyNeed } from '../../../src-main/engine/optimize/deploy-plans';
import { partitionedStrategy, type StrategyContext } from '../../../src-main/engine/optimize/strategies';
import { annealStrategy } from '../../../src-main/engine/optimize/anneal';
import { chain, convLayer, fcLayer } from '../hardware/fixtures';
import { WRITE_TEST_CHIP } from './write-chip';

const chip = WRITE_TEST_CHIP;
const tenant = (i: number) => {
  const graph = chain(`t${i}`, [convLayer(0, { k: 1, cin: 128, cout: 128, h: 1, w: 2, name: 'A' }), fcLayer(1, 256, 128, 'B')]);
  return mapTenant(i, { name: `t${i}`, model: `t${i}`, graph, batch: 1, priority: 1 }, chip);
};
const models = [tenant(0), tenant(1)];
const ctx: StrategyContext = {
  chip,
  models,
  objective: 'makespan',
  seed: 1,
  need: singleCopyNeed(models, chip),
  alone: models.map(() => ({ runTimeS: 1, latencyS: 1 })),
  evaluate: evaluateDeployment,
};
const WRITE_S = 98_304 / 1e9;

describe('two tenants in two rounds on a four-tile chip', () => {
  test('the mapping and the rounds the hand calculation assumes', () => {
    expect(models[0]!.xb).toEqual([8, 16]);
    expect(models[0]!.graph.layers[0]!.mvms).toBe(2);
    expect(ctx.need).toEqual([3, 3]);
    expect(formRounds(ctx.need, 4)).toEqual([[0], [1]]);
  });

  test('the tenant level: each tenant keeps one copy of A and its plan pays its 98.304 us write', () => {
    const out = partitionedStrategy(ctx, 'operator', 'bottleneck', false, 'work');
    for (const p of out.plans) {
      expect(p.copies).toEqual([1, 1]);
      expect(p.reprogramS).toBeCloseTo(WRITE_S, 12);
      expect(p.reprogramJ / (393_216 * 9e-12 + 98_304 * (10.4 / 1e9))).toBeCloseTo(1, 9);
      expect(p.runTimeS - p.latencyS).toBeCloseTo(p.reprogramS, 12);
    }
  });

  test('the anneal weighs the same writes: one copy of A', () => {
    const out = annealStrategy(ctx);
    for (const p of out.plans) {
      expect(p.copies).toEqual([1, 1]);
      expect(p.reprogramS).toBeCloseTo(WRITE_S, 12);
    }
  });
});
