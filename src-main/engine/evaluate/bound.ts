/**
 * A lower bound on the makespan (docs/method.md, "Lower bound"), valid for every plan the
 * optimizer builds (within `PlanLimits`: copy cap, replicas) and for the simulator. Each term is a
 * resource no plan can avoid, with contention and everything else left out:
 *  - work: all crossbar work of every batch (N x crossbars x t_mvm per layer, merges left out)
 *    spread over every crossbar of the chip at once;
 *  - critical path: for each tenant, the longest producer -> consumer chain where each layer does
 *    a single unit (what unlimited duplication would leave);
 *  - stage (copy cap, per-layer area, consumer-router inflow): copy 0 of a layer's d copies does
 *    ceil(N / d) units of each request one after another (docs/simulator.md, "Copies"), starting
 *    no earlier than the chain before the layer, with d at most the copy cap in each pipeline (a
 *    replica, a column chunk); and a consumer's router receives every row of the layer, of which
 *    the copies with a crossbar (digital: a tile) on that router, at most concentration x crossbars
 *    per tile of them, produce at most ceil(N / d) units each: the rest comes in over at most 4
 *    links. The least over d of the slower of the two, for the busiest replica's requests; and all
 *    copies together hold at most the chip's crossbars (B N x crossbars / chip crossbars units);
 *  - buffer port: every unit moves its input and output bytes through a tile buffer's port (a
 *    piece over k tiles is charged at least 1/k of its bytes on its tile, and a copy spans at most
 *    ceil(crossbars / per tile) tiles), and a chip has one port per tile;
 *  - NoC ejection: a column block of a layer (its row blocks; the Splitter never cuts one) spans
 *    at least ceil(row blocks / per tile) tiles, on at least that / concentration routers K; every
 *    producer row reaches each consumer router but the sender's over one of that router's at most
 *    4 incoming links, so B x rows x row bytes x (K - 1) / (K x 4 x link bandwidth). Injection is
 *    dominated by it (copies and chunks may send from every router of the chip);
 *  - reprogramming: a tenant whose weights exceed what the whole chip can hold at once must stream
 *    the rest in during its run over the off-chip link: at least (its weight bytes - the most bytes
 *    the chip can hold of it) / link bandwidth. The most it can hold is a fractional knapsack (its
 *    densest layers first), so duplication cannot raise it; likewise for all tenants together: the
 *    chip has one off-chip link, shared by every tenant (the simulator serializes weight transfers
 *    on it, first come, first served), so every byte the chip cannot hold passes through it.
 * No placement-independent traffic must cross a bisection (any producer and its consumers may sit
 * on one side), so the bound has no bisection term; docs/method.md says why.
 */
import type { ChipSpec } from '../hardware/spec';
import { crossbarsPerTile, mvmTimeS, nocCosts, reprogramCosts, tileCount } from '../hardware/costs';
import { bufferCosts } from '../hardware/buffers';
import type { MappedTenant } from '../mapping/mapped-tenant';
import { maxOf } from '../arrays';

/**
 * A plan whose makespan is within this factor of the bound is certified within it of every plan;
 * beyond it the ratio says more about what the bound leaves out (link contention, which depends on
 * where copies sit) than about the plan, and the run does not show it as a gap (docs/method.md).
 */
export const CERTIFYING_RATIO = 2;

/** The bound's terms, in the order `binding` names them. */
export const BOUND_TERMS = ['work', 'critical path', 'stage', 'buffer port', 'noc', 'reprogramming'] as const;
export type BoundTerm = (typeof BOUND_TERMS)[number];

export interface LowerBound {
  makespanS: number;
  workS: number;
  criticalPathS: number[];
  /** Per tenant: its slowest layer at its best copy count (copy cap, area, consumer-router inflow), after the chain before it. */
  stageS: number[];
  /** The chip's buffer ports: every unit's input and output bytes over one port per tile. */
  bufferPortS: number;
  /** Per tenant: the rows any layer must send into the routers its widest consumer's column block spans. */
  nocS: number[];
  /** Per tenant: the least time to stream in the weights the chip cannot hold at once. */
  reprogramS: number[];
  /** The term that sets the bound (the first of BOUND_TERMS at the maximum). */
  binding: BoundTerm;
}

