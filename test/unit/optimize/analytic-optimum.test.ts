/**
 * The analytic optimum (docs/method.md, "Analytic optimum"): the mixed-integer program solved by
 * HiGHS finds a hand-computed optimum, and on small real mixes it is a certified lower bound on
 * every strategy's analytic makespan (each strategy's plan is a feasible point of the program).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import highsLoader from 'highs';
import { chipPreset } from '../../../src-main/engine/hardware/presets';
import { crossbarsPerTile, tileCount } from '../../../src-main/engine/hardware/costs';
import { toLayerGraph, zooGraph } from '../../../src-main/engine/workload';
import type { ChipSpec } from '../../../src-main/engine/hardware/spec';
import type { MappedTenant } from '../../../src-main/engine/mapping/mapped-tenant';
import { mapTenant } from '../../../src-main/engine/mapping/mapped-tenant';
import { evaluateDeployment } from '../../../src-main/engine/evaluate/deployment';
import { singleCopyNeed } from '../../../src-main/engine/optimize/deploy-plans';
import { collaborativeStrategy, operatorStrategy, tenantStrategy, type StrategyContext } from '../../../src-main/engine/optimize/strategies';
import { balancedDeployment } from '../../../src-main/engine/optimize/baselines';
import { directDeployment } from '../../../src-main/engine/placement/direct';
import { analyticOptimum, chipCopyCap, copyCandidates, deploymentCopies, DETERMINISTIC_LIMITS, OPTIMUM_MAX_CHOICES, programMakespanS, RUN_OPTIMUM_MAX_CHOICES, stageS, type HighsSolver, type StageTerms } from '../../../src-main/engine/optimize/analytic-optimum';
import { runDeployment } from '../../../src-main/engine/pipeline/run';
import { levelPlan } from '../../../src-main/engine/optimize/stage-levels';
import { packCount } from '../../../src-main/engine/optimize/pack';
import { loadTestWasm } from '../sim/load-wasm';
import { chain, convLayer } from '../hardware/fixtures';

let highs: HighsSolver;
beforeAll(async () => {
  highs = await highsLoader();
});

/**
 * Every solve here stops on HiGHS's node limit only, never on the clock: whether an instance is
 * proven optimal must not depend on the machine's load (a 20 s time limit once ran out on a
 * loaded machine for an instance solved in 2 s idle).
 */
const solve = (chip: ChipSpec, models: MappedTenant[], terms?: StageTerms) => analyticOptimum(chip, models, highs, terms, OPTIMUM_MAX_CHOICES, DETERMINISTIC_LIMITS);

describe('copy candidates', () => {
  it('keeps the fewest copies of each distinct ceil(N / k): N = 10 gives 1, 2, 3, 4, 5, 10', () => {
    // ceil(10/k) for k = 1..10: 10, 5, 4, 3, 2, 2, 2, 2, 2, 1.
    expect(copyCandidates(10, 256)).toEqual([1, 2, 3, 4, 5, 10]);
    expect(copyCandidates(10, 4)).toEqual([1, 2, 3, 4]);
  });
});

