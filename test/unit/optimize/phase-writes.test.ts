/**
 * A tenant larger than its share runs in two phases, and every run writes both, phase 0 too: at
 * steady state the previous run's last phase held the crossbars (docs/cost-model.md,
 * "Reprogramming"). Hand calculation on a tiny chip: ISAAC arrays (128 x 128, 16-bit weights in 8
 * two-bit slices side by side, so a 128 x 128 weight matrix fills 8 arrays), one PE of 8 arrays
 * per tile, 2 x 2 tiles; MNSIM 2.0's 10 ns, 9 pJ write pulse, open-loop (no verify iterations),
 * 8 cells at once per array (one driver per 16 columns), no power cap; the off-chip link slowed to 1 GB/s (10.4 nJ per byte) so
 * the transfer, not the programming, sets a write's time.
 *
 *   A: conv 1x1, 128 -> 128, 2 output positions: 8 arrays (1 tile), 2 MVMs, so at most 2 copies;
 *   B, C: fc 256 -> 128: 2 x 8 = 16 arrays (2 tiles) each, 1 MVM.
 *   A + B = 3 tiles fit the 4; C does not: phase 0 = {A, B}, phase 1 = {C}.
 *
 * A second copy of A would take the spare tile and save at most one MVM (16 x 100 ns + one
 * shift-and-add clock = 1.6 us), but its 32 768 B cost 32.8 us more of transfer each run: the
 * planner keeps one copy. (Planned with phase 0 as preloaded, as before, it took the copy.)
 * Writes per run: phase 0 = 24 arrays, 393 216 cells, 98 304 B: max(98 304 B / 1 GB/s = 98.304 us,
 * a full tile's 131 072 cells / 64 at once x 10 ns = 20.48 us) = 98.304 us; phase 1 = 16 arrays,
 * 262 144 cells, 65 536 B: 65.536 us. Energy: 655 360 cells x 9 pJ + 163 840 B x 10.4 nJ.
 */
import { describe, expect, test } from 'vitest';
import { mapTenant } from '../../../src-main/engine/mapping/mapped-tenant';
import { operatorLevel } from '../../../src-main/engine/optimize/operator-level';
import { deployPlans } from '../../../src-main/engine/optimize/deploy-plans';
import { evaluateDeployment } from '../../../src-main/engine/evaluate/deployment';
import { chain, convLayer, fcLayer } from '../hardware/fixtures';
import { WRITE_TEST_CHIP } from './write-chip';

const chip = WRITE_TEST_CHIP;
const graph = chain('abc', [convLayer(0, { k: 1, cin: 128, cout: 128, h: 1, w: 2, name: 'A' }), fcLayer(1, 256, 128, 'B'), fcLayer(2, 256, 128, 'C')]);
const tm = mapTenant(0, { name: 'abc', model: 'abc', graph, batch: 1, priority: 1 }, chip);
const plan = operatorLevel(tm, chip, 4, 'bottleneck');

const PHASE0_S = 98_304 / 1e9;
const PHASE1_S = 65_536 / 1e9;
const WRITES_J = 655_360 * 9e-12 + 163_840 * (10.4 / 1e9);

describe('a tenant in two phases on a four-tile chip', () => {
  test('the mapping and the phases the hand calculation assumes', () => {
    expect(tm.xb).toEqual([8, 16, 16]);
    expect(tm.graph.layers[0]!.mvms).toBe(2);
    expect(plan.phaseLayers).toEqual([[0, 1], [2]]);
  });

  test('each run writes both phases: 98.304 us + 65.536 us, and the energy of every cell and byte', () => {
    expect(plan.reprogramS).toBeCloseTo(PHASE0_S + PHASE1_S, 12);
    expect(plan.reprogramJ / WRITES_J).toBeCloseTo(1, 9);
  });

  test('phase 0\'s copies pay their write: A keeps one copy (a second saves 1.6 us, costs 32.8 us)', () => {
    expect(plan.copies).toEqual([1, 1, 1]);
  });

  test('the evaluation of the deployed plan charges the same loads', () => {
    const dep = deployPlans(evaluateDeployment, chip, 'test', 'test', [tm], [[0]], [4], [plan]);
    const ev = evaluateDeployment(dep);
    expect(ev.energy.reprogram / WRITES_J).toBeCloseTo(1, 9);
    // Phase 0's load delays the start, phase 1's is inside the run: together the planner's writes.
    expect(ev.tenants[0]!.startS + ev.tenants[0]!.runTimeS - ev.tenants[0]!.latencyS).toBeCloseTo(PHASE0_S + PHASE1_S, 12);
  });
});
