/**
 * Operator level (docs/method.md#step-3-operator-level), inside one tenant's share of tiles:
 *  - Duplicator: copies to the pipeline bottleneck while the share's crossbars allow. Found by
 *    bisection on the target stage time T (each layer gets the fewest copies d with
 *    ceil(N/d) x t_mvm <= T, checked against the exact packing), then one more copy at a time to
 *    the current bottleneck until the next copy no longer fits: the same end point as adding
 *    copies one by one to the bottleneck, in O(layers x log) instead of O(copies).
 *  - Splitter: copies are cut to fill tile fragments at packing time (pack.ts); a layer wider than
 *    the whole share is cut into column chunks (independent outputs) so phases can hold it.
 *  - Phases: when the share cannot hold the tenant once, layers go, in order, into phases that
 *    each fit the share; each phase is written when its predecessor finishes its batch, phase 0
 *    too (at steady state the previous run's last phase held the crossbars, as the evaluation
 *    and the simulator charge it: placement/reprogram.ts loadCharged). Filling each phase as full
 *    as possible keeps the phases few. Every copy is written, so each phase's copies are chosen
 *    by trading write time against compute time (phaseCost decides what a phase costs).
 */
import { addOps, zeroOps } from '../workload/digital-ops';
import type { ChipSpec } from '../hardware/spec';
import { crossbarsPerTile, reprogramTimeEnergy } from '../hardware/costs';
import { pipelineTimes, prepareTiming } from '../evaluate/profile-tenant';
import type { Layer, LayerEdge, LayerGraph } from '../workload/ir';
import { tenantLinkLoads, type LayerLinks } from '../evaluate/link-load';
import { packCount, placeLayers } from './pack';
import { placementOrder } from './curve-order';
import { layerTime, mapTenant, type MappedTenant } from '../mapping/mapped-tenant';
import { OPTIMIZER_SETTINGS as S } from './settings';
import { maxOf, minOf } from '../arrays';
import { loadCharged } from '../placement/reprogram';
import { badInput } from '../errors';
import { WeightedLru } from '../weighted-lru';

/**
 * How copies are chosen: per-operator bottleneck duplication (`fill`: the same, also shortening
 * the pipeline fill, see duplicate), whole-network replication, copies in proportion to each
 * layer's work (the balanced baseline, ISAAC-style), or one copy. `shortest`: the bottleneck
 * plan or the fill plan, whichever has the shorter batch run time; `interval`: the bottleneck
 * plan or the work-proportional one, whichever has the shorter time per request at steady state
 * (streamCost).
 */
export type DupMode = 'bottleneck' | 'fill' | 'shortest' | 'interval' | 'uniform' | 'proportional' | 'none';

export interface OperatorPlan {
  /** The tenant as planned (its graph may have wide layers cut into column chunks when phased). */
  model: MappedTenant;
  copies: number[];
  /** Phase of each layer of model.graph. */
  phaseOf: number[];
  phases: number;
  /** Layers of each phase, in order. */
  phaseLayers: number[][];
  /** Tiles the plan needs (the largest phase). */
  tiles: number;
  latencyS: number;
  intervalS: number;
  /** Batch run time: per phase latency + (batch - 1) x interval, plus the writes each run pays (phaseCost). */
  runTimeS: number;
  /** Writes each run pays: every phase of a phased plan; the single phase too when the plan is reloaded. */
  reprogramS: number;
  reprogramJ: number;
}

/**
 * Options of the operator level. `reloaded`: the tenant's weights are written before each of its
 * runs even when they fit its share (its turn in a repeating schedule, as the sequential baseline
 * runs it, or a schedule of several rounds), so its copies cost write time: a few area budgets
 * compete, as for the phases of a plan.
 */
export interface OperatorOptions {
  reloaded?: boolean;
}

/** Most copies layer i may get: its MVM count, and the absolute cap of the settings. */
export function copyCap(tm: MappedTenant, i: number): number {
  return Math.max(1, Math.min(tm.graph.layers[i]!.mvms, S.maxCopiesPerLayer));
}