describe('a hand-solved instance', () => {
  it('two layers of 1024 and 256 MVMs, 4 crossbars a copy, 384 crossbars: optimum 14 MVM times', () => {
    // ISAAC 2x2: 4 tiles of 96 crossbars = 384. Both layers are 1x1 convolutions with 512 input
    // and 16 output channels: 4 row blocks of one 128x128 crossbar, the same time t per MVM.
    // Copies a and b with 4a + 4b <= 384, i.e. a + b <= 96 (the copy caps, 256, do not bind).
    // Makespan = max(ceil(1024/a), ceil(256/b)) t.
    // m = 14: a = ceil(1024/14) = 74, b = ceil(256/14) = 19, 93 <= 96: feasible.
    // m = 13: a = ceil(1024/13) = 79, b = ceil(256/13) = 20, 99 > 96: infeasible.
    // So the optimum is 14 t (the continuous relaxation, a = 4b, a + b = 96, gives 13.3 t).
    const chip = chipPreset('isaac', [2, 2]);
    expect(tileCount(chip) * crossbarsPerTile(chip)).toBe(384);
    const g = chain('hand', [convLayer(0, { k: 1, cin: 512, cout: 16, h: 32, w: 32 }), convLayer(1, { k: 1, cin: 512, cout: 16, h: 16, w: 16 })]);
    const tm = mapTenant(0, { name: 'hand', model: 'hand', graph: g, batch: 1, priority: 1 }, chip);
    expect(tm.xb).toEqual([4, 4]);
    expect(tm.mvmTime[0]).toBe(tm.mvmTime[1]);
    const out = solve(chip, [tm]);
    expect(out.covered).toBe(true);
    if (!out.covered) return;
    expect(out.optimum.status).toBe('Optimal');
    expect(out.optimum.makespanS / tm.mvmTime[0]!).toBeCloseTo(14, 9);
    const [a, b] = out.optimum.copies[0]!;
    expect(Math.ceil(1024 / a!)).toBeLessThanOrEqual(14);
    expect(Math.ceil(256 / b!)).toBeLessThanOrEqual(14);
    expect(a! + b!).toBeLessThanOrEqual(96);
    // With no branch-and-bound node allowed not even the root relaxation is solved: no optimum is
    // claimed, and the reason names the limit.
    const none = analyticOptimum(chip, [tm], highs, 'compute', OPTIMUM_MAX_CHOICES, { maxNodes: 0, timeLimitS: null });
    expect(none.covered).toBe(false);
    if (!none.covered) expect(none.reason).toMatch(/within 0 branch-and-bound nodes/);
  });

  it('batch scales the stage times: at batch 4 the same plan, 4 x 14 MVM times', () => {
    const chip = chipPreset('isaac', [2, 2]);
    const g = chain('hand', [convLayer(0, { k: 1, cin: 512, cout: 16, h: 32, w: 32 }), convLayer(1, { k: 1, cin: 512, cout: 16, h: 16, w: 16 })]);
    const tm = mapTenant(0, { name: 'hand', model: 'hand', graph: g, batch: 4, priority: 1 }, chip);
    const out = solve(chip, [tm]);
    expect(out.covered && out.optimum.makespanS / tm.mvmTime[0]!).toBeCloseTo(56, 9);
  });
});

describe('what the program does not cover', () => {
  it('tenants whose single copies do not fit the chip together (rounds) get the reason, not a figure', () => {
    // resnet18 alone needs more than ISAAC 2x2's 384 crossbars with one copy of every layer.
    const chip = chipPreset('isaac', [2, 2]);
    const tm = mapTenant(0, { name: 'r', model: 'resnet18', graph: toLayerGraph(zooGraph('resnet18')), batch: 1, priority: 1 }, chip);
    expect(tm.footprint).toBeGreaterThan(384);
    const out = solve(chip, [tm]);
    expect(out.covered).toBe(false);
    if (!out.covered) expect(out.reason).toMatch(/rounds/);
  });
});

const tenant = (n: string, batch: number) => ({ name: n, model: n, graph: toLayerGraph(zooGraph(n)), batch, priority: 1 });

