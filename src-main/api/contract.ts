/**
 * The one API contract between the Svelte UI and its two hosts (Electron IPC and the browser-mode
 * HTTP server). Plain data only: every argument and result survives JSON and structured clone.
 *
 * Every method takes at most one plain-object argument. `API_METHODS` is the single method list
 * that drives the preload, the IPC handlers, the HTTP router and the HTTP client, so they cannot
 * drift; the argument schemas in ./schemas.ts are keyed by the same names (checked by the compiler).
 *
 * The engine's plain-data types the UI draws are re-exported here as types only, so the renderer
 * imports nothing but this folder.
 */
import type { ChipSpec, ChipSummary } from '../engine/hardware';
import type { ModelSummary } from '../engine/workload/ir';
import type { RunResult } from '../engine/report/result';
import type { ServeResult, ServeTenantResult } from '../engine/report/serve-result';
import type { ApiError } from './errors';
import type { z } from '../engine/zod';
import type { API_SCHEMAS } from './schemas';

/** A method's argument as a caller writes it, inferred from its zod schema in ./schemas.ts (the one definition). */
export type ArgsOf<M extends keyof typeof API_SCHEMAS> = z.input<(typeof API_SCHEMAS)[M]>;

export type { ChipSpec, ChipSummary, ModelSummary, RunResult, ServeResult, ServeTenantResult };
export type { TenantResult, LayerResult, TraceRow, PlacedReOp, TimelineBar } from '../engine/report/result';
export type { ServingObjective } from '../engine/report/serving-objectives';

export interface AppInfo {
  name: 'Retile';
  version: string;
  host: 'electron' | 'browser';
  /** The Wasm module's ABI version as reported by the worker (proves the module loaded). */
  wasmAbi: number;
  workspace: string;
  defaultWorkspace: string;
  /** True when the host can show a native file dialog (Electron); browser mode opens by typed path. */
  canPickFiles: boolean;
}

/**
 * A project is addressed by its file name inside the workspace (`study.retile`), or by the absolute
 * path of a file the user explicitly opened from elsewhere.
 */
export type ProjectRef = string;

export interface ProjectSummary {
  file: ProjectRef;
  name: string;
  schemaVersion: number;
  runs: number;
  tenants: number;
  modifiedAt: string;
  /** Opened from outside the workspace. */
  external: boolean;
  /** Set when the file cannot be read (not a project, newer schema...): what is wrong. */
  error?: string;
}

export type RunStatus = 'running' | 'finished' | 'failed' | 'cancelled' | 'interrupted';
export type RunKind = 'deploy' | 'sweep' | 'serve';

export interface RunSummary {
  id: number;
  kind: string;
  status: RunStatus;
  strategy: string | null;
  objective: string | null;
  seed: number | null;
  createdAt: string;
  finishedAt: string | null;
  /** Deployment runs: makespan in seconds; sweeps: the best speed-up over direct; serving sweeps: the highest rate (requests/s per tenant) at which every tenant with an SLA met its p99 target (99 % of requests within it), or null. */
  headline: number | null;
  message: string | null;
  version: string;
}

export interface ChipState {
  /** The preset the chip started from, or null for a custom spec. */
  preset: string | null;
  spec: ChipSpec;
  summary: ChipSummary;
}

export interface TenantView {
  id: number;
  name: string;
  source: 'zoo' | 'onnx';
  /** Zoo name or the ONNX file's original name. */
  model: string;
  sha256: string | null;
  batch: number;
  priority: number;
  slaMs: number | null;
  /** Model figures (from the graph): weights, MACs per inference, time-costing layers. */
  params: number;
  macs: number;
  layers: number;
  /** Crossbars one copy of every layer needs on the project's chip. */
  crossbars: number;
}

export interface FitCheck {
  neededCrossbars: number;
  chipCrossbars: number;
  fits: boolean;
  /** Why it does not fit and what to do, or null. */
  message: string | null;
}

export interface ProjectView {
  summary: ProjectSummary;
  chip: ChipState;
  tenants: TenantView[];
  fit: FitCheck;
  runs: RunSummary[];
}

export interface TemplateInfo {
  presets: { name: string; citation: string; summary: ChipSummary }[];
  examples: { id: string; name: string; chip: string; tenants: string[]; strategy: string | null }[];
}

