/**
 * The analytic profile of one tenant (docs/cost-model.md#analytic-profile): per-layer MVM time and layer time with
 * d copies, start delays in the inter-layer pipeline from the LayerGraph's row maps, single-
 * inference latency, steady-state initiation interval and throughput, and energy per inference by
 * component, NoC traffic included under a placement. Pure arithmetic over the layers: the whole
 * zoo profiles in milliseconds.
 */
import type { LayerGraph } from '../workload/ir';
import type { ChipSpec } from '../hardware/spec';
import { crossbarsPerTile, tileLeakageW } from '../hardware/costs';
import { nocCosts } from '../hardware/costs';
import { routerGrid } from '../hardware/topology';
import { concentrationShape } from '../hardware/spec';
import { mapLayer, type LayerMapping } from '../mapping/map-layer';
import type { LayerLinks, LinkSeconds } from './link-load';
import { addEnergy, psumBytes, reopCosts, totalEnergy, zeroEnergy, type EnergyBreakdown, type ReopCosts } from '../mapping/reop';
import { maxOf } from '../arrays';
import { topoOrder } from '../workload/topo-order';

export interface ProfileOptions {
  /** Copies d of each layer (Duplicator); default 1. */
  copies?: number[];
  /** Precomputed mappings (default: mapLayer of each layer). */
  mappings?: LayerMapping[];
  /** Their whole-copy per-MVM costs, nothing spilled (MappedTenant.costs); computed when absent. */
  costs?: ReopCosts[];
  /**
   * Tiles holding each layer (placement), for NoC hops. Without it, a producer and its consumer
   * are taken to be on different tiles one router hop apart.
   */
  layerTiles?: number[][];
  /** Tiles whose leakage the tenant is charged; default: distinct tiles of layerTiles, else its crossbars packed into whole tiles. */
  tiles?: number;
  /** Time over which leakage is charged per inference: the initiation interval (steady state, default), the latency, or none. */
  leakage?: 'interval' | 'latency' | 'none';
  /**
   * Communication floor of each layer's stage per inference (s), from the placement's link loads
   * (link-load.ts): a stage cannot emit its outputs faster than the NoC links its traffic holds
   * are free. Default: none (compute time only).
   */
  commS?: number[];
  /**
   * Link loads of the placement (link-load.ts): per layer, the links its traffic holds and the
   * seconds per inference on each; `background` adds other tenants' concurrent loads on its links.
   * With it the stage time also covers the layer's own busiest link, a layer cannot finish before
   * every link it uses has carried the traffic of the layers before it (links serve layers in
   * pipeline order), and the interval is at least the busiest link's load (docs/method.md).
   */
  links?: { layers: LayerLinks[]; background?: LinkSeconds };
  /** Off-chip spill bytes per MVM of each layer whose tile buffer overflows (placement/buffer-fit.ts). Default: none. */
  spillBytesPerMvm?: number[];
  /**
   * Dynamic energy per MVM of each layer as placed: its re-operators' energies summed over the
   * pieces of a copy (placement/spilled-costs.ts: each tile reads its piece's inputs from its own
   * buffer and spills at its own rate). Default: the whole copy's reopCosts.
   */
  energyPerMvm?: EnergyBreakdown[];
  /**
   * Pieces over one column block of each layer as placed (placement/row-merge.ts rowPiecesOf):
   * the partial sums that cross the NoC to the merge. Default: ceil(row blocks / a tile's arrays).
   */
  rowPieces?: number[];
}

export interface LayerProfile {
  index: number;
  name: string;
  kind: string;
  digital: boolean;
  mvms: number;
  copies: number;
  /** Crossbars of all copies. */
  crossbars: number;
  /** One MVM including the partial-sum merge (s). */
  mvmTimeS: number;
  /** T(d) = ceil(N / d) x t_mvm (s): the compute time of the stage. */
  computeS: number;
  /** Stage time: max(computeS, the communication floor commS when given) (s). */
  timeS: number;
  /** When the layer can start / finishes in a single inference, from t = 0 when the input arrives. */
  startS: number;
  finishS: number;
  /** Energy per inference of this layer (dynamic, plus the NoC traffic of its outgoing edges). */
  energy: EnergyBreakdown;
  energyJ: number;
}

