/**
 * NoC link loads of a placement, per inference: which directed links each layer's traffic holds
 * and for how long. This is the communication side of the analytic profile (docs/method.md,
 * "Communication bound"); it mirrors, transfer for transfer, what the event simulator sends
 * (assembly/sim.ts, docs/simulator.md), so the busy time it predicts per link is exactly the
 * simulator's `linkBusy` for one inference (the simulator's link busy time depends only on the
 * placement, not on timing):
 *  - each copy of a layer multicasts its share of every output row from its gather tile (its
 *    first piece's tile) to every tile holding a consumer re-operator, once, along the union of
 *    the XY routes: every link of the union is held for bytes / link bandwidth;
 *  - each further piece of a copy on another tile sends its partial sums (row split) or its
 *    output columns (column split) to the gather tile along one XY route; a row leaves the
 *    gather tile only once they are in, so the gather is also on each row's critical path
 *    (`gatherRowS`, which the profile adds to every edge the layer feeds).
 * A copy's share of the rows: units m of the H x W output positions with m mod d = copy.
 * Cost: one route union per distinct gather tile and layer, each walked leg by leg from its far
 * ends (hardware/topology.ts xyRouteUnion), so linear in the placement's size.
 */
import type { ChipSpec } from '../hardware/spec';
import { nocCosts } from '../hardware/costs';
import { routerGrid, xyRoute, xyRouteUnion } from '../hardware/topology';
import { concentrationShape } from '../hardware/spec';
import type { LayerMapping } from '../mapping/map-layer';
import type { Deployment, ReOperator } from '../placement/types';
import type { LayerGraph } from '../workload/ir';
import { pieceOutputs, psumBytes, type ReopCosts } from '../mapping/reop';
import { placedRunOf, runTile, type PlacedRun, type TileMap } from '../placement/placed-run';

/** The placement facts the link loads need (a subset of placement/types ReOperator). */
export interface PlacedPiece {
  layer: number;
  copy: number;
  piece: number;
  tile: number;
  rowBlocks: number;
  colBlocks: number;
  crossbars: number;
  rowSplit: boolean;
}

/** Links one layer's traffic holds, with seconds per inference on each (parallel arrays). */
export interface LayerLinks {
  links: number[];
  seconds: number[];
  /** Tiles its rows leave from: each copy's gather tile (its first piece's). */
  gatherTiles?: number[];
  /**
   * Seconds from a row's compute end until every further piece's share of it is at its copy's
   * gather tile (the layer alone on the NoC): the busiest gather link's load per row plus the
   * longest gather route's (h + 1) router latencies; a piece on the gather tile's router (no
   * link) still serializes its share. 0 for a layer whose copies are single pieces.
   */
  gatherRowS?: number;
}

/** Units of the H x W output positions that copy c of d handles (m mod d = c): the simulator's round-robin. */
export function copyUnits(c: number, d: number, total: number): number {
  return total > c ? Math.floor((total - c - 1) / d) + 1 : 0;
}

/**
 * Per layer of one tenant: the links its traffic holds and the seconds per inference on each.
 * `pieces` are the tenant's re-operators (every phase: a layer's phases never overlap in time, so
 * their loads are summed as one inference's traffic). `costs`, index-aligned with `pieces`, are
 * their per-MVM costs when the caller has them (a built deployment's `reopCosts`).
 */
