/**
 * Re-operators placed by mapping a packed run onto tiles (optimize/deploy-plans.ts): a tenant's
 * plan packed once into a run of tiles, each re-operator's `tile` its position k in the run, then
 * the run's k-th tile put on `order[offset + k]`. The optimizer compares its placement orders from
 * their runs and makes the re-operators of the order it keeps only; what the evaluation computed
 * for a placed run is found again for the re-operators made from it (`placedRunOf`).
 */
import type { Deployment, ReOperator } from './types';
import type { ReopCosts } from '../mapping/reop';

/** Where a run's positions are: its position k on tile `order[offset + k]`. */
export interface TileMap {
  order: readonly number[];
  offset: number;
}

/** The tile of a run's position k. */
export function runTile(map: TileMap, k: number): number {
  return map.order[map.offset + k]!;
}

export interface PlacedRun extends TileMap {
  /** The run's re-operators, `tile` their position in the run, and their per-MVM costs (nothing spilled). */
  run: ReOperator[];
  costs: ReopCosts[];
}

/** A deployment whose re-operators are not made yet: each tenant's placed run (index-aligned with `tenants`). */
export interface RunDeployment extends Omit<Deployment, 'reops' | 'reopCosts'> {
  runs: PlacedRun[];
}

const made = new WeakMap<ReOperator, { reops: ReOperator[]; placed: PlacedRun }>();

/** Notes that `reops` are `placed`'s run with each tile mapped (the same fields otherwise, in order). */
export function notePlacedRun(reops: ReOperator[], placed: PlacedRun): void {
  if (reops.length) made.set(reops[0]!, { reops, placed });
}

/**
 * The placed run that `reops[from..to)` with `costs[from..to)` were made from (the very same
 * re-operator objects in order, with the run's costs), and the re-operators as made; else null.
 */
export function placedRunOf(reops: readonly ReOperator[], costs: readonly ReopCosts[], from = 0, to = reops.length): { reops: ReOperator[]; placed: PlacedRun } | null {
  const m = from < to ? made.get(reops[from]!) : undefined;
  if (!m || m.reops.length !== to - from) return null;
  if (m.reops === reops && m.placed.costs === costs) return m;
  const c = m.placed.costs;
  for (let k = 0; k < to - from; k++) if (m.reops[k] !== reops[from + k] || c[k] !== costs[from + k]) return null;
  return m;
}