export interface TenantProfile {
  model: string;
  layers: LayerProfile[];
  /** Single-inference latency: the latest finish. */
  latencyS: number;
  /** Steady-state initiation interval: the slowest stage, or the busiest link's load per inference when link loads are given. */
  intervalS: number;
  throughputIps: number;
  /** Index of the slowest layer. */
  bottleneck: number;
  /** Energy per inference by component, leakage included as chosen in the options. */
  energy: EnergyBreakdown;
  energyJ: number;
  crossbars: number;
  tiles: number;
  mappedCells: number;
  allocatedCells: number;
  utilization: number;
  /** Bytes moved between layers over the NoC per inference, and flit-hops. */
  nocBytes: number;
  nocFlitHops: number;
}

export function profileTenant(graph: LayerGraph, chip: ChipSpec, opts: ProfileOptions = {}): TenantProfile {
  const base = prepareProfile(graph, chip, opts);
  return finishProfile(base, pipelineTimes(base, opts.links?.background));
}

/**
 * What the pipeline's times read (pipelineTimes): every layer's stage time, its incoming edges'
 * row transfers, the links its traffic holds, the slowest stage. The makespan alone needs no
 * more (evaluate/deployment.ts deploymentMakespan, the operator level's phaseCost), so the
 * placements it weighs and that lose build no energies. Read-only once made.
 */
export interface PipelineBase {
  graph: LayerGraph;
  /** Each layer's stage time (s): max(compute time, communication floor, its own busiest link). */
  timeS: Float64Array;
  order: number[];
  incoming: { from: number; scale: number; offset: number; xferS: number }[][];
  links: LayerLinks[] | undefined;
  /** The slowest stage and its layer (before the busiest link). */
  stageS: number;
  bottleneck: number;
}

/**
 * What a profile holds before its links are shared with other tenants: every layer's stage time,
 * energy and incoming edges, the totals. Only the pipeline's start and finish times (and so the
 * latency, the busiest link and the leakage) depend on the other tenants' loads (`background`),
 * so an evaluation whose tenant did not change keeps this and runs pipelineTimes again.
 * Read-only once made.
 */
export interface ProfileBase extends PipelineBase {
  model: string;
  /** Layers with startS = finishS = 0 (finishProfile fills copies of them). */
  layers: LayerProfile[];
  /** Energy per inference without leakage. */
  energy: EnergyBreakdown;
  leakage: ProfileOptions['leakage'];
  tileLeakageW: number;
  crossbars: number;
  tiles: number;
  mappedCells: number;
  allocatedCells: number;
  nocBytes: number;
  nocFlitHops: number;
}

/** The pipeline's times under the other tenants' link loads: every layer's start and finish, the latency, the busiest link's load. */
export interface PipelineTimes {
  startS: Float64Array;
  finishS: Float64Array;
  latencyS: number;
  intervalS: number;
}

/** Options of the pipeline's base (prepareTiming): what the stage times and the edges' transfers read. */
export type TimingOptions = Pick<ProfileOptions, 'copies' | 'mappings' | 'costs' | 'layerTiles' | 'commS' | 'spillBytesPerMvm'> & { links?: { layers: LayerLinks[] } };

/** A topological order per graph (graphs are never changed once made). */
const orders = new WeakMap<LayerGraph, number[]>();

function orderOf(graph: LayerGraph): number[] {
  let order = orders.get(graph);
  if (!order) orders.set(graph, (order = topoOrder(graph)));
  return order;
}

/** The pipeline's base with what prepareProfile builds on it: each layer's mappings, copies and per-MVM costs, and each edge's route (-1: not remote, else its hops). */
interface Timing extends PipelineBase {
  mappings: LayerMapping[];
  copies: number[];
  costs: ReopCosts[];
  edgeHops: Int32Array;
}

/** The pipeline's base alone (no energies, no NoC bytes): the same stage times and transfers as prepareProfile's, by the same arithmetic. */
export function prepareTiming(graph: LayerGraph, chip: ChipSpec, opts: TimingOptions = {}): PipelineBase {
  return timing(graph, chip, opts);
}