export function tenantLinkLoads(chip: ChipSpec, graph: LayerGraph, mappings: LayerMapping[], pieces: PlacedPiece[], costs?: ReopCosts[], tiles?: TileMap): LayerLinks[] {
  const [gridRows, gridCols] = routerGrid(chip);
  const torus = chip.topology.kind === 'torus';
  const { linkBandwidthBytesPerS: bw, hopLatencyS } = nocCosts(chip);
  const n = graph.layers.length;
  const cols = chip.topology.cols;
  const [cr, cc] = concentrationShape(chip.topology.concentration);
  const routers = tileRouters(chip.topology.rows, cols, chip.topology.concentration, gridCols);
  const routerOf = (tile: number): number => routers[tile] ?? Math.floor(Math.floor(tile / cols) / cr) * gridCols + Math.floor((tile % cols) / cc);
  // A piece's tile: its own, or its run position mapped (placement/placed-run.ts).
  const tileOf = (p: PlacedPiece): number => (tiles ? runTile(tiles, p.tile) : p.tile);
  const byLayer: PlacedPiece[][] = Array.from({ length: n }, () => []);
  // Index of each layer's first non-first piece (its costs give the bytes a piece sends to the gather tile).
  const sideIndex = new Array<number>(n).fill(-1);
  for (let k = 0; k < pieces.length; k++) {
    const p = pieces[k]!;
    byLayer[p.layer]?.push(p);
    if (p.piece > 0 && sideIndex[p.layer] === -1) sideIndex[p.layer] = k;
  }
  const tileSpan = chip.topology.rows * cols;
  const tilesOf = distinctTiles(byLayer, tileSpan, tiles);
  const actBytes = chip.precision.activation_bits / 8;
  const { outBytes, outEdges } = graphOutputs(graph, actBytes);

  const linkCount = gridRows * gridCols * 4;
  const load = layerSums;
  const gatherLoad = gatherSums;
  const outByGather = gatherTileSums;

  return graph.layers.map((layer, li) => {
    const mine = byLayer[li]!;
    if (mine.length === 0) return { links: [], seconds: [] };
    load.begin(linkCount);
    gatherLoad.begin(linkCount);
    const m = mappings[li]!;
    const H = Math.max(1, layer.outRows);
    const W = Math.max(1, Math.round(layer.mvms / H));
    const total = H * W;
    // Copies, and whether the pieces come by copy, then piece (as packing makes them; a stable sort keeps them so).
    let d = 1;
    let ordered = true;
    for (let k = 0; k < mine.length; k++) {
      const p = mine[k]!;
      if (p.copy + 1 > d) d = p.copy + 1;
      if (k > 0) {
        const q = mine[k - 1]!;
        if (p.copy < q.copy || (p.copy === q.copy && p.piece < q.piece)) ordered = false;
      }
    }
    // Bytes per MVM a non-first piece sends to the gather tile (from-deployment.ts: the first such piece's costs).
    const k1 = sideIndex[li]!;
    let sideBytesPerMvm = 0;
    if (k1 >= 0 && !m.digital) {
      const piece1 = pieces[k1]!;
      const c1 = costs?.[k1];
      if (c1) sideBytesPerMvm = piece1.rowSplit ? c1.psumBytesPerMvm : c1.outputBytesPerMvm;
      else {
        // Its reopCosts' psumBytesPerMvm or outputBytesPerMvm, without the rest of its costs (the operator level's trial placements).
        const outBytes1 = pieceOutputs(m, piece1.colBlocks) * actBytes;
        sideBytesPerMvm = piece1.rowSplit ? psumBytes(outBytes1) : outBytes1;
      }
    }
    // Output seconds per gather tile (copies gathered on one tile share one route union), summed in copy order.
    outByGather.begin(tileSpan);
    // The gather's per-row critical path: its busiest link, its longest route, a link-free share.
    let gatherHops = -1;
    let linkFreeShareS = 0;
    // Each copy's pieces in piece order, copies in copy order (a copy without pieces adds nothing).
    const copyPieces = (ps: readonly PlacedPiece[], from: number, to: number, c: number): void => {
      const units = copyUnits(c, d, total);
      const g = tileOf(ps[from]!);
      outByGather.add(g, (outBytes[li]! * units) / W / bw);
      const side = (sideBytesPerMvm * units) / bw;
      if (side <= 0) return;
      for (let k = from + 1; k < to; k++) {
        const t = tileOf(ps[k]!);
        if (t === g) continue;
        const hops = gatherRoute(gridRows, gridCols, torus, routerOf(t), routerOf(g), side, side / H);
        gatherHops = Math.max(gatherHops, hops);
        if (hops === 0) linkFreeShareS = Math.max(linkFreeShareS, side / H);
      }
    };
    if (ordered) {
      // Each copy is a run of the layer's pieces.
      for (let a = 0; a < mine.length; ) {
        let b = a + 1;
        while (b < mine.length && mine[b]!.copy === mine[a]!.copy) b++;
        copyPieces(mine, a, b, mine[a]!.copy);
        a = b;
      }
    } else {
      const copies: PlacedPiece[][] = Array.from({ length: d }, () => []);
      for (const p of mine) copies[p.copy]!.push(p);
      for (const c of copies) c.sort((a, b) => a.piece - b.piece);
      copies.forEach((ps, c) => {
        if (ps.length > 0) copyPieces(ps, 0, ps.length, c);
      });
    }
    const gatherRowS = gatherHops < 0 ? 0 : Math.max(Math.max(0, gatherLoad.max()) + (gatherHops + 1) * hopLatencyS, linkFreeShareS + hopLatencyS);
    // Distinct consumer routers (a concentrated mesh puts several tiles on one router; tiles on
    // the gather tile's router cost no link).
    const destRouters: number[] = [];
    const routerMark = nextMark(gridRows * gridCols);
    for (const to of outEdges[li]!) {
      for (const t of tilesOf[to]!) {
        const r = routerOf(t);
        if (tileMarks[r] === routerMark) continue;
        tileMarks[r] = routerMark;
        destRouters.push(r);
      }
    }
    const gatherTiles = outByGather.links;
    for (const g of gatherTiles) {
      const s = outByGather.sum(g);
      if (s <= 0) continue;
      xyRouteUnion(gridRows, gridCols, torus, routerOf(g), destRouters, (l) => load.add(l, s));
    }
    return { links: load.links, seconds: load.seconds(), gatherTiles, gatherRowS };
  });
}

