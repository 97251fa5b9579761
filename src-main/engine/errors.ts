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
}

export class RetileError extends Error {
  readonly code: ErrorCode;
  readonly where: ErrorWhere;

  constructor(code: ErrorCode, message: string, where: ErrorWhere = {}) {
    super(formatMessage(message, where));
    this.name = 'RetileError';
    this.code = code;
    this.where = where;
  }
}

function formatMessage(message: string, where: ErrorWhere): string {
  const parts: string[] = [];
  if (where.file) parts.push(where.file);
  if (where.node) parts.push(`node '${where.node}'${where.op ? ` (${where.op})` : ''}`);
  else if (where.op) parts.push(`operator ${where.op}`);
  if (where.field) parts.push(`field '${where.field}'`);
  return parts.length ? `${parts.join(', ')}: ${message}` : message;
}

export function badInput(message: string, where: ErrorWhere = {}): RetileError {
  return new RetileError('bad-input', message, where);
}

export function isRetileError(e: unknown): e is RetileError {
  return e instanceof RetileError;
}
