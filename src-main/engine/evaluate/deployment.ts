/**
 * The analytic evaluation of any deployment (direct or optimized) with the profiler's model:
 * rounds, phases, reprogramming, makespan, energy. The optimizer receives it as its evaluator;
 * the pipeline reports it beside the simulated figures.
 */
import type { LayerGraph } from '../workload/ir';
import { tileCount } from '../hardware/costs';
import { allocatedTileStaticJ, idleTilesStaticJ, powerParams, energySplit, type EnergySplit } from '../hardware/power-policy';
import { addEnergy, totalEnergy, zeroEnergy, type EnergyBreakdown, type ReopCosts } from '../mapping/reop';
import type { DeployedTenant, Deployment, ReOperator } from '../placement/types';
import type { ChipSpec } from '../hardware/spec';
import type { Reprogram } from '../placement/reprogram';
import { loadCharged, reprogramOf, rewritesEachCycle } from '../placement/reprogram';
import { finishProfile, pipelineTimes, prepareProfile, prepareTiming, type PipelineBase, type PipelineTimes, type ProfileBase, type TenantProfile, type TimingOptions } from './profile-tenant';
import { deploymentLinkLoads, distinctTiles, placedLinkLoads, roundBackground, runLinkLoads, type LayerLinks, type LinkSeconds } from './link-load';
import { maxOf } from '../arrays';
import { bufferFit, heldApart, runPart, tenantFitParts, type FitPart } from '../placement/buffer-fit';
import { runTile, type RunDeployment, type TileMap } from '../placement/placed-run';
import { spilledReopCosts } from '../placement/spilled-costs';
import { crossPieceAdds, rowPiecesOf } from '../placement/row-merge';
import { actionCosts } from '../hardware/action-costs';

export interface TenantEvaluation {
  name: string;
  model: string;
  batch: number;
  phases: number;
  round: number;
  tiles: number;
  crossbars: number;
  utilization: number;
  /** Single-inference latency (sum over phases when phased). */
  latencyS: number;
  /** Steady-state initiation interval (the slowest stage over all phases). */
  intervalS: number;
  /** 1 / interval; for a phased tenant, batch / run time (reprogramming included). */
  throughputIps: number;
  /** Time to run the batch: per phase latency + (batch - 1) x interval, plus reprogramming between phases. */
  runTimeS: number;
  /** Start and finish within the whole run (round start + reprogramming + run time). */
  startS: number;
  finishS: number;
  /** Dynamic energy of one inference (leakage excluded). */
  energyPerInferenceJ: number;
  /** Energy of the batch: dynamic, its own reprogramming, and its tiles' static energy under the power policy. */
  energy: EnergyBreakdown;
  energyJ: number;
  /** energy split into dynamic, static on its tiles and reprogramming (sums to energyJ). */
  energySplit: EnergySplit;
  profile: TenantProfile;
}

export interface RoundEvaluation {
  tenants: number[];
  reprogramS: number;
  reprogramJ: number;
  /** Until the round's last tenant finishes: each starts once its weights are in (loads share the off-chip link, in order). */
  timeS: number;
}

export interface DeploymentEvaluation {
  strategy: string;
  definition: string;
  makespanS: number;
  /** Everything: dynamic energy of all batches, reprogramming, and static energy under the power policy. */
  energy: EnergyBreakdown;
  energyJ: number;
  /** Dynamic, static on allocated tiles, static on idle tiles (policy none), reprogramming (sums to energyJ). */
  energySplit: EnergySplit;
  rounds: RoundEvaluation[];
  tenants: TenantEvaluation[];
  /** Mapped / allocated cells over every placed re-operator. */
  utilization: number;
  /** Most tiles in use at once (over rounds and phases) / chip tiles. */
  tileOccupancy: number;
}

/**
 * What a tenant's evaluation does not owe to the other tenants of its round: its profile's base
 * (the whole tenant, and each phase when phased), its energies, its writes. Only the pipeline's
 * times depend on the others (their link loads are its background). Kept by the tenant's first
 * re-operator object: the optimizer's deployments share a tenant's re-operators, costs and link
 * loads while its plan and tiles do not change (optimize/deploy-plans.ts), and a hit needs the
 * very same ones, with the same spill, graph, mappings and chip.
 */
