/**
 * The service behind the API contract: the one implementation both hosts (Electron IPC and the
 * browser-mode HTTP server) call after validating arguments. It owns the workspace (store) and
 * the engine worker; events go to whoever subscribed (IPC sender or SSE clients).
 */
import type { ApiEvent, AppApi, AppInfo, ProjectSummary, RunSummary, SelfTestArgs } from '../api/contract';
import { Workspace, createRun, finishRun, endRun, listRuns, markInterrupted } from '../store';
import { JobRunner, JobError } from './job-runner';
import type { SelfTestResult } from './jobs-registry';
import { RETILE_VERSION } from './version';

export interface ServiceOptions {
  host: AppInfo['host'];
  workspaceDir: string;
  workerUrl: URL;
  wasmPath: string;
  nativeBinding?: string;
}

export interface Service extends AppApi {
  onEvent(listener: (e: ApiEvent) => void): () => void;
  close(): Promise<void>;
}

export function createService(options: ServiceOptions): Service {
  const workspace = new Workspace(options.workspaceDir, { nativeBinding: options.nativeBinding });
  const runner = new JobRunner({ workerUrl: options.workerUrl, wasmPath: options.wasmPath });
  const listeners = new Set<(e: ApiEvent) => void>();
  /** Run bookkeeping still to be written; close() waits for it so no run is left `running`. */
  const settling = new Set<Promise<unknown>>();
  const emit = (e: ApiEvent) => listeners.forEach((l) => l(e));

  // Runs left `running` by an earlier process that died are marked interrupted when we start.
  for (const p of workspace.list()) {
    if (p.schemaVersion >= 0) workspace.with(p.file, markInterrupted);
  }

  const toSummary = (p: ReturnType<Workspace['info']>): ProjectSummary => ({ ...p });

  const api: Service = {
    async appInfo() {
      return { name: 'Retile', version: RETILE_VERSION, host: options.host, wasmAbi: await runner.wasmAbi(), workspace: workspace.dir };
    },
    async listProjects() {
      return workspace.list().map(toSummary);
    },
    async createProject({ name }) {
      return toSummary(workspace.create(name));
    },
    async listRuns({ project }) {
      return workspace.with(project, (db) =>
        listRuns(db).map(
          (r): RunSummary => ({
            id: r.id,
            kind: r.kind,
            status: r.status,
            strategy: r.strategy,
            createdAt: r.createdAt,
            finishedAt: r.finishedAt,
            headline: r.headline,
            message: r.message,
          }),
        ),
      );
    },
    async startSelfTest(args: SelfTestArgs) {
      const { project } = args;
      const runId = workspace.with(project, (db) => createRun(db, { kind: 'selftest', settings: args, version: RETILE_VERSION }));
      const job = runner.submit<SelfTestResult>('selftest', args, (stage, fraction) =>
        emit({ type: 'progress', jobId: job.jobId, stage, fraction }),
      );
      const settled = job.result.then(
        (result) => {
          workspace.with(project, (db) => finishRun(db, runId, result.dot, { selftest: result }));
          emit({ type: 'finished', jobId: job.jobId, project, runId });
        },
        (e: Error) => {
          const cancelled = e instanceof JobError && e.code === 'cancelled';
          const status = cancelled ? 'cancelled' : e instanceof JobError && e.code === 'interrupted' ? 'interrupted' : 'failed';
          workspace.with(project, (db) => endRun(db, runId, status, e.message));
          emit(cancelled ? { type: 'cancelled', jobId: job.jobId, project } : { type: 'failed', jobId: job.jobId, project, message: e.message });
        },
      );
      settling.add(settled);
      void settled.finally(() => settling.delete(settled));
      return { jobId: job.jobId, runId };
    },
    async cancelJob({ jobId }) {
      return { cancelled: runner.cancel(jobId) };
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      await runner.close();
      await Promise.allSettled([...settling]);
      listeners.clear();
    },
  };
  return api;
}