function timing(graph: LayerGraph, chip: ChipSpec, opts: TimingOptions): Timing {
  const n = graph.layers.length;
  const mappings = opts.mappings ?? graph.layers.map((l) => mapLayer(l, chip));
  const copies = new Array<number>(n);
  const costs = new Array<ReopCosts>(n);
  const timeS = new Float64Array(n);
  let stageS = 0;
  let bottleneck = 0;
  for (let i = 0; i < n; i++) {
    const layer = graph.layers[i]!;
    const m = mappings[i]!;
    const spill = opts.spillBytesPerMvm?.[i] ?? 0;
    const c = spill === 0 && opts.costs ? opts.costs[i]! : reopCosts(chip, layer, m, undefined, spill);
    const d = Math.max(1, opts.copies?.[i] ?? 1);
    copies[i] = d;
    costs[i] = c;
    const mvmTime = c.mvmTimeS + c.mergeTimeS;
    // The layer's own traffic on its busiest link: its outputs cannot leave faster.
    const own = opts.links?.layers[i] ? Math.max(0, maxOf(opts.links.layers[i]!.seconds)) : 0;
    const t = Math.max(Math.ceil(layer.mvms / d) * mvmTime, opts.commS?.[i] ?? 0, own);
    timeS[i] = t;
    if (t > stageS) {
      stageS = t;
      bottleneck = i;
    }
  }

  // Per edge: hops and per-row transfer latency.
  const noc = nocCosts(chip);
  const actBytes = chip.precision.activation_bits / 8;
  const incoming: PipelineBase['incoming'] = Array.from({ length: n }, () => []);
  const edgeHops = new Int32Array(graph.edges.length);
  graph.edges.forEach((e, k) => {
    const toTiles = opts.layerTiles?.[e.to];
    // A row leaves from its copy's gather tile once the further pieces' shares are in (the
    // simulator's semantics, docs/simulator.md "Pieces"); without link loads, from any producer tile.
    const gather = opts.links?.layers[e.from];
    const fromTiles = gather?.gatherTiles?.length ? gather.gatherTiles : opts.layerTiles?.[e.from];
    const { remote, hops } = rowRoute(chip, fromTiles, toTiles, !!gather?.gatherTiles?.length);
    let xferS = gather?.gatherRowS ?? 0;
    if (remote) {
      // (h + 1) router traversals, then the row serialised on one link.
      const rowBytes = e.elemsPerRow * actBytes;
      xferS += (hops + 1) * noc.hopLatencyS + rowBytes / noc.linkBandwidthBytesPerS;
    }
    edgeHops[k] = remote ? hops : -1;
    incoming[e.to]!.push({ from: e.from, scale: e.rowMap.scale, offset: e.rowMap.offset, xferS });
  });
  return { graph, timeS, order: orderOf(graph), incoming, links: opts.links?.layers, stageS, bottleneck, mappings, copies, costs, edgeHops };
}

