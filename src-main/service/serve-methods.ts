/**
 * Serving sweeps: the strategy's deployment under Poisson request streams, every tenant at each
 * rate in turn; one stored run of kind `serve` whose headline is the highest rate at which every
 * tenant with an SLA met its p99 target. One concern of the service (service.ts composes them).
 */
import type { AppApi, ServeResult } from '../api/contract';
import { finishRun } from '../store';
import { maxOf } from '../engine/arrays';
import { runInputs } from './project-model';
import type { ServiceContext } from './context';
import { startJob } from './start-job';

/** A p99 target is met when at least 99 % of the measured requests finish within it. */
const P99_MET = 0.99;

/** The highest rate at which every tenant that has an SLA met it; null when no tenant has one or none was met. */
export function highestRateWithinSla(points: ServeResult[]): number | null {
  const met = points.filter((p) => p.tenants.some((t) => t.sla_attainment !== null) && p.tenants.every((t) => t.sla_attainment === null || t.sla_attainment >= P99_MET));
  return met.length ? maxOf(met.map((p) => p.tenants[0]?.rate_rps ?? 0)) : null;
}

export function serveMethods(ctx: ServiceContext): Pick<AppApi, 'startServe'> {
  return {
    async startServe({ project, strategy, objective, seed, rates, requests, servingObjective }) {
      const { inputs, tenants, chip } = ctx.withProject(project, runInputs);
      return startJob<ServeResult[]>(
        ctx,
        project,
        'serve',
        { chip, tenants, strategy, objective, seed, rates, requests, ...(servingObjective ? { servingObjective } : {}) },
        { kind: 'serve', strategy, objective, seed, settings: { strategy, objective, seed, rates, requests, ...(servingObjective ? { servingObjective } : {}) }, inputs },
        (db, runId, points) => finishRun(db, runId, highestRateWithinSla(points), { serve: points }),
      );
    },
  };
}
