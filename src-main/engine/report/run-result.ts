/**
 * The result document of one run (RunResult): the chosen deployment's simulated figures beside
 * the direct baseline, the analytic evaluation, the bound, per-layer rows, placement, timeline.
 * Pure formatting: every figure arrives computed (the pipeline composes them).
 */
import { bufferFigures } from './buffer-figures';
import type { ChipSpec } from '../hardware/spec';
import { chipSummary, crossbarsPerTile, tileCount } from '../hardware/costs';
import { resolvedComponents } from '../hardware/components';
import type { Deployment } from '../placement/types';
import { DIRECT_DEFINITION } from '../placement/direct';
import { writeWear } from '../placement/reprogram';
import type { StrategyName, ObjectiveName } from '../placement/spec';
import type { DeploymentEvaluation } from '../evaluate/deployment';
import { CERTIFYING_RATIO, type LowerBound } from '../evaluate/bound';
import type { Simulated } from '../sim/referee';
import type { SimResult } from '../sim/summary';
import type { LayerClass, TenantClassification } from '../optimize/classify';
import type { LayerResult, PlacedReOp, RunResult, TenantResult, TimelineBar, TraceRow } from './result';
import { gain, multiTenantMetrics } from './multi-tenant';
import { peakFraction } from './peak-fraction';
import { BASELINE_NAMES, type BaselineName } from '../optimize/baselines';
import { maxOf } from '../arrays';

/** Most Gantt bars kept in a RunResult; above it each re-operator's intervals merge into one bar. */
export const TIMELINE_MAX_BARS = 6000;

/** Everything the document shows, computed by the pipeline. */
export interface RunFigures {
  chip: ChipSpec;
  strategy: StrategyName;
  objective: ObjectiveName;
  seed: number;
  /** The chosen deployment, its simulation, its optimizer trace and tenant shares. */
  deployment: Deployment;
  simulated: Simulated;
  trace: TraceRow[];
  shares: number[];
  direct: SimResult;
  /** The three baselines simulated (direct among them), each with its definition and deployment. */
  baselines: Record<BaselineName, { sim: SimResult; definition: string; deployment: Deployment }>;
  /** Simulated turnaround of each tenant alone on the whole chip (the NTT reference). */
  aloneS: number[];
  analytic: DeploymentEvaluation;
  bound: LowerBound;
  /** Class of every layer of every deployed tenant. */
  layerClasses: LayerClass[][];
  /** Classification of every tenant as the optimizer saw it. */
  classification: (TenantClassification & { tenant: string })[];
  candidates: RunResult['candidates'];
  chosenCandidate: string;
  settings: RunResult['settings'];
  /** The analytic optimum and the run's gap to it (absent without a solver). */
  optimum?: RunResult['analytic_optimum'];
}

/** The fastest baseline under the simulator (ties: direct, balanced, sequential in that order). */
export function bestBaseline(b: Record<BaselineName, { makespan_s: number }>): BaselineName {
  return BASELINE_NAMES.reduce<BaselineName>((m, k) => (b[k].makespan_s < b[m].makespan_s ? k : m), BASELINE_NAMES[0]);
}

/** The `writes` field, only when the deployment reprograms at steady state. */
function wear(dep: Deployment, cycleS: number): Pick<RunResult, 'writes'> {
  const writes = writeWear(dep, cycleS);
  return writes ? { writes } : {};
}