/** Fewest copies d of layer i with ceil(N / d) x t <= T, within its cap. */
function copiesFor(tm: MappedTenant, i: number, T: number, tiles: number): number {
  const N = tm.graph.layers[i]!.mvms;
  const t = tm.mvmTime[i]!;
  const cap = tm.xb[i] === 0 ? Math.min(copyCap(tm, i), tiles) : copyCap(tm, i);
  // Below the NoC floor more copies gain nothing: aim at the floor instead.
  const q = Math.floor(Math.max(T, tm.nocFloor[i]!) / t + 1e-9);
  if (q < 1) return cap;
  return Math.max(1, Math.min(cap, Math.ceil(N / q)));
}

/**
 * Copies for the given layers within `tiles` tiles (layers not listed keep 1 copy). In mode
 * `fill` the bottleneck bisection may aim below the slowest layer's floor (down to the fastest
 * any layer can be at its cap): that layer stays at its floor while the others take the spare
 * area, which shortens the pipeline fill (the latency) when the interval cannot improve.
 */
export function duplicate(tm: MappedTenant, layers: number[], tiles: number, perTile: number, mode: DupMode): number[] {
  const fill = mode === 'fill';
  const copies = tm.xb.map(() => 1);
  if (mode === 'none' || layers.length === 0) return copies;
  const fits = (c: number[]): boolean => packCount(tm, c, perTile, layers) <= tiles;
  if (!fits(copies)) return copies;
  if (mode === 'uniform') {
    // Whole-network replicas: every layer gets k copies (up to its cap); largest k that fits.
    const maxCap = maxOf(layers.map((i) => copyCap(tm, i)));
    const at = (k: number): number[] => {
      const c = tm.xb.map(() => 1);
      for (const i of layers) c[i] = Math.min(k, tm.xb[i] === 0 ? Math.min(copyCap(tm, i), tiles) : copyCap(tm, i));
      return c;
    };
    let lo = 1;
    let hi = maxCap;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (fits(at(mid))) lo = mid;
      else hi = mid - 1;
    }
    return at(lo);
  }
  if (mode === 'proportional') return proportionalCopies(tm, layers, tiles, fits);
  // Bottleneck duplication: bisection on the target stage time T (log scale).
  const at = (T: number): number[] => {
    const c = tm.xb.map(() => 1);
    for (const i of layers) c[i] = copiesFor(tm, i, T, tiles);
    return c;
  };
  let hi = 0;
  let lo = fill ? Infinity : 0;
  for (const i of layers) {
    hi = Math.max(hi, layerTime(tm, i, 1));
    const cap = tm.xb[i] === 0 ? Math.min(copyCap(tm, i), tiles) : copyCap(tm, i);
    lo = fill ? Math.min(lo, layerTime(tm, i, cap)) : Math.max(lo, layerTime(tm, i, cap));
  }
  let best = copies;
  if (fits(at(lo))) best = at(lo);
  else {
    let a = lo;
    let b = hi; // feasible
    for (let k = 0; k < 48 && b / a > 1 + 1e-6; k++) {
      const mid = Math.sqrt(a * b);
      if (fits(at(mid))) b = mid;
      else a = mid;
    }
    best = at(b);
  }
  // One more copy at a time to the bottleneck while it fits (the Duplicator's own rule).
  for (let step = 0; step < 4 * layers.length; step++) {
    let bi = -1;
    let bt = -1;
    for (const i of layers) {
      const cap = tm.xb[i] === 0 ? Math.min(copyCap(tm, i), tiles) : copyCap(tm, i);
      const t = layerTime(tm, i, best[i]!);
      if (t > bt) {
        bt = t;
        bi = best[i]! < cap ? i : -1;
      }
    }
    if (bi < 0) break; // the bottleneck is at its cap
    const next = best.slice();
    // Smallest increase that actually shortens the bottleneck's stage time.
    const N = tm.graph.layers[bi]!.mvms;
    const q = Math.ceil(N / best[bi]!) - 1;
    next[bi] = Math.min(copyCap(tm, bi), q >= 1 ? Math.ceil(N / q) : copyCap(tm, bi));
    if (layerTime(tm, bi, next[bi]!) >= bt) break; // at its NoC floor
    if (!fits(next)) break;
    best = next;
  }
  return best;
}

/**
 * ISAAC's pipeline balancing (Shafiee et al., ISCA 2016, section 4): every layer gets copies in
 * proportion to its work per inference (MVMs x time per MVM), d_i = ceil(w_i / T), with the
 * smallest T whose copies fit the share (bisection on a log scale). No NoC floor, no extra copies
 * to the bottleneck: the baseline knows the work, not the pipeline or the network.
 */
