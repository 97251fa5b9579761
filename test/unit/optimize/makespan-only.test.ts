/**
 * The makespan alone (evaluate/deployment.ts deploymentMakespan), which deployPlans uses to choose
 * among its placement orders, is the whole evaluation's makespan bit for bit: on every order of
 * one round of three tenants, of a round whose last tenant runs in phases, and of two rounds
 * (the second round's weights loaded over the off-chip link), asked before and after the whole
 * evaluation has kept the tenants' parts. The same from the placed runs, before any re-operator
 * of an order is made (runDeploymentMakespan): the whole evaluation's makespan of the deployment
 * made from the runs afresh, and the deployment deployPlans returns is the order of least makespan.
 */
import { describe, expect, test } from 'vitest';
import { chipPreset } from '../../../src-main/engine/hardware';
import { mapTenant } from '../../../src-main/engine/mapping/mapped-tenant';
import { toLayerGraph, zooGraph } from '../../../src-main/engine/workload';
import { deploymentMakespan, evaluateDeployment, runDeploymentMakespan } from '../../../src-main/engine/evaluate/deployment';
import { deployPlans, singleCopyNeed } from '../../../src-main/engine/optimize/deploy-plans';
import { operatorLevel } from '../../../src-main/engine/optimize/operator-level';
import type { Deployment } from '../../../src-main/engine/placement/types';
import type { RunDeployment } from '../../../src-main/engine/placement/placed-run';

const chip = chipPreset('isaac', [12, 12]);
const N = 144;
const models = ['lenet5', 'resnet20-cifar', 'vgg8-cifar'].map((m, i) => mapTenant(i, { name: m, model: m, graph: toLayerGraph(zooGraph(m)), batch: 2 + i, priority: 1 }, chip));
const need = singleCopyNeed(models, chip);

/** Every deployment deployPlans builds (one per placement order), evaluated whole or not at all. */
function ordersOf(rounds: number[][], shares: number[], whole = true): Deployment[] {
  const seen: Deployment[] = [];
  const plans = models.map((m, i) => operatorLevel(m, chip, shares[i]!, 'none'));
  deployPlans((dep) => (seen.push(dep), whole ? evaluateDeployment(dep) : { makespanS: 0, tenants: [] }), chip, 'test', 'test', models, rounds, shares, plans);
  return seen;
}

describe('the makespan alone', () => {
  const cases: [string, number[][], number[]][] = [
    ['one round of three', [[0, 1, 2]], [need[0]! + 4, need[1]! + 10, N - need[0]! - need[1]! - 14]],
    ['a phased tenant', [[0, 1, 2]], [need[0]!, N - need[0]! - 40, 40]],
    ['two rounds', [[0], [1, 2]], [N, 40, N - 40]],
  ];
  test.each(cases)('%s: the whole evaluation\'s makespan, bit for bit', (_, rounds, shares) => {
    const deps = ordersOf(rounds, shares);
    expect(deps.length).toBeGreaterThan(1);
    for (const dep of deps) expect(deploymentMakespan(dep)).toBe(evaluateDeployment(dep).makespanS);
    // Before the whole evaluation kept anything of these placements (other shares).
    const fresh = ordersOf(rounds, shares.map((s, i) => (i === shares.length - 1 ? s - 1 : s)), false);
    for (const dep of fresh) {
      const alone = deploymentMakespan(dep);
      expect(alone).toBe(evaluateDeployment(dep).makespanS);
    }
  });

  test.each(cases)('%s: from the placed runs, the makespan of the deployment made from them afresh', (_, rounds, shares) => {
    // Shares of their own, so that nothing of these placements is kept before.
    const own = shares.map((s, i) => (i === 1 ? s + 2 : i === 2 ? s - 2 : s));
    const runs: { dep: RunDeployment; s: number | undefined }[] = [];
    const evaluate = Object.assign((dep: Deployment) => evaluateDeployment(dep), {
      runMakespanS: (dep: RunDeployment) => {
        const s = runDeploymentMakespan(dep);
        runs.push({ dep, s });
        return s;
      },
    });
    const plans = models.map((m, i) => operatorLevel(m, chip, own[i]!, 'none'));
    const kept = deployPlans(evaluate, chip, 'test', 'test', models, rounds, own, plans);
    expect(runs.length).toBe(3);
    // Each run's re-operators as new objects, its k-th tile on order[offset + k], tenants in order.
    const afresh = runs.map(({ dep }): Deployment => {
      const { runs: placed, ...rest } = dep;
      return { ...rest, reops: placed.flatMap((p) => p.run.map((r) => ({ ...r, tile: p.order[p.offset + r.tile]! }))), reopCosts: placed.flatMap((p) => p.costs) };
    });
    runs.forEach(({ s }, k) => expect(s).toBe(evaluateDeployment(afresh[k]!).makespanS));
    // The orders differ, and the one kept is the first of least makespan, with the same re-operators.
    expect(new Set(afresh.map((d) => d.reops.map((r) => r.tile).join())).size).toBe(3);
    const best = runs.findIndex(({ s }) => s === Math.min(...runs.map((r) => r.s!)));
    expect(kept.reops).toEqual(afresh[best]!.reops);
    expect(kept.reopCosts).toEqual(afresh[best]!.reopCosts);
    expect(deploymentMakespan(kept)).toBe(runs[best]!.s);
  });

  test('the cases hold what they name', () => {
    const phases = cases.map(([, rounds, shares]) => ordersOf(rounds, shares)[0]!.tenants.map((t) => t.phases));
    expect(phases).toEqual([[1, 1, 1], [1, 1, phases[1]![2]], [1, 1, 1]]);
    expect(phases[1]![2]).toBeGreaterThan(1);
  });
});