interface TenantStatic {
  chip: ChipSpec;
  graph: LayerGraph;
  mapped: DeployedTenant['mapped'];
  phases: number;
  tiles: number;
  reops: ReOperator[];
  costs: ReopCosts[];
  spill: number[];
  links: LayerLinks[];
  base: ProfileBase;
  /** Each phase's base and the write its run pays (phased tenants only). */
  phaseParts: { base: ProfileBase; write: Reprogram | null }[];
  dynamicPerInference: EnergyBreakdown;
  /** Tile-seconds of computation per inference (power policy idle): each layer busy on its tiles. */
  busyTileS: number;
  crossbars: number;
  /** The load of its first phase, once asked for. */
  firstLoad?: Reprogram;
}

const staticMemo = new WeakMap<ReOperator, TenantStatic>();

/** Other tenants' loads on a tenant's links during its round (link-load.ts roundBackground). */
type Background = LinkSeconds;

function sameStatic(k: TenantStatic, chip: ChipSpec, t: DeployedTenant, reops: ReOperator[], costs: ReopCosts[], spill: number[], links: LayerLinks[]): boolean {
  if (k.chip !== chip || k.graph !== t.graph || k.mapped !== t.mapped || k.phases !== t.phases || k.tiles !== t.tiles.length || k.links !== links) return false;
  if (k.reops.length !== reops.length || k.spill.length !== spill.length) return false;
  if (k.reops !== reops || k.costs !== costs) for (let i = 0; i < reops.length; i++) if (k.reops[i] !== reops[i] || k.costs[i] !== costs[i]) return false;
  for (let i = 0; i < spill.length; i++) if (!Object.is(k.spill[i], spill[i])) return false;
  return true;
}

function tenantStatic(chip: ChipSpec, t: DeployedTenant, reops: ReOperator[], placed: ReopCosts[], spill: number[], links: LayerLinks[]): TenantStatic {
  const first = reops[0];
  const known = first ? staticMemo.get(first) : undefined;
  if (known && sameStatic(known, chip, t, reops, placed, spill, links)) return known;
  const mappings = t.mapped.mappings;
  const { copies, layerTiles } = layerCopiesTiles(t, reops);
  // Energy per MVM of each layer as placed: every piece of a copy (a copy's MVM runs on all of them).
  const energyPerMvm = t.graph.layers.map(() => zeroEnergy());
  reops.forEach((r, k) => addEnergy(energyPerMvm[r.layer]!, placed[k]!.energyPerMvmJ, 1 / copies[r.layer]!));
  // A row-split copy's pieces merge at its gather tile, as the simulator charges it.
  const shiftAddJ = actionCosts(chip).actions.shiftAdd.energyJ;
  const rowPieces = t.graph.layers.map((): ReOperator[] => []);
  for (const r of reops) if (r.rowSplit) rowPieces[r.layer]!.push(r);
  rowPieces.forEach((pieces, li) => {
    if (pieces.length > 1) energyPerMvm[li]!.sa += crossPieceAdds(mappings[li]!, pieces) * shiftAddJ;
  });
  const rowPieceCount = rowPieces.map((pieces, li) => (pieces.length > 1 ? rowPiecesOf(mappings[li]!, pieces) : 1));
  const base = prepareProfile(t.graph, chip, { mappings, costs: t.mapped.costs, copies, layerTiles, tiles: t.tiles.length, leakage: 'none', links: { layers: links }, spillBytesPerMvm: spill, energyPerMvm, rowPieces: rowPieceCount });
  const phaseParts = phaseBases(chip, t, reops, copies, layerTiles, spill, links, (graph, c, opts) => prepareProfile(graph, c, { ...opts, leakage: 'none' }));
  const dynamicPerInference = { ...base.energy, leakage: 0 };
  const busyTileS = base.layers.reduce((a, l, i) => a + l.timeS * Math.max(1, layerTiles[i]!.length), 0);
  const made: TenantStatic = {
    chip,
    graph: t.graph,
    mapped: t.mapped,
    phases: t.phases,
    tiles: t.tiles.length,
    reops,
    costs: placed,
    spill,
    links,
    base,
    phaseParts,
    dynamicPerInference,
    busyTileS,
    crossbars: reops.reduce((s, r) => s + r.crossbars, 0),
  };
  if (first) staticMemo.set(first, made);
  return made;
}

