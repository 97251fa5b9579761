/**
 * The one error type the engine throws for bad input. Hosts turn it into a one-line message
 * (CLI: stderr + exit 2; API: a rejected call with the same text). `where` says which file,
 * node, operator or field is at fault, so the message tells the user what to fix.
 */
export type ErrorCode = 'bad-input' | 'unsupported' | 'limit' | 'cancelled' | 'internal';

export interface ErrorWhere {
  file?: string;
  node?: string;
  op?: string;
  field?: string;
  /** The engine limit (engine/limits.ts) a 'limit' error ran into. */
  setting?: string;
}

export class RetileError extends Error {
  readonly code: ErrorCode;
  readonly where: ErrorWhere;
  /** The message without where it happened (the API sends the field apart). */
  readonly detail: string;

  constructor(code: ErrorCode, message: string, where: ErrorWhere = {}) {
    super(formatMessage(message, where));
    this.name = 'RetileError';
    this.code = code;
    this.detail = message;
    this.where = where;
  }
}

/** "file, node 'x' (Conv), field 'y': message (setting z)", one line, capped. */
export function formatMessage(message: string, where: ErrorWhere): string {
  const parts: string[] = [];
  if (where.file) parts.push(where.file);
  if (where.node) parts.push(`node '${where.node}'${where.op ? ` (${where.op})` : ''}`);
  else if (where.op) parts.push(`operator ${where.op}`);
  if (where.field) parts.push(`field '${where.field}'`);
  const text = where.setting ? `${message} (setting ${where.setting})` : message;
  return capMessage(oneLine(parts.length ? `${parts.join(', ')}: ${text}` : text));
}

/**
 * Longest error message, in characters. A message quotes names and lists from files written by
 * strangers; past this it is cut (with the count of characters left out) so an error is still one
 * readable line on a terminal and a small HTTP body.
 */
export const MAX_MESSAGE_CHARS = 1000;

export function capMessage(text: string): string {
  if (text.length <= MAX_MESSAGE_CHARS) return text;
  return `${text.slice(0, MAX_MESSAGE_CHARS)}... (${text.length - MAX_MESSAGE_CHARS} more characters)`;
}

/**
 * The first `max` items of a list, then how many were left out: "1, 2, 3, ... (99997 more)".
 * For messages that quote model-sized lists (dims, split sizes, node names), so building the
 * message costs no more than the items shown.
 */
export function listPreview(items: ArrayLike<unknown>, max = 8): string {
  const shown: string[] = [];
  for (let i = 0; i < Math.min(items.length, max); i++) shown.push(String(items[i]));
  return items.length > max ? `${shown.join(', ')}, ... (${items.length - max} more)` : shown.join(', ');
}

/**
 * Messages quote names from files written by strangers (operator types, node and file names).
 * Control characters (C0, DEL, C1) and bidirectional overrides are escaped, so a message is
 * always one line and cannot move a terminal's cursor or reorder what the reader sees.
 */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, escapeChar);
}

/** Like oneLine, but keeps line breaks and tabs: for whole multi-line reports printed on a terminal (CLI tables). */
export function terminalText(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, escapeChar);
}

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

export function badInput(message: string, where: ErrorWhere = {}): RetileError {
  return new RetileError('bad-input', message, where);
}

export function isRetileError(e: unknown): e is RetileError {
  return e instanceof RetileError;
}