export function prepareProfile(graph: LayerGraph, chip: ChipSpec, opts: Omit<ProfileOptions, 'links'> & { links?: { layers: LayerLinks[] } } = {}): ProfileBase {
  const tb = timing(graph, chip, opts);
  const { mappings, copies, costs, timeS } = tb;
  const noc = nocCosts(chip);
  const actBytes = chip.precision.activation_bits / 8;
  const perTile = crossbarsPerTile(chip);

  const layers: LayerProfile[] = graph.layers.map((layer, i) => {
    const m = mappings[i]!;
    const c = costs[i]!;
    const d = copies[i]!;
    const mvmTime = c.mvmTimeS + c.mergeTimeS;
    const energy = addEnergy(zeroEnergy(), opts.energyPerMvm?.[i] ?? c.energyPerMvmJ, layer.mvms);
    return {
      index: i,
      name: layer.name,
      kind: layer.kind,
      digital: m.digital,
      mvms: layer.mvms,
      copies: d,
      crossbars: m.crossbars * d,
      mvmTimeS: mvmTime,
      computeS: Math.ceil(layer.mvms / d) * mvmTime,
      timeS: timeS[i]!,
      startS: 0,
      finishS: 0,
      energy,
      energyJ: 0,
    };
  });

  // Per edge: the NoC energy of the whole tensor.
  let nocBytes = 0;
  let nocFlitHops = 0;
  graph.edges.forEach((e, k) => {
    const hops = tb.edgeHops[k]!;
    if (hops < 0) return;
    const producer = graph.layers[e.from]!;
    const rowBytes = e.elemsPerRow * actBytes;
    const bytes = rowBytes * producer.outRows;
    const flitHops = Math.ceil((bytes * 8) / noc.flitBits) * (hops + 1);
    nocBytes += bytes;
    nocFlitHops += flitHops;
    layers[e.from]!.energy.noc += flitHops * noc.flitHopJ;
  });

  // Partial sums of row blocks that do not fit one tile cross the NoC (one hop to the merging tile).
  graph.layers.forEach((layer, i) => {
    const m = mappings[i]!;
    const rowTiles = m.digital ? 1 : (opts.rowPieces?.[i] ?? Math.ceil(m.rowBlocks / perTile));
    if (rowTiles <= 1) return;
    const bytes = psumBytes((rowTiles - 1) * m.colsPerGroup * m.groups * (chip.precision.activation_bits / 8)) * layer.mvms;
    const flitHops = Math.ceil((bytes * 8) / noc.flitBits) * 2;
    nocBytes += bytes;
    nocFlitHops += flitHops;
    layers[i]!.energy.noc += flitHops * noc.flitHopJ;
  });

  let mapped = 0;
  let allocated = 0;
  let crossbars = 0;
  let packedTiles = 0;
  mappings.forEach((m, i) => {
    const d = copies[i]!;
    mapped += m.mappedCells * d;
    allocated += m.allocatedCells * d;
    crossbars += m.crossbars * d;
    packedTiles += Math.ceil((m.crossbars * d) / perTile);
  });
  const tiles =
    opts.tiles ?? (opts.layerTiles ? new Set(opts.layerTiles.flat()).size : packedTiles);

  const energy = zeroEnergy();
  for (const L of layers) {
    L.energyJ = totalEnergy(L.energy);
    addEnergy(energy, L.energy);
  }
  return {
    model: graph.model,
    graph,
    timeS,
    layers,
    order: tb.order,
    incoming: tb.incoming,
    links: tb.links,
    stageS: tb.stageS,
    bottleneck: tb.bottleneck,
    energy,
    leakage: opts.leakage,
    tileLeakageW: tileLeakageW(chip),
    crossbars,
    tiles,
    mappedCells: mapped,
    allocatedCells: allocated,
    nocBytes,
    nocFlitHops,
  };
}

/** Per link: when the first layer using it starts, and the load it has carried so far (scratch of pipelineTimes, by link number). */
let linkStartOf = new Float64Array(0);
let linkCarriedOf = new Float64Array(0);

/** Above every link number of a base's loads, once per base (its loads are never changed). */
const linkSpans = new WeakMap<PipelineBase, number>();

function linkSpanOf(base: PipelineBase): number {
  let linkSpan = linkSpans.get(base);
  if (linkSpan === undefined) {
    linkSpan = 0;
    if (base.links) for (const own of base.links) if (own) for (const l of own.links) if (l >= linkSpan) linkSpan = l + 1;
    linkSpans.set(base, linkSpan);
  }
  return linkSpan;
}

/**
 * The inter-layer pipeline in topological order, links as servers shared in pipeline order: a
 * layer cannot finish before the first layer using each of its links started and the link carried
 * everything before it, its own load included (the other tenants' concurrent loads first:
 * `background`, by link).
 */
