/**
 * The reproduction study (docs/study.md): chip scale and topology x tenant mixes of rising
 * complexity x capacity pressure. Each case runs `collaborative` (which simulates the three
 * baselines and the learning-rate, operator-only and tenant-only candidates on the way, so one
 * call yields them all) and `anneal`.
 * Pure: the host resolves models and writes files.
 */
import type { ChipSpec } from '../hardware/spec';
import { chipPreset, withMesh } from '../hardware/presets';
import { parseChipSpec } from '../hardware/check-spec';
import { crossbarsPerTile, tileCount } from '../hardware/costs';
import type { LayerGraph } from '../workload/ir';
import type { RetileWasmExports } from '../sim/wasm';
import { checkCancelled, NO_PROGRESS, type ProgressSink } from '../progress';
import { runInternals, type RunTenant } from './run';
import { simulateDeployment } from '../sim/referee';
import type { SimulationCache } from '../sim/cache';
import { annealStrategy } from '../optimize/anneal';
import { mapTenant } from '../mapping/mapped-tenant';
import { lowerBound } from '../evaluate/bound';
import { planLimits } from '../optimize/stage-levels';
import { gain } from '../report/multi-tenant';
import { STUDY_STRATEGIES, type StrategyFigures, type StudyCase } from '../report/study-report';
import { bestBaseline } from '../report/run-result';
import { peakFraction } from '../report/peak-fraction';

export type { StudyCase };

export const STUDY_MIXES: Record<string, string[]> = {
  // Small CNNs (the light multi-core mix of Stream, Symons et al., 2023, with SqueezeNet for MobileNet-class variety).
  light: ['resnet18', 'mobilenet_v2', 'squeezenet1_1'],
  // VGG / ResNet / GoogLeNet class (PIMCOMP-NN validated pool).
  medium: ['vgg16', 'resnet50', 'googlenet'],
  // The four-tenant mix of projects/examples/four-tenant-mix.json.
  four: ['resnet50', 'vgg16', 'mobilenet_v2', 'vit_b_16'],
  // Deep CNNs plus a transformer.
  heavy: ['resnet101', 'densenet121', 'bert_base'],
};

export interface StudyCaseSpec {
  id: string;
  preset: string;
  mesh: [number, number];
  topology?: 'torus';
  mix: string;
  /** Target pressure when the mesh was sized for it (pressure cases). */
  targetPressure?: number;
}

/** Chip of a case: preset rescaled; the torus variant is the preset's tile on a torus (one tile per router). */
export function caseChip(c: StudyCaseSpec): ChipSpec {
  const base = chipPreset(c.preset, c.mesh);
  if (c.topology !== 'torus') return base;
  const copy = structuredClone(base) as unknown as { topology: { kind: string; concentration: number } };
  copy.topology.kind = 'torus';
  copy.topology.concentration = 1;
  return parseChipSpec(copy, `${c.preset} torus ${c.mesh[0]}x${c.mesh[1]}`);
}

/** Square-ish mesh (rows x cols, cols a multiple of 2 for the cmesh) giving roughly the target pressure. */
export function meshForPressure(footprintCrossbars: number, chip: ChipSpec, pressure: number): [number, number] {
  const tiles = footprintCrossbars / (crossbarsPerTile(chip) * pressure);
  const side = Math.max(2, 2 * Math.round(Math.sqrt(tiles) / 2));
  return [side, side];
}

/** Five cases of the full study: three mixes, pressure 0.36 to 3.4, mesh, cmesh and torus. */
export function quickCases(): StudyCaseSpec[] {
  return [
    { id: 'light-8x8', preset: 'isaac', mesh: [8, 8], mix: 'light' },
    { id: 'light-16x16', preset: 'isaac', mesh: [16, 16], mix: 'light' },
    { id: 'medium-16x16', preset: 'isaac', mesh: [16, 16], mix: 'medium' },
    { id: 'four-32x32', preset: 'isaac', mesh: [32, 32], mix: 'four' },
    { id: 'medium-torus-32x32', preset: 'isaac', mesh: [32, 32], topology: 'torus', mix: 'medium' },
  ];
}

