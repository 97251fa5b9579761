/**
 * The one API contract between the Svelte UI and its two hosts (Electron IPC and the browser-mode
 * HTTP server). Plain data only: every argument and result survives JSON and structured clone.
 *
 * Every method takes at most one plain-object argument. `API_METHODS` is the single method list
 * that drives the preload, the IPC handlers, the HTTP router and the HTTP client, so they cannot
 * drift; the argument schemas in ./schemas.ts are keyed by the same names (checked by the compiler).
 */

export interface AppInfo {
  name: 'Retile';
  version: string;
  host: 'electron' | 'browser';
  /** The Wasm module's ABI version as reported by the worker (proves the module loaded). */
  wasmAbi: number;
  workspace: string;
}

export interface ProjectSummary {
  /** File name inside the workspace, e.g. `resnet-mix.retile`. */
  file: string;
  name: string;
  schemaVersion: number;
  runs: number;
  modifiedAt: string;
}

export type RunStatus = 'running' | 'finished' | 'failed' | 'cancelled' | 'interrupted';

export interface RunSummary {
  id: number;
  kind: string;
  status: RunStatus;
  strategy: string | null;
  createdAt: string;
  finishedAt: string | null;
  /** Headline figure (selftest: the Wasm dot product; deployment runs: makespan in seconds). */
  headline: number | null;
  message: string | null;
}

export interface SelfTestArgs {
  project: string;
  /** Vector length for the Wasm dot product. */
  size: number;
  /** Progress steps (the job reports after each). */
  steps: number;
  /** Milliseconds of work per step (lets tests exercise progress and cancellation). */
  stepMs: number;
}

export type ApiEvent =
  | { type: 'progress'; jobId: string; stage: string; fraction: number }
  | { type: 'finished'; jobId: string; project: string; runId: number }
  | { type: 'failed'; jobId: string; project: string; message: string }
  | { type: 'cancelled'; jobId: string; project: string };

export interface AppApi {
  appInfo(): Promise<AppInfo>;
  listProjects(): Promise<ProjectSummary[]>;
  createProject(args: { name: string }): Promise<ProjectSummary>;
  listRuns(args: { project: string }): Promise<RunSummary[]>;
  /** Foundation round trip: worker -> Wasm -> store. Returns at once; progress and the end come as events. */
  startSelfTest(args: SelfTestArgs): Promise<{ jobId: string; runId: number }>;
  cancelJob(args: { jobId: string }): Promise<{ cancelled: boolean }>;
}

export type ApiMethod = keyof AppApi;

export const API_METHODS = [
  'appInfo',
  'listProjects',
  'createProject',
  'listRuns',
  'startSelfTest',
  'cancelJob',
] as const satisfies readonly ApiMethod[];

/** Compile-time proof that API_METHODS lists every method of AppApi. */
type Missing = Exclude<ApiMethod, (typeof API_METHODS)[number]>;
const _complete: Missing extends never ? true : never = true;
void _complete;

export type ApiArgs<M extends ApiMethod> = Parameters<AppApi[M]> extends [] ? undefined : Parameters<AppApi[M]>[0];
export type ApiResult<M extends ApiMethod> = Awaited<ReturnType<AppApi[M]>>;

/** What the renderer sees: the API plus an event subscription. */
export interface ClientApi extends AppApi {
  subscribe(listener: (event: ApiEvent) => void): () => void;
}

/** IPC channel names (Electron). */
export const IPC_PREFIX = 'retile:';
export const IPC_EVENT_CHANNEL = 'retile:event';

/** HTTP header carrying the browser-mode per-launch token. */
export const TOKEN_HEADER = 'x-retile-token';