export function pipelineTimes(base: PipelineBase, background?: LinkSeconds): PipelineTimes {
  const { graph, timeS, links } = base;
  const n = timeS.length;
  const startS = new Float64Array(n);
  const finishS = new Float64Array(n);
  const linkSpan = linkSpanOf(base);
  if (linkStartOf.length < linkSpan) {
    linkStartOf = new Float64Array(linkSpan);
    linkCarriedOf = new Float64Array(linkSpan);
  }
  const linkStart = linkStartOf;
  const linkCarried = linkCarriedOf;
  if (links) {
    for (const own of links) {
      if (!own) continue;
      for (const l of own.links) {
        linkStart[l] = NaN;
        linkCarried[l] = 0;
      }
    }
    if (background) for (let k = 0; k < background.links.length; k++) if (background.links[k]! < linkSpan) linkCarried[background.links[k]!] = background.seconds[k]!;
  }
  for (const i of base.order) {
    const me = graph.layers[i]!;
    const Lt = timeS[i]!;
    const rowTime = Lt / Math.max(1, me.outRows);
    let start = 0;
    let finish = 0;
    for (const inc of base.incoming[i]!) {
      const prodRows = Math.max(1, graph.layers[inc.from]!.outRows);
      const prodRowTime = timeS[inc.from]! / prodRows;
      // Consumer row 0 needs producer rows [0, min(P - 1, offset)].
      const need = Math.min(prodRows, inc.offset + 1);
      start = Math.max(start, startS[inc.from]! + need * prodRowTime + inc.xferS);
      // Consumer rows that need the producer's last row can only run after it arrives.
      const firstNeedingLast = inc.scale > 0 ? Math.max(0, Math.ceil((prodRows - 1 - inc.offset) / inc.scale)) : 0;
      const rowsAfter = Math.max(0, me.outRows - Math.min(me.outRows, firstNeedingLast));
      finish = Math.max(finish, finishS[inc.from]! + inc.xferS + rowsAfter * rowTime);
    }
    startS[i] = start;
    let f = Math.max(start + Lt, finish);
    const own = links?.[i];
    if (own) {
      const ls = own.links;
      for (let k = 0; k < ls.length; k++) {
        const l = ls[k]!;
        let s0 = linkStart[l]!;
        if (Number.isNaN(s0)) linkStart[l] = s0 = start;
        const carried = linkCarried[l]! + own.seconds[k]!;
        linkCarried[l] = carried;
        f = Math.max(f, s0 + carried);
      }
    }
    finishS[i] = f;
  }

  let latency = 0;
  for (let i = 0; i < n; i++) latency = Math.max(latency, finishS[i]!);
  // Steady state: every inference's traffic crosses the busiest link (shared with other tenants).
  let busiestLinkS = 0;
  for (const own of links ?? []) for (const l of own.links) busiestLinkS = Math.max(busiestLinkS, linkCarried[l]!);
  return { startS, finishS, latencyS: latency, intervalS: Math.max(base.stageS, busiestLinkS) };
}

/** The whole profile from its base and its pipeline's times. */
export function finishProfile(base: ProfileBase, times: PipelineTimes): TenantProfile {
  const latency = times.latencyS;
  const interval = times.intervalS;
  const energy = { ...base.energy };
  const leakTime = base.leakage === 'none' ? 0 : base.leakage === 'latency' ? latency : interval;
  energy.leakage = base.tiles * base.tileLeakageW * leakTime;
  return {
    model: base.model,
    layers: base.layers.map((L, i) => ({ ...L, energy: { ...L.energy }, startS: times.startS[i]!, finishS: times.finishS[i]! })),
    latencyS: latency,
    intervalS: interval,
    throughputIps: interval > 0 ? 1 / interval : 0,
    bottleneck: base.bottleneck,
    energy,
    energyJ: totalEnergy(energy),
    crossbars: base.crossbars,
    tiles: base.tiles,
    mappedCells: base.mappedCells,
    allocatedCells: base.allocatedCells,
    utilization: base.allocatedCells > 0 ? base.mappedCells / base.allocatedCells : 1,
    nocBytes: base.nocBytes,
    nocFlitHops: base.nocFlitHops,
  };
}

/**
 * Whether a producer's rows cross the NoC to its consumer, and over how many router hops. From
 * gather tiles (`fromGather`), as the simulator multicasts: every consumer tile other than the
 * sending gather tile receives the row, the farthest arriving last. Otherwise (a plan without
 * pieces) the layers share data when they share a tile, else the nearest pair of their tiles.
 */
