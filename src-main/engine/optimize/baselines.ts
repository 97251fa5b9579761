/**
 * The two baselines that replicate (docs/method.md, "Baselines"), built from the same tenants and
 * chip as every strategy and judged by the same simulator:
 *  - balanced: each tenant in an area share proportional to its single-copy footprint, its
 *    pipeline balanced ISAAC-style (copies in proportion to each layer's work, as the share
 *    allows); no per-bottleneck Duplicator, no communication-aware copies, no learning loop;
 *  - sequential: the tenants one after another, each alone on the whole chip with its best
 *    duplication (sequentialPlan: copies cost write time), as a repeating schedule: every tenant's
 *    weights are written before its turn, the first tenant's included (the last one of the
 *    previous cycle held the chip), so the off-chip transfer and programming of each are charged.
 * The direct deployment (placement/direct.ts) is the third. The pipeline simulates all three
 * (pipeline/run.ts) and the result names the fastest (report/run-result.ts).
 */
import { tileCount } from '../hardware/costs';
import type { Deployment } from '../placement/types';
import { deployPlans, formRounds } from './deploy-plans';
import { operatorLevel, type OperatorPlan } from './operator-level';
import { integerShares } from './tenant-level';
import type { StrategyContext } from './strategy-context';

export const BASELINE_NAMES = ['direct', 'balanced', 'sequential'] as const;
export type BaselineName = (typeof BASELINE_NAMES)[number];

export const BALANCED_DEFINITION =
  'Balanced: tenants that fit together share the chip in area shares proportional to their single-copy crossbar footprints (rounds as for every strategy when they do not); ' +
  'inside its share every layer gets copies in proportion to its work per inference (MVMs x time per MVM), the most the share holds ' +
  '(with several rounds, whose weights are written again every repetition, the most an area budget holds, the budget with the least write + compute time) ' +
  '(pipeline balancing by replication as in ISAAC, Shafiee et al., ISCA 2016); copies packed in layer order, several layers per tile; ' +
  'no bottleneck-driven duplication, no communication-aware copies, no learning loop.';

export const SEQUENTIAL_DEFINITION =
  'Sequential: tenants one after another, each alone on the whole chip with its best duplication (the operator level; the area budget that minimizes run plus write time), ' +
  'as a repeating schedule: before its turn each tenant\'s weights cross the off-chip link and are programmed (time and energy charged, ' +
  'the first tenant\'s too, since the previous cycle\'s last tenant held the chip); makespan = one cycle.';

/** Balanced: footprint-proportional shares, work-proportional copies. */
export function balancedDeployment(ctx: StrategyContext): Deployment {
  const { rounds, shares, plans } = balancedPlans(ctx);
  return deployPlans(ctx.evaluate, ctx.chip, 'balanced', BALANCED_DEFINITION, ctx.models, rounds, shares, plans);
}

/** The balanced baseline's rounds, shares and plans (what balancedDeployment deploys). */
export function balancedPlans(ctx: StrategyContext): { rounds: number[][]; shares: number[]; plans: OperatorPlan[] } {
  const { chip, models, need } = ctx;
  const N = tileCount(chip);
  const rounds = formRounds(need, N);
  const shares = models.map(() => 0);
  const plans: OperatorPlan[] = new Array(models.length);
  for (const members of rounds) {
    const s = integerShares(
      members.map((i) => models[i]!.footprint),
      members.map((i) => Math.min(need[i]!, N)),
      N,
    );
    members.forEach((ti, k) => {
      shares[ti] = s[k]!;
      plans[ti] = operatorLevel(models[ti]!, chip, s[k]!, 'proportional', { reloaded: rounds.length > 1 });
    });
  }
  return { rounds, shares, plans };
}

/**
 * A tenant's best plan for its sequential turn: every copy is written before the turn (the
 * operator level's `reloaded`: its run time includes the write of its first phase, as of every
 * other, and it weighs a few area budgets, so more copies must pay for their write time). One
 * tenant alone is never rewritten (unless it runs in phases).
 */
export function sequentialPlan(ctx: StrategyContext, i: number): OperatorPlan {
  const N = tileCount(ctx.chip);
  return operatorLevel(ctx.models[i]!, ctx.chip, N, 'bottleneck', { reloaded: ctx.models.length > 1 });
}

/** Sequential: one round per tenant, each with its best plan for a turn. */
export function sequentialDeployment(ctx: StrategyContext): Deployment {
  const N = tileCount(ctx.chip);
  return deployPlans(
    ctx.evaluate,
    ctx.chip,
    'sequential',
    SEQUENTIAL_DEFINITION,
    ctx.models,
    ctx.models.map((_, i) => [i]),
    ctx.models.map(() => N),
    ctx.models.map((_, i) => sequentialPlan(ctx, i)),
  );
}
