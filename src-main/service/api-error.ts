/**
 * An engine or argument error as an API error (src-main/api/errors.ts). Pure, so the engine
 * worker builds the same value the hosts send; service/errors.ts adds the host-side cases.
 */
import { ApiArgumentError, type ApiError } from '../api/errors';
import { formatMessage, isRetileError } from '../engine/errors';

/** The ApiError of an argument or engine error, or null for anything else. */
export function knownApiError(e: unknown): ApiError | null {
  if (e instanceof ApiArgumentError) return { code: 'bad-input', message: e.detail, ...(e.field ? { field: e.field } : {}) };
  if (isRetileError(e)) {
    // The field and the limit's setting travel as values; the message names neither.
    const { field, setting, ...where } = e.where;
    return { code: e.code, message: formatMessage(e.detail, where), ...(field ? { field } : {}), ...(setting ? { setting } : {}) };
  }
  return null;
}
