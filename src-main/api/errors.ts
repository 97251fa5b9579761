/**
 * Errors as values across the API boundary (Electron IPC and HTTP alike): what kind of failure,
 * which argument or spec field is at fault, one sentence, and for a limit the setting that raises
 * it. The renderer shows them without reading the text (src-renderer/lib/messages.ts errorText).
 */
/** The engine's codes (engine/errors.ts), plus the hosts' own: a refused request (token, Host, Origin), an unknown method. */
export type ApiErrorCode = 'bad-input' | 'unsupported' | 'limit' | 'cancelled' | 'internal' | 'refused' | 'not-found';

export interface ApiError {
  code: ApiErrorCode;
  /** What is wrong and what to do, without the field's name (the UI shows the field by its label). */
  message: string;
  /** The argument or spec field at fault (`batch`, `slaMs`, `pe.adc.bits`), when one is. */
  field?: string;
  /** For code `limit`: the engine limit's setting (`maxTiles`), which an environment variable raises. */
  setting?: string;
}

/** How a host answers a call: a result or an error, both plain data. */
export type ApiReply<T = unknown> = { ok: true; result: T } | { ok: false; error: ApiError };

export function isApiError(v: unknown): v is ApiError {
  return !!v && typeof v === 'object' && typeof (v as ApiError).code === 'string' && typeof (v as ApiError).message === 'string';
}

/** The error a client throws for a refused call: an Error (for stacks and catch) carrying the ApiError. */
export class ApiCallError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
  }
}

/** The reply's result, or an ApiCallError thrown with its error. */
export function unwrapReply<T>(reply: ApiReply<T>): T {
  if (reply.ok) return reply.result;
  throw new ApiCallError(isApiError(reply.error) ? reply.error : { code: 'internal', message: String((reply as { error?: unknown }).error) });
}

/**
 * A request refused by its schema (or a host's guard). Here rather than beside the schemas so a
 * host that only recognises the error (the CLI's exit status) does not build every schema.
 */
export class ApiArgumentError extends Error {
  constructor(
    method: string,
    /** What is wrong with the argument, in plain words. */
    readonly detail: string,
    /** The argument at fault (`batch`, `sides.0`), when one is. */
    readonly field?: string,
  ) {
    super(`invalid arguments for ${method}: ${field ? `${field}: ` : ''}${detail}`);
    this.name = 'ApiArgumentError';
  }
}
