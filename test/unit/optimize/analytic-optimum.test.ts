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
import { analyticOptimum, chipCopyCap, copyCandidates, deploymentCopies, programMakespanS, RUN_OPTIMUM_MAX_CHOICES, stageS, type HighsSolver, type StageTerms } from '../../../src-main/engine/optimize/analytic-optimum';
import { runDeployment, runInternals } from '../../../src-main/engine/pipeline/run';
import { loadTestWasm } from '../sim/load-wasm';
import { chain, convLayer } from '../hardware/fixtures';

let highs: HighsSolver;
beforeAll(async () => {
  highs = await highsLoader();
});

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
    const out = analyticOptimum(chip, [tm], highs);
    expect(out.covered).toBe(true);
    if (!out.covered) return;
    expect(out.optimum.status).toBe('Optimal');
    expect(out.optimum.makespanS / tm.mvmTime[0]!).toBeCloseTo(14, 9);
    const [a, b] = out.optimum.copies[0]!;
    expect(Math.ceil(1024 / a!)).toBeLessThanOrEqual(14);
    expect(Math.ceil(256 / b!)).toBeLessThanOrEqual(14);
    expect(a! + b!).toBeLessThanOrEqual(96);
  });

  it('batch scales the stage times: at batch 4 the same plan, 4 x 14 MVM times', () => {
    const chip = chipPreset('isaac', [2, 2]);
    const g = chain('hand', [convLayer(0, { k: 1, cin: 512, cout: 16, h: 32, w: 32 }), convLayer(1, { k: 1, cin: 512, cout: 16, h: 16, w: 16 })]);
    const tm = mapTenant(0, { name: 'hand', model: 'hand', graph: g, batch: 4, priority: 1 }, chip);
    const out = analyticOptimum(chip, [tm], highs);
    expect(out.covered && out.optimum.makespanS / tm.mvmTime[0]!).toBeCloseTo(56, 9);
  });
});

describe('what the program does not cover', () => {
  it('tenants whose single copies do not fit the chip together (rounds) get the reason, not a figure', () => {
    // resnet18 alone needs more than ISAAC 2x2's 384 crossbars with one copy of every layer.
    const chip = chipPreset('isaac', [2, 2]);
    const tm = mapTenant(0, { name: 'r', model: 'resnet18', graph: toLayerGraph(zooGraph('resnet18')), batch: 1, priority: 1 }, chip);
    expect(tm.footprint).toBeGreaterThan(384);
    const out = analyticOptimum(chip, [tm], highs);
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
        const out = analyticOptimum(chip, models, highs, terms);
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
  it.each(small)('$mix on ISAAC $mesh at batch $batch: optimal, the threshold search\'s optimum, a gap that is not negative', async ({ mix, mesh, batch }) => {
    const wasm = await loadTestWasm();
    const chip = chipPreset('isaac', mesh);
    const tenants = mix.map((n) => tenant(n, batch));
    const r = await runDeployment({ chip, tenants, strategy: 'collaborative', objective: 'makespan', seed: 1 }, { wasm, highs, alone: 'analytic' });
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
  }, 120_000);

  // On lenet5 + mnsim-alexnet the loop's plan is 17.5 % above the optimum (the simulator-steered
  // loop equalizes whole run times, pipeline fill included, which the program leaves out;
  // docs/method.md, "Analytic optimum"), so the 10 % is checked on the other instance.
  it('lenet5 + mnsim-lenet on ISAAC 4x4 at batch 4: the learning-rate loop (simulator-steered, as in a run) returns a plan within 10 % of the optimum', async () => {
    const wasm = await loadTestWasm();
    const { mix, mesh, batch } = small[1]!;
    const chip = chipPreset('isaac', mesh);
    const tenants = mix.map((n) => tenant(n, batch));
    const x = await runInternals({ chip, tenants, strategy: 'collaborative', objective: 'makespan', seed: 1 }, { wasm, alone: 'analytic' });
    const out = analyticOptimum(chip, x.models, highs, 'noc');
    if (!out.covered) throw new Error(out.reason);
    expect(programMakespanS(x.models, deploymentCopies(collaborativeStrategy(x.ctx).deployment), 'noc')).toBeLessThanOrEqual(1.1 * out.optimum.makespanS);
  }, 120_000);

  it('a mix with more copy choices than a run solves is reported as not covered, with the reason and no gap', async () => {
    const wasm = await loadTestWasm();
    const chip = chipPreset('isaac', [8, 8]);
    const r = await runDeployment({ chip, tenants: [tenant('lenet5', 16), tenant('resnet20-cifar', 16)], strategy: 'operator', objective: 'makespan', seed: 1 }, { wasm, highs, alone: 'analytic' });
    expect(r.analytic_optimum!.status).toBe('not covered');
    expect(r.analytic_optimum!.gap).toBeNull();
    expect(r.analytic_optimum!.reason).toMatch(/copy choices, above the 300/);
  }, 120_000);
});
