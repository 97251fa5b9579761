/**
 * The service behind the API contract: the one implementation both hosts (Electron IPC and the
 * browser-mode HTTP server) call after validating arguments. It owns the workspace (store) and
 * the engine worker; events go to whoever subscribed (IPC sender or SSE clients).
 *
 * Each concern is a file of its own, composed here over one shared context (context.ts):
 * projects and the workspace (project-methods.ts), the chip (chip-methods.ts), tenants
 * (tenant-methods.ts), runs and jobs (run-methods.ts), mesh sweeps (sweep-methods.ts) and serving
 * sweeps (serve-methods.ts).
 *
 * Store access is short synchronous queries on the host thread; everything heavy (optimizing,
 * simulating, importing ONNX) runs in the worker. A run row is written `running` before its job
 * starts and finished in one transaction with its results; closing marks unfinished runs
 * `interrupted`.
 */
import { existsSync } from 'node:fs';
import type { ApiEvent, AppApi, ProjectRef } from '../api/contract';
import { LIMITS } from '../engine/limits';
import { JobRunner } from './job-runner';
import { SettingsStore, configDir } from './settings';
import { workerMemoryMb } from './limits-env';
import { simWorkersFromEnv } from './sim-workers';
import { createContext, type ServiceOptions } from './context';
import { projectMethods } from './project-methods';
import { chipMethods } from './chip-methods';
import { tenantMethods } from './tenant-methods';
import { runMethods } from './run-methods';
import { sweepMethods } from './sweep-methods';
import { serveMethods } from './serve-methods';

export type { ServiceOptions } from './context';

export interface Service extends AppApi {
  onEvent(listener: (e: ApiEvent) => void): () => void;
  close(): Promise<void>;
}

export function createService(options: ServiceOptions): Service {
  const settings = new SettingsStore(options.configDir ?? configDir());
  const remembered = options.rememberWorkspace ? settings.get().workspace : undefined;
  const runner = new JobRunner({ workerUrl: options.workerUrl, wasmPath: options.wasmPath, limits: { ...LIMITS }, memoryMb: workerMemoryMb(), simWorkers: simWorkersFromEnv(1), jobHost: options.jobHost, spawnEngine: options.spawnEngine });
  const ctx = createContext(options, settings, runner, remembered && existsSync(remembered) ? remembered : options.workspaceDir);

  const api: Service = {
    ...projectMethods(ctx),
    ...chipMethods(ctx),
    ...tenantMethods(ctx),
    ...runMethods(ctx),
    ...sweepMethods(ctx),
    ...serveMethods(ctx),
    onEvent: ctx.onEvent,
    async close() {
      await runner.close();
      await Promise.allSettled([...ctx.settling]);
      ctx.listeners.clear();
    },
  };
  // Every change to a project is announced, so every open window refreshes it (and the project list).
  for (const method of PROJECT_CHANGES) {
    const call = api[method] as (args: { project?: ProjectRef }) => Promise<unknown>;
    (api as unknown as Record<string, unknown>)[method] = async (args: { project?: ProjectRef }) => {
      const result = await call(args);
      const changed = (result as { file?: string; summary?: { file?: string } } | null) ?? {};
      const project = args.project ?? changed.file ?? changed.summary?.file;
      if (project) ctx.emit({ type: 'project', project });
      if (changed.file && changed.file !== project) ctx.emit({ type: 'project', project: changed.file });
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
  'startServe',
] as const satisfies readonly (keyof AppApi)[];
