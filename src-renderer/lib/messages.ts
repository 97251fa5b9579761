/**
 * Error messages as the user reads them: what is wrong, where, what to do. Host errors arrive as
 * structured values (src-main/api/errors.ts): the field at fault becomes the label the screen
 * uses, a limit's setting becomes the environment variable that raises it. Nothing here reads the
 * message text.
 */
import { ApiCallError, isApiError, type ApiError } from '../../src-main/api/errors';
import { FIELD_LABELS } from '../../src-main/api/schemas';

/** maxTiles -> RETILE_MAX_TILES: the environment setting that raises an engine limit. */
const limitVariable = (setting: string) => `RETILE_${setting.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

/** The structured error behind anything a call or a job rejected with. */
export function apiErrorOf(e: unknown): ApiError {
  if (e instanceof ApiCallError) return e.error;
  if (isApiError(e)) return e;
  return { code: 'internal', message: typeof e === 'string' ? e : e instanceof Error ? e.message : String(e) };
}

/**
 * The one switch point from a host error to a sentence: a field the screen labels leads the
 * sentence by its label ("SLA: ..."), any other field is named after it (a chip-spec path); a
 * limit says which environment variable raises it. `withField: false` leaves the field out, for a
 * message shown beside the field itself.
 */
export function errorText(e: unknown, opts: { withField?: boolean } = {}): string {
  const err = apiErrorOf(e);
  const label = err.field ? FIELD_LABELS[err.field] : undefined;
  let text = err.message;
  if (err.field && !label && opts.withField !== false) text += ` (field ${err.field})`;
  if (err.setting) text += `; use a smaller input, or start Retile with ${limitVariable(err.setting)} set higher`;
  return label && opts.withField !== false ? `${label}: ${text}` : text;
}

/**
 * A message under the context the screen gives it ("Cannot import model.onnx"), without saying
 * twice what both name: engine messages start with the file ("model.onnx, node 'x' (Conv): ...").
 */
export function inContext(context: string, message: string): string {
  for (let at = context.indexOf(' '); at >= 0; at = context.indexOf(' ', at + 1)) {
    const tail = context.slice(at + 1);
    for (const sep of [': ', ', ']) if (message.startsWith(tail + sep)) return `${context}${sep}${message.slice(tail.length + sep.length)}`;
  }
  return `${context}: ${message}`;
}
