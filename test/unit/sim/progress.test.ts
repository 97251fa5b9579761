/**
 * The event loop in slices (simBegin, then simResume until it stops pausing), which is how a run
 * reports progress and notices a cancel inside a long simulation:
 *  - following progress changes nothing: every output equals the run's without a progress sink
 *    (which runs in slices too, so that V8 optimizes the loop a few slices in), bit for bit, and
 *    so do those of the module as the Node hosts load it (service/wasm-node.ts);
 *  - the fraction is rows computed over the rows the scenario holds (each re-operator runs every
 *    row of every request of its tenant once, counted here from the scenario), rising to 1;
 *  - a cancel thrown between slices stops the loop, and the module runs the next scenario cleanly;
 *  - a run's progress sink hears from inside its simulations.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { simulateRaw, type Scenario } from '../../../src-main/engine/sim';
import { scenarioFromDeployment } from '../../../src-main/engine/sim/from-deployment';
import { chipPreset } from '../../../src-main/engine/hardware';
import { directDeployment } from '../../../src-main/engine/placement/direct';
import { runDeployment } from '../../../src-main/engine/pipeline/run';
import { toLayerGraph, zooGraph } from '../../../src-main/engine/workload';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { loadWasm } from '../../../src-main/service/wasm-node';
import { ensureWasmBuilt, loadTestWasm } from './load-wasm';

let wasm: RetileWasmExports;
beforeAll(async () => {
  wasm = await loadTestWasm();
});

const tenant = (model: string, batch: number) => ({ name: model, model, graph: toLayerGraph(zooGraph(model, { batch: 1 })), batch, priority: 1 });

/** resnet20-cifar and vgg8-cifar, batch 128 each, directly on a 16x16 ISAAC chip: about 300,000 events. */
function scenario(): Scenario {
  const dep = directDeployment(chipPreset('isaac', [16, 16]), [tenant('resnet20-cifar', 128), tenant('vgg8-cifar', 128)]);
  return scenarioFromDeployment(dep, { seed: 1 }).scenario;
}

/** Rows the loop computes: for every re-operator, its layer's rows times its tenant's requests. */
function rowsOf(s: Scenario): number {
  return s.reops.reduce((n, r) => n + s.layers[r.layer]!.rows * s.tenants[s.layers[r.layer]!.tenant]!.requests, 0);
}

describe('the event loop in slices', () => {
  it('gives the outputs of a run without progress, bit for bit, and reports rows done rising to 1', () => {
    const s = scenario();
    const whole = simulateRaw(s, wasm).raw;
    const fractions: number[] = [];
    const sliced = simulateRaw(s, wasm, (f) => fractions.push(f)).raw;
    expect(whole.events).toBeGreaterThan(200_000); // several slices of 50,000 events
    expect(sliced).toEqual(whole);

    expect(fractions.length).toBeGreaterThan(3);
    expect(fractions.at(-1)).toBe(1);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]!);
    // The last pause saw nearly every row; the rows are counted from the scenario, not the loop.
    const rows = rowsOf(s);
    expect(rows).toBeGreaterThan(1000);
    expect(fractions.at(-2)! * rows).toBeLessThan(rows);
    expect(fractions.at(-2)! * rows).toBeGreaterThan(rows / 2);
  });

  it('gives the same outputs through the Node hosts\' loader', async () => {
    const s = scenario();
    const hosts = await loadWasm(ensureWasmBuilt());
    expect(simulateRaw(s, hosts).raw).toEqual(simulateRaw(s, wasm).raw);
  });

  it('stops at a cancel between slices, and the next simulation runs cleanly', () => {
    const s = scenario();
    let calls = 0;
    const cancel = new Error('cancelled by the user');
    expect(() =>
      simulateRaw(s, wasm, () => {
        calls++;
        throw cancel;
      }),
    ).toThrow(cancel);
    expect(calls).toBe(1);
    expect(simulateRaw(s, wasm).raw).toEqual(simulateRaw(s, wasm, () => {}).raw);
  });

  it('reaches a run\'s progress sink from inside its simulations', async () => {
    const reports: { stage: string; fraction: number }[] = [];
    await runDeployment(
      { chip: chipPreset('isaac', [16, 16]), tenants: [tenant('resnet20-cifar', 4), tenant('vgg8-cifar', 4)], strategy: 'operator', objective: 'makespan', seed: 1 },
      { wasm, progress: { report: (stage, fraction) => void reports.push({ stage, fraction }), cancelled: () => false } },
    );
    // The operator plan's simulation and the alone runs (copies: many events) report from inside.
    for (const stage of ['simulate', 'alone baselines']) {
      const inside = new Set(reports.filter((r) => r.stage === stage).map((r) => r.fraction));
      expect(inside.size, stage).toBeGreaterThan(5);
    }
    for (let i = 1; i < reports.length; i++) expect(reports[i]!.fraction).toBeGreaterThanOrEqual(reports[i - 1]!.fraction);
  });
});
