/** How an error from the service becomes a response: bad input is the caller's to fix (400), the rest is ours (500). */
import { ApiArgumentError } from '../api/schemas';
import { isRetileError } from '../engine/errors';
import { ProjectFileError, storageProblem } from '../store';

export function errorResponse(e: unknown): { status: number; message: string } {
  // A file-system failure (permissions, a full disk, a read-only folder) in plain words naming the file.
  const problem = storageProblem(e);
  if (problem) return { status: 400, message: problem.message };
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof ApiArgumentError || e instanceof ProjectFileError || e instanceof SyntaxError) return { status: 400, message };
  if (isRetileError(e) && e.code !== 'internal') return { status: 400, message };
  return { status: 500, message };
}