export function rowRoute(chip: ChipSpec, from: number[] | undefined, to: number[] | undefined, fromGather: boolean): { remote: boolean; hops: number } {
  if (!from?.length || !to?.length) return { remote: true, hops: 1 };
  const cols = chip.topology.cols;
  const [cr, cc] = concentrationShape(chip.topology.concentration);
  if (fromGather && chip.topology.kind !== 'torus') {
    // A gather on a mesh (every edge of a placed deployment): the farthest pair in Manhattan
    // distance, max over the four diagonal directions of (largest projection over one set) -
    // (smallest over the other), tile by tile (a router met twice changes no extreme).
    const g0 = from[0]!;
    let remote = g0 !== to[0];
    for (let k = 1; k < from.length && !remote; k++) remote = from[k] !== g0;
    for (let k = 1; k < to.length && !remote; k++) remote = to[k] !== to[0];
    if (!remote) return { remote, hops: 0 };
    let hiPP = -Infinity, hiPM = -Infinity, hiMP = -Infinity, hiMM = -Infinity;
    for (let k = 0; k < from.length; k++) {
      const t = from[k]!;
      const r = Math.floor(Math.floor(t / cols) / cr);
      const c = Math.floor((t % cols) / cc);
      if (r + c > hiPP) hiPP = r + c;
      if (r - c > hiPM) hiPM = r - c;
      if (-r + c > hiMP) hiMP = -r + c;
      if (-r - c > hiMM) hiMM = -r - c;
    }
    let loPP = Infinity, loPM = Infinity, loMP = Infinity, loMM = Infinity;
    for (let k = 0; k < to.length; k++) {
      const t = to[k]!;
      const r = Math.floor(Math.floor(t / cols) / cr);
      const c = Math.floor((t % cols) / cc);
      if (r + c < loPP) loPP = r + c;
      if (r - c < loPM) loPM = r - c;
      if (-r + c < loMP) loMP = -r + c;
      if (-r - c < loMM) loMM = -r - c;
    }
    return { remote, hops: Math.max(0, hiPP - loPP, hiPM - loPM, hiMP - loMP, hiMM - loMM) };
  }
  // Router coordinates of each distinct router (tiles on one router are as far from any other).
  const [gridRows, gridCols] = routerGrid(chip);
  const routers = (tiles: number[]): number[] => [...new Set(tiles.map((t) => Math.floor(Math.floor(t / cols) / cr) * gridCols + Math.floor((t % cols) / cc)))];
  const a = routers(from);
  const b = routers(to);
  const torus = chip.topology.kind === 'torus';
  const distance = (p: number, q: number): number => {
    let dr = Math.abs(Math.floor(p / gridCols) - Math.floor(q / gridCols));
    let dc = Math.abs((p % gridCols) - (q % gridCols));
    if (torus) {
      dr = Math.min(dr, gridRows - dr);
      dc = Math.min(dc, gridCols - dc);
    }
    return dr + dc;
  };
  if (!fromGather) {
    const toSet = new Set(to);
    let hops = Infinity;
    for (const p of a) {
      for (const q of b) {
        hops = Math.min(hops, distance(p, q));
        if (hops === 0) break;
      }
      if (hops === 0) break;
    }
    return { remote: !from.some((t) => toSet.has(t)), hops };
  }
  // The farthest pair of a gather tile and a consumer tile other than it (none: not remote).
  const remote = from.some((g) => g !== from[0]) || to.some((t) => t !== to[0]) || from[0] !== to[0];
  if (!remote) return { remote, hops: 0 };
  let hops = 0;
  if (!torus) {
    // On a mesh the farthest pair in Manhattan distance: max over the four diagonal directions
    // of (largest projection over one set) - (smallest over the other).
    for (const [sr, sc] of [[1, 1], [1, -1], [-1, 1], [-1, -1]] as const) {
      let hiA = -Infinity;
      let loB = Infinity;
      for (const p of a) hiA = Math.max(hiA, sr * Math.floor(p / gridCols) + sc * (p % gridCols));
      for (const q of b) loB = Math.min(loB, sr * Math.floor(q / gridCols) + sc * (q % gridCols));
      hops = Math.max(hops, hiA - loB);
    }
    return { remote, hops };
  }
  for (const p of a) for (const q of b) hops = Math.max(hops, distance(p, q));
  return { remote, hops };
}
