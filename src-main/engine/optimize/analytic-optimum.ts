/**
 * The optimum over tile shares and per-layer copy counts under the analytic model's compute terms
 * (docs/method.md, "Analytic optimum"), from a mixed-integer program solved by HiGHS (Huangfu and
 * Hall, Math. Prog. Comp. 2018; the `highs` package, HiGHS compiled to WebAssembly). The solver
 * is injected, as the simulator's Wasm module is: the engine loads nothing.
 *
 * Copy counts are enumerated: layer l of tenant i takes one count from its candidates
 * k_1 = 1 < k_2 < ..., chosen by binaries y_ilj = 1 when it has at least k_j copies (y_ilj >=
 * y_il(j+1)), so the model's nonlinear stage time ceil(N_l / k) x t_l and area k x crossbars_l
 * become linear:
 *   minimize T
 *   T >= batch_i x stage_l(k_(j-1)) x (1 - y_ilj)                every tenant i, layer l, j >= 2
 *   sum_l (crossbars_l + sum_j (k_j - k_(j-1)) crossbars_l y_ilj) <= share_i x crossbars/tile
 *   1 + sum_j (k_j - k_(j-1)) y_ilj <= share_i                  digital layers (one copy per tile)
 *   sum_i share_i <= chip tiles, share_i >= 1 integer, T >= every stage at its last candidate.
 * Candidates: 1 <= k <= min(N_l, maxCopiesPerLayer) (copyCap), k x crossbars_l within the chip;
 * only the fewest copies of each distinct ceil(N_l / k) (more copies at the same time cannot help).
 */
import type highsLoader from 'highs';
import type { ChipSpec } from '../hardware/spec';
import { crossbarsPerTile, tileCount } from '../hardware/costs';
import type { MappedTenant } from '../mapping/mapped-tenant';
import type { Deployment } from '../placement/types';
import { chipCopyCap, copyCandidates, levelPlan, stageS, type StageTerms } from './stage-levels';
import { singleCopyNeed } from './deploy-plans';
import { maxOf } from '../arrays';

/**
 * 'compute' (a lower bound on every single-round, single-phase plan's analytic makespan) or 'noc',
 * the operator level's own model with the consumer-side NoC floor (what the optimizer optimizes;
 * not a bound on the placed evaluation).
 */
export { chipCopyCap, copyCandidates, stageS, type StageTerms };

export type HighsSolver = Awaited<ReturnType<typeof highsLoader>>;

/** Instances up to this many binary choices are solved; larger ones are reported as not covered. */
export const OPTIMUM_MAX_CHOICES = 4000;
/** HiGHS stops when the relative gap between its incumbent and its bound is at most this. */
export const OPTIMUM_REL_GAP = 1e-4;
/** HiGHS's limits on one solve; an instance it cannot prove optimal within them is reported as not covered. */
export interface SolveLimits {
  /** Branch-and-bound nodes: deterministic, the same instance stops at the same point on any machine. */
  maxNodes: number;
  /** Seconds, or null for none: a wall-clock guard, so the outcome can depend on the machine's load. */
  timeLimitS: number | null;
}
/**
 * A run's and the default limits. The instances measured (up to 707 copy choices) are proven
 * optimal at the root, in one or two nodes; 1000 nodes leave a wide margin and bound the search.
 * Time is the nodes' cost only on a pathological instance: 20 s stops it there, so a run never
 * hangs on the solver; tests pass `timeLimitS: null` (DETERMINISTIC_LIMITS).
 */
export const OPTIMUM_LIMITS: SolveLimits = { maxNodes: 1000, timeLimitS: 20 };
/** The node limit alone: the outcome is the same on an idle machine and a loaded one. */
export const DETERMINISTIC_LIMITS: SolveLimits = { maxNodes: OPTIMUM_LIMITS.maxNodes, timeLimitS: null };

export interface AnalyticOptimum {
  /** HiGHS's model status: always "Optimal" (the gap closed to OPTIMUM_REL_GAP). */
  status: 'Optimal';
  /** The best T found: max over tenants of batch x the slowest stage time (s). */
  makespanS: number;
  /** The relative MIP gap HiGHS proved: at most this (OPTIMUM_REL_GAP). */
  gap: number;
  /** What is certified: no plan of the program does better than makespanS x (1 - gap). */
  lowerBoundS: number;
  /** Tiles of each tenant. */
  shares: number[];
  /** Copies of each layer of each tenant. */
  copies: number[][];
  /** Binary copy choices in the program. */
  choices: number;
}

