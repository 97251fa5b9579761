/**
 * The search cross-check (docs/method.md#step-5-strategies-lower-bound-anneal): seeded simulated annealing over area
 * shares and per-layer copy counts, round by round, with the same analytic cost as the tenant
 * level. It starts from work-proportional shares with one copy per layer (not from the
 * collaborative result), so agreement between the two is evidence, not an echo.
 * Moves: (a) move 1..5 % of the chip's tiles from one tenant to another (never below its
 * single-copy need; the loser drops copies of its largest duplicated layers until it fits);
 * (b) double, increment or halve the copies of one layer, picked with probability proportional to
 * its stage time. Metropolis acceptance; temperature T0 x cost0 cooled geometrically to
 * TEnd x cost0 over the iterations (settings.ts).
 */
import { crossbarsPerTile, tileCount } from '../hardware/costs';
import { NO_PROGRESS, checkCancelled } from '../progress';
import type { TraceRow } from './trace';
import { objectiveValue, tenantCost } from './objective';
import { copyCap, operatorLevel, planTimes, type OperatorPlan } from './operator-level';
import { packCount } from './pack';
import { deployPlans, formRounds } from './deploy-plans';
import { SeededRandom } from './rng';
import { OPTIMIZER_SETTINGS as S } from './settings';
import { DEFINITIONS, type StrategyContext, type StrategyOutcome } from './strategies';
import { integerShares } from './tenant-level';
import { layerTime, type MappedTenant } from '../mapping/mapped-tenant';

export function annealStrategy(ctx: StrategyContext): StrategyOutcome {
  const { chip } = ctx;
  const N = tileCount(chip);
  const perTile = crossbarsPerTile(chip);
  const rng = new SeededRandom(ctx.seed);
  const progress = ctx.progress ?? NO_PROGRESS;
  const rounds = formRounds(ctx.need, N);
  // Several rounds: every tenant is written before each repetition (reprogram.ts loadCharged), so its copies cost write time.
  const reload = { reloaded: rounds.length > 1 };
  const shares = ctx.models.map(() => 0);
  const plans: OperatorPlan[] = new Array(ctx.models.length);
  const trace: TraceRow[] = [];
  let value = 0;
  let iterBase = 0;

  const planOf = (tm: MappedTenant, copies: number[]): OperatorPlan => {
    const all = tm.xb.map((_, i) => i);
    const t = planTimes(tm, chip, copies, [all], undefined, reload);
    return { model: tm, copies, phaseOf: tm.xb.map(() => 0), phases: 1, phaseLayers: [all], tiles: packCount(tm, copies, perTile), ...t };
  };

  for (const [round, members] of rounds.entries()) {
    const models = members.map((i) => ctx.models[i]!);
    const need = members.map((i) => Math.min(ctx.need[i]!, N));
    if (members.length === 1 && ctx.need[members[0]!]! >= N) {
      // A tenant larger than the chip: phases, planned by the operator level (nothing to share).
      const ti = members[0]!;
      shares[ti] = N;
      plans[ti] = operatorLevel(models[0]!, chip, N, 'bottleneck', reload);
      value += plans[ti]!.runTimeS;
      continue;
    }
    let sh = integerShares(models.map((m) => m.batch * m.work), need, N);
    let copies = models.map((m) => m.xb.map(() => 1));
    let cur = models.map((m, k) => planOf(m, copies[k]!));
    const costOf = (ps: OperatorPlan[]): number =>
      objectiveValue(ctx.objective, ps.map((p, k) => tenantCost(ctx.objective, models[k]!, p, ctx.alone[members[k]!]!)), models.map((m) => m.priority));
    let curCost = costOf(cur);
    let best = { sh, copies, plans: cur, cost: curCost };
    const cost0 = curCost;
    const K = S.annealIterations;
    const shrinkToFit = (k: number, c: number[], tiles: number): number[] | null => {
      const tm = models[k]!;
      const next = c.slice();
      while (packCount(tm, next, perTile) > tiles) {
        // Halve the duplicated layer holding the most crossbars.
        let j = -1;
        for (let i = 0; i < next.length; i++) if (next[i]! > 1 && (j < 0 || next[i]! * tm.xb[i]! > next[j]! * tm.xb[j]!)) j = i;
        if (j < 0) return null;
        next[j] = Math.max(1, Math.floor(next[j]! / 2));
      }
      return next;
    };
    for (let it = 0; it < K; it++) {
      if (it % 50 === 0) {
        checkCancelled(progress);
        progress.report('anneal', it / K);
      }
      const temp = S.annealT0 * cost0 * Math.pow(S.annealTEnd / S.annealT0, it / K);
      const nsh = sh.slice();
      const ncopies = copies.slice();
      const changed: number[] = [];
      if (models.length > 1 && rng.next() < 0.3) {
        const a = rng.int(models.length);
        let b = rng.int(models.length - 1);
        if (b >= a) b++;
        const d = 1 + rng.int(Math.max(1, Math.floor(0.05 * N)));
        if (nsh[b]! - d < need[b]!) continue;
        nsh[a]! += d;
        nsh[b]! -= d;
        const fit = shrinkToFit(b, ncopies[b]!, nsh[b]!);
        if (!fit) continue;
        ncopies[b] = fit;
        changed.push(a, b);
      } else {
        const k = rng.int(models.length);
        const tm = models[k]!;
        const c = ncopies[k]!.slice();
        // Roulette over stage times: slow layers are picked more often.
        const times = c.map((d, i) => layerTime(tm, i, d));
        const total = times.reduce((x, y) => x + y, 0);
        let r = rng.next() * total;
        let j = 0;
        while (j < times.length - 1 && r > times[j]!) r -= times[j++]!;
        const u = rng.next();
        const cap = tm.xb[j] === 0 ? Math.min(copyCap(tm, j), nsh[k]!) : copyCap(tm, j);
        c[j] = u < 0.4 ? Math.min(cap, c[j]! * 2) : u < 0.7 ? Math.min(cap, c[j]! + 1) : Math.max(1, Math.floor(c[j]! / 2));
        if (packCount(tm, c, perTile) > nsh[k]!) continue;
        ncopies[k] = c;
        changed.push(k);
      }
      const nplans = cur.slice();
      for (const k of new Set(changed)) nplans[k] = planOf(models[k]!, ncopies[k]!);
      const c = costOf(nplans);
      if (c <= curCost || rng.next() < Math.exp(-(c - curCost) / Math.max(temp, 1e-30))) {
        sh = nsh;
        copies = ncopies;
        cur = nplans;
        curCost = c;
        if (c < best.cost) best = { sh, copies, plans: cur, cost: c };
      }
      if (it % 20 === 0) {
        const s = shares.slice();
        const l = ctx.models.map((_, i) => plans[i]?.runTimeS ?? 0);
        members.forEach((ti, k) => {
          s[ti] = sh[k]!;
          l[ti] = cur[k]!.runTimeS;
        });
        trace.push({ iteration: iterBase + it, shares: s, latencies_s: l, learning_rate: temp, objective: curCost, round, members });
      }
    }
    iterBase += K;
    members.forEach((ti, k) => {
      shares[ti] = best.sh[k]!;
      plans[ti] = best.plans[k]!;
    });
    value += best.cost;
  }
  const deployment = deployPlans(ctx.evaluate, chip, 'anneal', DEFINITIONS.anneal, ctx.models, rounds, shares, plans);
  return { deployment, trace, shares, plans, value };
}
