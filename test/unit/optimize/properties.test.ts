/**
 * The optimizer's properties on a representative set of study cases (study-properties.ts; the
 * full 24 cases run with `npm run study:full`), and per-run properties on two small cases: every
 * tenant gets area, every weight is resident or its reprogramming charged, placed crossbars match
 * the mapping, same seed -> identical JSON apart from `seconds`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { toLayerGraph, zooGraph, type LayerGraph } from '../../../src-main/engine/workload';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { quickCases, STUDY_MIXES, caseChip, type StudyCase } from '../../../src-main/engine/pipeline/study';
import { runDeployment } from '../../../src-main/engine/pipeline/run';
import { mapLayer } from '../../../src-main/engine/mapping/map-layer';
import { loadTestWasm } from '../sim/load-wasm';
import { describeStudyProperties, REPRESENTATIVE, runCases } from './study-properties';

let wasm: RetileWasmExports;
const graphs: Record<string, LayerGraph> = {};
const cases: StudyCase[] = [];

beforeAll(async () => {
  wasm = await loadTestWasm();
  for (const names of Object.values(STUDY_MIXES)) for (const n of names) graphs[n] ??= toLayerGraph(zooGraph(n));
  cases.push(...(await runCases(REPRESENTATIVE, wasm)));
}, 600_000);

describeStudyProperties(cases);

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
  }, 120_000);
  it('the same seed gives byte-identical JSON apart from seconds', async () => {
    const spec = quickCases()[0]!;
    const chip = caseChip(spec);
    for (const strategy of ['collaborative', 'anneal'] as const) {
      const req = { chip, tenants: tenantsOf(spec.mix), strategy, objective: 'fairness' as const, seed: 7 };
      const a = await runDeployment(req, { wasm, clock: () => 0 });
      const b = await runDeployment(req, { wasm, clock: () => 0 });
      expect(JSON.stringify({ ...a, seconds: 0 })).toBe(JSON.stringify({ ...b, seconds: 0 }));
    }
  }, 120_000);
});
