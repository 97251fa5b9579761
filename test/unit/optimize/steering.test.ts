/**
 * The model that steers the tenant-level loop (docs/method.md, step 2; docs/simulator.md, "The
 * model that steers the optimizer") against the event simulator on a small mix at batch 1, 4 and
 * 16: the objective the loop minimizes at the shares it returns is within 10 % of that
 * deployment's simulated makespan (the loop simulates its points within its budget and calibrates
 * the analytic model at the last of them past it), and the candidate the referee keeps is no
 * slower. The analytic model alone is up to 26 % optimistic on such plans at batch 16 (the same
 * mix with squeezenet1_1, docs/simulator.md), which is why the simulator steers.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { chipPreset } from '../../../src-main/engine/hardware/presets';
import { toLayerGraph, zooGraph } from '../../../src-main/engine/workload';
import { collaborativeStrategy } from '../../../src-main/engine/optimize/strategies';
import { runInternals } from '../../../src-main/engine/pipeline/run';
import { simulateDeployment } from '../../../src-main/engine/sim/referee';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { loadTestWasm } from '../sim/load-wasm';

let wasm: RetileWasmExports;
beforeAll(async () => {
  wasm = await loadTestWasm();
});

const tenant = (n: string, batch: number) => ({ name: n, model: n, graph: toLayerGraph(zooGraph(n)), batch, priority: 1 });

describe('the steering model against the simulator', () => {
  it.each([1, 4, 16])('lenet5 + resnet20-cifar + mnsim-alexnet on ISAAC 8x8 at batch %i', async (batch) => {
    const chip = chipPreset('isaac', [8, 8]);
    const x = await runInternals(
      { chip, tenants: [tenant('lenet5', batch), tenant('resnet20-cifar', batch), tenant('mnsim-alexnet', batch)], strategy: 'collaborative', objective: 'makespan', seed: 1 },
      { wasm, alone: 'analytic' },
    );
    const learned = x.candidates.find((c) => c.strategy === 'learning-rate')!;
    expect(x.chosen.outcome.deployment.rounds).toHaveLength(1);
    const lr = collaborativeStrategy(x.ctx);
    const simulated = simulateDeployment(lr.deployment, wasm, 1).sim.makespan_s;
    expect(lr.value / simulated).toBeGreaterThan(0.9);
    expect(lr.value / simulated).toBeLessThan(1.1);
    expect(learned.makespan_s).toBeLessThanOrEqual(simulated);
  }, 120_000);
});
