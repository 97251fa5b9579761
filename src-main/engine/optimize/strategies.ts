/**
 * The strategies by name, all from the same inputs (docs/method.md#step-5-strategies-lower-bound-anneal):
 *  - tenant: tenant level only. Shares from the learning-rate loop; inside a share every layer
 *    gets the same number of copies k (whole-network replicas, the most a share can hold), so area
 *    matters without any per-operator restructuring. (With literally one copy per layer, area
 *    beyond the footprint would change nothing; replicas are the tenant-level use of area.)
 *  - operator: operator level only: equal shares, then the Duplicator and Splitter in each.
 *  - collaborative: both (learning-rate loop with the operator level inside), then the best by
 *    the simulator of that candidate and the ablations' candidates (runDeployment, index.ts).
 *  - anneal: seeded simulated annealing over shares and per-layer copies (anneal.ts).
 * Rounds and phases follow the same rules for all of them (deploy-plans.ts).
 */
import { tileCount } from '../hardware/costs';
import type { Deployment } from '../placement/types';
import type { TraceRow } from './trace';
import { NO_PROGRESS } from '../progress';
import { operatorLevel, type DupMode, type OperatorPlan } from './operator-level';
import { deployPlans, formRounds } from './deploy-plans';
import { equalShares, integerShares, partitionRound, type PartitionResult } from './tenant-level';
import { maxOf } from '../arrays';
import { levelPlan } from './stage-levels';
import { balancedPlans } from './baselines';
import { OPTIMIZER_SETTINGS as S } from './settings';
import type { StrategyContext } from './strategy-context';
export type { StrategyContext } from './strategy-context';

export interface StrategyOutcome {
  deployment: Deployment;
  trace: TraceRow[];
  shares: number[];
  plans: OperatorPlan[];
  /** Analytic objective value of the final shares (sum over rounds for makespan-like objectives). */
  value: number;
  /** Learning loops: the runners-up by the analytic objective, for the simulator referee. */
  alternatives?: Alternative[];
}

/**
 * A runner-up whose deployment is made when the referee comes to it: made all at once, the
 * runners-up of sixteen tenants on a 256x256 chip held about a million re-operators (with their
 * memoized link loads and buffer fits) through the whole referee.
 */
export interface Alternative extends Omit<StrategyOutcome, 'deployment' | 'alternatives'> {
  deploy(): Deployment;
}

export const DEFINITIONS = {
  tenant:
    'Tenant level only (docs/method.md#step-2-tenant-level): area shares from the learning-rate loop; inside its share a tenant gets k whole-network replicas (every layer k copies, the most the share holds), no per-operator duplication; layers packed several per tile; rounds and phases as collaborative.',
  operator:
    'Operator level only (docs/method.md#step-3-operator-level): equal area shares per round; inside each share the Duplicator gives copies to the pipeline bottleneck while crossbars allow and the Splitter cuts copies to fill tile fragments; phases with reprogramming when a share cannot hold its tenant.',
  collaborative:
    'Collaborative (docs/method.md#step-2-tenant-level with docs/method.md#step-3-operator-level inside): learning-rate tenant-level partitioning with the operator level (Duplicator/Splitter) evaluated inside every share; the final deployment is the fastest by the event simulator among this candidate and the tenant-only, operator-only and direct candidates built from the same inputs.',
  throughput:
    'Collaborative for streams (docs/method.md#step-2-tenant-level, objective throughput): the learning-rate loop with the operator level inside every share, steered by every tenant\'s steady-state interval in the deployment (its bottleneck stage\'s time per request, analytic, links included) instead of its burst run time; inside a share the bottleneck or the work-proportional copies, whichever has the shorter interval; a candidate of retile serve --objective throughput.',
  anneal:
    'Simulated annealing (docs/method.md#step-5-strategies-lower-bound-anneal, a cross-check): seeded search over area shares and per-layer copy counts from work-proportional shares with one copy per layer, analytic cost, Metropolis acceptance with geometric cooling.',
} as const;

