/**
 * From plans to a Deployment: rounds of tenants that are resident together, each tenant's share
 * as a contiguous run of the placement order (curve-order.ts; docs/method.md#step-4-packing-and-placement), and every phase of its
 * plan packed into that run from its first tile (pack.ts).
 */
import { crossbarsPerTile, tileCount } from '../hardware/costs';
import type { ChipSpec } from '../hardware/spec';
import type { DeployedTenant, Deployment, ReOperator } from '../placement/types';
import { placedReopCost } from '../placement/reop-costs';
import { notePlacedRun, runTile, type PlacedRun, type RunDeployment } from '../placement/placed-run';
import type { OperatorPlan } from './operator-level';
import type { ReopCosts } from '../mapping/reop';
import { packCount, placeLayers } from './pack';
import { CURVE_AXES, placementOrder, type CurveAxis } from './curve-order';
import type { DeploymentEvaluation } from '../evaluate/deployment';
import type { MappedTenant } from '../mapping/mapped-tenant';
import { appendAll } from '../arrays';
import { checkLimit } from '../limits';
import { WeightedLru } from '../weighted-lru';

/**
 * Rounds: tenants in the given order join the current round while the single-copy needs of its
 * members fit the chip together; a tenant larger than the chip runs alone (in phases). Same rule
 * as the direct baseline, but with packed needs (several layers per tile), so more tenants fit.
 */
export function formRounds(need: number[], total: number): number[][] {
  const rounds: number[][] = [];
  let cur: number[] = [];
  let used = 0;
  need.forEach((n, i) => {
    if (cur.length && used + Math.min(n, total) > total) {
      rounds.push(cur);
      cur = [];
      used = 0;
    }
    cur.push(i);
    used += Math.min(n, total);
    if (n >= total) {
      rounds.push(cur);
      cur = [];
      used = 0;
    }
  });
  if (cur.length) rounds.push(cur);
  return rounds;
}

/** Single-copy need of each tenant in whole tiles, packed. */
export function singleCopyNeed(models: MappedTenant[], chip: ChipSpec): number[] {
  const perTile = crossbarsPerTile(chip);
  return models.map((m) => packCount(m, m.xb.map(() => 1), perTile));
}

/**
 * The analytic evaluator the optimizer is given (it never picks one itself; the pipeline passes
 * evaluate/deployment.ts), with the makespan alone when it has a cheaper way to it (the same number).
 */
export type Evaluator = ((dep: Deployment) => Pick<DeploymentEvaluation, 'makespanS' | 'tenants'>) & {
  makespanS?: (dep: Deployment) => number;
  /** The makespan of the deployment the placed runs would make, without making it (undefined: make it and ask `makespanS`). */
  runMakespanS?: (dep: RunDeployment) => number | undefined;
};

/**
 * The deployment of the plans. The tile order is the gilbert curve (curve-order.ts) in both
 * orientations, or the snake; the one with the shorter analytic makespan (link loads included,
 * the evaluator the caller passes: evaluate/deployment.ts) is kept, ties in CURVE_AXES order. Why both: XY routing goes along x first, so
 * whether a tenant's layers advance along x or along y changes which links the multicast trees
 * share (vgg16 alone on 32x32, simulated: 5.29 ms along x, 3.49 ms along y; the medium mix on
 * 16x16: 18.44 ms along x, 20.39 ms along y); the analytic profile ranked both the same way.
 */
export function deployPlans(
  evaluate: Evaluator,
  chip: ChipSpec,
  strategy: string,
  definition: string,
  models: MappedTenant[],
  rounds: number[][],
  shares: number[],
  plans: OperatorPlan[],
): Deployment {
  checkReOperatorsUpFront(chip, plans);
  let best: Placed | undefined;
  let bestS = Infinity;
  for (const axis of CURVE_AXES) {
    const placed = deployAlong(axis, placementOrder(chip, axis), chip, strategy, definition, models, rounds, shares, plans);
    if (CURVE_AXES.length === 1) return made(placed);
    // The orders compared from their placed runs; only the one kept has its re-operators made.
    let s = placed.runs && evaluate.runMakespanS ? evaluate.runMakespanS(placed.runs) : undefined;
    if (s === undefined) {
      const dep = made(placed);
      s = evaluate.makespanS ? evaluate.makespanS(dep) : evaluate(dep).makespanS;
    }
    if (s < bestS) {
      bestS = s;
      best = placed;
    }
  }
  return made(best!);
}

