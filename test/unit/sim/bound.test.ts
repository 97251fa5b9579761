/**
 * The scenario lower bound (sim/bound.ts) that prunes runners-up before they are simulated:
 * hand-computed on small scenarios, never above the simulated makespan on real deployments, and
 * pruning with it changes no choice of a run (light-8x8 here, where it prunes; every study case
 * in `npm run study:full`).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { scenarioLowerBoundS } from '../../../src-main/engine/sim/bound';
import { simulate } from '../../../src-main/engine/sim';
import { scenarioFromDeployment } from '../../../src-main/engine/sim/from-deployment';
import { runInternals } from '../../../src-main/engine/pipeline/run';
import { caseChip, fullCases, STUDY_MIXES } from '../../../src-main/engine/pipeline/study';
import { toLayerGraph, zooGraph } from '../../../src-main/engine/workload';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { loadTestWasm } from './load-wasm';
import { handScenario, rowLayer, US } from './hand-scenario';

let wasm: RetileWasmExports;
beforeAll(async () => {
  wasm = await loadTestWasm();
});

const reop = (layer: number, copy: number, tile: number, tpu: number) => ({ layer, copy, piece: 0, tile, timePerUnitS: tpu, energyPerUnitJ: [0, 0, 0, 0, 0] });
const phase = (tenant: number, writeTimeS: number, after: number[] = []) => ({ tenant, writeTimeS, writeEnergyJ: 0, after });

describe('the scenario lower bound', () => {
  it('is a lone row after its phase is written: 2 us + 4 units x 1 us = 6 us, which the simulator meets', () => {
    const s = handScenario(1, [phase(0, 2 * US)], [rowLayer(0, 0, 4)], [reop(0, 0, 0, US)]);
    expect(scenarioLowerBoundS(s)).toBeCloseTo(6 * US, 15);
    expect(simulate(s, wasm).makespan_s).toBeCloseTo(6 * US, 15);
  });

  it('follows the chain: a consumer\'s last row after its producer (3 x 1 us), then phases in turn', () => {
    // producer: 3 units on one copy (3 us); consumer: 2 copies of 1 row x 2 units at 5 us, each copy
    // one unit (5 us) after the producer's last row: 8 us; a second phase after it, written in 1 us,
    // one unit of 1 us: 10 us.
    const s = handScenario(
      2,
      [phase(0, 0), phase(0, US, [0])],
      [rowLayer(0, 0, 3), rowLayer(0, 0, 2), rowLayer(0, 1, 1)],
      [reop(0, 0, 0, US), reop(1, 0, 1, 5 * US), reop(1, 1, 1, 5 * US), reop(2, 0, 0, US)],
      [{ from: 0, to: 1, scale: 1, offset: 0 }],
    );
    expect(scenarioLowerBoundS(s)).toBeCloseTo(10 * US, 15);
    expect(simulate(s, wasm).makespan_s).toBeGreaterThanOrEqual(10 * US * (1 - 1e-12));
  });

  it('never exceeds the simulated makespan, and pruning with it changes no choice (light-8x8)', async () => {
    const spec = fullCases().find((c) => c.id === 'light-8x8')!;
    const chip = caseChip(spec);
    const tenants = STUDY_MIXES[spec.mix]!.map((n) => ({ name: n, model: n, graph: toLayerGraph(zooGraph(n)), batch: 1, priority: 1 }));
    const req = { chip, tenants, strategy: 'collaborative' as const, objective: 'makespan' as const, seed: 1 };
    const pruned = await runInternals(req, { wasm, alone: 'analytic' });
    const full = await runInternals(req, { wasm, alone: 'analytic', prune: false });
    expect(pruned.pruned).toBeGreaterThan(0);
    expect(pruned.chosenName).toBe(full.chosenName);
    expect(pruned.candidates).toEqual(full.candidates);
    expect(pruned.chosen.simulated.sim).toEqual(full.chosen.simulated.sim);
    const simulated = [...Object.values(full.baselines), { deployment: full.chosen.outcome.deployment, simulated: full.chosen.simulated }];
    for (const b of simulated) {
      const bound = scenarioLowerBoundS(scenarioFromDeployment(b.deployment, { seed: 1, chargeInitialLoad: b.deployment.strategy === 'sequential' }).scenario);
      expect(bound, b.deployment.strategy).toBeLessThanOrEqual(b.simulated.sim.makespan_s);
    }
  });
});