/** Each tile's router, for the last mesh asked (the engine deploys on one chip at a time). */
let routerTable = { rows: -1, cols: -1, concentration: -1, routers: new Int32Array(0) };

function tileRouters(rows: number, cols: number, concentration: number, gridCols: number): Int32Array {
  const t = routerTable;
  if (t.rows === rows && t.cols === cols && t.concentration === concentration) return t.routers;
  const [cr, cc] = concentrationShape(concentration);
  const routers = new Int32Array(rows * cols);
  for (let tile = 0; tile < routers.length; tile++) routers[tile] = Math.floor(Math.floor(tile / cols) / cr) * gridCols + Math.floor((tile % cols) / cc);
  routerTable = { rows, cols, concentration, routers };
  return routers;
}

/**
 * Per layer of a graph, at an activation width: its outputs' row bytes (one multicast serves every
 * consumer layer; its row is the largest edge row, as the simulator's) and its consumers in edge
 * order. Once per graph (graphs are never changed once made).
 */
const outputsMemo = new WeakMap<LayerGraph, { actBytes: number; outBytes: number[]; outEdges: number[][] }>();

function graphOutputs(graph: LayerGraph, actBytes: number): { outBytes: number[]; outEdges: number[][] } {
  const known = outputsMemo.get(graph);
  if (known && known.actBytes === actBytes) return known;
  const n = graph.layers.length;
  const outBytes = new Array<number>(n).fill(0);
  const outEdges: number[][] = Array.from({ length: n }, () => []);
  for (const e of graph.edges) {
    outBytes[e.from] = Math.max(outBytes[e.from]!, e.elemsPerRow * actBytes);
    outEdges[e.from]!.push(e.to);
  }
  outputsMemo.set(graph, { actBytes, outBytes, outEdges });
  return { outBytes, outEdges };
}

/** Marks by tile or router number (a mark per pass, kept between calls: the engine is synchronous). */
let tileMarks = new Int32Array(0);
let tileMark = 0;

