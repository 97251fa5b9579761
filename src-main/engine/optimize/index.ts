/**
 * The optimizer's entry point: one strategy on one set of tenants and a chip, evaluated by the
 * event simulator beside the direct baseline, with the lower bound and the multi-tenant metrics.
 * Same inputs and seed => the same RunResult apart from `seconds`.
 */
import type { ChipSpec } from '../hardware/spec';
import { chipSummary, crossbarsPerTile, tileCount } from '../hardware/costs';
import { resolvedComponents } from '../hardware/components';
import { mapLayer } from '../mapping/map-layer';
import type { ObjectiveName, StrategyName } from '../deploy/spec';
import type { Deployment } from '../deploy/types';
import { DIRECT_DEFINITION, directDeployment, evaluateDeployment } from '../deploy/direct';
import type { RetileWasmExports } from '../sim/wasm';
import type { LayerResult, PlacedReOp, RunResult, TenantResult, TimelineBar, TraceRow } from '../metrics/result';
import { gain, multiTenantMetrics } from '../metrics/multi-tenant';
import { checkCancelled, NO_PROGRESS, stagedProgress, type ProgressSink } from '../progress';
import { annealStrategy } from './anneal';
import { lowerBound } from './bound';
import { classifyTenant } from './classify';
import { deployPlans, singleCopyNeed } from './deploy-plans';
import { operatorLevel } from './operator-level';
import { OPTIMIZER_SETTINGS } from './settings';
import { simulateDeployment, type Simulated } from './simulate';
import { collaborativeStrategy, operatorStrategy, tenantStrategy, type StrategyContext, type StrategyOutcome } from './strategies';
import { tenantModel, type RunTenant, type TenantModel } from './tenant-model';
import { maxOf } from '../arrays';

export { OPTIMIZER_SETTINGS } from './settings';
export type { StrategyName, ObjectiveName } from '../deploy/spec';

export type { RunTenant } from './tenant-model';

export interface RunRequest {
  chip: ChipSpec;
  tenants: RunTenant[];
  strategy: StrategyName;
  objective: ObjectiveName;
  seed: number;
}

export interface RunContext {
  /** The Wasm module; without it the TypeScript reference of the event loop runs (tests only). */
  wasm?: RetileWasmExports;
  progress?: ProgressSink;
  /** Milliseconds (Date.now by default); only `seconds` depends on it. */
  clock?: () => number;
  /**
   * Tenants' alone times (simulated turnaround) when the caller already has them (the study
   * reuses them across strategies); keyed by tenant order.
   */
  aloneS?: number[];
  /** 'analytic' skips the alone simulations (the study needs no NTT); default 'simulated'. */
  alone?: 'simulated' | 'analytic';
}

/** Most Gantt bars kept in a RunResult; above it each re-operator's intervals merge into one bar. */
export const TIMELINE_MAX_BARS = 6000;

/** Everything runDeployment computes before it formats the result (used by the study as well). */
export interface RunInternals {
  models: TenantModel[];
  ctx: StrategyContext;
  direct: { deployment: Deployment; simulated: Simulated };
  chosen: { outcome: StrategyOutcome; simulated: Simulated };
  candidates: { strategy: string; makespan_s: number; energy_j: number }[];
  /** Which candidate produced the result (collaborative's portfolio; otherwise the strategy itself). */
  chosenName: string;
  aloneS: number[];
}

export async function runDeployment(req: RunRequest, ctx: RunContext): Promise<RunResult> {
  const clock = ctx.clock ?? (() => Date.now());
  const t0 = clock();
  const internals = await runInternals(req, ctx);
  const result = formatResult(req, internals);
  result.seconds = (clock() - t0) / 1000;
  return result;
}