describe('small real mixes: the optimum bounds every plan, and how close the learning-rate candidate comes', () => {
  // Every strategy's deployment here is one round of single-phase tenants, so its shares and copy
  // counts are a feasible point of the program and its analytic makespan (compute, pipeline fill,
  // NoC links) is at least batch x its slowest stage's compute time: the optimum must not exceed it.
  // One case keeps the file fast (on ISAAC 4x4 at batch 4 HiGHS takes several seconds; docs/method.md has its figures).
  const cases: { mesh: [number, number]; batch: number }[] = [{ mesh: [8, 8], batch: 16 }];
  for (const { mesh, batch } of cases) {
    it(`lenet5 + resnet20-cifar on ISAAC ${mesh.join('x')} at batch ${batch}`, () => {
      const chip = chipPreset('isaac', mesh);
      const tenants = [tenant('lenet5', batch), tenant('resnet20-cifar', batch)];
      const models = tenants.map((t, i) => mapTenant(i, t, chip));
      const ctx: StrategyContext = { chip, models, objective: 'makespan', seed: 1, need: singleCopyNeed(models, chip), alone: [], evaluate: evaluateDeployment };
      const optimum = (terms: StageTerms): number => {
        const out = solve(chip, models, terms);
        if (!out.covered) throw new Error(out.reason);
        expect(out.optimum.status).toBe('Optimal');
        // The same optimum by another method: the smallest feasible threshold.
        expect(out.optimum.makespanS).toBeCloseTo(thresholdOptimumS(chip, models, terms), 12);
        return out.optimum.lowerBoundS;
      };
      const bound = optimum('compute');
      const operatorModel = optimum('noc');
      const plans = {
        'learning-rate': collaborativeStrategy(ctx).deployment,
        operator: operatorStrategy(ctx).deployment,
        tenant: tenantStrategy(ctx).deployment,
        balanced: balancedDeployment(ctx),
        direct: directDeployment(chip, tenants),
      };
      const covered = Object.entries(plans).filter(([, dep]) => dep.rounds.length === 1 && Math.max(...dep.tenants.map((t) => t.phases)) === 1);
      expect(covered.map(([name]) => name)).toEqual(expect.arrayContaining(['learning-rate', 'operator', 'tenant', 'balanced']));
      for (const [name, dep] of covered) {
        const copies = deploymentCopies(dep);
        // A feasible point: its program value and its full analytic makespan are at least the optimum.
        expect(bound, name).toBeLessThanOrEqual(programMakespanS(models, copies) * (1 + 1e-9));
        expect(bound, name).toBeLessThanOrEqual(evaluateDeployment(dep).makespanS * (1 + 1e-9));
        expect(operatorModel, name).toBeLessThanOrEqual(programMakespanS(models, copies, 'noc') * (1 + 1e-9));
      }
      // Under the operator level's own stage model the learning-rate candidate is within 10 % of the optimum.
      expect(programMakespanS(models, deploymentCopies(plans['learning-rate']), 'noc')).toBeLessThanOrEqual(1.1 * operatorModel);
    });
  }
});

/**
 * The optimum without the solver: the makespan is one of the stage times batch x stage(l, k); for
 * a threshold T each layer takes the fewest copies that meet it, each tenant the tiles those
 * copies need, and T is feasible when the shares fit the chip. Feasibility grows with T, so the
 * smallest feasible stage time is the optimum.
 */
