/**
 * The tenant-level objectives (docs/method.md#step-2-tenant-level): per-tenant cost the learning-rate loop equalizes, and
 * the scalar it minimizes.
 *  - makespan: cost = batch run time; value = the slowest tenant.
 *  - weighted: cost = priority x run time; value = sum(priority x time) / sum(priority).
 *  - fairness: cost = NTT = run time / run time alone on the whole chip; value = the worst NTT.
 *  - sla: cost = per-inference latency / SLA (sla_ms, else slaFactor x latency alone); value = the
 *    worst ratio. Minimizing the worst ratio maximizes the common slack, so the largest load meets
 *    every limit; value <= 1 means every tenant meets its SLA.
 *  - throughput (the loop only: `retile serve --objective throughput`, strategies.ts
 *    throughputStrategy): cost = time per request at steady state, the interval of the
 *    tenant's bottleneck stage (its slowest re-operator's time per request, with the links its
 *    traffic holds); a plan whose weights are written every run serves a batch per run, so its
 *    cost is its run time / batch; value = the slowest tenant. A stream of R requests per tenant
 *    ends about when the tenant with the longest interval completes its R-th, whatever the latency.
 */
import type { ObjectiveName } from '../placement/spec';
import { streamCost, type OperatorPlan } from './operator-level';
import { OPTIMIZER_SETTINGS as S } from './settings';
import type { MappedTenant } from '../mapping/mapped-tenant';
import { maxOf } from '../arrays';

export interface AloneFigures {
  runTimeS: number;
  latencyS: number;
}

/** The learning-rate loop's objectives: the burst's, and a stream's throughput. */
export type LoopObjective = ObjectiveName | 'throughput';

export function tenantCost(objective: LoopObjective, tm: MappedTenant, plan: OperatorPlan, alone: AloneFigures): number {
  switch (objective) {
    case 'weighted':
      return tm.priority * plan.runTimeS;
    case 'fairness':
      return plan.runTimeS / Math.max(alone.runTimeS, 1e-30);
    case 'sla': {
      const limit = tm.tenant.slaMs !== undefined ? tm.tenant.slaMs / 1e3 : S.slaFactor * alone.latencyS;
      return plan.latencyS / Math.max(limit, 1e-30);
    }
    case 'throughput':
      return streamCost(plan);
    default:
      return plan.runTimeS;
  }
}

export function objectiveValue(objective: LoopObjective, costs: number[], priorities: number[]): number {
  if (objective === 'weighted') {
    const w = priorities.reduce((a, b) => a + b, 0);
    return costs.reduce((a, b) => a + b, 0) / Math.max(w, 1e-30);
  }
  return maxOf(costs);
}
