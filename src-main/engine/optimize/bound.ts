/**
 * A lower bound on the makespan (METHOD.md section 4 step 5), valid for every strategy and for
 * the simulator:
 *  - work bound: all crossbar work of every batch (N x crossbars x t_mvm per layer, merges left
 *    out) spread over every crossbar of the chip at once;
 *  - critical path: for each tenant, the longest producer -> consumer chain where each layer does
 *    a single MVM (what unlimited duplication would leave), merges and NoC left out.
 * Both ignore reprogramming and contention, so no deployment can beat their maximum.
 */
import type { ChipSpec } from '../hardware/spec';
import { crossbarsPerTile, mvmTimeS, tileCount } from '../hardware/costs';
import { reopCosts } from '../profile/reop';
import type { TenantModel } from './tenant-model';

export interface LowerBound {
  makespanS: number;
  workS: number;
  criticalPathS: number[];
}

export function lowerBound(chip: ChipSpec, models: TenantModel[]): LowerBound {
  const t = mvmTimeS(chip);
  const crossbars = tileCount(chip) * crossbarsPerTile(chip);
  let work = 0;
  const cps = models.map((tm) => {
    const g = tm.graph;
    g.layers.forEach((l, i) => (work += tm.batch * l.mvms * tm.xb[i]! * t));
    const unit = g.layers.map((l, i) => (tm.xb[i] === 0 ? reopCosts(chip, l, tm.mappings[i]!).mvmTimeS : t));
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
  return { makespanS: Math.max(workS, ...cps), workS, criticalPathS: cps };
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
