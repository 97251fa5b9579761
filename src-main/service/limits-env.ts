/**
 * Engine limits and the worker memory cap as user settings: environment variables read by every
 * host at start-up (CLI, browser-mode server, Electron shell) and handed to their workers, so a
 * shared cluster or a small laptop can tighten them and a big study can raise them.
 */
import { badInput } from '../engine/errors';
import { DEFAULT_LIMITS, type Limits } from '../engine/limits';

/** RETILE_MAX_MESH_SIDE, RETILE_MAX_TILES, ... one variable per engine limit. */
export const LIMIT_VARIABLES: Record<keyof Limits, string> = Object.fromEntries(
  Object.keys(DEFAULT_LIMITS).map((k) => [k, `RETILE_${k.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`]),
) as Record<keyof Limits, string>;

function positiveInteger(name: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) throw badInput(`expects a positive integer, got '${text}'`, { field: name });
  return n;
}

/** The limits set in the environment (only those present). */
export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<Limits> {
  const out: Partial<Limits> = {};
  for (const [key, name] of Object.entries(LIMIT_VARIABLES) as [keyof Limits, string][]) {
    const v = env[name];
    if (v !== undefined && v !== '') out[key] = positiveInteger(name, v);
  }
  return out;
}

/** Old-generation heap of one engine worker, in MB (RETILE_WORKER_MEMORY_MB; default 8 GB). */
export function workerMemoryMb(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.RETILE_WORKER_MEMORY_MB;
  return v === undefined || v === '' ? 8192 : positiveInteger('RETILE_WORKER_MEMORY_MB', v);
}
