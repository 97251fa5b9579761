import { beforeAll, describe, expect, test } from 'vitest';
import { chipPreset, crossbarsPerTile, withMesh } from '../../../src-main/engine/hardware';
import { mapLayer } from '../../../src-main/engine/mapping';
import { ZOO_NAMES, toLayerGraph, zooGraph } from '../../../src-main/engine/workload';
import { directDeployment, tilePieces } from '../../../src-main/engine/placement/direct';
import { evaluateDeployment } from '../../../src-main/engine/evaluate/deployment';
import { scenarioFromDeployment } from '../../../src-main/engine/sim/from-deployment';
import { simulate } from '../../../src-main/engine/sim';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { loadTestWasm } from './load-wasm';

let wasm: RetileWasmExports;
beforeAll(async () => {
  wasm = await loadTestWasm();
});

/**
 * docs/simulator.md#agreement-with-the-analytic-profiler: uncontended single-tenant single-inference runs agree with the
 * analytic profile within 10% for every zoo model on isaac. The mesh is sized so the whole model
 * fits (no phases): the profiler's latency is computed independently of the simulator's events.
 */
describe('simulator vs analytic profiler (uncontended, isaac, batch 1)', () => {
  for (const name of ZOO_NAMES) {
    test(name, () => {
      const graph = toLayerGraph(zooGraph(name));
      const base = chipPreset('isaac');
      const perTile = crossbarsPerTile(base);
      const need = graph.layers.reduce((s, l) => s + Math.max(1, tilePieces(mapLayer(l, base), perTile).length), 0);
      let side = Math.ceil(Math.sqrt(need));
      side += side % 2; // isaac's concentrated mesh groups 2x2 tiles
      const chip = withMesh(base, [side, side]);
      const dep = directDeployment(chip, [{ name, model: name, graph, batch: 1 }]);
      const analytic = evaluateDeployment(dep).tenants[0]!.latencyS;
      const { scenario } = scenarioFromDeployment(dep);
      const result = simulate(scenario, wasm);
      const sim = result.tenants[0]!.latency_mean_s;
      // The bounded buffers' holds cover every residual lag: no row passes a full buffer.
      expect(result.buffers.overcommits).toBe(0);
      console.log(`${name}: sim ${sim.toExponential(4)} s, analytic ${analytic.toExponential(4)} s, ratio ${(sim / analytic).toFixed(4)}`);
      // One-token decode steps stream a single row through every layer, so each row's gather of
      // the pieces' shares at the gather tile is fully on the critical path: the profile charges
      // it (evaluate/link-load.ts gatherRowS) as the simulator does.
      expect(Math.abs(sim - analytic) / analytic).toBeLessThan(0.1);
    });
  }
});

/**
 * Tenants larger than the chip run in phases with reprogramming; a layer larger than the chip
 * (vgg16's fc6 needs 50,176 crossbars of isaac's 16,128) is cut across phases and runs once per
 * phase on that phase's pieces. Simulated makespan and energy stay within 10% of the analytic ones.
 */
describe('simulator vs analytic profiler (phased tenants, layers cut across phases)', () => {
  for (const models of [['vgg16'], ['resnet50', 'vgg16'], ['alexnet', 'vit_b_16']]) {
    test(models.join('+'), () => {
      const chip = chipPreset('isaac');
      const dep = directDeployment(
        chip,
        models.map((name) => ({ name, model: name, graph: toLayerGraph(zooGraph(name)), batch: 1 })),
      );
      expect(dep.tenants.some((t) => t.phases > 1)).toBe(true);
      const analytic = evaluateDeployment(dep);
      const sim = simulate(scenarioFromDeployment(dep).scenario, wasm);
      expect(Math.abs(sim.makespan_s - analytic.makespanS) / analytic.makespanS).toBeLessThan(0.1);
      expect(Math.abs(sim.energy_j - analytic.energyJ) / analytic.energyJ).toBeLessThan(0.1);
    });
  }
});

/**
 * A later round with several tenants: each loads its weights over the one off-chip link in turn
 * (FIFO), and starts as soon as its own weights are in. The analytic evaluation follows the same
 * rule, so the members' finish times agree with the simulator's closely (uncontended compute).
 */
describe('simulator vs analytic profiler (several tenants in a later round)', () => {
  test('alexnet (phased, round 1) then mobilenet_v2 + googlenet (round 2)', () => {
    const chip = chipPreset('isaac');
    const names = ['alexnet', 'mobilenet_v2', 'googlenet'];
    const dep = directDeployment(chip, names.map((name) => ({ name, model: name, graph: toLayerGraph(zooGraph(name)), batch: 1 })));
    expect(dep.rounds).toEqual([[0], [1, 2]]);
    const analytic = evaluateDeployment(dep);
    const sim = simulate(scenarioFromDeployment(dep).scenario, wasm);
    for (const ti of [1, 2]) {
      const a = analytic.tenants[ti]!.finishS;
      const s = sim.tenants[ti]!.finish_s;
      // Within 0.5 % (measured 0.06-0.08 %); charging the round's combined load before every
      // member, as the evaluation did before, put mobilenet_v2 1.6 % late.
      expect(Math.abs(s - a) / a, names[ti]).toBeLessThan(0.005);
    }
    expect(Math.abs(sim.makespan_s - analytic.makespanS) / analytic.makespanS).toBeLessThan(0.005);
  });
});