/**
 * Each phase's base (its layers as a graph of their own, by `prepare`: the whole profile's or the
 * pipeline's alone) and the write its run pays; none for a tenant in one phase.
 */
function phaseBases<B>(
  chip: ChipSpec,
  t: DeployedTenant,
  reops: ReOperator[],
  copies: number[],
  layerTiles: number[][],
  spill: number[],
  links: LayerLinks[],
  prepare: (graph: LayerGraph, chip: ChipSpec, opts: TimingOptions) => B,
): { base: B; write: Reprogram | null }[] {
  const phaseParts: { base: B; write: Reprogram | null }[] = [];
  const phases = Math.max(1, t.phases);
  if (phases === 1) return phaseParts;
  const mappings = t.mapped.mappings;
  for (let ph = 0; ph < phases; ph++) {
    const mine = reops.filter((r) => r.phase === ph);
    const sub = subGraph(t.graph, new Set(mine.map((r) => r.layer)));
    const base = prepare(sub.graph, chip, {
      mappings: sub.keep.map((i) => mappings[i]!),
      costs: sub.keep.map((i) => t.mapped.costs[i]!),
      copies: sub.keep.map((i) => copies[i]!),
      layerTiles: sub.keep.map((i) => layerTiles[i]!),
      links: { layers: sub.keep.map((i) => links[i]!) },
      spillBytesPerMvm: sub.keep.map((i) => spill[i]!),
    });
    phaseParts.push({ base, write: loadCharged(ph, 0, false) ? reprogramOf(chip, mappings, mine) : null });
  }
  return phaseParts;
}

/** What a tenant's times read: its phases, its pipeline's base (the whole tenant, and each phase when phased) and the writes between phases. */
interface TenantTimes {
  phases: number;
  base: PipelineBase;
  phaseParts: { base: PipelineBase; write: Reprogram | null }[];
}

/**
 * The part of a tenant's static that its times need (tenantTimes), for the makespan alone: the
 * pipeline's bases (prepareTiming: stage times and edges' transfers, the same numbers as
 * prepareProfile's) and the phases' writes, without energies, NoC bytes or spilled costs per
 * re-operator, which only the whole evaluation reads. Kept by the tenant's first re-operator
 * object, as the whole static; a hit needs the very same re-operators, spill, link loads, graph,
 * mappings and chip.
 */
interface TenantTiming extends TenantTimes {
  chip: ChipSpec;
  graph: LayerGraph;
  mapped: DeployedTenant['mapped'];
  reops: ReOperator[];
  spill: number[];
  links: LayerLinks[];
  /** The run time under the last background met (runTimeIn): the round's members, their link loads and batches. */
  lastRun?: { batch: number; round: number[]; loads: (LayerLinks[] | undefined)[]; batches: number[]; runTimeS: number };
}

/** By the tenant's first re-operator, or by its placed run (runDeploymentMakespan). */
const timingMemo = new WeakMap<object, TenantTiming>();

function sameTiming(k: TenantTiming, chip: ChipSpec, t: DeployedTenant, reops: ReOperator[], spill: number[], links: LayerLinks[]): boolean {
  if (k.chip !== chip || k.graph !== t.graph || k.mapped !== t.mapped || k.phases !== t.phases || k.links !== links) return false;
  if (k.reops.length !== reops.length || k.spill.length !== spill.length) return false;
  if (k.reops !== reops) for (let i = 0; i < reops.length; i++) if (k.reops[i] !== reops[i]) return false;
  for (let i = 0; i < spill.length; i++) if (!Object.is(k.spill[i], spill[i])) return false;
  return true;
}

/**
 * Each layer's copies and distinct tiles (first met order) among a tenant's re-operators, as
 * tenantStatic finds them; `tiles` maps a placed run's positions to tiles (placement/placed-run.ts).
 */
function layerCopiesTiles(t: DeployedTenant, reops: ReOperator[], tiles?: TileMap): { copies: number[]; layerTiles: number[][] } {
  const n = t.graph.layers.length;
  const copies = new Array<number>(n).fill(1);
  const byLayer: ReOperator[][] = Array.from({ length: n }, () => []);
  let tileSpan = 0;
  for (const r of reops) {
    copies[r.layer] = Math.max(copies[r.layer]!, r.copies);
    byLayer[r.layer]!.push(r);
    const tile = tiles ? runTile(tiles, r.tile) : r.tile;
    if (tile >= tileSpan) tileSpan = tile + 1;
  }
  const layerTiles = distinctTiles(byLayer, tileSpan, tiles);
  return { copies, layerTiles };
}

