/**
 * The runs of a project: listing, reading one (its stored result document), deleting, starting a
 * deployment run in the engine worker, and the jobs in flight with their cancel. One concern of
 * the service (service.ts composes them).
 */
import type { AppApi, RunDetail, ServeResult, SweepPoint } from '../api/contract';
import { deleteRun, getRun, getRunResults, listRuns, loadRunResult, saveRunResult } from '../store';
import { badInput } from '../engine/errors';
import type { RunResult } from '../engine/report/result';
import { runInputs } from './project-model';
import { runSummary, type ServiceContext } from './context';
import { startJob } from './start-job';

type RunMethods = Pick<AppApi, 'listRuns' | 'getRun' | 'deleteRun' | 'startRun' | 'listJobs' | 'cancelJob'>;

export function runMethods(ctx: ServiceContext): RunMethods {
  const { jobs, runner } = ctx;
  return {
    async listRuns({ project }) {
      return ctx.readProject(project, (db) => listRuns(db).map(runSummary));
    },
    async getRun({ project, runId }): Promise<RunDetail> {
      return ctx.readProject(project, (db) => {
        const run = getRun(db, runId);
        if (!run) throw badInput(`no run #${runId} in this project`, { field: 'runId' });
        const results = run.kind === 'sweep' || run.kind === 'serve' ? getRunResults(db, runId) : {};
        return {
          project,
          projectName: ctx.summaryOf(project).name,
          run: runSummary(run),
          inputs: run.inputs,
          result: loadRunResult(db, runId) ?? null,
          sweep: (results.sweep as SweepPoint[] | undefined) ?? null,
          serve: (results.serve as ServeResult[] | undefined) ?? null,
        };
      });
    },
    async deleteRun({ project, runId }) {
      if ([...jobs.values()].some((j) => j.project === project && j.runId === runId)) throw badInput('this run is still in progress; cancel it first', { field: 'runId' });
      return { deleted: ctx.withProject(project, (db) => deleteRun(db, runId)) };
    },
    async startRun({ project, strategy, objective, seed }) {
      const { inputs, tenants, chip } = ctx.withProject(project, runInputs);
      return startJob<RunResult>(
        ctx,
        project,
        'deploy',
        { chip, tenants, strategy, objective, seed },
        { kind: 'deploy', strategy, objective, seed, settings: { strategy, objective, seed }, inputs },
        (db, runId, result) => saveRunResult(db, runId, result),
      );
    },
    async listJobs() {
      return [...jobs.values()].map((j) => ({ ...j }));
    },
    async cancelJob({ jobId }) {
      return { cancelled: runner.cancel(jobId) };
    },
  };
}
