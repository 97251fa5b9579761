/**
 * Shared fast-check settings of the reliability fuzzers.
 *
 * Normal suite: a fixed seed and a fixed number of runs per property (no time cap, so the cases
 * checked do not depend on the machine's load), sized to take seconds, so `npm test` stays fast and
 * reproducible. Long mode (`npm run fuzz`, scripts/fuzz.mjs) sets
 * RETILE_FUZZ_SECONDS (time budget per property) and RETILE_FUZZ_SEED; each property then runs
 * until its budget is spent and appends its statistics to RETILE_FUZZ_OUT (JSON lines).
 */
import { appendFileSync } from 'node:fs';
import fc from 'fast-check';
import { RetileError } from '../../../src-main/engine/errors';

const LONG_SECONDS = Number(process.env.RETILE_FUZZ_SECONDS ?? 0);
export const LONG_MODE = LONG_SECONDS > 0;
const SEED = process.env.RETILE_FUZZ_SEED ? Number(process.env.RETILE_FUZZ_SEED) : undefined;

/** vitest timeout for a fuzz test (a hang guard, not a speed check): its budget plus generous slack. */
export const FUZZ_TEST_TIMEOUT_MS = (LONG_MODE ? LONG_SECONDS * 1000 : 0) + 180_000;

/** Outcome counters of one property: results, and RetileErrors by code. */
export class Outcomes {
  readonly counts: Record<string, number> = {};
  maxCaseMs = 0;
  add(kind: string): void {
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
  }
  /** Runs one case: a value is 'ok', a RetileError counts under its code, anything else fails the property. */
  run<T>(f: () => T, check?: (e: RetileError) => void): T | undefined {
    const t0 = performance.now();
    try {
      return this.settled(f(), t0);
    } catch (e) {
      return this.failed(e, t0, check);
    }
  }
  async runAsync<T>(f: () => Promise<T>, check?: (e: RetileError) => void): Promise<T | undefined> {
    const t0 = performance.now();
    try {
      return this.settled(await f(), t0);
    } catch (e) {
      return this.failed(e, t0, check);
    }
  }
  private settled<T>(v: T, t0: number): T {
    this.add('ok');
    this.maxCaseMs = Math.max(this.maxCaseMs, performance.now() - t0);
    return v;
  }
  private failed(e: unknown, t0: number, check?: (e: RetileError) => void): undefined {
    this.maxCaseMs = Math.max(this.maxCaseMs, performance.now() - t0);
    if (!(e instanceof RetileError)) throw e;
    check?.(e);
    this.add(e.code);
    return undefined;
  }
}

function parameters<T>(seed: number, suiteRuns: number): fc.Parameters<T> {
  return LONG_MODE
    ? { seed: SEED ?? seed, numRuns: Number.MAX_SAFE_INTEGER, plugins: [fc.interruptAfterTimeLimit(LONG_SECONDS * 1000) as fc.Plugin<T>] }
    : { seed, numRuns: suiteRuns };
}

function record(name: string, details: fc.RunDetails<unknown>, outcomes: Outcomes, ms: number): void {
  const out = process.env.RETILE_FUZZ_OUT;
  if (!out) return;
  const line = {
    property: name,
    seed: details.seed,
    runs: details.numRuns,
    failed: details.failed,
    interrupted: details.interrupted,
    seconds: Math.round(ms) / 1000,
    max_case_ms: Math.round(outcomes.maxCaseMs),
    outcomes: outcomes.counts,
    counterexample: details.failed ? JSON.stringify(details.counterexample, (_k, v: unknown) => (v instanceof Uint8Array ? `<${v.length} bytes>` : v)).slice(0, 500) : null,
    error: details.failed ? String(details.errorInstance).slice(0, 500) : null,
  };
  appendFileSync(out, JSON.stringify(line) + '\n');
}

/** Checks a synchronous property with the suite or long-mode budget; throws fast-check's report on failure. */
export function fuzz<Ts extends [unknown, ...unknown[]]>(name: string, outcomes: Outcomes, property: fc.IProperty<Ts>, seed: number, suiteRuns: number): fc.RunDetails<Ts> {
  const t0 = performance.now();
  const details = fc.check(property, parameters<Ts>(seed, suiteRuns));
  record(name, details as fc.RunDetails<unknown>, outcomes, performance.now() - t0);
  if (details.failed) throw new Error(fc.defaultReportMessage(details) ?? 'property failed');
  return details;
}

/** The same for asynchronous properties. */
export async function fuzzAsync<Ts extends [unknown, ...unknown[]]>(name: string, outcomes: Outcomes, property: fc.IAsyncProperty<Ts>, seed: number, suiteRuns: number): Promise<fc.RunDetails<Ts>> {
  const t0 = performance.now();
  const details = await fc.check(property, parameters<Ts>(seed, suiteRuns));
  record(name, details as fc.RunDetails<unknown>, outcomes, performance.now() - t0);
  if (details.failed) throw new Error(fc.defaultReportMessage(details) ?? 'property failed');
  return details;
}

/** A RetileError's message is one line that names the file it came from (when it has one). */
export function expectOneLine(e: RetileError, file?: string): void {
  if (e.message.includes('\n')) throw new Error(`multi-line error: ${e.message}`);
  if (file && e.where.file !== undefined && !e.message.startsWith(file)) throw new Error(`error does not name ${file}: ${e.message}`);
}