function thresholdOptimumS(chip: ChipSpec, models: MappedTenant[], terms: StageTerms): number {
  const perTile = crossbarsPerTile(chip);
  const fits = (T: number): boolean => {
    let tiles = 0;
    for (const tm of models) {
      let xb = 0;
      let digital = 1;
      for (let l = 0; l < tm.graph.layers.length; l++) {
        let k = 1;
        while (k < chipCopyCap(chip, tm, l) && tm.batch * stageS(tm, l, k, terms) > T) k++;
        if (tm.batch * stageS(tm, l, k, terms) > T) return false;
        if (tm.xb[l] === 0) digital = Math.max(digital, k);
        else xb += k * tm.xb[l]!;
      }
      tiles += Math.max(digital, Math.ceil(xb / perTile));
    }
    return tiles <= tileCount(chip);
  };
  const values = [...new Set(models.flatMap((tm) => tm.graph.layers.flatMap((_, l) => Array.from({ length: chipCopyCap(chip, tm, l) }, (_, j) => tm.batch * stageS(tm, l, j + 1, terms)))))].sort((a, b) => a - b);
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (fits(values[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return values[lo]!;
}

describe('analytic_optimum in a run result', () => {
  // In-process runDeployment with the real simulator and solver, as the CLI and app workers call
  // it, on instances of at most RUN_OPTIMUM_MAX_CHOICES copy choices.
  const small = [
    { mix: ['lenet5', 'mnsim-alexnet'], mesh: [8, 8] as [number, number], batch: 16 },
    { mix: ['lenet5', 'mnsim-lenet'], mesh: [4, 4] as [number, number], batch: 4 },
  ];
  it.each(small)('$mix on ISAAC $mesh at batch $batch: optimal, the threshold search\'s optimum, a gap that is not negative, the learning-rate candidate within 10 % of the packed optimum', async ({ mix, mesh, batch }) => {
    const wasm = await loadTestWasm();
    const chip = chipPreset('isaac', mesh);
    const tenants = mix.map((n) => tenant(n, batch));
    const r = await runDeployment({ chip, tenants, strategy: 'collaborative', objective: 'makespan', seed: 1 }, { wasm, highs, alone: 'analytic', optimumLimits: DETERMINISTIC_LIMITS });
    const o = r.analytic_optimum!;
    expect(o.status).toBe('optimal');
    expect(o.choices).toBeLessThanOrEqual(RUN_OPTIMUM_MAX_CHOICES);
    // The optimum the threshold search finds without the solver, and the bound below every plan.
    const models = tenants.map((t, i) => mapTenant(i, t, chip));
    expect(o.makespan_s).toBeCloseTo(thresholdOptimumS(chip, models, 'noc'), 12);
    expect(o.compute_bound_s!).toBeLessThanOrEqual(r.analytic.makespan_s * (1 + 1e-9));
    // The run's plan is a point of the program: its gap is shown, and no point beats the optimum.
    expect(o.gap).not.toBeNull();
    expect(o.gap!).toBeGreaterThanOrEqual(-1e-9);
    // The optimum with packed tiles: at least the crossbar-counted one (its relaxation), and the
    // run's plan, the learning-rate candidate as the run built it (the loop steered by the
    // simulator, refereed), within 10 % of it. At batch 1-8 the program's objective (batch x the
    // slowest stage) leaves out the pipeline fill that the simulator-steered loop weighs
    // (docs/method.md, "Analytic optimum"); more cases in npm run study:full.
    expect(o.packed_makespan_s!).toBeGreaterThanOrEqual(o.makespan_s! * (1 - 1e-12));
    expect(r.chosen_candidate).toBe('learning-rate');
    expect(o.packed_gap!).toBeGreaterThanOrEqual(-1e-9);
    expect(o.packed_gap!).toBeLessThanOrEqual(0.1);
  }, 120_000);

  it('a mix with more copy choices than a run solves is reported as not covered, with the reason and no gap', async () => {
    const wasm = await loadTestWasm();
    const chip = chipPreset('isaac', [8, 8]);
    const r = await runDeployment({ chip, tenants: [tenant('lenet5', 16), tenant('resnet20-cifar', 16)], strategy: 'operator', objective: 'makespan', seed: 1 }, { wasm, highs, alone: 'analytic', optimumLimits: DETERMINISTIC_LIMITS });
    expect(r.analytic_optimum!.status).toBe('not covered');
    expect(r.analytic_optimum!.gap).toBeNull();
    expect(r.analytic_optimum!.reason).toMatch(/copy choices, above the 300/);
    // The packed optimum needs no solver: it is there, with the plan's distance to it.
    expect(r.analytic_optimum!.packed_makespan_s).toBeGreaterThan(0);
    expect(r.analytic_optimum!.packed_gap!).toBeGreaterThanOrEqual(-1e-9);
  }, 120_000);
});

describe('the optimum with packed tiles', () => {
  it('lenet5 + mnsim-alexnet on ISAAC 8x8 at batch 16: the crossbar-counted optimum does not pack; exhaustive search over every share split and copy count finds the packed optimum', async () => {
    const chip = chipPreset('isaac', [8, 8]);
    const models = [tenant('lenet5', 16), tenant('mnsim-alexnet', 16)].map((t, i) => mapTenant(i, t, chip));
    const [lenet, alex] = models as [MappedTenant, MappedTenant];
    const relaxed = solve(chip, models, 'noc');
    if (!relaxed.covered) throw new Error(relaxed.reason);
    // By hand: every layer of both models takes t = 1.60-1.61 us per MVM, and at 5 MVMs per copy
    // (16 x 5 x t = 128 us) mnsim-alexnet needs 52, 13, 4, 4, 4 copies of its convolutions
    // (256, 64, 16, 16, 16 MVMs; conv2's NoC floor is 8.19 us, 131 us at batch 16) and one of each
    // fc. Packed in layer order into 96-crossbar tiles (row blocks x column blocks per copy:
    // 1x4, 5x12, 14x24, 27x16, 18x16, 8x32, 4x1): conv0's 208 one-crossbar blocks take 3 tiles (80
    // left in the third), conv2's 156 blocks of 5 fill it with 16 and take 8 more (61 left), conv4's
    // 96 blocks of 14 put 4 there and take 16 more (6 a tile; 68 left), conv5's 64 blocks of 27 put 2
    // there and take 21 (3 a tile; 42 left), conv6's 64 of 18 put 2 there and take 13 (5 a tile; 60
    // left), fc8's 32 of 8 put 7 there and take 3, fc9 fits: 3 + 8 + 16 + 21 + 13 + 3 = 64 tiles.
    // The crossbars alone are 5,472 = 57 tiles, which is why the crossbar-counted program finds it.
    expect(relaxed.optimum.copies[1]).toEqual([52, 13, 4, 4, 4, 1, 1]);
    expect(packCount(alex, relaxed.optimum.copies[1]!, crossbarsPerTile(chip))).toBe(64);
    expect(relaxed.optimum.makespanS).toBeLessThan(16 * 5.5 * 1.61e-6);
    // With lenet5 holding a tile no deployable plan reaches 5 MVMs per copy: exhaustive search
    // over every split of the 64 tiles and every combination of copy counts (each layer's distinct
    // ceil(N / k), copyCandidates), packed by the deployments' packer.
    const best = (tm: MappedTenant): number[] => {
      // best[s] = the smallest batch x slowest stage with the copies packed into at most s tiles
      const out = new Array<number>(65).fill(Infinity);
      const cands = tm.graph.layers.map((layer, l) => copyCandidates(layer.mvms, chipCopyCap(chip, tm, l)));
      const copies = cands.map(() => 1);
      const walk = (l: number, worst: number): void => {
        if (l === cands.length) {
          const tiles = packCount(tm, copies, crossbarsPerTile(chip));
          if (tiles <= 64 && worst < out[tiles]!) out[tiles] = worst;
          return;
        }
        for (const k of cands[l]!) {
          copies[l] = k;
          walk(l + 1, Math.max(worst, tm.batch * stageS(tm, l, k, 'noc')));
        }
      };
      walk(0, 0);
      for (let t = 1; t <= 64; t++) out[t] = Math.min(out[t]!, out[t - 1]!);
      return out;
    };
    const [bl, ba] = [best(lenet), best(alex)];
    let exhaustive = Infinity;
    for (let s = 1; s < 64; s++) exhaustive = Math.min(exhaustive, Math.max(bl[s]!, ba[64 - s]!));
    const packed = levelPlan(chip, models);
    expect(packed.valueS).toBeCloseTo(exhaustive, 15);
    expect(packed.valueS).toBeGreaterThan(16 * 6 * 1.6e-6);
    expect(packed.tiles.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(64);
  });
});