export type OptimumOutcome = { covered: true; optimum: AnalyticOptimum } | { covered: false; reason: string };

/**
 * The program in CPLEX LP format, times in microseconds (HiGHS's absolute tolerances are ~1e-6).
 * Incremental form: y_j = 1 when the layer has at least k_j copies (y_j >= y_j+1; k_1 = 1 always),
 * so the stage row "fewer than k_j copies => T >= stage(k_j-1)" and each area step are two-term rows.
 */
function buildProgram(chip: ChipSpec, models: MappedTenant[], terms: StageTerms): { lp: string; vars: Choice[] } {
  const perTile = crossbarsPerTile(chip);
  const tiles = tileCount(chip);
  const rows: string[] = [];
  const vars: Choice[] = [];
  const floor = programFloorS(chip, models, terms);
  let lowest = floor;
  models.forEach((tm, i) => {
    const area: string[] = [];
    let singleCopy = 0;
    tm.graph.layers.forEach((layer, l) => {
      const xb = tm.xb[l]!;
      // Counts faster than the floor are never needed: the fewest copies reaching it do as well with less area.
      const all = copyCandidates(layer.mvms, chipCopyCap(chip, tm, l));
      const reach = all.findIndex((k) => tm.batch * stageS(tm, l, k, terms) <= floor);
      const ks = reach < 0 ? all : all.slice(0, reach + 1);
      const time = ks.map((k) => tm.batch * stageS(tm, l, k, terms));
      lowest = Math.max(lowest, time[time.length - 1]!);
      const steps: { copies: number; name: string }[] = [];
      for (let j = 1; j < ks.length; j++) {
        const name = `y_${i}_${l}_${ks[j]}`;
        vars.push({ tenant: i, layer: l, k: ks[j]!, name });
        rows.push(` stage_${i}_${l}_${ks[j]}: T + ${fmt(time[j - 1]! * 1e6)} ${name} >= ${fmt(time[j - 1]! * 1e6)}`);
        if (j > 1) rows.push(` order_${i}_${l}_${ks[j]}: y_${i}_${l}_${ks[j - 1]} - ${name} >= 0`);
        steps.push({ copies: ks[j]! - ks[j - 1]!, name });
      }
      if (xb > 0) {
        singleCopy += xb;
        for (const st of steps) area.push(`${st.copies * xb} ${st.name}`);
      } else if (steps.length) rows.push(` digital_${i}_${l}: ${steps.map((st) => `${st.copies} ${st.name}`).join(' + ')} - s_${i} <= -1`);
    });
    if (area.length) rows.push(` area_${i}: ${area.join(' + ')} - ${perTile} s_${i} <= ${-singleCopy}`);
    else if (singleCopy > 0) rows.push(` area_${i}: ${perTile} s_${i} >= ${singleCopy}`);
  });
  rows.push(` chip: ${models.map((_, i) => `s_${i}`).join(' + ')} <= ${tiles}`);
  const lp = [
    'Minimize',
    ' obj: T',
    'Subject To',
    ...rows,
    'Bounds',
    ` T >= ${fmt(lowest * 1e6 * (1 - 1e-9))}`,
    // Implied by the area rows (one copy of every layer), stated for the relaxation.
    ...models.map((tm, i) => ` ${Math.max(1, Math.ceil(tm.xb.reduce((a, b) => a + b, 0) / perTile))} <= s_${i} <= ${tiles}`),
    'General',
    ...models.map((_, i) => ` s_${i}`),
    ...(vars.length ? ['Binary', ...vars.map((v) => ` ${v.name}`)] : []),
    'End',
  ].join('\n');
  return { lp, vars };
}

interface Choice {
  tenant: number;
  layer: number;
  k: number;
  name: string;
}

/**
 * A value the optimum cannot go below: the slowest stage at its copy cap (the fastest it can be),
 * and the work bound (every analog layer's crossbar-seconds spread over the whole chip; a stage of
 * k copies occupies k x crossbars for ceil(N / k) x t >= N x crossbars x t / k).
 */
function programFloorS(chip: ChipSpec, models: MappedTenant[], terms: StageTerms): number {
  const tiles = tileCount(chip);
  const chipXb = tiles * crossbarsPerTile(chip);
  let work = 0;
  let slowest = 0;
  for (const tm of models) {
    tm.graph.layers.forEach((layer, l) => {
      const xb = tm.xb[l]!;
      slowest = Math.max(slowest, tm.batch * stageS(tm, l, chipCopyCap(chip, tm, l), terms));
      work += tm.batch * layer.mvms * xb * tm.mvmTime[l]!;
    });
  }
  return Math.max(slowest, work / chipXb);
}