/**
 * Before any re-operator is made: every copy of a layer becomes at least one re-operator, and a
 * copy larger than a tile at least one per tile it needs, so a plan whose lower bound exceeds
 * `maxReOperators` is refused at once, naming the tenant and layer that contribute most.
 */
function checkReOperatorsUpFront(chip: ChipSpec, plans: OperatorPlan[]): void {
  const perTile = crossbarsPerTile(chip);
  let total = 0;
  let top = { n: 0, tenant: '', layer: '' };
  for (const p of plans) {
    p.copies.forEach((copies, l) => {
      const n = copies * Math.max(1, Math.ceil(p.model.xb[l]! / perTile));
      total += n;
      if (n > top.n) top = { n, tenant: p.model.tenant.name, layer: p.model.graph.layers[l]!.name };
    });
  }
  checkLimit(`re-operators of the deployment (at least; the most, ${top.n}, from layer '${top.layer}' of tenant '${top.tenant}')`, total, 'maxReOperators');
}

/** A packed run: one tenant's re-operators (every phase), their per-MVM costs (placement/reop-costs.ts) and the tiles they use. */
interface TenantPlacement {
  reops: ReOperator[];
  costs: ReopCosts[];
  tiles: number[];
}

/**
 * A tenant's placement along an order: its packed run mapped onto the order's tiles, the
 * re-operators made when first asked for (placedReops; the orders not kept never are).
 */
interface RunPlacement extends PlacedRun {
  tiles: number[];
  reops?: ReOperator[];
}

/**
 * Placements already made: the same plan on the same run of the same order (the learning-rate
 * loop's steps move a few tenants; the others keep their plan and their run) gets the same
 * placement back, and the same re-operator objects once they are made, so the evaluation's
 * per-tenant memos (evaluate/link-load.ts, evaluate/deployment.ts, placement/buffer-fit.ts, keyed
 * weakly by the placement or by those objects) recognise them. Re-operators are never changed
 * once placed. Kept per chip object (so they go with the run) and only the most recently
 * used, up to PLACED_REOPS_KEPT re-operators: a step reuses the placements of the last few steps,
 * and keeping every placement of a run held about a gigabyte on a 256x256 chip.
 */
const placedMemo = new WeakMap<ChipSpec, WeightedLru<string, RunPlacement>>();

/** Re-operators of the placements kept per chip (with their link loads and buffer-fit parts, a few hundred bytes each). */
const PLACED_REOPS_KEPT = 2 ** 18;

/**
 * Packed runs (placeRun), kept apart so that they do not push placements out of placedMemo: a run
 * serves the three orders of one choice and the next starts of its plan and share.
 */
const runMemo = new WeakMap<ChipSpec, WeightedLru<string, TenantPlacement>>();
const RUN_REOPS_KEPT = 2 ** 16;

/** A number per plan object, for the placement keys. */
const planIds = new WeakMap<OperatorPlan, number>();
let nextPlanId = 0;

function placeTenant(plan: OperatorPlan, ti: number, chip: ChipSpec, axis: CurveAxis, order: readonly number[], cursor: number, share: number): RunPlacement {
  let memo = placedMemo.get(chip);
  if (!memo) placedMemo.set(chip, (memo = new WeightedLru(PLACED_REOPS_KEPT)));
  let id = planIds.get(plan);
  if (id === undefined) planIds.set(plan, (id = nextPlanId++));
  const key = `${id}/${ti}/${axis}/${cursor}/${share}`;
  const known = memo.get(key);
  if (known) return known;
  let runs = runMemo.get(chip);
  if (!runs) runMemo.set(chip, (runs = new WeightedLru(RUN_REOPS_KEPT)));
  const run = placeRun(runs, id, plan, ti, chip, share);
  // The run's k-th tile is the order's (cursor + k)-th.
  const at = { order, offset: cursor };
  const placed: RunPlacement = { run: run.reops, costs: run.costs, ...at, tiles: run.tiles.map((k) => runTile(at, k)).sort((a, b) => a - b) };
  memo.set(key, placed, run.reops.length);
  return placed;
}

/** The re-operators of a placement, made once (the same objects each time, so the evaluation's memos know them). */
function placedReops(placed: RunPlacement): ReOperator[] {
  if (placed.reops) return placed.reops;
  const reops = placed.run.map((r): ReOperator => ({
    tenant: r.tenant,
    layer: r.layer,
    copy: r.copy,
    copies: r.copies,
    piece: r.piece,
    pieces: r.pieces,
    rowBlocks: r.rowBlocks,
    colBlocks: r.colBlocks,
    rowSplit: r.rowSplit,
    crossbars: r.crossbars,
    tile: runTile(placed, r.tile),
    pe: r.pe,
    phase: r.phase,
  }));
  notePlacedRun(reops, placed);
  return (placed.reops = reops);
}