/**
 * A tenant's timing, kept by `key` (its first re-operator, or the placed run its re-operators are
 * the run's of, `tiles` mapping their positions: the phases' writes read no tile number).
 */
function tenantTiming(chip: ChipSpec, t: DeployedTenant, reops: ReOperator[], spill: number[], links: LayerLinks[], key: object | undefined = reops[0], tiles?: TileMap): TenantTiming {
  const known = key ? timingMemo.get(key) : undefined;
  if (known && sameTiming(known, chip, t, reops, spill, links)) return known;
  const mappings = t.mapped.mappings;
  const { copies, layerTiles } = layerCopiesTiles(t, reops, tiles);
  const base = prepareTiming(t.graph, chip, { mappings, costs: t.mapped.costs, copies, layerTiles, links: { layers: links }, spillBytesPerMvm: spill });
  const phaseParts = phaseBases(chip, t, reops, copies, layerTiles, spill, links, prepareTiming);
  const made: TenantTiming = { chip, graph: t.graph, mapped: t.mapped, phases: t.phases, reops, spill, links, base, phaseParts };
  if (key) timingMemo.set(key, made);
  return made;
}

/**
 * A tenant's latency, interval and batch run time (per phase when phased, with the writes between
 * phases), given the pipeline's times of its whole profile (`whole`, used when it runs in one
 * phase) and its round's background.
 */
function tenantTimes(st: TenantTimes, batch: number, whole: PipelineTimes | null, background: Background | undefined): { latencyS: number; intervalS: number; runTimeS: number; reprogramJ: number } {
  if (Math.max(1, st.phases) === 1) {
    const w = whole ?? pipelineTimes(st.base, background);
    return { latencyS: w.latencyS, intervalS: w.intervalS, runTimeS: w.latencyS + (batch - 1) * w.intervalS, reprogramJ: 0 };
  }
  let latency = 0;
  let interval = 0;
  let runTime = 0;
  let reprogramJ = 0;
  for (const part of st.phaseParts) {
    const sub = pipelineTimes(part.base, background);
    latency += sub.latencyS;
    interval = Math.max(interval, sub.intervalS);
    runTime += sub.latencyS + (batch - 1) * sub.intervalS;
    if (part.write) {
      runTime += part.write.timeS;
      reprogramJ += part.write.energyJ;
    }
  }
  return { latencyS: latency, intervalS: interval, runTimeS: runTime, reprogramJ };
}

/** Each round member's start after the round's start: its first phase's weights in over the one off-chip link, in member order. */
function roundStarts(members: number[], ri: number, steadyLoads: boolean, firstLoad: (ti: number) => Reprogram): { offsets: Map<number, number>; reprogramJ: number } {
  let reprogramJ = 0;
  const offsets = new Map<number, number>();
  let linkFree = 0;
  for (const ti of members) {
    if (!loadCharged(0, ri, steadyLoads)) {
      offsets.set(ti, 0);
      continue;
    }
    const load = firstLoad(ti);
    offsets.set(ti, linkFree + Math.max(load.transferS, load.programS));
    linkFree += load.transferS;
    reprogramJ += load.energyJ;
  }
  return { offsets, reprogramJ };
}

/** The write of a tenant's first phase (its re-operators of phase 0), once per tenant static. */
function staticFirstLoad(chip: ChipSpec, t: DeployedTenant, s: TenantStatic): Reprogram {
  return (s.firstLoad ??= reprogramOf(chip, t.mapped.mappings, s.reops.filter((r) => r.phase === 0)));
}

/**
 * The write of the first phase of a tenant's fit part, once per part: the placement orders'
 * parts mapped from one run (placement/buffer-fit.ts) share their run's, as the write's figures
 * do not depend on tile numbers (sums in re-operator order, the slowest tile's programming).
 */
const partLoads = new WeakMap<FitPart, Reprogram>();

