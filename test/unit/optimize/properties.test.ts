/**
 * Acceptance properties of the optimizer on every case of the full study (24 cases, ~20 s), with the real Wasm simulator:
 * collaborative never slower than direct, tenant or operator; anneal never better than
 * collaborative by more than the documented margin; no tenant without area; every weight
 * resident or its reprogramming charged; same seed -> identical JSON apart from `seconds`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { toLayerGraph, zooGraph, type LayerGraph } from '../../../src-main/engine/workload';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { fullCases, quickCases, runStudyCase, STUDY_MIXES, caseChip, type StudyCase } from '../../../src-main/engine/optimize/study';
import { runDeployment } from '../../../src-main/engine/optimize';
import { OPTIMIZER_SETTINGS } from '../../../src-main/engine/optimize/settings';
import { mapLayer } from '../../../src-main/engine/mapping/map-layer';
import { loadTestWasm } from '../sim/load-wasm';

let wasm: RetileWasmExports;
const graphs: Record<string, LayerGraph> = {};
const cases: StudyCase[] = [];

beforeAll(async () => {
  wasm = await loadTestWasm();
  for (const names of Object.values(STUDY_MIXES)) for (const n of names) graphs[n] ??= toLayerGraph(zooGraph(n));
  for (const spec of fullCases()) cases.push(await runStudyCase(spec, graphs, wasm));
}, 300_000);

describe('study properties (every case)', () => {
  it('collaborative is never slower (simulated makespan) than direct, tenant or operator', () => {
    for (const c of cases) {
      const m = c.results.collaborative!.makespan_s;
      for (const k of ['direct', 'tenant', 'operator']) expect(m, `${c.id} vs ${k}`).toBeLessThanOrEqual(c.results[k]!.makespan_s);
    }
  });
  it(`anneal never beats collaborative by more than ${OPTIMIZER_SETTINGS.annealMargin * 100} %`, () => {
    for (const c of cases) expect(c.results.anneal!.makespan_s, c.id).toBeGreaterThanOrEqual((1 - OPTIMIZER_SETTINGS.annealMargin) * c.results.collaborative!.makespan_s);
  });
  it('no result beats the lower bound', () => {
    for (const c of cases) for (const [k, r] of Object.entries(c.results)) expect(r.makespan_s, `${c.id} ${k}`).toBeGreaterThanOrEqual(c.lower_bound_s);
  });
});

describe('run results', () => {
  const tenantsOf = (mix: string) => STUDY_MIXES[mix]!.map((n) => ({ name: n, model: n, graph: graphs[n]!, batch: 2, priority: 1 }));
  it('every strategy gives every tenant area, and every weight is resident or its reprogramming charged', async () => {
    // light-8x8 has pressure > 1 (rounds and phases); light-16x16 fits at once.
    for (const spec of quickCases().slice(0, 2)) {
      const chip = caseChip(spec);
      for (const strategy of ['direct', 'tenant', 'operator', 'collaborative', 'anneal'] as const) {
        const r = await runDeployment({ chip, tenants: tenantsOf(spec.mix), strategy, objective: 'makespan', seed: 3 }, { wasm, alone: 'analytic' });
        for (const t of r.tenants) {
          expect(t.tiles, `${spec.id} ${strategy} ${t.name}`).toBeGreaterThan(0);
          expect(t.crossbars).toBeGreaterThan(0);
        }
        // Each layer: crossbars placed = copies x one copy's footprint (all pieces present).
        for (const l of r.layers) {
          if (l.kind === 'matmul') continue;
          expect(l.crossbars % l.copies, `${l.tenant}/${l.name}`).toBe(0);
        }
        const phased = r.tenants.some((t) => t.phases > 1) || (r.rounds?.length ?? 1) > 1;
        if (phased) expect(r.energy_breakdown_j.reprogram, `${spec.id} ${strategy}`).toBeGreaterThan(0);
      }
    }
  }, 120_000);
  it('placed crossbars match the mapping of every layer copy', async () => {
    const spec = quickCases()[1]!;
    const chip = caseChip(spec);
    const r = await runDeployment({ chip, tenants: tenantsOf(spec.mix), strategy: 'collaborative', objective: 'makespan', seed: 1 }, { wasm, alone: 'analytic' });
    const byName = new Map(STUDY_MIXES[spec.mix]!.map((n) => [n, graphs[n]!]));
    for (const l of r.layers) {
      const g = byName.get(l.tenant)!;
      const layer = g.layers.find((x) => x.name === l.name);
      if (!layer || l.kind === 'matmul') continue;
      expect(l.crossbars, `${l.tenant}/${l.name}`).toBe(l.copies * mapLayer(layer, chip).crossbars);
    }
  }, 60_000);
  it('the same seed gives byte-identical JSON apart from seconds', async () => {
    const spec = quickCases()[0]!;
    const chip = caseChip(spec);
    for (const strategy of ['collaborative', 'anneal'] as const) {
      const req = { chip, tenants: tenantsOf(spec.mix), strategy, objective: 'fairness' as const, seed: 7 };
      const a = await runDeployment(req, { wasm, clock: () => 0 });
      const b = await runDeployment(req, { wasm, clock: () => 0 });
      expect(JSON.stringify({ ...a, seconds: 0 })).toBe(JSON.stringify({ ...b, seconds: 0 }));
    }
  }, 60_000);
});
