/**
 * A lower bound on the makespan (docs/method.md#step-5-strategies-lower-bound-anneal), valid for every strategy and for
 * the simulator:
 *  - work bound: all crossbar work of every batch (N x crossbars x t_mvm per layer, merges left
 *    out) spread over every crossbar of the chip at once;
 *  - critical path: for each tenant, the longest producer -> consumer chain where each layer does
 *    a single MVM (what unlimited duplication would leave), merges and NoC left out;
 *  - reprogramming: a tenant whose weights exceed what the whole chip can hold at once must stream
 *    the rest in during its run, one phase after another, over the off-chip links: at least
 *    (its weight bytes - the most bytes the chip can hold of it) / link bandwidth. The most it can
 *    hold is a fractional knapsack (its densest layers first), so duplication cannot raise it;
 *    likewise for all tenants together: the chip has one off-chip link, shared by every tenant
 *    (the simulator serializes weight transfers on it, first come, first served), so every byte
 *    the chip cannot hold passes through it one after another.
 * All of them ignore contention, and no deployment can beat their maximum.
 */
import type { ChipSpec } from '../hardware/spec';
import { crossbarsPerTile, mvmTimeS, reprogramCosts, tileCount } from '../hardware/costs';
import type { MappedTenant } from '../mapping/mapped-tenant';
import { maxOf } from '../arrays';

export interface LowerBound {
  makespanS: number;
  workS: number;
  criticalPathS: number[];
  /** Per tenant: the least time to stream in the weights the chip cannot hold at once. */
  reprogramS: number[];
}

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

export function lowerBound(chip: ChipSpec, models: MappedTenant[]): LowerBound {
  const t = mvmTimeS(chip);
  const crossbars = tileCount(chip) * crossbarsPerTile(chip);
  let work = 0;
  const cps = models.map((tm) => {
    const g = tm.graph;
    g.layers.forEach((l, i) => (work += tm.batch * l.mvms * tm.xb[i]! * t));
    const unit = g.layers.map((_, i) => (tm.xb[i] === 0 ? tm.costs[i]!.mvmTimeS : t));
    const longest = new Array<number>(g.layers.length).fill(0);
    const preds: number[][] = g.layers.map(() => []);
    for (const e of g.edges) preds[e.to]!.push(e.from);
    let cp = 0;
    for (const i of topoOrder(g.layers.length, g.edges)) {
      let before = 0;
      for (const p of preds[i]!) before = Math.max(before, longest[p]!);
      longest[i] = before + unit[i]!;
      cp = Math.max(cp, longest[i]!);
    }
    return cp;
  });
  const workS = work / crossbars;
  const reprogramS = models.map((tm) => reprogramBoundS(chip, tm, crossbars));
  const perTenant = cps.map((cp, i) => Math.max(cp, reprogramS[i]!));
  // All tenants' excess bytes cross the one shared off-chip link in turn (docs/simulator.md).
  const sharedReprogramS = reprogramBoundS(chip, models, crossbars);
  return { makespanS: Math.max(workS, sharedReprogramS, maxOf(perTenant)), workS, criticalPathS: cps, reprogramS };
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
