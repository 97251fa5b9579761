/** Loading the compiled Wasm module in Node hosts (CLI, worker, tests). */
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { instantiateRetileWasm, type RetileWasmExports } from '../engine/sim/wasm';
import { paths } from './paths';

let cached: Promise<RetileWasmExports> | null = null;

export function loadWasm(path: string = paths.wasm): Promise<RetileWasmExports> {
  if (path !== paths.wasm) return optimizedFirst(readFileSync(path));
  cached ??= optimizedFirst(readFileSync(path));
  return cached;
}

/**
 * V8 compiles a Wasm function at its first call, in baseline code (Liftoff), and runs optimized
 * code only from a later call on: a thread's first simulation ran mostly in baseline code. With
 * --no-liftoff the loop's functions are compiled optimized at their first call instead. The flag
 * is process-wide and read at each compile, so it is restored once the loop's first slice has
 * compiled the functions it calls, and before HiGHS loads (highs-node.ts): its 3 MB module compiled
 * optimized made a small run 1.6x slower. Electron's processes keep V8's default: Electron may freeze V8's flags
 * after start-up, and setting one then aborts the process (docs/performance.md, "The event loop").
 */
async function optimizedFirst(bytes: Buffer): Promise<RetileWasmExports> {
  if (process.versions.electron) return instantiateRetileWasm(bytes);
  setFlagsFromString('--no-liftoff');
  const wasm = await instantiateRetileWasm(bytes);
  let first = true;
  return {
    ...wasm,
    simResume(slice: number): number {
      const status = wasm.simResume(slice);
      if (first) {
        first = false;
        restoreBaselineTier();
      }
      return status;
    },
  };
}

/**
 * V8's default again: Wasm compiled from now on starts in baseline code. --no-liftoff also turned
 * dynamic tiering off (a V8 flag implication), which would have compiled every function of a module
 * loaded later (HiGHS) optimized in the background: small runs took 2x the CPU.
 */
export function restoreBaselineTier(): void {
  if (!process.versions.electron) setFlagsFromString('--liftoff --wasm-dynamic-tiering');
}
