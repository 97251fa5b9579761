/**
 * Argument validation for every API method, used by both hosts before a call reaches the
 * service (Electron's ipcMain handlers and the HTTP router). Keyed by the contract's method names.
 */
import { z } from 'zod';
import type { ApiMethod } from './contract';

/** A project is named by its file inside the workspace: no directories, no traversal. */
export const projectFile = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,120}\.retile$/, 'a file name like "my-study.retile" inside the workspace');

const none = z.undefined().or(z.object({}).strict());

export const API_SCHEMAS: Record<ApiMethod, z.ZodType> = {
  appInfo: none,
  listProjects: none,
  createProject: z.object({ name: z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]*$/, 'letters, digits, spaces, _ . -') }).strict(),
  listRuns: z.object({ project: projectFile }).strict(),
  startSelfTest: z
    .object({
      project: projectFile,
      size: z.number().int().min(1).max(1_000_000),
      steps: z.number().int().min(1).max(10_000),
      stepMs: z.number().int().min(0).max(10_000),
    })
    .strict(),
  cancelJob: z.object({ jobId: z.string().min(1).max(64) }).strict(),
};

export class ApiArgumentError extends Error {
  constructor(method: string, detail: string) {
    super(`invalid arguments for ${method}: ${detail}`);
    this.name = 'ApiArgumentError';
  }
}

/** Validates `args` for `method`; throws ApiArgumentError naming the field and what was expected. */
export function validateArgs(method: string, args: unknown): unknown {
  if (!Object.hasOwn(API_SCHEMAS, method)) throw new ApiArgumentError(method, 'unknown method');
  const schema = API_SCHEMAS[method as ApiMethod];
  const parsed = schema.safeParse(args ?? undefined);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.length ? issue.path.join('.') : '(arguments)';
    throw new ApiArgumentError(method, `${field}: ${issue.message}`);
  }
  return parsed.data;
}
