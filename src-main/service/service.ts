/**
 * The service behind the API contract: the one implementation both hosts (Electron IPC and the
 * browser-mode HTTP server) call after validating arguments. It owns the workspace (store) and
 * the engine worker; events go to whoever subscribed (IPC sender or SSE clients).
 *
 * Store access is short synchronous queries on the host thread; everything heavy (optimizing,
 * simulating, importing ONNX) runs in the worker. A run row is written `running` before its job
 * starts and finished in one transaction with its results; closing marks unfinished runs
 * `interrupted`.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type {
  ApiEvent,
  AppApi,
  AppInfo,
  ChipCheck,
  JobInfo,
  ProjectRef,
  ProjectSummary,
  ProjectView,
  RunDetail,
  RunSummary,
  SelfTestArgs,
  SweepPoint,
  TemplateInfo,
} from '../api/contract';
import {
  Workspace,
  ProjectFileError,
  createRun,
  deleteRun,
  finishRun,
  getRun,
  getRunResults,
  listRuns,
  listTenants,
  loadRunResult,
  markInterrupted,
  saveRunResult,
  setChip,
  type StoredRun,
} from '../store';
import { chipPreset, chipSpecSchema, chipSummary, parseChipSpec, PRESET_NAMES, unknownFields, type ChipSpec } from '../engine/hardware';
import { badInput } from '../engine/errors';
import type { RunResult } from '../engine/report/result';
import { JobRunner } from './job-runner';
import { settleRun } from './run-completion';
import type { SelfTestResult } from './jobs-registry';
import { RETILE_VERSION } from './version';
import { SettingsStore, configDir } from './settings';
import { fitCheck, projectChip, projectTenants, runInputs, DEFAULT_PRESET } from './project-model';
import { loadSpec, writeSpecIntoProject } from './spec-loader';
import { LIMITS } from '../engine/limits';
import { LIMIT_VARIABLES, workerMemoryMb } from './limits-env';
import { friendlyIssue } from '../api/schemas';
import { parseDeploymentSpec, tenantNames } from '../engine/placement/spec';
import { maxOf } from '../engine/arrays';
import { tenantMethods } from './tenant-methods';

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

export interface Service extends AppApi {
  onEvent(listener: (e: ApiEvent) => void): () => void;
  close(): Promise<void>;
}

type ActiveJob = JobInfo;

export function createService(options: ServiceOptions): Service {
  const settings = new SettingsStore(options.configDir ?? configDir());
  const remembered = options.rememberWorkspace ? settings.get().workspace : undefined;
  let workspace = openWorkspace(remembered && existsSync(remembered) ? remembered : options.workspaceDir);
  const runner = new JobRunner({ workerUrl: options.workerUrl, wasmPath: options.wasmPath, limits: { ...LIMITS }, memoryMb: workerMemoryMb(), jobHost: options.jobHost, spawnEngine: options.spawnEngine });
  const listeners = new Set<(e: ApiEvent) => void>();
  /** Run bookkeeping still to be written; close() waits for it so no run is left `running`. */
  const settling = new Set<Promise<unknown>>();
  const jobs = new Map<string, ActiveJob>();
  /** One failing listener (a dropped event stream) neither stops the others nor reaches the caller. */
  const emit = (e: ApiEvent) =>
    listeners.forEach((l) => {
      try {
        l(e);
      } catch (err) {
        process.stderr.write(`retile: an event listener failed: ${(err as Error).message}\n`);
      }
    });
  const examplesDir = options.examplesDir;

  function openWorkspace(dir: string): Workspace {
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
    return ws;
  }

  /** Recently opened outside files stay addressable across launches (the user opened them). */
  function allowRecent(): string[] {
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
  }
  allowRecent();

  /** A project the caller may address: in the workspace, or an outside file the user opened. */
  const checkProject = (project: ProjectRef): void => {
    if (!workspace.isExternal(project) && project.startsWith('/')) {
      throw new ProjectFileError(project, 'open this file first (Projects > Open file…)');
    }
    if (!workspace.exists(project)) throw new ProjectFileError(project, 'no such project; it may have been renamed or deleted');
  };

  const withProject = <T>(project: ProjectRef, fn: (db: import('better-sqlite3').Database) => T): T => {
    checkProject(project);
    return workspace.with(project, fn);
  };

  /** Reads a project without writing anything (listing and showing work on read-only media). */
  const readProject = <T>(project: ProjectRef, fn: (db: import('better-sqlite3').Database) => T): T => {
    checkProject(project);
    return workspace.read(project, fn);
  };

  const summaryOf = (file: string): ProjectSummary => {
    const external = workspace.isExternal(file);
    try {
      const info = workspace.info(file);
      const tenants = workspace.read(file, (db) => listTenants(db).length);
      return { ...info, tenants, external };
    } catch (e) {
      return { file, name: basename(file), schemaVersion: -1, runs: 0, tenants: 0, modifiedAt: new Date(0).toISOString(), external, error: (e as Error).message };
    }
  };

  const runSummary = (r: StoredRun): RunSummary => ({
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
  });

  const busy = (project: ProjectRef) => [...jobs.values()].some((j) => j.project === project);
  const refuseWhileBusy = (project: ProjectRef, what: string) => {
    if (busy(project)) throw badInput(`a run is in progress in this project; cancel it or wait before you ${what}`, { field: 'project' });
  };

  function view(project: ProjectRef): ProjectView {
    return readProject(project, (db) => {
      const chip = projectChip(db);
      const tenants = projectTenants(db, chip.spec);
      return {
        summary: summaryOf(project),
        chip,
        tenants,
        fit: fitCheck(tenants, chip.spec),
        runs: listRuns(db).map(runSummary).reverse(),
      };
    });
  }

  /** Share of a job's progress bar the engine's stages fill; saving the result fills the rest. */
  const ENGINE_SHARE = 0.98;

  /** Submits a job that writes a run row: `running` now, finished or ended when the job settles. */
  function startJob<R>(
    project: ProjectRef,
    kind: string,
    args: unknown,
    run: { kind: string; strategy?: string; objective?: string; seed?: number; settings: unknown; inputs?: unknown },
    finish: (db: import('better-sqlite3').Database, runId: number, result: R) => void,
  ): { jobId: string; runId: number } {
    const runId = withProject(project, (db) => createRun(db, { ...run, version: RETILE_VERSION }));
    const report = (stage: string, fraction: number) => {
      const j = jobs.get(job.jobId);
      if (j) Object.assign(j, { stage, fraction });
      emit({ type: 'progress', jobId: job.jobId, project, runId, kind: run.kind, stage, fraction });
    };
    // The engine's work fills the bar up to ENGINE_SHARE; the rest is receiving and saving the
    // result, so a full bar never sits on screen while the project is still being written.
    const job = runner.submit<R>(kind, args, (stage, fraction) => report(stage, fraction * ENGINE_SHARE));
    jobs.set(job.jobId, { jobId: job.jobId, project, runId, kind: run.kind, stage: 'queued', fraction: 0 });
    const outcome = job.result
      .then((result) => {
        report('saving', ENGINE_SHARE);
        return result;
      })
      .finally(() => jobs.delete(job.jobId));
    const settled = settleRun({ workspace: () => workspace, emit }, { project, runId, jobId: job.jobId }, outcome, finish);
    settling.add(settled);
    void settled.finally(() => settling.delete(settled));
    return { jobId: job.jobId, runId };
  }

  /** Fills a new project from an example spec: its chip and tenants (ONNX paths relative to the spec). */
  function exampleInit(id: string): (db: import('better-sqlite3').Database) => void {
    if (!examplesDir) throw badInput('no examples folder', { field: 'example' });
    const file = join(examplesDir, `${id}.json`);
    if (!existsSync(file)) throw badInput(`no example '${id}'`, { field: 'example' });
    const loaded = loadSpec(JSON.parse(readFileSync(file, 'utf8')), basename(file), examplesDir);
    return (db) => writeSpecIntoProject(db, loaded);
  }

  const api: Service = {
    async appInfo() {
      return {
        name: 'Retile',
        version: RETILE_VERSION,
        host: options.host,
        wasmAbi: await runner.wasmAbi(),
        workspace: workspace.dir,
        defaultWorkspace: options.workspaceDir,
        canPickFiles: Boolean(options.pickFile),
      };
    },
    async setWorkspace({ dir }) {
      if (jobs.size > 0) throw badInput('a run is in progress; wait for it or cancel it before changing the workspace', { field: 'dir' });
      workspace = openWorkspace(resolve(dir));
      allowRecent();
      settings.update({ workspace: workspace.dir });
      return api.appInfo();
    },
    async pickWorkspace() {
      if (!options.pickFolder) return null;
      const dir = await options.pickFolder();
      return dir ? api.setWorkspace({ dir }) : null;
    },
    async listProjects() {
      const inside = workspace.list().map((p) => summaryOf(p.file));
      const outside = allowRecent().map(summaryOf);
      return [...inside, ...outside];
    },
    async listTemplates(): Promise<TemplateInfo> {
      const presets = PRESET_NAMES.map((name) => {
        const spec = chipPreset(name);
        return { name, citation: spec.citation, summary: chipSummary(spec) };
      });
      const examples: TemplateInfo['examples'] = [];
      if (examplesDir && existsSync(examplesDir)) {
        for (const f of readdirSync(examplesDir).filter((f) => f.endsWith('.json')).sort()) {
          try {
            const spec = parseDeploymentSpec(JSON.parse(readFileSync(join(examplesDir, f), 'utf8')), f);
            const chip = typeof spec.chip === 'string' ? spec.chip : 'preset' in spec.chip ? `${String(spec.chip.preset)}${spec.chip.mesh ? ` ${Array.isArray(spec.chip.mesh) ? spec.chip.mesh.join('x') : String(spec.chip.mesh)}` : ''}` : String(spec.chip.name ?? 'custom');
            examples.push({ id: f.replace(/\.json$/, ''), name: spec.name ?? f.replace(/\.json$/, ''), chip, tenants: tenantNames(spec), strategy: spec.strategy ?? null });
          } catch {
            // A broken example is skipped here; `retile run` on it reports what is wrong.
          }
        }
      }
      return { presets, examples };
    },
    async createProject({ name, preset, example }) {
      const init = example ? exampleInit(example) : (db: import('better-sqlite3').Database) => setChip(db, { preset: preset ?? DEFAULT_PRESET, spec: chipPreset(preset ?? DEFAULT_PRESET) });
      return summaryOf(workspace.create(name, init).file);
    },
    async openProjectPath({ path }) {
      const abs = resolve(path);
      // A file inside the workspace is addressed by its name like any other.
      const ref = resolve(workspace.dir, basename(abs)) === abs ? basename(abs) : workspace.allowExternal(abs);
      const s = summaryOf(ref);
      if (s.error) {
        if (ref === abs) settings.removeRecent(abs);
        throw new ProjectFileError(path, s.error.replace(`${abs}: `, ''));
      }
      if (ref === abs) settings.addRecent(abs);
      return s;
    },
    async pickProjectFile() {
      if (!options.pickFile) return null;
      const path = await options.pickFile();
      return path ? api.openProjectPath({ path }) : null;
    },
    async duplicateProject({ project, name }) {
      withProject(project, () => undefined);
      return summaryOf((await workspace.duplicate(project, name)).file);
    },
    async renameProject({ project, name }) {
      refuseWhileBusy(project, 'rename it');
      withProject(project, () => undefined);
      return summaryOf(workspace.rename(project, name).file);
    },
    async deleteProject({ project }) {
      refuseWhileBusy(project, 'delete it');
      if (workspace.isExternal(project)) settings.removeRecent(resolve(project));
      workspace.remove(project);
      return { deleted: true };
    },
    async getProject({ project }) {
      return view(project);
    },
    async checkChip({ spec }): Promise<ChipCheck> {
      const unknown = unknownFields(spec);
      if (unknown.length) return { ok: false, issues: unknown.map((path) => ({ path, message: `no such chip-spec field` })) };
      const r = chipSpecSchema.safeParse(spec);
      if (!r.success) return { ok: false, issues: r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: friendlyIssue(i.message) })) };
      try {
        const limits = chipLimitIssues(r.data);
        if (limits.length) return { ok: false, issues: limits };
        return { ok: true, spec: r.data, summary: chipSummary(r.data) };
      } catch (e) {
        return { ok: false, issues: [{ path: '', message: (e as Error).message }] };
      }
    },
    async setChip({ project, preset, spec }) {
      const chip: ChipSpec = parseChipSpec(spec, 'chip');
      withProject(project, (db) => setChip(db, { preset, spec: chip }));
      return view(project);
    },
    async presetSpec({ preset }) {
      return chipPreset(preset);
    },
    ...tenantMethods({ withProject, readProject, view, runner, jobs }),
    async listRuns({ project }) {
      return readProject(project, (db) => listRuns(db).map(runSummary));
    },
    async getRun({ project, runId }): Promise<RunDetail> {
      return readProject(project, (db) => {
        const run = getRun(db, runId);
        if (!run) throw badInput(`no run #${runId} in this project`, { field: 'runId' });
        const results = run.kind === 'sweep' ? getRunResults(db, runId) : {};
        return {
          project,
          projectName: summaryOf(project).name,
          run: runSummary(run),
          inputs: run.inputs,
          result: loadRunResult(db, runId) ?? null,
          sweep: (results.sweep as SweepPoint[] | undefined) ?? null,
        };
      });
    },
    async deleteRun({ project, runId }) {
      if ([...jobs.values()].some((j) => j.project === project && j.runId === runId)) throw badInput('this run is still in progress; cancel it first', { field: 'runId' });
      return { deleted: withProject(project, (db) => deleteRun(db, runId)) };
    },
    async startRun({ project, strategy, objective, seed }) {
      const { inputs, tenants, chip } = withProject(project, runInputs);
      return startJob<RunResult>(
        project,
        'deploy',
        { chip, tenants, strategy, objective, seed },
        { kind: 'deploy', strategy, objective, seed, settings: { strategy, objective, seed }, inputs },
        (db, runId, result) => saveRunResult(db, runId, result),
      );
    },
    async startSweep({ project, strategy, objective, seed, sides }) {
      const { inputs, tenants, chip } = withProject(project, runInputs);
      return startJob<SweepPoint[]>(
        project,
        'sweep',
        { chip, tenants, strategy, objective, seed, sides },
        { kind: 'sweep', strategy, objective, seed, settings: { strategy, objective, seed, sides }, inputs },
        (db, runId, points) => finishRun(db, runId, points.length ? maxOf(points.map((p) => p.speedup_vs_direct)) : null, { sweep: points }),
      );
    },
    async listJobs() {
      return [...jobs.values()].map((j) => ({ ...j }));
    },
    async startSelfTest(args: SelfTestArgs) {
      return startJob<SelfTestResult>(args.project, 'selftest', args, { kind: 'selftest', settings: args }, (db, runId, result) =>
        finishRun(db, runId, result.dot, { selftest: result }),
      );
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
  // Every change to a project is announced, so every open window refreshes it (and the project list).
  for (const method of PROJECT_CHANGES) {
    const call = api[method] as (args: { project?: ProjectRef }) => Promise<unknown>;
    (api as unknown as Record<string, unknown>)[method] = async (args: { project?: ProjectRef }) => {
      const result = await call(args);
      const changed = (result as { file?: string; summary?: { file?: string } } | null) ?? {};
      const project = args.project ?? changed.file ?? changed.summary?.file;
      if (project) emit({ type: 'project', project });
      if (changed.file && changed.file !== project) emit({ type: 'project', project: changed.file });
      return result;
    };
  }
  return api;
}