export async function runInternals(req: RunRequest, rc: RunContext): Promise<RunInternals> {
  // Weights: the candidates' optimization and simulation dominate a run; the alone baselines are
  // one simulation per tenant on a smaller deployment.
  const progress = stagedProgress(rc.progress ?? NO_PROGRESS, [
    [['profile'], 1],
    [['direct baseline'], 2],
    [['optimize', 'simulate'], 6],
    [['alone baselines'], 2],
    [['metrics'], 0.5],
  ]);
  const { chip } = req;
  const N = tileCount(chip);
  progress.report('profile', 0);
  const models = req.tenants.map((t, i) => tenantModel(i, t, chip));
  const need = singleCopyNeed(models, chip);
  // Alone on the whole chip with its best duplication: the NTT reference, and the loops' scale.
  const alonePlans = models.map((tm) => operatorLevel(tm, chip, N, 'bottleneck'));
  const alone = alonePlans.map((p) => ({ runTimeS: p.runTimeS, latencyS: p.latencyS }));
  const ctx: StrategyContext = { chip, models, objective: req.objective, seed: req.seed, need, alone, progress };
  progress.report('profile', 1);
  checkCancelled(progress);

  progress.report('direct baseline', 0);
  const directDep = directDeployment(chip, req.tenants);
  const directSim = simulateDeployment(directDep, rc.wasm, req.seed);
  progress.report('direct baseline', 1);
  checkCancelled(progress);

  let chosen: { outcome: StrategyOutcome; simulated: Simulated };
  let chosenName: string = req.strategy;
  const candidates: RunInternals['candidates'] = [];
  const directOutcome = (): StrategyOutcome => ({ deployment: directDep, trace: [], shares: directDep.tenants.map((t) => t.tiles.length), plans: [], value: directSim.sim.makespan_s });
  const note = (name: string, s: Simulated): void => void candidates.push({ strategy: name, makespan_s: s.sim.makespan_s, energy_j: s.sim.energy_j });
  if (req.strategy === 'direct') {
    chosen = { outcome: directOutcome(), simulated: directSim };
    note('direct', directSim);
  } else if (req.strategy === 'collaborative') {
    // Portfolio by construction: the learning-rate candidate and the ablations' candidates are all
    // simulated; the fastest (ties: the earlier in this list) is the result, so collaborative is
    // never slower than tenant, operator or direct under the simulator.
    const built: [string, () => StrategyOutcome][] = [
      ['collaborative', () => collaborativeStrategy(ctx)],
      ['operator', () => operatorStrategy(ctx)],
      ['tenant', () => tenantStrategy(ctx)],
    ];
    let best: { outcome: StrategyOutcome; simulated: Simulated } | null = null;
    built.forEach(([name, make], k) => {
      progress.report('optimize', k / built.length);
      checkCancelled(progress);
      const outcome = make();
      progress.report('simulate', (k + 0.5) / built.length);
      const simulated = simulateDeployment(outcome.deployment, rc.wasm, req.seed);
      note(name, simulated);
      if (!best || simulated.sim.makespan_s < best.simulated.sim.makespan_s) best = { outcome, simulated };
    });
    note('direct', directSim);
    if (directSim.sim.makespan_s < best!.simulated.sim.makespan_s) best = { outcome: directOutcome(), simulated: directSim };
    const b = best!;
    chosenName = b.outcome.deployment.strategy;
    // The result is the collaborative strategy whichever candidate won; its trace is the learning loop's.
    const learned = b.outcome;
    chosen = {
      outcome: { ...learned, deployment: { ...learned.deployment, strategy: 'collaborative', definition: `${DEFINITIONS_COLLAB} Chosen candidate: ${learned.deployment.strategy}.` } },
      simulated: b.simulated,
    };
  } else {
    progress.report('optimize', 0);
    const outcome = req.strategy === 'tenant' ? tenantStrategy(ctx) : req.strategy === 'operator' ? operatorStrategy(ctx) : annealStrategy(ctx);
    checkCancelled(progress);
    progress.report('simulate', 0.5);
    const simulated = simulateDeployment(outcome.deployment, rc.wasm, req.seed);
    note(req.strategy, simulated);
    chosen = { outcome, simulated };
  }
  progress.report('simulate', 1);

  // Alone turnaround, simulated like the run (unless the caller has them).
  let aloneS = rc.aloneS ?? (rc.alone === 'analytic' ? alone.map((a) => a.runTimeS) : undefined);
  if (!aloneS) {
    aloneS = models.map((tm, i) => {
      checkCancelled(progress);
      progress.report('alone baselines', i / models.length);
      const solo: TenantModel = { ...tm, index: 0 };
      const dep = deployPlans(chip, 'alone', 'alone on the whole chip', [solo], [[0]], [N], [alonePlans[i]!]);
      return simulateDeployment(dep, rc.wasm, req.seed).sim.tenants[0]!.finish_s;
    });
  }
  progress.report('metrics', 1);
  return { models, ctx, direct: { deployment: directDep, simulated: directSim }, chosen, candidates, chosenName, aloneS };
}

