/**
 * The model that steers the tenant-level loop (docs/method.md, step 2; docs/simulator.md, "The
 * model that steers the optimizer"), against the event simulator on small mixes at batch 1, 4
 * and 16: the analytic evaluation of the learning-rate candidate is within 10 % of its simulated
 * makespan, and where the loop is simulated, the objective it minimizes is the simulated makespan
 * of the shares it returns (each tenant's cost scaled by its simulated / analytic run time).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { chipPreset } from '../../../src-main/engine/hardware/presets';
import { toLayerGraph, zooGraph } from '../../../src-main/engine/workload';
import { evaluateDeployment } from '../../../src-main/engine/evaluate/deployment';
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
  it.each([1, 4, 16])('lenet5 + resnet20-cifar + squeezenet1_1 on ISAAC 8x8 at batch %i', async (batch) => {
    const chip = chipPreset('isaac', [8, 8]);
    const x = await runInternals(
      { chip, tenants: [tenant('lenet5', batch), tenant('resnet20-cifar', batch), tenant('squeezenet1_1', batch)], strategy: 'collaborative', objective: 'makespan', seed: 1 },
      { wasm, alone: 'analytic' },
    );
    const learned = x.candidates.find((c) => c.strategy === 'learning-rate')!;
    expect(x.chosen.outcome.deployment.rounds).toHaveLength(1);
    // The analytic model alone: within 10 % of the simulator on the candidate it helped choose.
    const lr = collaborativeStrategy(x.ctx);
    const simulated = simulateDeployment(lr.deployment, wasm, 1).sim.makespan_s;
    expect(evaluateDeployment(lr.deployment).makespanS / simulated).toBeGreaterThan(0.9);
    expect(evaluateDeployment(lr.deployment).makespanS / simulated).toBeLessThan(1.1);
    // The loop's own objective at its result is that result's simulated makespan (every point of
    // this small loop is simulated), and the referee can only improve on it.
    expect(lr.value).toBeCloseTo(simulated, 12);
    expect(learned.makespan_s).toBeLessThanOrEqual(simulated);
  }, 120_000);
});