function proportionalCopies(tm: MappedTenant, layers: number[], tiles: number, fits: (c: number[]) => boolean): number[] {
  const capOf = (i: number): number => (tm.xb[i] === 0 ? Math.min(copyCap(tm, i), tiles) : copyCap(tm, i));
  const work = (i: number): number => tm.graph.layers[i]!.mvms * tm.mvmTime[i]!;
  const at = (T: number): number[] => {
    const c = tm.xb.map(() => 1);
    for (const i of layers) c[i] = Math.max(1, Math.min(capOf(i), Math.ceil(work(i) / T - 1e-9)));
    return c;
  };
  let hi = maxOf(layers.map(work)); // one copy each: fits (checked by the caller)
  let lo = minOf(layers.map((i) => work(i) / capOf(i)));
  if (fits(at(lo))) return at(lo);
  for (let k = 0; k < 48 && hi / lo > 1 + 1e-6; k++) {
    const mid = Math.sqrt(lo * hi);
    if (fits(at(mid))) hi = mid;
    else lo = mid;
  }
  return at(hi);
}

/**
 * Trial link loads already measured, per chip object (they go with the run), by mapped tenant,
 * layers and copies: the loops ask for the same copies in many shares (at 32x32 the four-tenant
 * mix's 293 trial placements hold 89 distinct copy vectors), and a placement from tile 0 does not
 * depend on the share beyond the tiles it reaches. Kept up to TRIAL_LINKS_KEPT link entries,
 * least recently used first. Callers never change the loads they get.
 */
const trialLoads = new WeakMap<ChipSpec, WeightedLru<string, { tiles: number; reach: number; links: LayerLinks[] }[]>>();
const TRIAL_LINKS_KEPT = 2 ** 20;
const tenantIds = new WeakMap<MappedTenant, number>();
let nextTenantId = 0;

/**
 * NoC link loads of copies placed as the deployment would place them: packed in snake order from
 * the first tile of the chip (the tenant's real region starts elsewhere; the shape of its traffic
 * is what matters). Per layer: the links it holds, seconds per inference (evaluate/link-load.ts).
 */
export function planLinkLoads(tm: MappedTenant, chip: ChipSpec, copies: number[], layers: number[], tiles: number, perTile: number): LayerLinks[] {
  let memo = trialLoads.get(chip);
  if (!memo) trialLoads.set(chip, (memo = new WeightedLru(TRIAL_LINKS_KEPT)));
  let id = tenantIds.get(tm);
  if (id === undefined) tenantIds.set(tm, (id = nextTenantId++));
  const key = `${id}/${perTile}/${layers.join(',')}/${copies.join(',')}`;
  const known = memo.get(key);
  // The same placement: computed on this many tiles, or on a region it did not wrap around and this one holds.
  const hit = known?.find((e) => e.tiles === tiles || (e.reach <= e.tiles && e.reach <= tiles));
  if (hit) return hit.links;
  const region = placementOrder(chip, 'y').slice(0, tiles);
  const placed = placeLayers(tm, 0, copies, layers, region, perTile, 0, chip.pe.crossbar.count);
  const links = tenantLinkLoads(chip, tm.graph, tm.mappings, placed.reops);
  const entries = [...(known ?? []), { tiles, reach: placed.reach, links }];
  memo.set(key, entries, entries.reduce((s, e) => s + e.links.reduce((n, L) => n + L.links.length + 1, 0), 0));
  return links;
}

/**
 * Communication floor of each layer's stage under a placement: the load, per inference, of the
 * busiest link its traffic holds, counting every layer that shares the link (docs/method.md#communication-bound:
 * links are shared; docs/method.md "Communication bound").
 */
export function commFloors(links: LayerLinks[]): number[] {
  const total = new Map<number, number>();
  for (const L of links) L.links.forEach((l, k) => total.set(l, (total.get(l) ?? 0) + L.seconds[k]!));
  return links.map((L) => L.links.reduce((m, l) => Math.max(m, total.get(l)!), 0));
}

