/**
 * deployPlans packs a plan once per run length and maps it onto each placement order
 * (optimize/deploy-plans.ts); the buffer fit of a mapped placement is taken from the run's
 * (placement/buffer-fit.ts, placement/placed-run.ts). It must be the fit computed afresh from the
 * re-operators as placed: the same tiles, working sets, overflows and spills, on every order,
 * with buffers small enough that tiles overflow (the spills are then not all zero).
 */
import { describe, expect, test } from 'vitest';
import { chipPreset } from '../../../src-main/engine/hardware';
import { mapTenant } from '../../../src-main/engine/mapping/mapped-tenant';
import { toLayerGraph, zooGraph } from '../../../src-main/engine/workload';
import { evaluateDeployment } from '../../../src-main/engine/evaluate/deployment';
import { deployPlans, singleCopyNeed } from '../../../src-main/engine/optimize/deploy-plans';
import { operatorLevel } from '../../../src-main/engine/optimize/operator-level';
import { bufferFit } from '../../../src-main/engine/placement/buffer-fit';
import { spilledReopCosts } from '../../../src-main/engine/placement/spilled-costs';
import type { Deployment } from '../../../src-main/engine/placement/types';

const isaac = chipPreset('isaac', [12, 12]);
// A buffer of 4 KB per tile: the layers' working sets overflow it.
const chip = { ...isaac, tile: { ...isaac.tile, edram: { ...isaac.tile.edram, size_kb: 4 } } };
const N = 144;
const models = ['lenet5', 'resnet20-cifar', 'vgg8-cifar'].map((m, i) => mapTenant(i, { name: m, model: m, graph: toLayerGraph(zooGraph(m)), batch: 2, priority: 1 }, chip));
const need = singleCopyNeed(models, chip);

function ordersOf(rounds: number[][], shares: number[]): Deployment[] {
  const seen: Deployment[] = [];
  const plans = models.map((m, i) => operatorLevel(m, chip, shares[i]!, 'none'));
  deployPlans((dep) => (seen.push(dep), evaluateDeployment(dep)), chip, 'test', 'test', models, rounds, shares, plans);
  return seen;
}

/** The same deployment with re-operator objects of its own (nothing remembered of them). */
const afresh = (dep: Deployment): Deployment => ({ ...dep, reops: dep.reops.map((r) => ({ ...r })) });

describe('the buffer fit of each placement order', () => {
  test.each([
    ['one round of three', [[0, 1, 2]], [need[0]! + 4, need[1]! + 10, N - need[0]! - need[1]! - 14]],
    ['two rounds', [[0], [1, 2]], [N, 40, N - 40]],
  ] as [string, number[][], number[]][])('%s: the fit computed afresh', (_, rounds, shares) => {
    const deps = ordersOf(rounds, shares);
    expect(deps.length).toBe(3);
    // The orders place tenants on different tiles.
    expect(new Set(deps.map((d) => d.reops.map((r) => r.tile).join())).size).toBe(3);
    for (const dep of deps) {
      const fit = bufferFit(dep);
      const fresh = bufferFit(afresh(dep));
      expect(fit.overflows.length).toBeGreaterThan(0);
      expect(fit.uses).toEqual(fresh.uses);
      expect(fit.overflows).toEqual(fresh.overflows);
      expect(fit.spillBytesPerMvm).toEqual(fresh.spillBytesPerMvm);
      expect(fit.reopSpillBytesPerMvm).toEqual(fresh.reopSpillBytesPerMvm);
      expect(spilledReopCosts(dep)).toEqual(spilledReopCosts(afresh(dep)));
      expect(evaluateDeployment(dep)).toEqual(evaluateDeployment(afresh(dep)));
    }
  });
});