export type ChipCheck =
  | { ok: true; summary: ChipSummary; spec: ChipSpec }
  | { ok: false; issues: { path: string; message: string }[] };

export interface ZooEntry {
  name: string;
  params: number;
  macs: number;
  layers: number;
  inputShape: number[];
}

export interface TenantLayerRow {
  name: string;
  kind: string;
  rows: number;
  cols: number;
  groups: number;
  mvms: number;
  macs: number;
  crossbars: number;
  outShape: number[];
}

export interface TenantDetail {
  tenant: TenantView;
  summary: Omit<ModelSummary, 'ops'>;
  layers: TenantLayerRow[];
}

export interface SweepPoint {
  mesh: [number, number];
  tiles: number;
  strategy: string;
  makespan_s: number;
  energy_j: number;
  direct_makespan_s: number;
  direct_energy_j: number;
  speedup_vs_direct: number;
  energy_gain_vs_direct: number;
}

export interface RunDetail {
  project: ProjectRef;
  projectName: string;
  run: RunSummary;
  /** The inputs the run used (chip spec and tenants), as stored with it. */
  inputs: unknown;
  result: RunResult | null;
  sweep: SweepPoint[] | null;
  /** Serving sweeps: one serving result per request rate, in the order of the rates. */
  serve: ServeResult[] | null;
}

export interface JobInfo {
  jobId: string;
  project: ProjectRef;
  runId: number | null;
  kind: string;
  stage: string;
  fraction: number;
}

export type StartRunArgs = ArgsOf<'startRun'>;
export type StartSweepArgs = ArgsOf<'startSweep'>;
export type StartServeArgs = ArgsOf<'startServe'>;

export type ApiEvent =
  /** `fraction` is the whole job's, in [0, 1], never decreasing; `kind` is the job's (deploy, sweep...). */
  | { type: 'progress'; jobId: string; project?: ProjectRef; runId?: number; kind?: string; stage: string; fraction: number }
  | { type: 'finished'; jobId: string; project: ProjectRef; runId: number }
  /** `error`: the structured refusal (field, limit setting) when the engine gave one; `message` always. */
  | { type: 'failed'; jobId: string; project: ProjectRef; runId?: number; message: string; error?: ApiError }
  | { type: 'cancelled'; jobId: string; project: ProjectRef; runId?: number }
  /** A project's file changed (chip, tenants, runs, name) or was created or deleted, from any window. */
  | { type: 'project'; project: ProjectRef };

export interface AppApi {
  appInfo(): Promise<AppInfo>;
  /** Changes the workspace folder (created when missing); remembered across launches. */
  setWorkspace(args: ArgsOf<'setWorkspace'>): Promise<AppInfo>;
  /** Electron: the workspace chosen in a native folder dialog; null when cancelled or when the host has no dialogs. */
  pickWorkspace(): Promise<AppInfo | null>;
  /** Projects in the workspace plus recently opened outside files. */
  listProjects(): Promise<ProjectSummary[]>;
  listTemplates(): Promise<TemplateInfo>;
  /** A new project: empty on a preset chip, or filled from an example spec in projects/examples. */
  createProject(args: ArgsOf<'createProject'>): Promise<ProjectSummary>;
  /** Opens a project file at any path the user typed or picked; afterwards it is addressed by that path. */
  openProjectPath(args: ArgsOf<'openProjectPath'>): Promise<ProjectSummary>;
  /** Electron: a native open dialog; returns null when cancelled or when the host has no dialogs. */
  pickProjectFile(): Promise<ProjectSummary | null>;
  duplicateProject(args: ArgsOf<'duplicateProject'>): Promise<ProjectSummary>;
  renameProject(args: ArgsOf<'renameProject'>): Promise<ProjectSummary>;
  deleteProject(args: ArgsOf<'deleteProject'>): Promise<{ deleted: boolean }>;
  getProject(args: ArgsOf<'getProject'>): Promise<ProjectView>;
  /** Validates a chip spec without saving it (the chip editor's live summary and inline messages). */
  checkChip(args: ArgsOf<'checkChip'>): Promise<ChipCheck>;
  setChip(args: ArgsOf<'setChip'>): Promise<ProjectView>;
  presetSpec(args: ArgsOf<'presetSpec'>): Promise<ChipSpec>;
  listZoo(): Promise<ZooEntry[]>;
  addZooTenant(args: ArgsOf<'addZooTenant'>): Promise<ProjectView>;
  /** ONNX upload: the file's bytes as base64 (never a path), imported in the engine worker. */
  /** `input` and `dims` take the CLI's `--input` text and a list of `--dim` texts (`sequence=128 batch=1`). */
  importOnnx(args: ArgsOf<'importOnnx'>): Promise<ProjectView>;
  updateTenant(args: ArgsOf<'updateTenant'>): Promise<ProjectView>;
  removeTenant(args: ArgsOf<'removeTenant'>): Promise<ProjectView>;
  tenantDetail(args: ArgsOf<'tenantDetail'>): Promise<TenantDetail>;
  listRuns(args: ArgsOf<'listRuns'>): Promise<RunSummary[]>;
  getRun(args: ArgsOf<'getRun'>): Promise<RunDetail>;
  deleteRun(args: ArgsOf<'deleteRun'>): Promise<{ deleted: boolean }>;
  /** Starts a deployment run in the worker. Returns at once; progress and the end come as events. */
  startRun(args: StartRunArgs): Promise<{ jobId: string; runId: number }>;
  /** Runs the strategy and the direct baseline over several chip sizes (one stored run of kind 'sweep'). */
  startSweep(args: StartSweepArgs): Promise<{ jobId: string; runId: number }>;
  /**
   * The strategy's deployment serving Poisson request streams, every tenant at each rate in turn
   * (one stored run of kind 'serve': latency percentiles and SLA attainment per tenant and rate).
   */
  startServe(args: StartServeArgs): Promise<{ jobId: string; runId: number }>;
  /** Jobs queued or running (the UI picks up progress after a reload). */
  listJobs(): Promise<JobInfo[]>;
  cancelJob(args: ArgsOf<'cancelJob'>): Promise<{ cancelled: boolean }>;
}