/** The methods that change a project file (or the list of projects). */
const PROJECT_CHANGES = [
  'createProject',
  'duplicateProject',
  'renameProject',
  'deleteProject',
  'setChip',
  'addZooTenant',
  'importOnnx',
  'updateTenant',
  'removeTenant',
  'deleteRun',
  'startRun',
  'startSweep',
] as const satisfies readonly (keyof AppApi)[];

/** zod's wording made into what to do: "Too small: expected number to be >0" -> "must be greater than 0". */

/**
 * The mesh limits setChip enforces (parseChipSpec), as form messages: the editor shows them under
 * the field and keeps Save disabled, so a chip the form accepts is a chip the save accepts.
 */
function chipLimitIssues(spec: ChipSpec): { path: string; message: string }[] {
  const { rows, cols } = spec.topology;
  const raise = (k: 'maxMeshSide' | 'maxTiles') => `or start Retile with ${LIMIT_VARIABLES[k]} set higher`;
  const issues: { path: string; message: string }[] = [];
  for (const [path, n] of [['topology.rows', rows], ['topology.cols', cols]] as const) {
    if (n > LIMITS.maxMeshSide) issues.push({ path, message: `at most ${LIMITS.maxMeshSide} tiles per side: use a smaller mesh, ${raise('maxMeshSide')}` });
  }
  if (!issues.length && rows * cols > LIMITS.maxTiles) {
    const message = `${rows} × ${cols} = ${(rows * cols).toLocaleString('en-US')} tiles; at most ${LIMITS.maxTiles.toLocaleString('en-US')} are allowed: use a smaller mesh, ${raise('maxTiles')}`;
    issues.push({ path: 'topology.rows', message }, { path: 'topology.cols', message });
  }
  return issues;
}