export function fullCases(): StudyCaseSpec[] {
  const out: StudyCaseSpec[] = [];
  for (const mix of ['light', 'medium', 'four', 'heavy']) {
    for (const s of [8, 16, 32, 64]) out.push({ id: `${mix}-${s}x${s}`, preset: 'isaac', mesh: [s, s], mix });
    out.push({ id: `${mix}-16x32`, preset: 'isaac', mesh: [16, 32], mix });
    out.push({ id: `${mix}-torus-32x32`, preset: 'isaac', mesh: [32, 32], topology: 'torus', mix });
  }
  return out;
}

export async function runStudyCase(
  spec: StudyCaseSpec,
  graphs: Record<string, LayerGraph>,
  wasm: RetileWasmExports,
  opts: { seed?: number; batch?: number; progress?: ProgressSink; clock?: () => number; simCache?: SimulationCache; prune?: boolean } = {},
): Promise<StudyCase> {
  const clock = opts.clock ?? (() => Date.now());
  const t0 = clock();
  const progress = opts.progress ?? NO_PROGRESS;
  const chip = caseChip(spec);
  const names = STUDY_MIXES[spec.mix]!;
  const tenants: RunTenant[] = names.map((n) => ({ name: n, model: n, graph: graphs[n]!, batch: opts.batch ?? 1, priority: 1 }));
  const seed = opts.seed ?? 1;
  const x = await runInternals({ chip, tenants, strategy: 'collaborative', objective: 'makespan', seed }, { wasm, progress, alone: 'analytic', simCache: opts.simCache, prune: opts.prune });
  checkCancelled(progress);
  const anneal = annealStrategy(x.ctx);
  const annealSim = simulateDeployment(anneal.deployment, wasm, seed, { cache: x.simCache }).sim;
  const results: StudyCase['results'] = {};
  for (const [k, b] of Object.entries(x.baselines)) results[k] = { makespan_s: b.simulated.sim.makespan_s, energy_j: b.simulated.sim.energy_j };
  for (const c of x.candidates) results[c.strategy] = { makespan_s: c.makespan_s, energy_j: c.energy_j };
  results.collaborative = { makespan_s: x.chosen.simulated.sim.makespan_s, energy_j: x.chosen.simulated.sim.energy_j };
  results.anneal = { makespan_s: annealSim.makespan_s, energy_j: annealSim.energy_j };
  const best = bestBaseline({ direct: results.direct!, balanced: results.balanced!, sequential: results.sequential! });
  const over = (base: string, field: 'makespan_s' | 'energy_j'): StrategyFigures =>
    Object.fromEntries(STUDY_STRATEGIES.map((k) => [k, gain(results[base]![field], results[k]![field])])) as unknown as StrategyFigures;
  const footprint = tenants.reduce((s, t, i) => s + mapTenant(i, t, chip).footprint, 0);
  return {
    id: spec.id,
    chip: chip.name,
    mesh: [chip.topology.rows, chip.topology.cols],
    topology: chip.topology.kind,
    mix: spec.mix,
    tenants: names,
    pressure: footprint / (tileCount(chip) * crossbarsPerTile(chip)),
    results,
    speedup: over('direct', 'makespan_s'),
    energy_gain: over('direct', 'energy_j'),
    best_baseline: best,
    speedup_vs_best: over(best, 'makespan_s'),
    energy_gain_vs_best: over(best, 'energy_j'),
    peak_fraction: peakFraction(chip, tenants, results.collaborative.makespan_s),
    lower_bound_s: lowerBound(chip, x.models, planLimits(chip, x.models)).makespanS,
    chosen: x.chosenName,
    seconds: (clock() - t0) / 1000,
  };
}

export { withMesh };
