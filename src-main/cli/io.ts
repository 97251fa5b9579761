/**
 * The CLI's output contract: with --json, stdout carries only the JSON document; everything else
 * (progress, logs) goes to stderr. Errors are one line on stderr; exit status 2 for bad usage or
 * bad input, 1 for a failed run, 130 for an interrupt.
 */
import { InvalidArgumentError } from 'commander';
import { capMessage, isRetileError, oneLine, terminalText } from '../engine/errors';
import { ApiArgumentError } from '../api/errors';
import { ProjectFileError, storageProblem } from '../store/storage-errors';

export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/**
 * Writes a text report to stdout with control and bidirectional characters escaped: tenant, node
 * and file names come from files written by strangers and must not set the window title, clear
 * the screen or reorder what the reader sees.
 */
export function printText(text: string): void {
  process.stdout.write(terminalText(text));
}

export function log(message: string): void {
  process.stderr.write(terminalText(message) + '\n');
}

export function exitCodeFor(e: unknown): number {
  if (e instanceof UsageError || e instanceof ApiArgumentError || e instanceof ProjectFileError) return EXIT.usage;
  if (isRetileError(e)) {
    if (e.code === 'cancelled') return EXIT.interrupted;
    return e.code === 'internal' ? EXIT.failed : EXIT.usage;
  }
  // A file-system failure (permissions, a full disk, a folder where a file was named) is the user's to fix.
  if (storageProblem(e)) return EXIT.usage;
  return EXIT.failed;
}

/** One line: the message without stack, newlines folded; a file-system failure in plain words naming the file. */
export function errorLine(e: unknown): string {
  const problem = storageProblem(e);
  const msg = problem ? problem.message : e instanceof Error ? e.message : String(e);
  return `retile: ${capMessage(oneLine(msg.replace(/\s*\n\s*/g, ' ')))}`;
}

/** Wraps a command action so every error becomes one stderr line and the right exit status. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      process.stderr.write(errorLine(e) + '\n');
      process.exitCode = exitCodeFor(e);
    }
  };
}

/**
 * Parses a positive integer option value, naming the option in the error. Commander's
 * InvalidArgumentError makes a bad value a usage error (one stderr line, exit 2); any other error
 * thrown from an option parser would escape commander and exit 1.
 */
export function positiveInt(name: string): (v: string) => number {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} expects a positive integer, got '${v}'`);
    return n;
  };
}

/** Parses --seed (an integer in 0..2^31-1, the range every seeded PRNG here accepts). */
export function parseSeed(text: string): number {
  const seed = Number(text);
  if (!/^\d+$/.test(text) || seed > 2 ** 31 - 1) throw new UsageError(`--seed expects an integer in 0..2147483647, got '${text}'`);
  return seed;
}