function partFirstLoad(chip: ChipSpec, t: DeployedTenant, p: FitPart): Reprogram {
  const key = p.source ?? p;
  let load = partLoads.get(key);
  if (!load) partLoads.set(key, (load = reprogramOf(chip, t.mapped.mappings, key.reops.filter((r) => r.phase === 0))));
  return load;
}

/**
 * The analytic makespan of a deployment alone, the same number as evaluateDeployment's
 * `makespanS` (the same arithmetic, in the same order), for choosing among placements
 * (optimize/deploy-plans.ts): it reads each tenant's buffer-fit part, link loads and profile
 * base where they are kept and adds up no energy. A deployment whose fit is not tenant by tenant
 * (two tenants on a tile of one round and phase) is evaluated whole.
 */
export function deploymentMakespan(dep: Deployment): number {
  const parts = tenantFitParts(dep);
  if (!parts || parts.length !== dep.tenants.length || parts.some((p, ti) => p.reops[0]!.tenant !== ti)) return evaluateDeployment(dep).makespanS;
  const chip = dep.chip;
  const layers = parts.map((p, ti) => {
    const t = dep.tenants[ti]!;
    return placedLinkLoads(chip, t.graph, t.mapped.mappings, p.reops, p.costs);
  });
  const statics = parts.map((p, ti) => {
    const t = dep.tenants[ti]!;
    return tenantTiming(chip, t, p.reops, layerSpill(p, t.graph.layers.length), layers[ti]!);
  });
  return roundsClock(dep, rewritesEachCycle(dep), (ti) => partFirstLoad(chip, dep.tenants[ti]!, parts[ti]!), statics, layers);
}

/**
 * The makespan of a deployment whose re-operators are not made yet, from its tenants' placed runs
 * (placement/placed-run.ts): the same number as deploymentMakespan of the deployment made from
 * them, from the same fit parts, link loads and timing (tiles mapped from the runs' positions).
 * Undefined where that one would evaluate the deployment whole (a tenant without re-operators,
 * or a tile of one round and phase held by two tenants): then the caller makes the deployment.
 */
export function runDeploymentMakespan(dep: RunDeployment): number | undefined {
  const n = dep.tenants.length;
  if (dep.runs.length !== n || dep.runs.some((p) => p.run.length === 0)) return undefined;
  const chip = dep.chip;
  const roundOf = new Map<number, number>();
  dep.rounds.forEach((members, ri) => members.forEach((t) => roundOf.set(t, ri)));
  const parts = dep.runs.map((p, ti) => runPart(dep, p, roundOf.get(ti) ?? 0));
  if (!heldApart(parts.map((p) => p.held))) return undefined;
  const layers = dep.runs.map((p, ti) => {
    const t = dep.tenants[ti]!;
    return runLinkLoads(chip, t.graph, t.mapped.mappings, p);
  });
  const statics = dep.runs.map((p, ti) => {
    const t = dep.tenants[ti]!;
    return tenantTiming(chip, t, p.run, layerSpill(parts[ti]!.source, t.graph.layers.length), layers[ti]!, p, p);
  });
  return roundsClock(dep, rewritesEachCycle(dep), (ti) => partFirstLoad(chip, dep.tenants[ti]!, parts[ti]!.source), statics, layers);
}

/** The makespan: the rounds one after another, each as long as its last tenant's start and batch run. */
function roundsClock(dep: Pick<Deployment, 'chip' | 'tenants' | 'rounds'>, steadyLoads: boolean, firstLoad: (ti: number) => Reprogram, statics: TenantTiming[], layers: LayerLinks[][]): number {
  let clock = 0;
  dep.rounds.forEach((members, ri) => {
    const { offsets } = roundStarts(members, ri, steadyLoads, firstLoad);
    let roundTime = 0;
    for (const ti of members) {
      roundTime = Math.max(roundTime, offsets.get(ti)! + runTimeIn(dep, ti, statics[ti]!, layers));
    }
    clock += roundTime;
  });
  return clock;
}

/**
 * A tenant's batch run time under its round's background, kept with its timing for the last
 * background met: the background (link-load.ts roundBackground) is a function of the tenant's own
 * links, the round's other members' link loads and their batches against its own, so the very
 * same loads objects and batches give the same times (a round that no step changed, as a later
 * round of tenants whose shares stay, is not timed again).
 */