/** Runs partitioning round by round; shares of tenants outside a round are reported as their final shares. */
export function partitionedStrategy(
  ctx: StrategyContext,
  name: 'tenant' | 'operator' | 'collaborative',
  mode: DupMode,
  learn: boolean,
  initial: 'work' | 'equal',
): StrategyOutcome {
  const N = tileCount(ctx.chip);
  const rounds = formRounds(ctx.need, N);
  // The simulator steers each round's loop: the round's tenants deployed as the result deploys
  // them, simulated on their own (a later round's start, its weight load, is not the loop's to
  // change; its tenants' run times are). Each round's loop has its budget of simulated rows
  // (settings.loopSimRows); its start may take up to loopSimStartRows.
  const measureRound = (members: number[]) => {
    let left: number = S.loopSimRows;
    let started = false;
    return ctx.measure
      ? (sh: number[], pl: OperatorPlan[]): number[] | null => {
          if (started && left <= 0) return null;
          const models = members.map((i) => ctx.models[i]!);
          const dep = deployPlans(ctx.evaluate, ctx.chip, name, DEFINITIONS[name], models, [models.map((_, k) => k)], sh, pl);
          const m = ctx.measure!(dep, started ? left : S.loopSimStartRows);
          started = true;
          if (!m) return null;
          left -= m.rows;
          return m.finishS;
        }
      : undefined;
  };
  const shares = ctx.models.map(() => 0);
  const plans: OperatorPlan[] = new Array(ctx.models.length);
  const trace: TraceRow[] = [];
  let value = 0;
  let base = 0;
  const ranked: PartitionResult['ranked'][] = [];
  for (const [round, members] of rounds.entries()) {
    const models = members.map((i) => ctx.models[i]!);
    const r = partitionRound(
      models,
      ctx.chip,
      N,
      members.map((i) => Math.min(ctx.need[i]!, N)),
      members.map((i) => ctx.alone[i]!),
      {
        objective: ctx.objective,
        mode,
        // Several rounds: each round's tenants are written before every repetition (reprogram.ts loadCharged).
        reloaded: rounds.length > 1,
        learn,
        initial,
        progress: ctx.progress ?? NO_PROGRESS,
        trace,
        iterationBase: base,
        round,
        members,
        measure: measureRound(members),
        // The operator level's per-layer copies (`shortest`, `interval`) start also from the shares of the
        // packed stage-level optimum (stage-levels.ts): where the stage times balance under the
        // analytic model, the rest of the round's tiles spread in proportion.
        ...(learn && mode !== 'uniform' && members.length > 1 ? { seeds: [levelSeed(ctx, members, N)] } : {}),
        // For streams the operator level may take work-proportional copies (`interval`): at the
        // footprint-proportional shares that is the balanced baseline, which must not be a
        // candidate by construction.
        ...(mode === 'interval' ? { footprintStart: false } : {}),
        sharesOf: (sh, lat) => {
          const s = shares.slice();
          const l = ctx.models.map((_, i) => plans[i]?.runTimeS ?? 0);
          members.forEach((ti, k) => {
            s[ti] = sh[k]!;
            l[ti] = lat[k]!;
          });
          return { shares: s, latencies: l };
        },
      },
    );
    base += r.iterations + 1;
    members.forEach((ti, k) => {
      shares[ti] = r.shares[k]!;
      plans[ti] = r.plans[k]!;
    });
    value += r.value;
    ranked.push(r.ranked);
  }
  const deployment = deployPlans(ctx.evaluate, ctx.chip, name, DEFINITIONS[name], ctx.models, rounds, shares, plans);
  const outcome: StrategyOutcome = { deployment, trace, shares, plans, value };
  if (!learn) return outcome;
  // Runners-up for the simulator referee: the k-th best of every round (its best when it has fewer).
  const alternatives: Alternative[] = [];
  const alternative = (sh: number[], pl: OperatorPlan[], v: number): void =>
    void alternatives.push({ deploy: () => deployPlans(ctx.evaluate, ctx.chip, name, DEFINITIONS[name], ctx.models, rounds, sh, pl), trace, shares: sh, plans: pl, value: v });
  const K = maxOf(ranked.map((r) => r.length));
  const runnersUp: number[][] = [];
  for (let k = 1; k < K; k++) {
    const sh = shares.slice();
    const pl = plans.slice();
    let v = 0;
    rounds.forEach((members, ri) => {
      const c = ranked[ri]![Math.min(k, ranked[ri]!.length - 1)]!;
      members.forEach((ti, j) => {
        sh[ti] = c.shares[j]!;
        pl[ti] = c.plans[j]!;
      });
      v += c.value;
    });
    runnersUp.push(sh);
    alternative(sh, pl, v);
  }
  if (mode === 'shortest') {
    // The best shares with each duplication alone (operator-level.ts `bottleneck`, `fill`) and
    // with copies in proportion to work (`proportional`, ISAAC-style), the runners-up with the
    // latter: the analytic profile can rank the copy rules wrongly, so the simulator chooses.
    // Work-proportional copies in the footprint-proportional shares of a round of several tenants
    // would be the balanced baseline itself, so that point is left out: the comparison with
    // balanced must not hold by construction.
    const withRule = (sh: number[], rule: DupMode): OperatorPlan[] => ctx.models.map((m, i) => operatorLevel(m, ctx.chip, sh[i]!, rule, { reloaded: rounds.length > 1 }));
    for (const only of ['bottleneck', 'fill'] as const) alternative(shares, withRule(shares, only), value);
    for (const sh of [shares, ...runnersUp]) if (!isBalancedShares(ctx, rounds, sh)) alternative(sh, withRule(sh, 'proportional'), value);
  }
  return { ...outcome, alternatives };
}

