/**
 * The packed stage-level plan (docs/method.md, "Analytic optimum"): the smallest common target v
 * for batch x stage time such that every layer of every tenant, with the fewest copies that meet
 * v, packs (pack.ts, the packer every deployment uses) into the chip's tiles. Stage time is the
 * operator level's model, ceil(N / k) x t_mvm with the consumer-side NoC floor.
 *
 * Why a search and not a linear program: packing makes a copy's area depend on the fragments the
 * layers before it leave in the tenant's tiles, which no linear row states. But the objective is
 * the slowest stage, so at a target v each layer's fewest copies are fixed, and fewer copies never
 * pack into more tiles; a plan that meets v therefore needs at least the tiles of the fewest
 * copies, and the smallest feasible v over the candidate stage values is the optimum over all
 * whole-tile shares and copy counts (feasibility grows with v: bisection).
 */
import type { ChipSpec } from '../hardware/spec';
import { crossbarsPerTile, tileCount } from '../hardware/costs';
import type { MappedTenant } from '../mapping/mapped-tenant';
import { packCount } from './pack';
import { copyCap } from './operator-level';
import { maxOf } from '../arrays';
import type { PlanLimits } from '../evaluate/bound';
import { replicaGrid } from '../placement/replicas';

/** Most copies of layer l: its cap (copyCap), as many as the chip's crossbars hold, one per tile if digital. */
export function chipCopyCap(chip: ChipSpec, tm: MappedTenant, l: number): number {
  const xb = tm.xb[l]!;
  const tiles = tileCount(chip);
  return Math.max(1, Math.min(copyCap(tm, l), xb === 0 ? tiles : Math.floor((tiles * crossbarsPerTile(chip)) / xb)));
}

/** Fewest copies for each distinct compute time ceil(N / k), up to `cap`. */
export function copyCandidates(mvms: number, cap: number): number[] {
  const ks: number[] = [];
  let k = 1;
  while (k <= cap) {
    ks.push(k);
    const m = Math.ceil(mvms / k);
    if (m <= 1) break;
    // The next count with a shorter time: the fewest k' with ceil(N / k') <= m - 1.
    k = Math.ceil(mvms / (m - 1));
  }
  return ks;
}

/** Which stage-time terms: compute time alone, or with the consumer-side NoC floor (the operator level's model). */
export type StageTerms = 'compute' | 'noc';

/** Stage time of layer l with k copies (mapping/mapped-tenant.ts `layerTime` for 'noc'). */
export function stageS(tm: MappedTenant, l: number, k: number, terms: StageTerms): number {
  const compute = Math.ceil(tm.graph.layers[l]!.mvms / k) * tm.mvmTime[l]!;
  return terms === 'noc' ? Math.max(compute, tm.nocFloor[l]!) : compute;
}

export interface LevelPlan {
  /** The smallest feasible target: max over tenants and layers of batch x stage time (s). */
  valueS: number;
  /** Tiles each tenant's copies pack into (digital layers: one copy per tile). */
  tiles: number[];
  copies: number[][];
}

/** The tenant's fewest copies meeting batch x stage <= v, and the tiles they pack into; null when some layer cannot meet v. */
export function tenantAtLevel(chip: ChipSpec, tm: MappedTenant, v: number): { copies: number[]; tiles: number } | null {
  const copies = tm.xb.map(() => 1);
  let digital = 1;
  for (let l = 0; l < copies.length; l++) {
    const t = tm.batch * tm.mvmTime[l]!;
    if (tm.batch * tm.nocFloor[l]! > v * (1 + 1e-12)) return null;
    // Largest per-copy MVM count m with batch x m x t <= v, then the fewest copies giving it.
    const m = Math.floor((v * (1 + 1e-12)) / t);
    if (m < 1) return null;
    const k = Math.ceil(tm.graph.layers[l]!.mvms / m);
    if (k > chipCopyCap(chip, tm, l)) return null;
    copies[l] = k;
    if (tm.xb[l] === 0) digital = Math.max(digital, k);
  }
  return { copies, tiles: Math.max(digital, packCount(tm, copies, crossbarsPerTile(chip))) };
}

/** The packed stage-level optimum of tenants sharing `total` tiles (default: the chip). */
export function levelPlan(chip: ChipSpec, models: MappedTenant[], total = tileCount(chip)): LevelPlan {
  const values = [
    ...new Set(models.flatMap((tm) => tm.graph.layers.flatMap((layer, l) => copyCandidates(layer.mvms, chipCopyCap(chip, tm, l)).map((k) => tm.batch * stageS(tm, l, k, 'noc'))))),
  ].sort((a, b) => a - b);
  const at = (v: number): LevelPlan | null => {
    const per = models.map((tm) => tenantAtLevel(chip, tm, v));
    if (per.some((p) => !p)) return null;
    const tiles = per.map((p) => p!.tiles);
    return tiles.reduce((a, b) => a + b, 0) <= total ? { valueS: v, tiles, copies: per.map((p) => p!.copies) } : null;
  };
  // The largest value is every layer at one copy (or its floor): feasible whenever the single copies fit.
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (at(values[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  const plan = at(values[lo]!);
  if (!plan) throw new Error('levelPlan: the tenants\' single copies do not fit the tiles');
  // The value actually reached (the slowest stage at the chosen copies).
  const valueS = maxOf(models.map((tm, i) => tm.batch * maxOf(plan.copies[i]!.map((k, l) => stageS(tm, l, k, 'noc')))));
  return { ...plan, valueS };
}

/**
 * What every plan of a run keeps to, for the lower bound: the copy cap in each pipeline (each
 * column chunk of a cut layer is a layer of its own under it), and the replicas candidate's k
 * rectangles (placement/replicas.ts), each a pipeline of its own.
 */
export function planLimits(chip: ChipSpec, models: MappedTenant[]): PlanLimits {
  const grid = replicaGrid(chip, models.map((tm) => tm.batch));
  return { copyCap, replicas: grid ? grid.rows * grid.cols : 1 };
}
