/**
 * Power policy: with unused tiles gated (the default, as PUMA and NeuroSim do), a small network's
 * energy does not depend on the chip's size; without gating every tile leaks for the whole run.
 * The energy split sums to the energy in the analytic evaluation and in the simulator.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { chipPreset, parseChipSpec, withMesh, type ChipSpec } from '../../../src-main/engine/hardware';
import { toLayerGraph, zooGraph } from '../../../src-main/engine/workload';
import { directDeployment } from '../../../src-main/engine/placement/direct';
import { evaluateDeployment } from '../../../src-main/engine/evaluate/deployment';
import { scenarioFromDeployment } from '../../../src-main/engine/sim/from-deployment';
import { simulate } from '../../../src-main/engine/sim';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { loadTestWasm } from './load-wasm';

let wasm: RetileWasmExports;
beforeAll(async () => {
  wasm = await loadTestWasm();
});

const graph = toLayerGraph(zooGraph('lenet5'));
// ISAAC tile leakage by hand: 96 ADCs x 0.2 mW + eDRAM 0.46 mW + router 1.04 mW / 4 (PUMA constants.py).
const TILE_LEAK_W = (96 * 0.2 + 0.46 + 1.04 / 4) * 1e-3;

function withPolicy(mesh: [number, number], policy: 'none' | 'unused' | 'idle'): ChipSpec {
  const json = structuredClone(withMesh(chipPreset('isaac'), mesh));
  json.power_policy = policy;
  return parseChipSpec(json, 'test');
}

function run(chip: ChipSpec, batch = 4) {
  const dep = directDeployment(chip, [{ name: 'lenet5', model: 'lenet5', graph, batch }]);
  const ev = evaluateDeployment(dep);
  const sim = simulate(scenarioFromDeployment(dep).scenario, wasm);
  return { dep, ev, sim };
}

const sum = (s: { dynamic: number; static_allocated: number; static_idle: number; reprogram: number }) => s.dynamic + s.static_allocated + s.static_idle + s.reprogram;

describe('power policy', () => {
  test('the default is unused', () => {
    expect(chipPreset('isaac').power_policy).toBe('unused');
  });
  test('unused tiles gated: lenet5 uses the same energy on an 8x8 and a 32x32 chip', () => {
    const small = run(withPolicy([8, 8], 'unused'));
    const large = run(withPolicy([32, 32], 'unused'));
    expect(large.dep.tenants[0]!.tiles.length).toBe(small.dep.tenants[0]!.tiles.length);
    expect(large.ev.energyJ).toBeCloseTo(small.ev.energyJ, 15);
    expect(large.sim.energy_j).toBeCloseTo(small.sim.energy_j, 15);
    expect(small.sim.energy_split.static_idle).toBe(0);
  });
  test('no gating: the whole chip leaks over the makespan, the idle part charged to no tenant', () => {
    const { ev, sim, dep } = run(withPolicy([32, 32], 'none'));
    const tiles = dep.tenants[0]!.tiles.length;
    // Simulator: every one of the 1024 tiles leaks over the makespan.
    expect(sim.energy_by_component.leakage).toBeCloseTo(1024 * TILE_LEAK_W * sim.makespan_s, 12);
    // The tenant is charged its own tiles over its run; the rest is static_idle.
    const t = sim.tenants[0]!;
    expect(t.energy_split.static_allocated).toBeCloseTo(tiles * TILE_LEAK_W * (t.finish_s - t.start_s), 12);
    expect(sim.energy_split.static_idle).toBeCloseTo(1024 * TILE_LEAK_W * sim.makespan_s - t.energy_split.static_allocated, 12);
    expect(ev.energy.leakage).toBeCloseTo(1024 * TILE_LEAK_W * ev.makespanS, 12);
    // Bigger chip, more idle leakage: energy grows with the chip without gating.
    expect(sim.energy_j).toBeGreaterThan(run(withPolicy([8, 8], 'none')).sim.energy_j);
  });
  test('idle gating charges no more static energy than gating unused tiles alone', () => {
    const unused = run(withPolicy([8, 8], 'unused'));
    const idle = run(withPolicy([8, 8], 'idle'));
    expect(idle.sim.energy_split.static_allocated).toBeLessThanOrEqual(unused.sim.energy_split.static_allocated);
    expect(idle.ev.energySplit.static_allocated).toBeLessThanOrEqual(unused.ev.energySplit.static_allocated);
    expect(idle.sim.energy_split.dynamic).toBeCloseTo(unused.sim.energy_split.dynamic, 15);
  });
  test('the split sums to the energy, whole and per tenant, in both models', () => {
    for (const policy of ['none', 'unused', 'idle'] as const) {
      const { ev, sim } = run(withPolicy([16, 16], policy));
      expect(sum(sim.energy_split)).toBeCloseTo(sim.energy_j, 15);
      for (const t of sim.tenants) expect(sum(t.energy_split)).toBeCloseTo(t.energy_j, 15);
      expect(sum(ev.energySplit)).toBeCloseTo(ev.energyJ, 15);
      for (const t of ev.tenants) expect(sum(t.energySplit)).toBeCloseTo(t.energyJ, 15);
    }
  });
});
