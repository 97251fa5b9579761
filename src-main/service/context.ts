/**
 * What every concern of the service shares (service.ts builds it once and hands it to each
 * `xxxMethods(ctx)`): the open workspace behind a getter (setWorkspace replaces it), project
 * access checked against that workspace, the engine's job runner, the jobs in flight, the event
 * fan-out and the settings file.
 */
import { basename } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { ApiEvent, AppInfo, JobInfo, ProjectRef, ProjectSummary, ProjectView, RunSummary } from '../api/contract';
import { Workspace, ProjectFileError, listRuns, listTenants, markInterrupted, type StoredRun } from '../store';
import { badInput } from '../engine/errors';
import type { JobRunner } from './job-runner';
import type { SettingsStore } from './settings';
import { fitCheck, projectChip, projectTenants } from './project-model';

export interface ServiceOptions {
  host: AppInfo['host'];
  workspaceDir: string;
  workerUrl: URL;
  wasmPath: string;
  nativeBinding?: string;
  /** Folder of example deployment specs (projects/examples). */
  examplesDir?: string;
  /** Where settings.json lives (default: see settings.ts). */
  configDir?: string;
  /** Use the remembered workspace instead of `workspaceDir` (off when the environment forces one). */
  rememberWorkspace?: boolean;
  /** Run the engine worker in a process of its own (service/job-host.ts): heap exhaustion then fails a job, not the host. */
  jobHost?: URL;
  /** How that process is started (default: Node's fork; Electron: utilityProcess). */
  spawnEngine?: import('./engine-process').SpawnEngine;
  /** Electron: a native open dialog returning the chosen path. */
  pickFile?: () => Promise<string | null>;
  /** Electron: a native folder dialog returning the chosen workspace folder. */
  pickFolder?: () => Promise<string | null>;
}

export interface ServiceContext {
  options: ServiceOptions;
  settings: SettingsStore;
  /** The open workspace (a getter: setWorkspace replaces it). */
  workspace(): Workspace;
  /** Opens `dir` as the workspace (runs a dead process left `running` are marked interrupted). */
  openWorkspace(dir: string): void;
  runner: JobRunner;
  /** Jobs queued or running, by job id. */
  jobs: Map<string, JobInfo>;
  emit(e: ApiEvent): void;
  onEvent(listener: (e: ApiEvent) => void): () => void;
  /** Whoever listens to events (IPC senders, SSE clients). */
  listeners: Set<(e: ApiEvent) => void>;
  /** Run bookkeeping still to be written; close() waits for it so no run is left `running`. */
  settling: Set<Promise<unknown>>;
  /** Recently opened outside files made addressable again; returns those that still are. */
  allowRecent(): string[];
  withProject<T>(project: ProjectRef, fn: (db: Database) => T): T;
  /** Reads a project without writing anything (listing and showing work on read-only media). */
  readProject<T>(project: ProjectRef, fn: (db: Database) => T): T;
  summaryOf(file: string): ProjectSummary;
  view(project: ProjectRef): ProjectView;
  /** Refuses a change to a project while one of its jobs runs. */
  refuseWhileBusy(project: ProjectRef, what: string): void;
}

export function createContext(options: ServiceOptions, settings: SettingsStore, runner: JobRunner, initialDir: string): ServiceContext {
  const jobs = new Map<string, JobInfo>();
  const listeners = new Set<(e: ApiEvent) => void>();
  let workspace: Workspace;

  const openWorkspace = (dir: string) => {
    const ws = new Workspace(dir, { nativeBinding: options.nativeBinding });
    // Runs left `running` by an earlier process that died are marked interrupted when we start.
    for (const p of ws.list()) {
      if (p.schemaVersion >= 0) {
        try {
          ws.with(p.file, markInterrupted);
        } catch {
          // Listed with its error by listProjects.
        }
      }
    }
    workspace = ws;
  };
  openWorkspace(initialDir);

  /** A project the caller may address: in the workspace, or an outside file the user opened. */
  const checkProject = (project: ProjectRef): void => {
    if (!workspace.isExternal(project) && project.startsWith('/')) {
      throw new ProjectFileError(project, 'open this file first (Projects > Open file…)');
    }
    if (!workspace.exists(project)) throw new ProjectFileError(project, 'no such project; it may have been renamed or deleted');
  };

  const ctx: ServiceContext = {
    options,
    settings,
    workspace: () => workspace,
    openWorkspace,
    runner,
    jobs,
    listeners,
    /** One failing listener (a dropped event stream) neither stops the others nor reaches the caller. */
    emit: (e) =>
      listeners.forEach((l) => {
        try {
          l(e);
        } catch (err) {
          process.stderr.write(`retile: an event listener failed: ${(err as Error).message}\n`);
        }
      }),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    settling: new Set(),
    allowRecent() {
      const ok: string[] = [];
      for (const path of settings.get().recent) {
        try {
          workspace.allowExternal(path);
          ok.push(path);
        } catch {
          settings.removeRecent(path);
        }
      }
      return ok;
    },
    withProject(project, fn) {
      checkProject(project);
      return workspace.with(project, fn);
    },
    readProject(project, fn) {
      checkProject(project);
      return workspace.read(project, fn);
    },
    summaryOf(file) {
      const external = workspace.isExternal(file);
      try {
        const info = workspace.info(file);
        const tenants = workspace.read(file, (db) => listTenants(db).length);
        return { ...info, tenants, external };
      } catch (e) {
        return { file, name: basename(file), schemaVersion: -1, runs: 0, tenants: 0, modifiedAt: new Date(0).toISOString(), external, error: (e as Error).message };
      }
    },
    view(project) {
      return ctx.readProject(project, (db) => {
        const chip = projectChip(db);
        const tenants = projectTenants(db, chip.spec);
        return {
          summary: ctx.summaryOf(project),
          chip,
          tenants,
          fit: fitCheck(tenants, chip.spec),
          runs: listRuns(db).map(runSummary).reverse(),
        };
      });
    },
    refuseWhileBusy(project, what) {
      if ([...jobs.values()].some((j) => j.project === project)) throw badInput(`a run is in progress in this project; cancel it or wait before you ${what}`, { field: 'project' });
    },
  };
  ctx.allowRecent();
  return ctx;
}

export function runSummary(r: StoredRun): RunSummary {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    strategy: r.strategy,
    objective: r.objective,
    seed: r.seed,
    createdAt: r.createdAt,
    finishedAt: r.finishedAt,
    headline: r.headline,
    message: r.message,
    version: r.retileVersion,
  };
}