export function runResult(x: RunFigures): RunResult {
  const { chip, analytic, bound } = x;
  const dep = x.deployment;
  const { sim, crossbars: scenXb } = x.simulated;
  const directSim = x.direct;
  const summary = chipSummary(chip);
  const N = tileCount(chip);
  const perTile = crossbarsPerTile(chip);
  const chipXb = N * perTile;

  const byTenant = dep.tenants.map((_, ti) => dep.reops.filter((r) => r.tenant === ti));
  // Multi-tenant metrics are over the spec's tenants: a tenant with request-level replicas
  // (placement/replicas.ts) turns around when its last replica does, its tail is its replicas'
  // worst, and its replicas' rows show its figures.
  const own = dep.tenants.map((t, ti) => t.replicaOf ?? ti);
  const spec = dep.tenants.flatMap((t, ti) => (t.replicaOf === undefined ? [ti] : []));
  const worst = (ti: number, f: (k: number) => number): number => maxOf(own.flatMap((o, k) => (o === ti ? [f(k)] : [])));
  const aloneS = dep.tenants.map((_, ti) => x.aloneS[own[ti]!]!);
  const mtSpec = multiTenantMetrics({
    turnaroundS: spec.map((ti) => worst(ti, (k) => sim.tenants[k]!.finish_s)),
    aloneS: spec.map((ti) => x.aloneS[ti]!),
    // SLAs are tail targets: met when the p99 latency is within sla_ms.
    latencyS: spec.map((ti) => worst(ti, (k) => sim.tenants[k]!.latency_p99_s)),
    slaS: spec.map((ti) => (dep.tenants[ti]!.slaMs !== undefined ? dep.tenants[ti]!.slaMs! / 1e3 : null)),
  });
  const row = (ti: number): number => spec.indexOf(own[ti]!);
  const mt = { ...mtSpec, ntt: dep.tenants.map((_, ti) => mtSpec.ntt[row(ti)]!), slaMet: dep.tenants.map((_, ti) => mtSpec.slaMet[row(ti)]!) };

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
      alone_s: aloneS[ti]!,
      share_tiles: x.shares[ti] ?? t.tiles.length,
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
    const classes = x.layerClasses[ti]!;
    const prof = analytic.tenants[ti]!.profile;
    const reops = byTenant[ti]!;
    t.graph.layers.forEach((l, li) => {
      const mine = reops.filter((r) => r.layer === li);
      const m = t.mapped.mappings[li]!;
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
        class: classes[li]!,
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

  const tl = sim.timeline;
  const reops = tl.tenant.length;
  const totalIntervals = tl.first[reops]!;
  const timeline: TimelineBar[] = [];
  for (let reop = 0; reop < reops; reop++) {
    const a = tl.first[reop]!;
    const b = tl.first[reop + 1]!;
    if (a === b) continue;
    const tenant = tl.tenant[reop]!;
    if (totalIntervals <= TIMELINE_MAX_BARS) for (let j = a; j < b; j++) timeline.push({ reop, tenant, start_s: tl.start[j]!, end_s: tl.end[j]! });
    else timeline.push({ reop, tenant, start_s: tl.start[a]!, end_s: tl.end[b - 1]! });
    if (timeline.length >= TIMELINE_MAX_BARS) break;
  }

  const makespan = sim.makespan_s;
  const baselines = Object.fromEntries(
    BASELINE_NAMES.map((k) => [k, { makespan_s: x.baselines[k].sim.makespan_s, energy_j: x.baselines[k].sim.energy_j, definition: x.baselines[k].definition, ...wear(x.baselines[k].deployment, x.baselines[k].sim.makespan_s) }]),
  ) as NonNullable<RunResult['baselines']>;
  const best = bestBaseline(baselines);
  const classification = x.classification.map((c) => ({
    tenant: c.tenant, area: c.counts.area, compute: c.counts.compute, balanced: c.counts.balanced, parallelism: c.parallelism, pipeline_depth: c.pipelineDepth,
  }));
  return {
    strategy: x.strategy,
    objective: x.objective,
    seed: x.seed,
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
    baselines,
    best_baseline: best,
    speedup_vs_best_baseline: gain(baselines[best].makespan_s, makespan),
    energy_gain_vs_best_baseline: gain(baselines[best].energy_j, sim.energy_j),
    peak_fraction: peakFraction(chip, dep.tenants, makespan),
    ...(x.optimum ? { analytic_optimum: x.optimum } : {}),
    seconds: 0,
    events_per_s: 0,
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
    trace: x.trace,
    layers,
    placement: { mesh: summary.mesh, reops: placement },
    energy_breakdown_j: sim.energy_by_component,
    energy_split_j: sim.energy_split,
    power_policy: chip.power_policy,
    pinned: resolvedComponents(chip).pinned,
    ...wear(dep, makespan),
    tile_busy_s: tileBusy,
    timeline,
    buffers: bufferFigures(sim),
    direct: { makespan_s: directSim.makespan_s, energy_j: directSim.energy_j },
    candidates: x.candidates,
    chosen_candidate: x.chosenCandidate,
    rounds: dep.rounds,
    classification,
    bound: {
      work_s: bound.workS,
      critical_path_s: bound.criticalPathS,
      reprogram_s: bound.reprogramS,
      stage_s: bound.stageS,
      buffer_port_s: bound.bufferPortS,
      noc_s: bound.nocS,
      binding: bound.binding,
      certifies: makespan <= CERTIFYING_RATIO * bound.makespanS,
    },
    settings: x.settings,
  };
}
