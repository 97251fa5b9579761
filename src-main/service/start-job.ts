/**
 * Submitting an engine job that writes a run row (a deployment run, a sweep): the row is written
 * `running` now and finished or ended when the job settles; progress goes to every listener.
 */
import type { Database } from 'better-sqlite3';
import type { ProjectRef } from '../api/contract';
import { createRun, type NewRun } from '../store';
import { settleRun } from './run-completion';
import { RETILE_VERSION } from './version';
import type { ServiceContext } from './context';

/** Share of a job's progress bar the engine's stages fill; saving the result fills the rest. */
const ENGINE_SHARE = 0.98;

/** The run row a job writes (the store adds the Retile version). */
export type RunRow = Omit<NewRun, 'version'>;

export function startJob<R>(
  ctx: ServiceContext,
  project: ProjectRef,
  kind: string,
  args: unknown,
  run: RunRow,
  finish: (db: Database, runId: number, result: R) => void,
): { jobId: string; runId: number } {
  const { jobs, emit } = ctx;
  const runId = ctx.withProject(project, (db) => createRun(db, { ...run, version: RETILE_VERSION }));
  const report = (stage: string, fraction: number) => {
    const j = jobs.get(job.jobId);
    if (j) Object.assign(j, { stage, fraction });
    emit({ type: 'progress', jobId: job.jobId, project, runId, kind: run.kind, stage, fraction });
  };
  // The engine's work fills the bar up to ENGINE_SHARE; the rest is receiving and saving the
  // result, so a full bar never sits on screen while the project is still being written.
  const job = ctx.runner.submit<R>(kind, args, (stage, fraction) => report(stage, fraction * ENGINE_SHARE));
  jobs.set(job.jobId, { jobId: job.jobId, project, runId, kind: run.kind, stage: 'queued', fraction: 0 });
  const outcome = job.result
    .then((result) => {
      report('saving', ENGINE_SHARE);
      return result;
    })
    .finally(() => jobs.delete(job.jobId));
  const settled = settleRun({ workspace: ctx.workspace, emit }, { project, runId, jobId: job.jobId }, outcome, finish);
  ctx.settling.add(settled);
  void settled.finally(() => ctx.settling.delete(settled));
  return { jobId: job.jobId, runId };
}
