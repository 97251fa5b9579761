/**
 * The balanced and sequential baselines (docs/method.md, "Baselines") and the figures over the
 * best baseline, checked against hand calculations and against their definitions recomputed
 * another way: ISAAC's balancing condition for the copies, the sequential schedule as the sum of
 * its turns (each simulated on its own, plus each turn's weight load from the reprogramming
 * model), and the chip's peak from ISAAC's published crossbar figures.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { chipPreset } from '../../../src-main/engine/hardware/presets';
import { crossbarsPerTile } from '../../../src-main/engine/hardware/costs';
import { toLayerGraph, zooGraph } from '../../../src-main/engine/workload';
import { mapLayer } from '../../../src-main/engine/mapping/map-layer';
import { mapTenant } from '../../../src-main/engine/mapping/mapped-tenant';
import { reprogramOf, rewritesEachCycle } from '../../../src-main/engine/placement/reprogram';
import type { Deployment } from '../../../src-main/engine/placement/types';
import { evaluateDeployment } from '../../../src-main/engine/evaluate/deployment';
import { duplicate } from '../../../src-main/engine/optimize/operator-level';
import { singleCopyNeed } from '../../../src-main/engine/optimize/deploy-plans';
import { sequentialDeployment } from '../../../src-main/engine/optimize/baselines';
import type { StrategyContext } from '../../../src-main/engine/optimize/strategies';
import { simulateDeployment } from '../../../src-main/engine/sim/referee';
import { runDeployment } from '../../../src-main/engine/pipeline/run';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { chain, convLayer } from '../hardware/fixtures';
import { loadTestWasm } from '../sim/load-wasm';

let wasm: RetileWasmExports;
beforeAll(async () => {
  wasm = await loadTestWasm();
});

const tenant = (n: string, batch = 1) => ({ name: n, model: n, graph: toLayerGraph(zooGraph(n)), batch, priority: 1 });

describe('balanced: copies in proportion to work (ISAAC)', () => {
  it('a hand-sized chain: 1024, 256 and 64 MVMs of one crossbar each in one 96-crossbar ISAAC tile get 72, 18 and 5 copies', () => {
    // 1x1 convolutions, 128 input and 16 output channels: one 128x128 crossbar each (16 weights of
    // 8 two-bit cells per row), the same time per MVM. Work 1024 : 256 : 64. d_i = ceil(w_i / T)
    // with the smallest T whose copies fit 96 crossbars: T = 1024/72 MVMs gives 72 + ceil(18.0) +
    // ceil(4.5) = 95 <= 96; any T below it needs 73 + 19 + 5 = 97.
    const chip = chipPreset('isaac', [2, 2]);
    expect(crossbarsPerTile(chip)).toBe(96);
    const g = chain('hand', [
      convLayer(0, { k: 1, cin: 128, cout: 16, h: 32, w: 32 }),
      convLayer(1, { k: 1, cin: 128, cout: 16, h: 16, w: 16 }),
      convLayer(2, { k: 1, cin: 128, cout: 16, h: 8, w: 8 }),
    ]);
    const tm = mapTenant(0, { name: 'hand', model: 'hand', graph: g, batch: 1, priority: 1 }, chip);
    expect(tm.xb).toEqual([1, 1, 1]);
    expect(duplicate(tm, [0, 1, 2], 1, 96, 'proportional')).toEqual([72, 18, 5]);
  });

  it('balances the pipeline: no duplicated layer would still be faster than the slowest with one copy fewer', () => {
    // d_i = ceil(w_i / T) means w_i / d_i <= T < w_i / (d_i - 1) for every duplicated layer, so
    // max_i w_i / d_i < min over duplicated i of w_i / (d_i - 1) (w_i = MVMs x time per MVM).
    const chip = chipPreset('isaac', [16, 16]);
    const tm = mapTenant(0, tenant('resnet18'), chip);
    const all = tm.xb.map((_, i) => i);
    const d = duplicate(tm, all, 120, crossbarsPerTile(chip), 'proportional');
    const w = all.map((i) => tm.graph.layers[i]!.mvms * tm.mvmTime[i]!);
    const capped = (i: number): boolean => d[i] === Math.min(tm.graph.layers[i]!.mvms, 256);
    const free = all.filter((i) => !capped(i));
    const slowest = Math.max(...free.map((i) => w[i]! / d[i]!));
    const dup = free.filter((i) => d[i]! > 1);
    expect(dup.length).toBeGreaterThan(3);
    for (const i of dup) expect(slowest, tm.graph.layers[i]!.name).toBeLessThan(w[i]! / (d[i]! - 1));
  });
});

describe('sequential: a repeating schedule of turns', () => {
  it('makespan = sum over tenants of (weight load + the tenant alone with the same plan)', () => {
    const chip = chipPreset('isaac', [8, 8]);
    const tenants = [tenant('resnet18'), tenant('squeezenet1_1')];
    const models = tenants.map((t, i) => mapTenant(i, t, chip));
    const ctx: StrategyContext = { chip, models, objective: 'makespan', seed: 1, need: singleCopyNeed(models, chip), alone: [], evaluate: evaluateDeployment };
    const dep = sequentialDeployment(ctx);
    const whole = simulateDeployment(dep, wasm, 1, { scenario: { chargeInitialLoad: true } }).sim.makespan_s;
    let sum = 0;
    dep.tenants.forEach((t, ti) => {
      const reops = dep.reops.filter((r) => r.tenant === ti);
      // The turn alone: one tenant, its weights already in place (a tenant in phases reloads its
      // first phase by itself at steady state, so its solo run includes that load).
      const reopCosts = dep.reopCosts.filter((_, k) => dep.reops[k]!.tenant === ti);
      const solo: Deployment = { ...dep, tenants: [t], reops: reops.map((r) => ({ ...r, tenant: 0 })), reopCosts, rounds: [[0]] };
      const run = simulateDeployment(solo, wasm, 1).sim.makespan_s;
      // The load: bytes over the off-chip link, then (or overlapped with) programming: max of the two parts.
      const rp = reprogramOf(chip, t.graph.layers.map((l) => mapLayer(l, chip)), reops.filter((r) => r.phase === 0));
      sum += run + (rewritesEachCycle(solo) ? 0 : Math.max(rp.transferS, rp.programS));
    });
    expect(whole).toBeGreaterThan(0);
    expect(Math.abs(whole - sum) / sum).toBeLessThan(1e-6);
  });
});

describe('run result: the three baselines and the best of them', () => {
  it('carries direct, balanced and sequential with definitions, names the fastest, the learning-rate candidate and % of peak', async () => {
    const chip = chipPreset('isaac', [8, 8]);
    const tenants = [tenant('resnet18'), tenant('squeezenet1_1')];
    const r = await runDeployment({ chip, tenants, strategy: 'collaborative', objective: 'makespan', seed: 1 }, { wasm, alone: 'analytic' });
    const b = r.baselines!;
    for (const k of ['direct', 'balanced', 'sequential'] as const) {
      expect(b[k].makespan_s).toBeGreaterThan(0);
      expect(b[k].definition.length).toBeGreaterThan(40);
    }
    expect(b.direct.makespan_s).toBe(r.direct!.makespan_s);
    const fastest = Math.min(b.direct.makespan_s, b.balanced.makespan_s, b.sequential.makespan_s);
    expect(b[r.best_baseline!].makespan_s).toBe(fastest);
    expect(r.speedup_vs_best_baseline).toBeCloseTo(fastest / r.makespan_s, 12);
    expect(r.candidates!.map((c) => c.strategy)).toContain('learning-rate');
    // Peak from ISAAC's figures (Shafiee et al., ISCA 2016): a 128x128 crossbar of 2-bit cells
    // holds 16 sixteen-bit weights per row, an MVM takes 16 one-bit input cycles of 100 ns, so one
    // crossbar peaks at 2 x 128 x 16 / 1.6 us = 2.56 GOPS; 96 crossbars per tile.
    const peak = r.chip.tiles * 96 * ((2 * 128 * 16) / 1.6e-6);
    const ops = tenants.reduce((s, t) => s + 2 * t.graph.layers.reduce((a, l) => a + l.macs, 0), 0);
    expect(r.peak_fraction!).toBeCloseTo(ops / r.makespan_s / peak, 12);
  }, 120_000);
});