const DEFINITIONS_COLLAB =
  'Collaborative (docs/method.md#step-2-tenant-level with docs/method.md#step-3-operator-level inside): learning-rate tenant-level partitioning with the operator level (Duplicator/Splitter) evaluated inside every share; the final deployment is the fastest by the event simulator among this candidate and the operator-only, tenant-only and direct candidates built from the same inputs.';

export function formatResult(req: RunRequest, x: RunInternals): RunResult {
  const { chip } = req;
  const dep = x.chosen.outcome.deployment;
  const { sim, reopOf, crossbars: scenXb } = x.chosen.simulated;
  const directSim = x.direct.simulated.sim;
  const summary = chipSummary(chip);
  const N = tileCount(chip);
  const perTile = crossbarsPerTile(chip);
  const chipXb = N * perTile;
  const analytic = evaluateDeployment(dep);
  const bound = lowerBound(chip, x.models);

  const byTenant = dep.tenants.map((_, ti) => dep.reops.filter((r) => r.tenant === ti));
  const mt = multiTenantMetrics({
    turnaroundS: sim.tenants.map((t) => t.finish_s),
    aloneS: x.aloneS,
    latencyS: sim.tenants.map((t) => t.latency_mean_s),
    slaS: dep.tenants.map((t) => (t.slaMs !== undefined ? t.slaMs / 1e3 : null)),
  });

  const tenants: TenantResult[] = dep.tenants.map((t, ti) => {
    const s = sim.tenants[ti]!;
    const reops = byTenant[ti]!;
    const copies = t.graph.layers.map(() => 1);
    for (const r of reops) copies[r.layer] = Math.max(copies[r.layer]!, r.copies);
    return {
      name: t.name,
      model: t.model,
      batch: t.batch,
      priority: t.priority,
      latency_s: s.latency_mean_s,
      p50_s: s.latency_p50_s,
      p99_s: s.latency_p99_s,
      finish_s: s.finish_s,
      throughput_ips: s.throughput_ips,
      energy_j: s.energy_j,
      energy_split_j: s.energy_split,
      tiles: t.tiles.length,
      crossbars: reops.reduce((a, r) => a + r.crossbars, 0),
      copies: copies.reduce((a, b) => a + b, 0),
      pieces: reops.length,
      phases: t.phases,
      ntt: mt.ntt[ti]!,
      sla_ms: t.slaMs ?? null,
      sla_met: mt.slaMet[ti]!,
      alone_s: x.aloneS[ti]!,
      share_tiles: x.chosen.outcome.shares[ti] ?? t.tiles.length,
    };
  });

  // Temporal utilization: busy crossbar-seconds over the chip's crossbar-seconds.
  let busyXbS = 0;
  sim.reop_busy_s.forEach((b, k) => (busyXbS += b * (scenXb[k] ?? 0)));
  // Allocated at once: per round, each member's largest phase.
  let allocatedAtOnce = 0;
  for (const members of dep.rounds) {
    let inRound = 0;
    for (const ti of members) {
      const perPhase = new Map<number, number>();
      for (const r of byTenant[ti]!) perPhase.set(r.phase, (perPhase.get(r.phase) ?? 0) + r.crossbars);
      inRound += Math.max(0, maxOf([...perPhase.values()]));
    }
    allocatedAtOnce = Math.max(allocatedAtOnce, inRound);
  }

  const layers: LayerResult[] = [];
  dep.tenants.forEach((t, ti) => {
    const tm = tenantModel(ti, { name: t.name, model: t.model, graph: t.graph, batch: t.batch, priority: t.priority }, chip);
    const cls = classifyTenant(tm, chip);
    const prof = analytic.tenants[ti]!.profile;
    const reops = byTenant[ti]!;
    t.graph.layers.forEach((l, li) => {
      const mine = reops.filter((r) => r.layer === li);
      const m = mapLayer(l, chip);
      layers.push({
        tenant: t.name,
        name: l.name,
        kind: l.kind,
        rows: l.rows,
        cols: l.cols,
        copies: Math.max(1, maxOf(mine.map((r) => r.copies))),
        pieces: mine.length,
        crossbars: mine.reduce((a, r) => a + r.crossbars, 0),
        mvms: l.mvms,
        latency_s: prof.layers[li]?.timeS ?? 0,
        energy_j: (prof.layers[li]?.energyJ ?? 0) * t.batch,
        utilization: m.utilization,
        class: cls.classes[li]!,
      });
    });
  });

  const placement: PlacedReOp[] = dep.reops.map((r) => ({
    tenant: r.tenant,
    layer: r.layer,
    layer_name: dep.tenants[r.tenant]!.graph.layers[r.layer]!.name,
    copy: r.copy,
    piece: r.piece,
    tile: r.tile,
    crossbars: r.crossbars,
  }));

  const tileBusy = new Array<number>(N).fill(0);
  for (const tb of sim.tile_busy_s) tileBusy[tb.tile] = tb.busy_s;

  const totalIntervals = sim.timeline.reduce((a, r) => a + r.intervals.length, 0);
  const timeline: TimelineBar[] = [];
  for (const row of sim.timeline) {
    if (row.intervals.length === 0) continue;
    if (totalIntervals <= TIMELINE_MAX_BARS) for (const [s, e] of row.intervals) timeline.push({ reop: row.reop, tenant: row.tenant, start_s: s, end_s: e });
    else timeline.push({ reop: row.reop, tenant: row.tenant, start_s: row.intervals[0]![0], end_s: row.intervals[row.intervals.length - 1]![1] });
    if (timeline.length >= TIMELINE_MAX_BARS) break;
  }
  void reopOf;

  const makespan = sim.makespan_s;
  const trace: TraceRow[] = x.chosen.outcome.trace;
  const classification = x.models.map((tm) => {
    const c = classifyTenant(tm, chip);
    return { tenant: tm.tenant.name, area: c.counts.area, compute: c.counts.compute, balanced: c.counts.balanced, parallelism: c.parallelism, pipeline_depth: c.pipelineDepth };
  });
  return {
    strategy: req.strategy,
    objective: req.objective,
    seed: req.seed,
    definition: dep.definition,
    direct_definition: DIRECT_DEFINITION,
    chip: { name: chip.name, mesh: summary.mesh, tiles: N, crossbars: chipXb },
    makespan_s: makespan,
    energy_j: sim.energy_j,
    edp_js: sim.energy_j * makespan,
    lower_bound_s: bound.makespanS,
    gap_to_bound: bound.makespanS > 0 ? makespan / bound.makespanS - 1 : 0,
    speedup_vs_direct: gain(directSim.makespan_s, makespan),
    energy_gain_vs_direct: gain(directSim.energy_j, sim.energy_j),
    seconds: 0,
    events: sim.events,
    tenants,
    metrics: {
      antt: mt.antt,
      stp: mt.stp,
      fairness: mt.fairness,
      jain: mt.jain,
      sla_rate: mt.slaRate,
      temporal_utilization: makespan > 0 ? busyXbS / (chipXb * makespan) : 0,
      spatial_utilization: analytic.utilization,
      allocated_fraction: allocatedAtOnce / chipXb,
    },
    analytic: {
      makespan_s: analytic.makespanS,
      energy_j: analytic.energyJ,
      tenants: analytic.tenants.map((t) => ({ name: t.name, latency_s: t.latencyS, throughput_ips: t.throughputIps, energy_j: t.energyJ })),
    },
    trace,
    layers,
    placement: { mesh: summary.mesh, reops: placement },
    energy_breakdown_j: sim.energy_by_component,
    energy_split_j: sim.energy_split,
    power_policy: chip.power_policy,
    pinned: resolvedComponents(chip).pinned,
    tile_busy_s: tileBusy,
    timeline,
    direct: { makespan_s: directSim.makespan_s, energy_j: directSim.energy_j },
    candidates: x.candidates,
    chosen_candidate: x.chosenName,
    rounds: dep.rounds,
    classification,
    bound: { work_s: bound.workS, critical_path_s: bound.criticalPathS, reprogram_s: bound.reprogramS },
    settings: { ...OPTIMIZER_SETTINGS },
  };
}