/** What every plan of a run keeps to: the bound holds for plans within these limits. */
export interface PlanLimits {
  /** Most copies of layer `l` of tenant `tm` in one pipeline (the optimizer's copy cap); each column chunk of a cut layer keeps it too. */
  copyCap: (tm: MappedTenant, l: number) => number;
  /** Most request-level replicas of a tenant (each a pipeline of its own on a rectangle of the chip; 1 where none applies). */
  replicas: number;
}

/** Incoming links of one router on a mesh, torus or concentrated mesh: at most one per neighbour. */
const ROUTER_LINKS = 4;

/** Weight bytes of tenants the chip cannot hold at once, streamed in at the off-chip bandwidth. */
export function reprogramBoundS(chip: ChipSpec, tm: Pick<MappedTenant, 'xb' | 'weightBytes'> | Pick<MappedTenant, 'xb' | 'weightBytes'>[], chipCrossbars: number): number {
  const tms = Array.isArray(tm) ? tm : [tm];
  const layers = tms.flatMap((t) => t.xb.map((xb, i) => ({ xb, bytes: t.weightBytes[i]! }))).filter((l) => l.xb > 0);
  const total = layers.reduce((s, l) => s + l.bytes, 0);
  let room = chipCrossbars;
  let resident = 0;
  for (const l of layers.sort((a, b) => b.bytes / b.xb - a.bytes / a.xb)) {
    const take = Math.min(room, l.xb);
    resident += (l.bytes * take) / l.xb;
    room -= take;
    if (room <= 0) break;
  }
  return Math.max(0, total - resident) / reprogramCosts(chip).offchipBandwidthBytesPerS;
}

/** Rows and units per request as the simulator streams a layer (sim/from-deployment.ts): H = max(1, outRows), W = round(N / H). */
function simUnits(mvms: number, outRows: number): { rows: number; units: number } {
  const rows = Math.max(1, outRows);
  return { rows, units: rows * Math.max(1, Math.round(mvms / rows)) };
}