/** The program's objective for given copy counts: max over tenants of batch x slowest stage's compute time. */
export function programMakespanS(models: MappedTenant[], copies: number[][], terms: StageTerms = 'compute'): number {
  return maxOf(models.map((tm, i) => tm.batch * maxOf(tm.graph.layers.map((_, l) => stageS(tm, l, copies[i]![l]!, terms)))));
}

/** Copies of each layer of each tenant in a deployment (its re-operators' largest copy count). */
export function deploymentCopies(dep: Deployment): number[][] {
  const copies = dep.tenants.map((t) => t.graph.layers.map(() => 1));
  for (const r of dep.reops) copies[r.tenant]![r.layer] = Math.max(copies[r.tenant]![r.layer]!, r.copies);
  return copies;
}

/** LP-format number: plain decimal with enough digits for microsecond times. */
function fmt(x: number): string {
  return Number(x.toPrecision(12)).toString();
}

/** The program of one round's tenants, or why the instance is not covered (rounds, size); no solver needed to tell. */
type Prepared = { covered: false; reason: string } | { covered: true; lp: string; vars: Choice[] };

function prepareProgram(chip: ChipSpec, models: MappedTenant[], terms: StageTerms, maxChoices: number): Prepared {
  const need = singleCopyNeed(models, chip).reduce((a, b) => a + b, 0);
  if (need > tileCount(chip)) return { covered: false, reason: `the tenants need ${need} tiles with one copy of every layer, the chip has ${tileCount(chip)}: they run in rounds, which the program does not model` };
  const { lp, vars } = buildProgram(chip, models, terms);
  if (vars.length > maxChoices) return { covered: false, reason: `${vars.length} copy choices, above the ${maxChoices} the program is solved for` };
  return { covered: true, lp, vars };
}

function solveProgram(program: { lp: string; vars: Choice[] }, models: MappedTenant[], highs: HighsSolver, terms: StageTerms, limits: SolveLimits): OptimumOutcome {
  const { lp, vars } = program;
  const sol = highs.solve(lp, { mip_rel_gap: OPTIMUM_REL_GAP, mip_abs_gap: 0, mip_max_nodes: limits.maxNodes, ...(limits.timeLimitS === null ? {} : { time_limit: limits.timeLimitS }), output_flag: false });
  if (sol.Status !== 'Optimal') {
    const within = `${limits.maxNodes} branch-and-bound nodes${limits.timeLimitS === null ? '' : `, ${limits.timeLimitS} s`}`;
    return { covered: false, reason: `HiGHS did not prove an optimum within ${within}: "${sol.Status}"` };
  }
  const value = (name: string): number => {
    const col = sol.Columns[name];
    return col && 'Primal' in col ? col.Primal : NaN;
  };
  const copies = models.map((tm) => tm.graph.layers.map(() => 1));
  for (const v of vars) if (value(v.name) > 0.5) copies[v.tenant]![v.layer] = Math.max(copies[v.tenant]![v.layer]!, v.k);
  // The makespan from the chosen counts (exact), not the solver's scaled objective.
  const makespanS = programMakespanS(models, copies, terms);
  return {
    covered: true,
    optimum: {
      status: sol.Status,
      makespanS,
      gap: OPTIMUM_REL_GAP,
      lowerBoundS: makespanS * (1 - OPTIMUM_REL_GAP),
      shares: models.map((_, i) => Math.round(value(`s_${i}`))),
      copies,
      choices: vars.length,
    },
  };
}

/**
 * The analytic optimum of tenants that run together in one round (their single-copy needs fit the
 * chip together), or why the instance is not covered (rounds, size).
 */
export function analyticOptimum(chip: ChipSpec, models: MappedTenant[], highs: HighsSolver, terms: StageTerms = 'compute', maxChoices = OPTIMUM_MAX_CHOICES, limits = OPTIMUM_LIMITS): OptimumOutcome {
  const program = prepareProgram(chip, models, terms, maxChoices);
  return program.covered ? solveProgram(program, models, highs, terms, limits) : program;
}

/** A run solves the program only for instances up to this many copy choices (a few seconds at most; larger ones are reported as not covered). */
export const RUN_OPTIMUM_MAX_CHOICES = 300;

