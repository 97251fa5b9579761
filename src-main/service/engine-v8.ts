/**
 * V8's settings for the processes that run the engine: the CLI's (cli/sweep/pool.ts sets them
 * before its workers start) and the hosts' engine process (service/engine-process.ts passes them
 * on its command line, the one way Electron's utility process takes them). Both are flags of a
 * whole process, and nothing a run computes depends on them; they change only its CPU and memory.
 */
import { setFlagsFromString } from 'node:v8';

/**
 * How much bytecode a function runs between V8's checks whether to optimize it: thirty-two times
 * V8's default of 66 KiB. V8's optimizing compiler runs on background threads and took a quarter
 * to a third of a run's CPU, much of it compiling functions again after their first code met
 * objects of a new shape. With the higher budget the hot functions are optimized a little later,
 * with fuller type feedback, and the lukewarm ones not at all. Thirty-two times against eight: a
 * cold `retile run` of the four-tenant mix took 0.69x the CPU at 32x32 and 0.87x at 64x64, the
 * same at 128x128 (alternating pairs; docs/performance.md, "The optimizing compiler waits longer").
 */
const INTERRUPT_BUDGET = 32 * 67_584;

/**
 * How far V8 lets the old generation grow past what its last full collection kept, in percent:
 * 1.5x, instead of V8's own factor of up to 4x for a heap allocating fast. A run on a 256x256 chip
 * keeps 190-500 MB live between full collections, and with V8's factor its heap reached 990 MB
 * before the next one (`--trace-gc`): most of the run's peak resident memory was garbage
 * (docs/performance.md, "Memory at 256x256").
 */
export const HEAP_GROWING_PERCENT = 50;

/** The flags as command-line arguments of a process that runs the engine (the old generation's growth: `growingPercent`). */
export function engineV8Flags(growingPercent = HEAP_GROWING_PERCENT): string[] {
  return [`--interrupt-budget=${INTERRUPT_BUDGET}`, `--heap-growing-percent=${growingPercent}`];
}

/**
 * Sets the flags in this process, before the threads that run the engine start (a thread's heap
 * reads them when it is made). Node only: Electron may freeze V8's flags after start-up, and
 * setting one then aborts the process (service/wasm-node.ts).
 */
export function applyEngineV8Flags(growingPercent = HEAP_GROWING_PERCENT): void {
  for (const flag of engineV8Flags(growingPercent)) setFlagsFromString(flag);
}