export type ApiMethod = keyof AppApi;

export const API_METHODS = [
  'appInfo',
  'setWorkspace',
  'pickWorkspace',
  'listProjects',
  'listTemplates',
  'createProject',
  'openProjectPath',
  'pickProjectFile',
  'duplicateProject',
  'renameProject',
  'deleteProject',
  'getProject',
  'checkChip',
  'setChip',
  'presetSpec',
  'listZoo',
  'addZooTenant',
  'importOnnx',
  'updateTenant',
  'removeTenant',
  'tenantDetail',
  'listRuns',
  'getRun',
  'deleteRun',
  'startRun',
  'startSweep',
  'startServe',
  'listJobs',
  'cancelJob',
] as const satisfies readonly ApiMethod[];

/** Compile-time proof that API_METHODS lists every method of AppApi. */
type Missing = Exclude<ApiMethod, (typeof API_METHODS)[number]>;
const _complete: Missing extends never ? true : never = true;
void _complete;

/** Compile-time proof that every method has an argument schema (and no schema names another method). */
type SchemaMismatch = Exclude<ApiMethod, keyof typeof API_SCHEMAS> | Exclude<keyof typeof API_SCHEMAS, ApiMethod>;
const _schemas: SchemaMismatch extends never ? true : never = true;
void _schemas;

export type ApiArgs<M extends ApiMethod> = Parameters<AppApi[M]> extends [] ? undefined : Parameters<AppApi[M]>[0];
export type ApiResult<M extends ApiMethod> = Awaited<ReturnType<AppApi[M]>>;

/** What the renderer sees: the API plus an event subscription. */
export interface ClientApi extends AppApi {
  /**
   * Events as they happen. `onReconnect` runs when a dropped event stream is open again (browser
   * mode): events sent meanwhile are lost, so the caller reads the state they would have changed.
   */
  subscribe(listener: (event: ApiEvent) => void, onReconnect?: () => void): () => void;
}

/** Strategies and objectives the run panel offers (the engine validates them again). */
export const STRATEGY_NAMES = ['collaborative', 'direct', 'tenant', 'operator', 'anneal'] as const;
export const OBJECTIVE_NAMES = ['makespan', 'weighted', 'fairness', 'sla'] as const;

/** IPC channel names (Electron). */
export const IPC_PREFIX = 'retile:';
export const IPC_EVENT_CHANNEL = 'retile:event';

/** HTTP header carrying the browser-mode per-launch token. */
export const TOKEN_HEADER = 'x-retile-token';