export const OPTIMUM_DEFINITION =
  'The optimum over whole-tile shares and per-layer copy counts of the tenants of one round (docs/method.md, "Analytic optimum"), under the operator level\'s stage model (compute time with the consumer-side NoC floor; objective batch x slowest stage): ' +
  'packed_makespan_s with the copies packed into tiles as every deployment packs them (exact, by a search over stage targets), packed_gap = plan_s / packed_makespan_s - 1, plan_s the run\'s own copies under the same model; ' +
  'makespan_s the same optimum with crossbars counted instead of packed tiles (fragments free), solved by HiGHS as a mixed-integer program when it has at most 300 copy choices, gap = plan_s / makespan_s - 1; ' +
  'compute_bound_s is the crossbar-counted optimum under compute time alone, a lower bound on the analytic makespan of every single-round, single-phase plan. Not modelled: pipeline fill, placement and link loads, rounds, phases.';

/** `analytic_optimum` of a run (RunResult): the optimum, its certified bound and the run's gap to it, or why not covered. */
export interface OptimumFigures {
  /** Whether HiGHS solved the crossbar-counted program ('not covered': rounds, or too many copy choices). */
  status: 'optimal' | 'not covered';
  /** Why the program is not covered, or why the gap is not shown. */
  reason: string | null;
  /** The crossbar-counted optimum under the operator level's stage model ('noc'), and what HiGHS certifies (less its MIP gap). */
  makespan_s: number | null;
  lower_bound_s: number | null;
  mip_gap: number | null;
  /** The optimum under compute time alone: a lower bound on every single-round, single-phase plan's analytic makespan. */
  compute_bound_s: number | null;
  /** The run's copies under the same stage model; null where the run's plan is not a point of the program (rounds, phases). */
  plan_s: number | null;
  /** plan_s over the crossbar-counted optimum, less 1. */
  gap: number | null;
  choices: number | null;
  /** The optimum with the copies packed into whole tiles as deployments pack them (optimize/stage-levels.ts); null with rounds. */
  packed_makespan_s: number | null;
  /** plan_s over packed_makespan_s, less 1: the distance to optimal under the operator level's whole model. */
  packed_gap: number | null;
  definition: string;
}

/**
 * The run's `analytic_optimum`: the packed optimum (no solver needed), both crossbar-counted
 * programs solved when small enough, the run's plan measured against them. `highs` may be a
 * loader: the solver (a 3 MB Wasm module) is then loaded only when a program is to be solved, not
 * for a run the program does not cover.
 */
export async function optimumFigures(chip: ChipSpec, models: MappedTenant[], dep: Deployment, highs: HighsSolver | (() => Promise<HighsSolver>), limits = OPTIMUM_LIMITS): Promise<OptimumFigures> {
  const oneRound = singleCopyNeed(models, chip).reduce((a, b) => a + b, 0) <= tileCount(chip);
  const packed = oneRound ? levelPlan(chip, models).valueS : null;
  // The run's plan is a point of the program only with one round of single-phase tenants on their own graphs (no request-level replicas).
  const point = oneRound && dep.rounds.length === 1 && dep.tenants.length === models.length && dep.tenants.every((t, i) => t.phases <= 1 && t.graph.layers.length === models[i]!.graph.layers.length);
  const planS = point ? programMakespanS(models, deploymentCopies(dep), 'noc') : null;
  const packedFigures = { packed_makespan_s: packed, packed_gap: planS !== null && packed !== null ? planS / packed - 1 : null };
  const notCovered = (reason: string): OptimumFigures => ({
    status: 'not covered', reason, makespan_s: null, lower_bound_s: null, mip_gap: null, compute_bound_s: null, plan_s: planS, gap: null, choices: null, ...packedFigures, definition: OPTIMUM_DEFINITION,
  });
  const nocProgram = prepareProgram(chip, models, 'noc', RUN_OPTIMUM_MAX_CHOICES);
  if (!nocProgram.covered) return notCovered(nocProgram.reason);
  const solver = typeof highs === 'function' ? await highs() : highs;
  const noc = solveProgram(nocProgram, models, solver, 'noc', limits);
  if (!noc.covered) return notCovered(noc.reason);
  const compute = analyticOptimum(chip, models, solver, 'compute', RUN_OPTIMUM_MAX_CHOICES, limits);
  const o = noc.optimum;
  return {
    status: 'optimal',
    reason: point ? null : 'the run\'s plan runs in rounds or phases, which the program does not model: no gap',
    makespan_s: o.makespanS,
    lower_bound_s: o.lowerBoundS,
    mip_gap: o.gap,
    compute_bound_s: compute.covered ? compute.optimum.lowerBoundS : null,
    plan_s: planS,
    gap: planS !== null ? planS / o.makespanS - 1 : null,
    choices: o.choices,
    ...packedFigures,
    definition: OPTIMUM_DEFINITION,
  };
}