/**
 * Duplicator with the communication bound: copies by compute (duplicate), placed, their link
 * loads measured; then duplication again with each layer's floor raised to its communication
 * floor, so a layer whose stage is bound by its links gets no copies that cannot help and the
 * area goes to compute-bound layers. Kept only when the analytic time with link loads is not
 * worse. One refinement round: the second placement's floors are close to the first's.
 */
export function commAwareCopies(tm: MappedTenant, chip: ChipSpec, layers: number[], tiles: number, perTile: number, mode: DupMode): { copies: number[]; links: LayerLinks[] } {
  const copies = duplicate(tm, layers, tiles, perTile, mode);
  const links = planLinkLoads(tm, chip, copies, layers, tiles, perTile);
  if (mode !== 'bottleneck' && mode !== 'fill') return { copies, links };
  const floors = commFloors(links);
  // Nothing to change when no layer's stage is below its communication floor.
  if (layers.every((i) => layerTime(tm, i, copies[i]!) >= floors[i]!)) return { copies, links };
  const raised: MappedTenant = { ...tm, nocFloor: tm.nocFloor.map((f, i) => Math.max(f, floors[i]!)) };
  const copies2 = duplicate(raised, layers, tiles, perTile, mode);
  if (copies2.every((c, i) => c === copies[i])) return { copies, links };
  const links2 = planLinkLoads(tm, chip, copies2, layers, tiles, perTile);
  const t1 = planTimes(tm, chip, copies, [layers], links).runTimeS;
  const t2 = planTimes(tm, chip, copies2, [layers], links2).runTimeS;
  return t2 <= t1 ? { copies: copies2, links: links2 } : { copies, links };
}

/** The layers of one phase as a LayerGraph of their own (inputs from earlier phases wait in buffers). */
export function subGraph(graph: LayerGraph, keep: number[]): LayerGraph {
  const index = new Map(keep.map((old, i) => [old, i]));
  return {
    model: graph.model,
    layers: keep.map((old, i) => ({ ...graph.layers[old]!, index: i })),
    edges: graph.edges
      .filter((e) => index.has(e.from) && index.has(e.to))
      .map((e) => ({ ...e, from: index.get(e.from)!, to: index.get(e.to)! })),
    sources: keep.filter((old) => graph.sources.includes(old) || !graph.edges.some((e) => e.to === old && index.has(e.from))).map((old) => index.get(old)!),
    inputRows: graph.inputRows,
  };
}

/** What one phase of a plan costs per run: its batch time (latency + (batch - 1) x interval) and its write, when the run pays it. */
export interface PhaseCost {
  latencyS: number;
  intervalS: number;
  batchS: number;
  writeS: number;
  writeJ: number;
}

/**
 * The one place the operator level decides what a phase costs: phase `ph` of a plan in `phases`
 * phases runs its batch and, when a run pays its load (placement/reprogram.ts loadCharged: every
 * phase of a phased plan, phase 0 included, since at steady state the previous run's last phase
 * held the crossbars; a single phase only when `reloaded`), writes every copy of its layers.
 * A single-phase plan is profiled whole (with the placement's link loads when given).
 */
export function phaseCost(
  tm: MappedTenant,
  chip: ChipSpec,
  copies: number[],
  layers: number[],
  ph: number,
  phases: number,
  opts: OperatorOptions & { links?: LayerLinks[] } = {},
): PhaseCost {
  // The pipeline's times alone (profileTenant's latency and interval, without its energies and per-layer records).
  const p =
    phases === 1
      ? wholeTimes(tm, chip, copies, opts.links)
      : pipelineTimes(prepareTiming(subGraph(tm.graph, layers), chip, { mappings: layers.map((i) => tm.mappings[i]!), costs: layers.map((i) => tm.costs[i]!), copies: layers.map((i) => copies[i]!) }));
  const write = loadCharged(ph, 0, phases > 1 || !!opts.reloaded) ? phaseWrite(tm, chip, copies, layers) : { timeS: 0, energyJ: 0 };
  return { latencyS: p.latencyS, intervalS: p.intervalS, batchS: p.latencyS + (tm.batch - 1) * p.intervalS, writeS: write.timeS, writeJ: write.energyJ };
}

/**
 * The latency and interval of a single-phase plan under its trial link loads, by the link loads'
 * object (planLinkLoads returns the same one for the same copies): the refinement of
 * commAwareCopies and the plan's own times ask for the same copies and loads again.
 */