function runTimeIn(dep: Pick<Deployment, 'chip' | 'tenants' | 'rounds'>, ti: number, st: TenantTiming, layers: LayerLinks[][]): number {
  const t = dep.tenants[ti]!;
  const round = dep.rounds.find((r) => r.includes(ti)) ?? [ti];
  const last = st.lastRun;
  if (last && last.batch === t.batch && last.round.length === round.length) {
    let same = true;
    for (let k = 0; k < round.length && same; k++) {
      const o = round[k]!;
      same = o === last.round[k] && (o === ti || (layers[o] === last.loads[k] && dep.tenants[o]!.batch === last.batches[k]));
    }
    if (same) return last.runTimeS;
  }
  const runTimeS = tenantTimes(st, t.batch, null, roundBackground(dep, ti, layers)).runTimeS;
  st.lastRun = { batch: t.batch, round: round.slice(), loads: round.map((o) => layers[o]), batches: round.map((o) => dep.tenants[o]!.batch), runTimeS };
  return runTimeS;
}

/** Each layer's spill in a tenant's own fit part, the part's entries' maximum from 0 (as mergeParts), once per spill list (parts mapped from one run share it). */
const layerSpills = new WeakMap<number[], number[]>();

function layerSpill(p: FitPart, layers: number): number[] {
  let spill = layerSpills.get(p.spill);
  if (!spill) {
    spill = new Array<number>(layers).fill(0);
    const s = p.spill;
    for (let i = 0; i < s.length; i += 3) spill[s[i + 1]!] = Math.max(spill[s[i + 1]!]!, s[i + 2]!);
    layerSpills.set(p.spill, spill);
  }
  return spill;
}