/** Each list's distinct tiles in first-met order (tiles below `tileSpan`, mapped by `tiles` when given; marks by tile number, no Set per list). */
export function distinctTiles(lists: readonly (readonly { tile: number }[])[], tileSpan: number, tiles?: TileMap): number[][] {
  return lists.map((items) => {
    const mark = nextMark(tileSpan);
    const out: number[] = [];
    for (const p of items) {
      const t = tiles ? runTile(tiles, p.tile) : p.tile;
      if (tileMarks[t] === mark) continue;
      tileMarks[t] = mark;
      out.push(t);
    }
    return out;
  });
}

/** A fresh mark over numbers below `size`. */
function nextMark(size: number): number {
  if (tileMarks.length < size) {
    tileMarks = new Int32Array(size);
    tileMark = 0;
  }
  if (tileMark === 0x7fffffff) {
    tileMarks.fill(0);
    tileMark = 0;
  }
  return ++tileMark;
}

/** A piece's share to its gather router along the XY route: `side` on each link, `perRow` on the gather's sums; its hops. */
function gatherRoute(gridRows: number, gridCols: number, torus: boolean, from: number, to: number, side: number, perRow: number): number {
  let hops = 0;
  xyRoute(gridRows, gridCols, torus, from, to, (l) => {
    layerSums.add(l, side);
    gatherSums.add(l, perRow);
    hops++;
  });
  return hops;
}

/**
 * Seconds per link summed in a table indexed by link id (a 256x256 mesh has 262,144 links),
 * not a Map: each link's sum is added in the same order, `links` lists the links in the order
 * first met, and the table is kept between calls (reset by marks, not cleared).
 */
class LinkSums {
  private sums = new Float64Array(0);
  private marks = new Int32Array(0);
  private mark = 0;
  /** Links met since `begin`, in the order first met. */
  links: number[] = [];

  /** Starts a new sum over links numbered below `size` (forgets every link). */
  begin(size: number): void {
    if (this.sums.length < size) {
      this.sums = new Float64Array(size);
      this.marks = new Int32Array(size);
      this.mark = 0;
    }
    if (this.mark === 0x7fffffff) {
      this.marks.fill(0);
      this.mark = 0;
    }
    this.mark++;
    this.links = [];
  }

  add(link: number, s: number): void {
    if (this.marks[link] !== this.mark) {
      this.marks[link] = this.mark;
      this.sums[link] = 0;
      this.links.push(link);
    }
    this.sums[link] += s;
  }

  /** The sum of a link met since `begin`. */
  sum(link: number): number {
    return this.sums[link]!;
  }

  has(link: number): boolean {
    return this.marks[link] === this.mark;
  }

  seconds(): number[] {
    return this.links.map((l) => this.sums[l]!);
  }

  max(): number {
    let m = -Infinity;
    for (const l of this.links) m = Math.max(m, this.sums[l]!);
    return m;
  }
}

/** The tables the functions below sum in (never two calls at once: the engine is synchronous). */
const layerSums = new LinkSums();
const gatherSums = new LinkSums();
/** Output seconds by gather tile (numbered as links: a tile number indexes it). */
const gatherTileSums = new LinkSums();

/**
 * Link loads already computed, by the tenant's first re-operator object. The optimizer's
 * deployments share the re-operator objects of a tenant whose plan and tiles did not change
 * (optimize/deploy-plans.ts), and most of its steps move a few tenants: the others' loads are
 * found here. A hit needs the very same re-operators, costs, graph, mappings and chip.
 */
const loadsMemo = new WeakMap<ReOperator, { chip: ChipSpec; graph: LayerGraph; mappings: LayerMapping[]; pieces: ReOperator[]; costs: ReopCosts[]; layers: LayerLinks[] }>();