const wholeMemo = new WeakMap<LayerLinks[], { tm: MappedTenant; chip: ChipSpec; copies: number[]; latencyS: number; intervalS: number }[]>();

function wholeTimes(tm: MappedTenant, chip: ChipSpec, copies: number[], links: LayerLinks[] | undefined): { latencyS: number; intervalS: number } {
  const known = links ? wholeMemo.get(links) : undefined;
  if (known) {
    for (const e of known) {
      if (e.tm !== tm || e.chip !== chip || e.copies.length !== copies.length) continue;
      let same = true;
      for (let i = 0; i < copies.length && same; i++) same = e.copies[i] === copies[i];
      if (same) return e;
    }
  }
  const p = pipelineTimes(prepareTiming(tm.graph, chip, { mappings: tm.mappings, costs: tm.costs, copies, ...(links ? { links: { layers: links } } : {}) }));
  if (links) {
    const entry = { tm, chip, copies: copies.slice(), latencyS: p.latencyS, intervalS: p.intervalS };
    if (known) known.push(entry);
    else wholeMemo.set(links, [entry]);
  }
  return p;
}

/** Analytic time of a plan: per phase profile, batch pipelining, and the writes a run pays (phaseCost). */
export function planTimes(
  tm: MappedTenant,
  chip: ChipSpec,
  copies: number[],
  phaseLayers: number[][],
  links?: LayerLinks[],
  opts: OperatorOptions = {},
): { latencyS: number; intervalS: number; runTimeS: number; reprogramS: number; reprogramJ: number; phaseTimes: number[] } {
  let latency = 0;
  let interval = 0;
  let run = 0;
  let rpS = 0;
  let rpJ = 0;
  const phaseTimes: number[] = [];
  phaseLayers.forEach((layers, ph) => {
    const c = phaseCost(tm, chip, copies, layers, ph, phaseLayers.length, { ...opts, ...(links ? { links } : {}) });
    rpS += c.writeS;
    rpJ += c.writeJ;
    latency += c.latencyS;
    interval = Math.max(interval, c.intervalS);
    run += c.batchS + c.writeS;
    phaseTimes.push(c.batchS + c.writeS);
  });
  return { latencyS: latency, intervalS: interval, runTimeS: run, reprogramS: rpS, reprogramJ: rpJ, phaseTimes };
}

/** Writing a phase's weights (every copy) into crossbars. */
export function phaseWrite(tm: MappedTenant, chip: ChipSpec, copies: number[], layers: number[]): { timeS: number; energyJ: number } {
  let cells = 0;
  let bytes = 0;
  for (const i of layers) {
    cells += tm.cells[i]! * copies[i]!;
    bytes += tm.weightBytes[i]! * copies[i]!;
  }
  return reprogramTimeEnergy(chip, cells, bytes);
}

/** Column blocks that go together: the s x p single-slice arrays of a column block with separate arrays, else 1. */
function columnUnitBlocks(chip: ChipSpec, m: MappedTenant['mappings'][number]): number {
  return chip.slicing === 'separate-arrays' && m.groups === 1 ? m.slices * m.polarity : 1;
}

/**
 * Splitter at graph level: a layer whose one copy needs more than `tiles` tiles is cut into
 * column chunks (whole column blocks; the outputs concatenate, so each chunk is an independent
 * layer with the same input). Returns the model unchanged when nothing is too wide.
 */
