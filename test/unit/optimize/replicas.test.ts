/**
 * Request-level replicas (placement/replicas.ts) and "more tiles never makes a plan slower" on a
 * small case. The expectations come from XY routing, not from the code: a route between two tiles
 * of a rectangle runs along the source's row, then the destination's column, so it never leaves
 * the rectangle; replicas in different rectangles therefore share no link, and each runs as the
 * planned one runs alone.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { chipPreset } from '../../../src-main/engine/hardware/presets';
import { tileCount } from '../../../src-main/engine/hardware/costs';
import { routerCoord } from '../../../src-main/engine/hardware/topology';
import { mapTenant } from '../../../src-main/engine/mapping/mapped-tenant';
import { operatorLevel } from '../../../src-main/engine/optimize/operator-level';
import { deployPlans } from '../../../src-main/engine/optimize/deploy-plans';
import { evaluateDeployment } from '../../../src-main/engine/evaluate/deployment';
import { deploymentLinkLoads } from '../../../src-main/engine/evaluate/link-load';
import { replicaBatch, replicaGrid, replicateDeployment } from '../../../src-main/engine/placement/replicas';
import { simulateDeployment } from '../../../src-main/engine/sim/referee';
import { runDeployment } from '../../../src-main/engine/pipeline/run';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { chain, convLayer } from '../hardware/fixtures';
import { toLayerGraph, zooGraph } from '../../../src-main/engine/workload';
import { loadTestWasm } from '../sim/load-wasm';

let wasm: RetileWasmExports;
beforeAll(async () => {
  wasm = await loadTestWasm();
});

// Three 3x3 convolutions on 16 x 16 maps (VGG's first block in miniature): all-to-all row traffic between copies.
const graph = chain('mini-vgg', [convLayer(0, { k: 3, cin: 3, cout: 32, h: 16, w: 16 }), convLayer(1, { k: 3, cin: 32, cout: 32, h: 16, w: 16 }), convLayer(2, { k: 3, cin: 32, cout: 64, h: 16, w: 16 })], [
  { scale: 1, offset: 1 },
  { scale: 1, offset: 1 },
]);
const tenant = (batch: number) => ({ name: 'mini', model: 'mini-vgg', graph, batch, priority: 1 });

describe('request-level replicas', () => {
  it('grid: 2 x 2 on a concentrated 8x8 mesh, none on a torus or when a tenant has fewer requests than replicas', () => {
    expect(replicaGrid(chipPreset('isaac', [8, 8]), [4])).toEqual({ rows: 2, cols: 2 });
    // ISAAC's 2 x 2 tiles per router: a 6-tile side splits into 3-tile halves, not whole routers.
    expect(replicaGrid(chipPreset('isaac', [6, 8]), [4])).toEqual({ rows: 1, cols: 2 });
    expect(replicaGrid(chipPreset('isaac', [8, 8]), [1])).toBeNull();
    expect(replicaBatch(10, 0, 4) + replicaBatch(10, 1, 4) + replicaBatch(10, 2, 4) + replicaBatch(10, 3, 4)).toBe(10);
    expect([0, 1, 2, 3].map((q) => replicaBatch(10, q, 4))).toEqual([3, 3, 2, 2]);
  });

  it('four replicas of a 4x4-tile plan on 8x8 share no link and each finishes exactly when the plan does alone', () => {
    const sub = chipPreset('isaac', [4, 4]);
    const chip = chipPreset('isaac', [8, 8]);
    const tm = mapTenant(0, tenant(2), sub);
    const plan = operatorLevel(tm, sub, tileCount(sub), 'bottleneck');
    expect(Math.max(...plan.copies)).toBeGreaterThan(1);
    const one = deployPlans(evaluateDeployment, sub, 'operator', 'test plan', [tm], [[0]], [tileCount(sub)], [plan]);
    const dep = replicateDeployment(one, chip, { rows: 2, cols: 2 }, [8]);
    expect(dep.tenants.map((t) => t.batch)).toEqual([2, 2, 2, 2]);
    // Every replica in its own quadrant of the 4 x 4 router grid.
    const quadrant = (tile: number): number => {
      const [r, c] = routerCoord(chip, tile);
      return (r >= 2 ? 2 : 0) + (c >= 2 ? 1 : 0);
    };
    dep.tenants.forEach((t, q) => expect(new Set(t.tiles.map(quadrant))).toEqual(new Set([q])));
    // Links: disjoint between replicas (the analytic link model's routes, which the simulator sends).
    const owner = new Map<number, number>();
    expect(dep.reops.length).toBe(4 * one.reops.length);
    deploymentLinkLoads(dep).forEach((t, q) => {
      for (const L of t.layers)
        for (const l of L.links) {
          expect(owner.get(l) ?? q).toBe(q);
          owner.set(l, q);
        }
    });
    const alone = simulateDeployment(one, wasm, 1).sim.tenants[0]!.finish_s;
    for (const t of simulateDeployment(dep, wasm, 1).sim.tenants) expect(t.finish_s).toBeCloseTo(alone, 15);
  });

  it('more tiles never makes the plan slower: lenet5 at batch 4 on 8x8 against 4x4, collaborative', async () => {
    // One lenet5 pipeline stops at 6 tiles on either chip (its copies are at their NoC floors), so
    // on 8x8 the extra tiles are idle unless the requests are shared among replicas: four
    // rectangles of 4x4 tiles, one request each, run side by side.
    const lenet = { name: 'lenet5', model: 'lenet5', graph: toLayerGraph(zooGraph('lenet5')), batch: 4, priority: 1 };
    const run = (mesh: [number, number]) => runDeployment({ chip: chipPreset('isaac', mesh), tenants: [lenet], strategy: 'collaborative', objective: 'makespan', seed: 1 }, { wasm, alone: 'analytic' });
    const small = await run([4, 4]);
    const large = await run([8, 8]);
    expect(large.makespan_s).toBeLessThanOrEqual(small.makespan_s);
    expect(large.chosen_candidate).toBe('replicas');
    expect(large.tenants.map((t) => t.batch)).toEqual([1, 1, 1, 1]);
    // One tenant for the multi-tenant metrics (STP = sum of alone / shared turnaround over the
    // spec's tenants), turning around when its last replica does; every replica row shows its NTT.
    expect(new Set(large.tenants.map((t) => t.ntt)).size).toBe(1);
    expect(large.metrics!.stp).toBeCloseTo(large.tenants[0]!.alone_s! / Math.max(...large.tenants.map((t) => t.finish_s)), 12);
    expect(large.peak_fraction).toBeGreaterThan(0);
  });
});