/** Analytic evaluation of any deployment (direct or optimized) with the profiler's model. */
export function evaluateDeployment(dep: Deployment): DeploymentEvaluation {
  const chip = dep.chip;
  const power = powerParams(chip);
  const N = tileCount(chip);

  // NoC link loads of the placement (evaluate/link-load.ts): the communication bound of each stage.
  const links = deploymentLinkLoads(dep);
  // Working sets beyond a tile's buffer spill off-chip (placement/buffer-fit.ts).
  const fit = bufferFit(dep);
  const { spillBytesPerMvm } = fit;
  const placed = spilledReopCosts(dep, fit);
  const byTenant: ReOperator[][] = dep.tenants.map(() => []);
  const placedBy: ReopCosts[][] = dep.tenants.map(() => []);
  dep.reops.forEach((r, k) => {
    byTenant[r.tenant]?.push(r);
    placedBy[r.tenant]?.push(placed[k]!);
  });
  // Time and energy of one tenant (all phases), independent of its round.
  const tenantEval = dep.tenants.map((t, ti) => {
    const st = tenantStatic(chip, t, byTenant[ti]!, placedBy[ti]!, spillBytesPerMvm[ti]!, links[ti]!.layers);
    const whole = pipelineTimes(st.base, links[ti]!.background);
    const profile = finishProfile(st.base, whole);
    const times = tenantTimes(st, t.batch, whole, links[ti]!.background);
    const ownReprogram = zeroEnergy();
    ownReprogram.reprogram += times.reprogramJ;
    return { st, profile, latency: times.latencyS, interval: times.intervalS, runTime: times.runTimeS, ownReprogram, dynamicPerInference: st.dynamicPerInference, busyTileS: st.busyTileS };
  });

  const rounds: RoundEvaluation[] = [];
  const tenants: TenantEvaluation[] = [];
  const total = zeroEnergy();
  let clock = 0;
  let maxTilesAtOnce = 0;
  const steadyLoads = rewritesEachCycle(dep);
  dep.rounds.forEach((members, ri) => {
    // Rounds after the first reprogram the crossbars of their tenants' first phase; the first
    // round too when the schedule rewrites crossbars every repetition (steady state).
    // Each member of a later round loads its first phase's weights over the one off-chip link, in
    // member order (FIFO, as the simulator does): member j is granted the link after the members
    // before it, and starts once its bytes are in and its crossbars programmed.
    const { offsets: startOffset, reprogramJ } = roundStarts(members, ri, steadyLoads, (ti) => staticFirstLoad(chip, dep.tenants[ti]!, tenantEval[ti]!.st));
    total.reprogram += reprogramJ;
    // The round's reprogramming time: until its last member could start.
    const reprogramS = Math.max(0, maxOf([...startOffset.values()]));
    let roundTime = 0;
    let tilesNow = 0;
    for (const ti of members) {
      const t = dep.tenants[ti]!;
      const ev = tenantEval[ti]!;
      const start = clock + startOffset.get(ti)!;
      roundTime = Math.max(roundTime, startOffset.get(ti)! + ev.runTime);
      tilesNow += t.phases > 1 ? Math.min(N, t.tiles.length) : t.tiles.length;
      const energy = addEnergy(zeroEnergy(), ev.dynamicPerInference, t.batch);
      energy.reprogram += ev.ownReprogram.reprogram;
      // Static energy under the power policy: the tenant holds its tiles from its round's start
      // (weight loading included) to its finish.
      const tiles = t.tiles.length;
      energy.leakage = allocatedTileStaticJ(power, { heldS: tiles * (startOffset.get(ti)! + ev.runTime), busyS: t.batch * ev.busyTileS, wakes: tiles * t.batch });
      addEnergy(total, energy);
      tenants[ti] = {
        name: t.name,
        model: t.model,
        batch: t.batch,
        phases: t.phases,
        round: ri,
        tiles: t.tiles.length,
        crossbars: ev.st.crossbars,
        utilization: ev.profile.utilization,
        latencyS: ev.latency,
        intervalS: ev.interval,
        // A phased tenant reprograms between phases on every run: its rate is the batch over the run time.
        throughputIps: t.phases > 1 ? t.batch / ev.runTime : ev.interval > 0 ? 1 / ev.interval : 0,
        runTimeS: ev.runTime,
        startS: start,
        finishS: start + ev.runTime,
        energyPerInferenceJ: totalEnergy(ev.dynamicPerInference),
        energy,
        energyJ: totalEnergy(energy),
        energySplit: energySplit(energy),
        profile: ev.profile,
      };
    }
    maxTilesAtOnce = Math.max(maxTilesAtOnce, tilesNow);
    rounds.push({ tenants: members, reprogramS, reprogramJ, timeS: roundTime });
    clock += roundTime;
  });
  // Without gating the rest of the chip leaks too (charged to no tenant).
  const staticIdleJ = idleTilesStaticJ(power, N, clock, total.leakage);
  total.leakage += staticIdleJ;

  let mapped = 0;
  let allocated = 0;
  dep.tenants.forEach((t, ti) => {
    const mappings = t.mapped.mappings;
    for (const r of byTenant[ti]!) {
      const m = mappings[r.layer]!;
      if (m.crossbars === 0) continue;
      mapped += (m.mappedCells * r.crossbars) / m.crossbars;
      allocated += r.crossbars * chip.pe.crossbar.rows * chip.pe.crossbar.cols;
    }
  });

  return {
    strategy: dep.strategy,
    definition: dep.definition,
    makespanS: clock,
    energy: total,
    energyJ: totalEnergy(total),
    energySplit: energySplit(total, staticIdleJ),
    rounds,
    tenants,
    utilization: allocated > 0 ? mapped / allocated : 1,
    tileOccupancy: maxTilesAtOnce / N,
  };
}

/** The makespan alone, for an optimizer that only compares makespans (optimize/deploy-plans.ts `Evaluator`). */
evaluateDeployment.makespanS = deploymentMakespan;
/** The makespan of placed runs before their re-operators are made (optimize/deploy-plans.ts). */
evaluateDeployment.runMakespanS = runDeploymentMakespan;

/** The layers of one phase as a LayerGraph of their own (edges from other phases dropped: those inputs wait in buffers). */
function subGraph(graph: LayerGraph, layers: Set<number>): { graph: LayerGraph; keep: number[] } {
  const keep = [...layers].sort((a, b) => a - b);
  const index = new Map(keep.map((old, i) => [old, i]));
  return {
    keep,
    graph: {
      model: graph.model,
      layers: keep.map((old, i) => ({ ...graph.layers[old]!, index: i })),
      edges: graph.edges
        .filter((e) => index.has(e.from) && index.has(e.to))
        .map((e) => ({ ...e, from: index.get(e.from)!, to: index.get(e.to)! })),
      sources: keep.filter((old) => graph.sources.includes(old)).map((old) => index.get(old)!),
      inputRows: graph.inputRows,
    },
  };
}