export function splitWideLayers(tm: MappedTenant, chip: ChipSpec, tiles: number): MappedTenant {
  const perTile = crossbarsPerTile(chip);
  const chunksOf = tm.graph.layers.map((l, i) => {
    const m = tm.mappings[i]!;
    if (m.digital || packCount(tm, tm.xb.map(() => 1), perTile, [i]) <= tiles) return 1;
    if (l.groups > 1) throw new Error(`layer ${l.name} of ${tm.tenant.name} is grouped and larger than ${tiles} tiles`);
    // Column blocks that fit the share when packed (rows split across tiles stream without waste),
    // in whole column units (a unit of separate-array slices cannot be cut).
    const unit = columnUnitBlocks(chip, m);
    const perChunk = Math.floor((m.rowBlocks > perTile ? Math.floor((tiles * perTile) / m.rowBlocks) : Math.floor(perTile / m.rowBlocks) * tiles) / unit);
    if (perChunk < 1) {
      throw badInput(
        `one column block of layer '${l.name}' of ${tm.tenant.name} (${m.rowBlocks} row blocks x ${unit} arrays) needs more than the ${tiles} tiles it may use; give the chip more tiles (--mesh)`,
        { field: 'topology' },
      );
    }
    return Math.ceil(m.colBlocks / unit / perChunk);
  });
  if (chunksOf.every((k) => k === 1)) return tm;
  const layers: Layer[] = [];
  const first: number[] = [];
  const count: number[] = [];
  tm.graph.layers.forEach((l, i) => {
    const k = chunksOf[i]!;
    first.push(layers.length);
    count.push(k);
    const m = tm.mappings[i]!;
    const units = m.colBlocks / columnUnitBlocks(chip, m);
    const colsPerBlock = l.cols / units; // logical columns per column unit (last may be partial)
    const perChunkBlocks = Math.ceil(units / k);
    for (let c = 0; c < k; c++) {
      const blocks = Math.min(perChunkBlocks, units - c * perChunkBlocks);
      const cols = k === 1 ? l.cols : Math.min(l.cols - Math.round(c * perChunkBlocks * colsPerBlock), Math.round(blocks * colsPerBlock));
      const share = cols / l.cols;
      layers.push({
        ...l,
        index: layers.length,
        name: k === 1 ? l.name : `${l.name}[${c + 1}/${k}]`,
        cols,
        macs: l.macs * share,
        outElemsPerRow: l.outElemsPerRow * share,
        ...(l.digitalOps ? { digitalOps: addOps(zeroOps(), l.digitalOps, share) } : {}),
      });
    }
  });
  const edges: LayerEdge[] = [];
  for (const e of tm.graph.edges) {
    for (let a = 0; a < count[e.from]!; a++) {
      const fromShare = layers[first[e.from]! + a]!.cols / tm.graph.layers[e.from]!.cols;
      for (let b = 0; b < count[e.to]!; b++) {
        edges.push({ from: first[e.from]! + a, to: first[e.to]! + b, rowMap: e.rowMap, elemsPerRow: e.elemsPerRow * fromShare });
      }
    }
  }
  const sources: number[] = [];
  const sourceRowMaps = tm.graph.sourceRowMaps ? [] as NonNullable<LayerGraph['sourceRowMaps']> : undefined;
  tm.graph.sources.forEach((s, k) => {
    for (let c = 0; c < count[s]!; c++) {
      sources.push(first[s]! + c);
      if (sourceRowMaps) sourceRowMaps.push(tm.graph.sourceRowMaps![k]!);
    }
  });
  const graph: LayerGraph = { ...tm.graph, layers, edges, sources, ...(sourceRowMaps ? { sourceRowMaps } : {}) };
  return mapTenant(tm.index, { ...tm.tenant, graph }, chip);
}

/**
 * A plan's time per request at steady state: the interval of its bottleneck stage (the slowest
 * re-operator's time per request, with the links its traffic holds) while its weights stay
 * written; a plan that writes its weights every run (phases, or reloaded) serves a batch per run.
 */
export function streamCost(plan: OperatorPlan): number {
  return plan.phases === 1 && plan.reprogramS === 0 ? plan.intervalS : plan.runTimeS / plan.model.batch;
}

/**
 * Plans already made, per tenant and chip. A plan depends only on (tenant, chip, tiles, mode,
 * reloaded), and the learning-rate loop meets the same tenant at the same share again and again
 * (most of its steps move one or two tenants' shares): each is planned once. Plans are shared,
 * never changed by their users.
 */
const planned = new WeakMap<MappedTenant, WeakMap<ChipSpec, Map<string, OperatorPlan>>>();

/** The operator level inside a share of `tiles` tiles. */
export function operatorLevel(tm0: MappedTenant, chip: ChipSpec, tiles: number, mode: DupMode, opts: OperatorOptions = {}): OperatorPlan {
  let byChip = planned.get(tm0);
  if (!byChip) planned.set(tm0, (byChip = new WeakMap()));
  let plans = byChip.get(chip);
  if (!plans) byChip.set(chip, (plans = new Map()));
  const key = `${tiles}/${mode}/${opts.reloaded ? 1 : 0}`;
  let plan = plans.get(key);
  if (!plan) plans.set(key, (plan = planOperatorLevel(tm0, chip, tiles, mode, opts)));
  return plan;
}