/** The round's shares at the packed stage-level optimum, the spare tiles spread in proportion (integerShares). */
function levelSeed(ctx: StrategyContext, members: number[], N: number): number[] {
  const models = members.map((i) => ctx.models[i]!);
  return integerShares(levelPlan(ctx.chip, models, N).tiles, members.map((i) => Math.min(ctx.need[i]!, N)), N);
}

/** Whether some round of several tenants has exactly the balanced baseline's footprint-proportional shares (baselines.ts). */
function isBalancedShares(ctx: StrategyContext, rounds: number[][], shares: number[]): boolean {
  const N = tileCount(ctx.chip);
  return rounds.some((members) => {
    if (members.length < 2) return false;
    const s = integerShares(members.map((i) => ctx.models[i]!.footprint), members.map((i) => Math.min(ctx.need[i]!, N)), N);
    return members.every((ti, k) => shares[ti] === s[k]);
  });
}

export function tenantStrategy(ctx: StrategyContext): StrategyOutcome {
  return partitionedStrategy(ctx, 'tenant', 'uniform', true, 'work');
}

export function operatorStrategy(ctx: StrategyContext): StrategyOutcome {
  return partitionedStrategy(ctx, 'operator', 'bottleneck', false, 'equal');
}

/**
 * The learning-rate loop with the operator level inside every share, its Duplicator aimed at
 * whichever of the interval and the latency gives the shorter batch run time (`shortest`).
 */
export function collaborativeStrategy(ctx: StrategyContext): StrategyOutcome {
  return partitionedStrategy(ctx, 'collaborative', 'shortest', true, 'work');
}

/**
 * The learning-rate loop for streams (`retile serve --objective throughput`): the same loop as
 * collaborative's, steered by each tenant's steady-state cost (objective.ts `throughput`: the
 * interval of its bottleneck stage) instead of its burst run time. At batch 1 the burst's run
 * time is all pipeline fill, so the burst loop gives area to the tenant with the longest latency;
 * a stream of many requests is bound by the longest interval. Inside a share the operator level
 * takes the bottleneck or the work-proportional copies, whichever has the shorter interval
 * (`interval`). The loop's measure is the analytic evaluation of the whole deployment (every
 * tenant placed where the result places it, the links it shares with the others): the simulator
 * in the loop measures a burst, whose finish times say nothing of the interval.
 */
export function throughputStrategy(ctx: StrategyContext): StrategyOutcome {
  const measure = (dep: Deployment): { finishS: number[]; rows: number } => ({ finishS: ctx.evaluate(dep).tenants.map((t) => (t.phases === 1 ? t.intervalS : t.runTimeS / t.batch)), rows: 0 });
  const outcome = partitionedStrategy({ ...ctx, objective: 'throughput', measure }, 'collaborative', 'interval', true, 'work');
  // The loop may still end on the balanced baseline itself (every tenant with balanced's copies:
  // its shares, or a round of one tenant, whose share is the chip): then its best other point, and
  // when every point is balanced's, the same shares with the bottleneck copies.
  const balanced = balancedPlans(ctx).plans;
  const isBalanced = (o: Pick<StrategyOutcome, 'plans'>): boolean => o.plans.every((p, i) => p.phases === balanced[i]!.phases && p.copies.join() === balanced[i]!.copies.join());
  const rounds = formRounds(ctx.need, tileCount(ctx.chip));
  const pick = (): StrategyOutcome => {
    if (!isBalanced(outcome)) return outcome;
    const alt = outcome.alternatives?.find((o) => !isBalanced(o));
    if (alt) {
      const { deploy, ...rest } = alt;
      return { ...rest, deployment: deploy() };
    }
    const plans = ctx.models.map((m, i) => operatorLevel(m, ctx.chip, outcome.shares[i]!, 'bottleneck', { reloaded: rounds.length > 1 }));
    return { ...outcome, plans, deployment: deployPlans(ctx.evaluate, ctx.chip, 'collaborative', DEFINITIONS.throughput, ctx.models, rounds, outcome.shares, plans) };
  };
  const kept = pick();
  return { ...kept, deployment: { ...kept.deployment, definition: DEFINITIONS.throughput }, alternatives: [] };
}

export { equalShares, operatorLevel };