export function lowerBound(chip: ChipSpec, models: MappedTenant[], limits: PlanLimits): LowerBound {
  const tiles = tileCount(chip);
  const perTile = crossbarsPerTile(chip);
  const crossbars = tiles * perTile;
  const routers = tiles / chip.topology.concentration;
  const linkBw = nocCosts(chip).linkBandwidthBytesPerS;
  const port = bufferCosts(chip);
  const actBytes = chip.precision.activation_bits / 8;
  const slide = chip.tile.edram.input_reuse === 'sliding-window';
  let work = 0;
  let portWork = 0;
  const cps: number[] = [];
  const stageS: number[] = [];
  const nocS: number[] = [];
  for (const tm of models) {
    const g = tm.graph;
    const n = g.layers.length;
    // A unit's least time: the crossbars' MVM at the layer's input width (every piece waits for it), or a digital layer's whole unit.
    const unit = g.layers.map((l, i) => (tm.xb[i] === 0 ? tm.costs[i]!.mvmTimeS : mvmTimeS(chip, l.activationBits)));
    // Routers one column block of a consumer spans at the least (a digital layer: one).
    const blockRouters = tm.mappings.map((m, i) => (tm.xb[i] === 0 ? 1 : Math.ceil(Math.ceil(Math.min(m.rowBlocks, tm.xb[i]!) / perTile) / chip.topology.concentration)));
    const preds: number[][] = g.layers.map(() => []);
    const consumerRouters = new Array<number>(n).fill(1);
    const outBytes = new Array<number>(n).fill(0);
    for (const e of g.edges) {
      preds[e.to]!.push(e.from);
      consumerRouters[e.from] = Math.max(consumerRouters[e.from]!, blockRouters[e.to]!);
      outBytes[e.from] = Math.max(outBytes[e.from]!, e.elemsPerRow * actBytes);
    }
    // Requests of the busiest replica (all of them without replicas).
    const replicaBatch = Math.ceil(tm.batch / limits.replicas);
    const longest = new Array<number>(n).fill(0);
    let cp = 0;
    let stage = 0;
    let noc = 0;
    for (const i of topoOrder(n, g.edges)) {
      const l = g.layers[i]!;
      let before = 0;
      for (const p of preds[i]!) before = Math.max(before, longest[p]!);
      longest[i] = before + unit[i]!;
      cp = Math.max(cp, longest[i]!);
      const { rows, units } = simUnits(l.mvms, l.outRows);
      const xb = tm.xb[i]!;
      const fewest = Math.min(l.mvms, units);
      // Copy 0 of d copies does ceil(units / d) of each request; at most `local` copies (a crossbar
      // or, digital, a tile each) produce on one consumer router, the rest of a row comes in over its links.
      const cap = Math.max(1, xb === 0 ? Math.min(limits.copyCap(tm, i), tiles) : limits.copyCap(tm, i));
      const local = xb === 0 ? chip.topology.concentration : chip.topology.concentration * perTile;
      const perRow = units / rows;
      let atBest = Infinity;
      for (let d = 1; d <= cap; d++) {
        const compute = replicaBatch * Math.ceil(fewest / d) * unit[i]!;
        const remoteRows = outBytes[i]! > 0 ? Math.max(0, rows - (local * Math.ceil(units / d)) / perRow) : 0;
        atBest = Math.min(atBest, Math.max(compute, (replicaBatch * remoteRows * outBytes[i]!) / (ROUTER_LINKS * linkBw)));
      }
      const batchUnits = tm.batch * fewest;
      // All copies, over every replica, hold at most the chip's crossbars.
      const byArea = ((batchUnits * xb) / crossbars) * unit[i]!;
      stage = Math.max(stage, before + Math.max(atBest, byArea));
      work += batchUnits * xb * mvmTimeS(chip, l.activationBits);
      const c = tm.costs[i]!;
      const bytes = c.digital ? c.inputBytesPerMvm + c.outputBytesPerMvm : c.inputBytesPerMvm * (slide ? (l.slideShare ?? 1) : 1) + c.outputBytesPerMvm;
      portWork += (batchUnits * bytes) / Math.max(1, Math.ceil(Math.min(xb, crossbars) / perTile));
      const K = Math.min(consumerRouters[i]!, routers);
      if (K > 1) noc = Math.max(noc, (tm.batch * rows * outBytes[i]! * (K - 1)) / (K * ROUTER_LINKS * linkBw));
    }
    cps.push(cp);
    stageS.push(stage);
    nocS.push(noc);
  }
  const workS = work / crossbars;
  const bufferPortS = portWork / (tiles * port.bandwidthBytesPerS);
  const reprogramS = models.map((tm) => reprogramBoundS(chip, tm, crossbars));
  // All tenants' excess bytes cross the one shared off-chip link in turn (docs/simulator.md).
  const sharedReprogramS = reprogramBoundS(chip, models, crossbars);
  const terms: Record<BoundTerm, number> = {
    work: workS,
    'critical path': maxOf(cps),
    stage: maxOf(stageS),
    'buffer port': bufferPortS,
    noc: maxOf(nocS),
    reprogramming: Math.max(sharedReprogramS, maxOf(reprogramS)),
  };
  const makespanS = maxOf(BOUND_TERMS.map((k) => terms[k]));
  const binding = BOUND_TERMS.find((k) => terms[k] === makespanS)!;
  return { makespanS, workS, criticalPathS: cps, stageS, bufferPortS, nocS, reprogramS, binding };
}

/** Kahn's order (layers are usually already in order; a cycle would be a workload bug: rest in index order). */
export function topoOrder(n: number, edges: { from: number; to: number }[]): number[] {
  const indeg = new Array<number>(n).fill(0);
  const out: number[][] = Array.from({ length: n }, () => []);
  for (const e of edges) {
    indeg[e.to]!++;
    out[e.from]!.push(e.to);
  }
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (indeg[i] === 0) order.push(i);
  for (let h = 0; h < order.length; h++) for (const j of out[order[h]!]!) if (--indeg[j]! === 0) order.push(j);
  if (order.length < n) {
    const seen = new Set(order);
    for (let i = 0; i < n; i++) if (!seen.has(i)) order.push(i);
  }
  return order;
}