/**
 * A plan packed into a run of `share` tiles, each re-operator's `tile` its position in the run:
 * packing reads the run's tiles by position only (pack.ts), so the three placement orders and
 * every start of the run map this one placement, and share its costs.
 */
function placeRun(memo: WeightedLru<string, TenantPlacement>, id: number, plan: OperatorPlan, ti: number, chip: ChipSpec, share: number): TenantPlacement {
  const key = `${id}/${ti}/${share}`;
  const known = memo.get(key);
  if (known) return known;
  const perTile = crossbarsPerTile(chip);
  const region = Array.from({ length: share }, (_, k) => k);
  const reops: ReOperator[] = [];
  const used = new Set<number>();
  plan.phaseLayers.forEach((layers, ph) => {
    const r = placeLayers(plan.model, ti, plan.copies, layers, region, perTile, ph, chip.pe.crossbar.count);
    appendAll(reops, r.reops);
    r.used.forEach((t) => used.add(t));
  });
  // Copies of a layer are cut into the same few pieces: a piece shaped as the one before it has its costs (the memo's same object).
  const costs: ReopCosts[] = [];
  let prev: ReOperator | undefined;
  for (const r of reops) {
    const same = prev && prev.layer === r.layer && prev.rowBlocks === r.rowBlocks && prev.colBlocks === r.colBlocks && prev.crossbars === r.crossbars && prev.rowSplit === r.rowSplit;
    costs.push(same ? costs[costs.length - 1]! : placedReopCost(chip, plan.model, r));
    prev = r;
  }
  const placed = { reops, costs, tiles: [...used] };
  memo.set(key, placed, reops.length);
  return placed;
}

/** A deployment along one order: its tenants' placements (each tenant's in round order), its re-operators not made yet. */
interface Placed {
  base: Omit<Deployment, 'reops' | 'reopCosts'>;
  placements: RunPlacement[][];
  /** The placed runs, when each tenant has exactly one (runDeploymentMakespan). */
  runs?: RunDeployment;
}

/** Tenants of each round on consecutive runs of `order` (the curve along `axis`), every phase packed from the run's first tile. */
function deployAlong(
  axis: CurveAxis,
  order: readonly number[],
  chip: ChipSpec,
  strategy: string,
  definition: string,
  models: MappedTenant[],
  rounds: number[][],
  shares: number[],
  plans: OperatorPlan[],
): Placed {
  const N = tileCount(chip);
  const placements: RunPlacement[][] = models.map(() => []);
  const tilesOf: number[][] = models.map(() => []);
  for (const members of rounds) {
    let cursor = 0;
    for (const ti of members) {
      const share = Math.min(shares[ti]!, N - cursor);
      const placed = placeTenant(plans[ti]!, ti, chip, axis, order, cursor, share);
      cursor += share;
      placements[ti]!.push(placed);
      tilesOf[ti] = placed.tiles;
    }
  }
  const tenants: DeployedTenant[] = models.map((m, ti) => ({
    name: m.tenant.name,
    model: m.tenant.model,
    graph: plans[ti]!.model.graph,
    batch: m.batch,
    priority: m.priority,
    ...(m.tenant.slaMs !== undefined ? { slaMs: m.tenant.slaMs } : {}),
    phases: plans[ti]!.phases,
    tiles: tilesOf[ti]!,
    mapped: plans[ti]!.model,
  }));
  const base = { strategy, chip, tenants, rounds, definition };
  const runs = placements.every((p) => p.length === 1) ? { ...base, runs: placements.map((p) => p[0]!) } : undefined;
  return { base, placements, runs };
}

/** The deployment of a placement: every tenant's re-operators made (or found) and put in tenant order. */
function made(placed: Placed): Deployment {
  const reops: ReOperator[] = [];
  const reopCosts: ReopCosts[] = [];
  for (const ps of placed.placements) {
    for (const p of ps) {
      appendAll(reops, placedReops(p));
      appendAll(reopCosts, p.costs);
    }
  }
  const { strategy, chip, tenants, rounds, definition } = placed.base;
  return { strategy, chip, tenants, reops, reopCosts, rounds, definition };
}
