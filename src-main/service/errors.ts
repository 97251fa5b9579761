/**
 * How an error from the service becomes an API error (src-main/api/errors.ts), for both hosts:
 * bad input is the caller's to fix (400), the rest is ours (500).
 */
import type { ApiError } from '../api/errors';
import { ProjectFileError, storageProblem } from '../store';
import { knownApiError } from './api-error';
import { JobError } from './job-runner';

export function errorResponse(e: unknown): { status: number; error: ApiError } {
  const known = knownApiError(e) ?? (e instanceof JobError ? e.error : undefined);
  if (known) return { status: known.code === 'internal' ? 500 : 400, error: known };
  // A file-system failure (permissions, a full disk, a read-only folder) in plain words naming the file.
  const problem = storageProblem(e);
  if (problem) return { status: 400, error: { code: 'bad-input', message: problem.message } };
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof ProjectFileError || e instanceof SyntaxError) return { status: 400, error: { code: 'bad-input', message } };
  return { status: 500, error: { code: 'internal', message } };
}
