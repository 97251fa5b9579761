/**
 * Tenant level (docs/method.md#step-2-tenant-level): learning-rate-based iterative area partitioning.
 *
 * Start from shares (whole tiles) proportional to each tenant's work (batch x crossbar-seconds
 * per inference), clamped to what each tenant needs to hold its weights once. Iterate: evaluate
 * each tenant inside its share with the operator level, compute its normalized gap
 * g_i = (c_i - mean c) / mean c of the objective's per-tenant cost, and scale its share by
 * (1 + lr x g_i); renormalize to the chip, clamp to the needs, round to whole tiles (largest
 * remainder). When the objective value does not improve, halve the learning rate and go back to
 * the best shares. When the rounded step moves no tile, move one tile from the cheapest tenant to
 * the costliest (a tenant of a few tiles never moves by a fraction of its share). Stop when the
 * cost spread (max - min) / max is within the tolerance, when no step moves a tile, or after
 * maxIterations. The best shares seen are kept (a bad step never makes the result worse).
 */
import type { ChipSpec } from '../hardware/spec';
import type { TraceRow } from './trace';
import { checkCancelled, NO_PROGRESS, type ProgressSink } from '../progress';
import { objectiveValue, tenantCost, type AloneFigures, type LoopObjective } from './objective';
import { operatorLevel, streamCost, type DupMode, type OperatorPlan } from './operator-level';
import { OPTIMIZER_SETTINGS as S } from './settings';
import type { MappedTenant } from '../mapping/mapped-tenant';
import { maxOf, minOf } from '../arrays';

export interface PartitionResult {
  shares: number[];
  plans: OperatorPlan[];
  value: number;
  iterations: number;
  /** The best distinct share vectors evaluated, best first (at most refereeCandidates; the first is the result). */
  ranked: { shares: number[]; plans: OperatorPlan[]; value: number }[];
}

/**
 * Integer shares summing to `total`, each at least `need` (largest-remainder rounding; the
 * clamp takes tiles from the tenants furthest above their need). Assumes sum(need) <= total.
 */
