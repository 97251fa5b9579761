/**
 * Mesh sweeps: the strategy and the direct baseline over several square chip sizes, one stored run
 * of kind `sweep` whose headline is the best speed-up. One concern of the service (service.ts
 * composes them).
 */
import type { AppApi, SweepPoint } from '../api/contract';
import { finishRun } from '../store';
import { maxOf } from '../engine/arrays';
import { runInputs } from './project-model';
import type { ServiceContext } from './context';
import { startJob } from './start-job';

export function sweepMethods(ctx: ServiceContext): Pick<AppApi, 'startSweep'> {
  return {
    async startSweep({ project, strategy, objective, seed, sides }) {
      const { inputs, tenants, chip } = ctx.withProject(project, runInputs);
      return startJob<SweepPoint[]>(
        ctx,
        project,
        'sweep',
        { chip, tenants, strategy, objective, seed, sides },
        { kind: 'sweep', strategy, objective, seed, settings: { strategy, objective, seed, sides }, inputs },
        (db, runId, points) => finishRun(db, runId, points.length ? maxOf(points.map((p) => p.speedup_vs_direct)) : null, { sweep: points }),
      );
    },
  };
}