export function placedLinkLoads(chip: ChipSpec, graph: LayerGraph, mappings: LayerMapping[], pieces: ReOperator[], costs: ReopCosts[]): LayerLinks[] {
  const first = pieces[0];
  if (!first) return tenantLinkLoads(chip, graph, mappings, pieces, costs);
  const known = loadsMemo.get(first);
  if (
    known &&
    known.chip === chip &&
    known.graph === graph &&
    known.mappings === mappings &&
    known.pieces.length === pieces.length &&
    ((known.pieces === pieces && known.costs === costs) || known.pieces.every((p, k) => p === pieces[k] && known.costs[k] === costs[k]))
  ) {
    return known.layers;
  }
  // Re-operators made from a placed run have its loads (the same pieces, tiles and costs).
  const made = placedRunOf(pieces, costs);
  const layers = made ? runLinkLoads(chip, graph, mappings, made.placed) : tenantLinkLoads(chip, graph, mappings, pieces, costs);
  loadsMemo.set(first, { chip, graph, mappings, pieces, costs, layers });
  return layers;
}

/** Link loads of placed runs, by placed run: the loads of the re-operators that would be made from it. */
const runLoadsMemo = new WeakMap<PlacedRun, { chip: ChipSpec; graph: LayerGraph; mappings: LayerMapping[]; layers: LayerLinks[] }>();

export function runLinkLoads(chip: ChipSpec, graph: LayerGraph, mappings: LayerMapping[], placed: PlacedRun): LayerLinks[] {
  const known = runLoadsMemo.get(placed);
  if (known && known.chip === chip && known.graph === graph && known.mappings === mappings) return known.layers;
  const layers = tenantLinkLoads(chip, graph, mappings, placed.run, placed.costs, placed);
  runLoadsMemo.set(placed, { chip, graph, mappings, layers });
  return layers;
}

/** Seconds per inference on each of a set of links (parallel arrays). */
export interface LinkSeconds {
  links: ArrayLike<number>;
  seconds: ArrayLike<number>;
}

/**
 * Link loads of every tenant of a deployment, with each tenant's background (roundBackground).
 */
export function deploymentLinkLoads(dep: Deployment): { layers: LayerLinks[]; background: LinkSeconds }[] {
  const chip = dep.chip;
  const pieces: ReOperator[][] = dep.tenants.map(() => []);
  const costs: ReopCosts[][] = dep.tenants.map(() => []);
  dep.reops.forEach((r, k) => {
    pieces[r.tenant]?.push(r);
    costs[r.tenant]?.push(dep.reopCosts[k]!);
  });
  const loads = dep.tenants.map((t, ti) => placedLinkLoads(chip, t.graph, t.mapped.mappings, pieces[ti]!, costs[ti]!));
  return dep.tenants.map((_, ti) => ({ layers: loads[ti]!, background: roundBackground(dep, ti, loads) }));
}

/**
 * A tenant's background: the loads of the other tenants of its round (they run at the same
 * time), scaled by min(1, their batch / its batch) because a smaller batch stops loading the
 * link before this tenant is done. `loads` are every tenant's link loads. It lists the tenant's
 * own links only (the profile reads no other; 0 where no other tenant passes), each summed
 * tenant by tenant and layer by layer in round order.
 */
export function roundBackground(dep: Pick<Deployment, 'chip' | 'tenants' | 'rounds'>, ti: number, loads: LayerLinks[][]): LinkSeconds {
  const [gridRows, gridCols] = routerGrid(dep.chip);
  const t = dep.tenants[ti]!;
  const sums = layerSums;
  sums.begin(gridRows * gridCols * 4);
  for (const L of loads[ti]!) for (const l of L.links) sums.add(l, 0);
  const round = dep.rounds.find((r) => r.includes(ti)) ?? [ti];
  for (const o of round) {
    if (o === ti) continue;
    const w = Math.min(1, dep.tenants[o]!.batch / Math.max(1, t.batch));
    for (const L of loads[o]!) {
      const ls = L.links;
      for (let k = 0; k < ls.length; k++) {
        const l = ls[k]!;
        if (sums.has(l)) sums.add(l, L.seconds[k]! * w);
      }
    }
  }
  return { links: sums.links, seconds: sums.seconds() };
}