export function integerShares(real: number[], need: number[], total: number): number[] {
  const n = real.length;
  // Water-filling: clamped tenants get their need, the rest share what is left in proportion.
  const clamped = new Array<boolean>(n).fill(false);
  let target = real.slice();
  for (let pass = 0; pass < n + 1; pass++) {
    const freeTotal = total - need.reduce((s, x, i) => s + (clamped[i] ? x : 0), 0);
    const freeReal = real.reduce((s, x, i) => s + (clamped[i] ? 0 : Math.max(x, 0)), 0);
    target = real.map((x, i) => (clamped[i] ? need[i]! : freeReal > 0 ? (Math.max(x, 0) / freeReal) * freeTotal : freeTotal / Math.max(1, clamped.filter((c) => !c).length)));
    let changed = false;
    target.forEach((x, i) => {
      if (!clamped[i] && x < need[i]!) {
        clamped[i] = true;
        changed = true;
      }
    });
    if (!changed) break;
  }
  const out = target.map((x, i) => Math.max(need[i]!, Math.floor(x)));
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = target.map((x, i) => ({ i, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % n, left--) out[order[k]!.i]!++;
  while (left < 0) {
    // Over-assigned because of the clamp: take from the tenant furthest above its need.
    let j = -1;
    for (let i = 0; i < n; i++) if (out[i]! > need[i]! && (j < 0 || out[i]! - need[i]! > out[j]! - need[j]!)) j = i;
    if (j < 0) break;
    out[j]!--;
    left++;
  }
  return out;
}

export interface PartitionOptions {
  objective: LoopObjective;
  mode: DupMode;
  /** The round's tenants are written before every repetition (a schedule of several rounds): operator-level.ts `reloaded`. */
  reloaded?: boolean;
  /** Run the learning-rate loop (false: keep the initial shares). */
  learn: boolean;
  /** Initial shares: proportional to work (default) or equal. */
  initial?: 'work' | 'equal';
  progress?: ProgressSink;
  /** Trace rows are appended here; `sharesOf` maps this round's shares into the full tenant vector. */
  trace?: TraceRow[];
  sharesOf?: (shares: number[], latencies: number[]) => { shares: number[]; latencies: number[] };
  iterationBase?: number;
  /** Round index and member tenants, recorded on every trace row. */
  round?: number;
  members?: number[];
  /**
   * The simulator in the loop: each tenant's simulated run time for these shares and plans, or
   * null where the deployment is too large to simulate in the loop (pipeline/run.ts). When the
   * start shares are measured, every tenant's analytic cost is scaled by its simulated / analytic
   * run time (the latest ratio carries over to any point not measured), so the loop follows the
   * simulator; otherwise the analytic model alone steers.
   */
  measure?: (shares: number[], plans: OperatorPlan[]) => number[] | null;
  /**
   * More start points (whole-tile shares summing to `total`, each at least its need): evaluated
   * after the work-proportional start, and the loop starts from the best of them by its objective.
   */
  seeds?: number[][];
  /** false: the footprint-proportional start is left out (with work-proportional copies it is the balanced baseline). */
  footprintStart?: boolean;
}

export function partitionRound(
  models: MappedTenant[],
  chip: ChipSpec,
  total: number,
  need: number[],
  alone: AloneFigures[],
  opts: PartitionOptions,
): PartitionResult {
  const progress = opts.progress ?? NO_PROGRESS;
  const n = models.length;
  // Simulated / analytic run time of each tenant at the last measured point (null: analytic steering).
  let ratio: number[] | null = null;
  let measure = opts.learn && n > 1 ? opts.measure : undefined;
  // What `measure` answers for a plan: its run time, or under `throughput` its time per request.
  const basis = (p: OperatorPlan): number => (opts.objective === 'throughput' ? streamCost(p) : p.runTimeS);
  const evalShares = (shares: number[]) => {
    const plans = models.map((tm, i) => operatorLevel(tm, chip, shares[i]!, opts.mode, { reloaded: !!opts.reloaded }));
    const sim = measure?.(shares, plans) ?? null;
    if (sim) ratio = sim.map((t, i) => t / Math.max(basis(plans[i]!), 1e-30));
    else if (!ratio) measure = undefined; // the start is too large to simulate: the analytic model steers throughout
    const costs = plans.map((p, i) => tenantCost(opts.objective, models[i]!, p, alone[i]!) * (ratio?.[i] ?? 1));
    return { plans, costs, value: objectiveValue(opts.objective, costs, models.map((m) => m.priority)), simulated: sim !== null };
  };
  // A share vector met again (a backtrack, a step that rounds to a point already seen) is not evaluated again.
  const memo = new Map<string, ReturnType<typeof evalShares>>();
  const evaluate = (sh: number[]): ReturnType<typeof evalShares> => {
    const key = sh.join(',');
    const known = memo.get(key);
    if (known) return known;
    const e = evalShares(sh);
    memo.set(key, e);
    return e;
  };
  // Work of the whole batch in crossbar-seconds: the area-time each tenant asks for.
  const work = models.map((m) => m.batch * m.work);
  let shares = opts.initial === 'equal' ? equalShares(n, total) : integerShares(work, need, total);
  let cur = evaluate(shares);
  let best = { shares, ...cur };
  let lr: number = S.learningRate;
  const record = (it: number, sh: number[], plans: OperatorPlan[], value: number): void => {
    if (!opts.trace) return;
    const lat = plans.map((p, i) => basis(p) * (ratio?.[i] ?? 1));
    const mapped = opts.sharesOf ? opts.sharesOf(sh, lat) : { shares: sh, latencies: lat };
    opts.trace.push({
      iteration: (opts.iterationBase ?? 0) + it,
      shares: mapped.shares,
      latencies_s: mapped.latencies,
      learning_rate: lr,
      objective: value,
      round: opts.round ?? 0,
      members: opts.members ?? models.map((_, i) => i),
    });
  };
  record(0, shares, cur.plans, cur.value);
  // Every share vector evaluated, for the simulator referee (pipeline/run.ts); the
  // footprint-proportional start is among them.
  const seen: (PartitionResult['ranked'][number] & { simulated: boolean })[] = [{ shares, plans: cur.plans, value: cur.value, simulated: cur.simulated }];
  if (opts.learn && n > 1) {
    // Other starts: the footprint-proportional shares, and the caller's seeds; the loop starts from the best.
    const footprint = opts.footprintStart === false ? [] : [integerShares(models.map((m) => m.footprint), need, total)];
    for (const alt of [...footprint, ...(opts.seeds ?? [])]) {
      if (memo.has(alt.join(','))) continue;
      const e = evaluate(alt);
      seen.push({ shares: alt, plans: e.plans, value: e.value, simulated: e.simulated });
      if (e.value < best.value) {
        best = { shares: alt, ...e };
        shares = alt;
        cur = e;
      }
    }
  }
  let it = 0;
  if (opts.learn && n > 1) {
    for (it = 1; it <= S.maxIterations; it++) {
      checkCancelled(progress);
      progress.report('tenant level', it / S.maxIterations);
      const mean = cur.costs.reduce((a, b) => a + b, 0) / n;
      const spread = (maxOf(cur.costs) - minOf(cur.costs)) / maxOf(cur.costs);
      if (spread <= S.tolerance) break;
      const real = shares.map((s, i) => s * (1 + lr * ((cur.costs[i]! - mean) / mean)));
      let next = integerShares(real, need, total);
      if (next.every((s, i) => s === shares[i])) {
        // The step moves less than one tile. A step proportional to the share never moves a tenant
        // that holds a few tiles (1 x (1 + lr g) rounds back to 1), so first move one whole tile to
        // the costliest tenant from the cheapest that can give one (once per point); then shrink
        // the rate, and stop when even the full gap cannot move a tile.
        const moved = oneTileMove(shares, cur.costs, need);
        if (moved && !memo.has(moved.join(','))) next = moved;
        else {
          if (lr < 1 / total) break;
          lr *= S.learningRateDecay;
          continue;
        }
      }
      shares = next;
      cur = evaluate(shares);
      record(it, shares, cur.plans, cur.value);
      seen.push({ shares, plans: cur.plans, value: cur.value, simulated: cur.simulated });
      if (cur.value < best.value) best = { shares, ...cur };
      else {
        // The step overshot (or the response is not smooth): back to the best point, a shorter step.
        lr *= S.learningRateDecay;
        shares = best.shares;
        cur = { plans: best.plans, costs: best.costs, value: best.value, simulated: best.simulated };
      }
    }
  }
  const ranked: PartitionResult['ranked'] = [{ shares: best.shares, plans: best.plans, value: best.value }];
  const listed = (c: { shares: number[] }): boolean => ranked.some((r) => r.shares.every((x, i) => x === c.shares[i]));
  seen.sort((a, b) => a.value - b.value);
  for (const c of seen) {
    if (ranked.length >= S.refereeCandidates) break;
    if (!listed(c)) ranked.push({ shares: c.shares, plans: c.plans, value: c.value });
  }
  // Past its simulation budget the loop ranks points by the analytic model calibrated at its last
  // simulated point, which can put the best simulated point out of the top few: it is refereed
  // too (its simulation is in the run's cache).
  const measured = seen.find((c) => c.simulated);
  if (measured && !listed(measured)) ranked.push({ shares: measured.shares, plans: measured.plans, value: measured.value });
  return { shares: best.shares, plans: best.plans, value: best.value, iterations: it, ranked };
}

/** One tile from the cheapest tenant above its need to the costliest one; null when no tenant can give one. */
export function oneTileMove(shares: number[], costs: number[], need: number[]): number[] | null {
  let w = 0;
  for (let i = 1; i < costs.length; i++) if (costs[i]! > costs[w]!) w = i;
  let d = -1;
  for (let i = 0; i < costs.length; i++) if (i !== w && shares[i]! > need[i]! && (d < 0 || costs[i]! < costs[d]!)) d = i;
  if (d < 0) return null;
  const out = shares.slice();
  out[w]!++;
  out[d]!--;
  return out;
}

export function equalShares(n: number, total: number): number[] {
  const base = Math.floor(total / n);
  return Array.from({ length: n }, (_, i) => base + (i < total - base * n ? 1 : 0));
}