function planOperatorLevel(tm0: MappedTenant, chip: ChipSpec, tiles: number, mode: DupMode, opts: OperatorOptions): OperatorPlan {
  if (mode === 'shortest') {
    // The Duplicator aimed at the interval and at the latency: the batch's run time decides
    // (at batch 1 the run time is all latency, at large batches mostly intervals).
    const interval = operatorLevel(tm0, chip, tiles, 'bottleneck', opts);
    const latency = operatorLevel(tm0, chip, tiles, 'fill', opts);
    return latency.runTimeS < interval.runTimeS ? latency : interval;
  }
  if (mode === 'interval') {
    // For streams: the bottleneck rule stops at the first layer's NoC floor (mapped-tenant.ts, all
    // its input over one link), which copies spread over many routers do not meet; the
    // work-proportional rule fills the share regardless, and the placement's link loads decide.
    const bottleneck = operatorLevel(tm0, chip, tiles, 'bottleneck', opts);
    const proportional = operatorLevel(tm0, chip, tiles, 'proportional', opts);
    return streamCost(proportional) < streamCost(bottleneck) ? proportional : bottleneck;
  }
  const perTile = crossbarsPerTile(chip);
  const ones = tm0.xb.map(() => 1);
  const all = tm0.xb.map((_, i) => i);
  const need = packCount(tm0, ones, perTile);
  if (need <= tiles) {
    // Reloaded, every copy is written each run: a few area budgets compete, as for phases below.
    const budgets = opts.reloaded ? [...new Set([need, Math.floor(need + (tiles - need) / 4), Math.floor(need + (tiles - need) / 2), tiles])] : [tiles];
    let best: { copies: number[]; t: ReturnType<typeof planTimes> } | undefined;
    for (const b of budgets) {
      const { copies, links } = commAwareCopies(tm0, chip, all, b, perTile, mode);
      const t = planTimes(tm0, chip, copies, [all], links, opts);
      if (!best || t.runTimeS < best.t.runTimeS) best = { copies, t };
    }
    return { model: tm0, copies: best!.copies, phaseOf: ones.map(() => 0), phases: 1, phaseLayers: [all], tiles: packCount(tm0, best!.copies, perTile), ...best!.t };
  }
  // Phases: cut too-wide layers, then fill each phase as full as possible in layer order.
  const tm = splitWideLayers(tm0, chip, tiles);
  const one = tm.xb.map(() => 1);
  const phaseLayers: number[][] = [[]];
  for (let i = 0; i < tm.graph.layers.length; i++) {
    const cur = phaseLayers[phaseLayers.length - 1]!;
    if (cur.length && packCount(tm, one, perTile, [...cur, i]) > tiles) phaseLayers.push([i]);
    else cur.push(i);
  }
  // Every phase's copies are written each run (phaseCost): try a few area budgets per phase.
  const copies = tm.xb.map(() => 1);
  phaseLayers.forEach((layers, ph) => {
    const need = packCount(tm, one, perTile, layers);
    const budgets = [...new Set([need, Math.floor(need + (tiles - need) / 4), Math.floor(need + (tiles - need) / 2), tiles])];
    let bestT = Infinity;
    let bestC: number[] = one;
    for (const b of budgets) {
      const c = duplicate(tm, layers, b, perTile, mode);
      const cost = phaseCost(tm, chip, c, layers, ph, phaseLayers.length, opts);
      const t = cost.batchS + cost.writeS;
      if (t < bestT) {
        bestT = t;
        bestC = c;
      }
    }
    for (const i of layers) copies[i] = bestC[i]!;
  });
  const phaseOf = tm.xb.map(() => 0);
  phaseLayers.forEach((ls, ph) => ls.forEach((i) => (phaseOf[i] = ph)));
  const t = planTimes(tm, chip, copies, phaseLayers, undefined, opts);
  const used = maxOf(phaseLayers.map((ls) => packCount(tm, copies, perTile, ls)));
  return { model: tm, copies, phaseOf, phases: phaseLayers.length, phaseLayers, tiles: used, ...t };
}
