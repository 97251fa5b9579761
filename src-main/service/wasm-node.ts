/** Loading the compiled Wasm module in Node hosts (CLI, worker, tests). */
import { readFileSync } from 'node:fs';
import { instantiateRetileWasm, type RetileWasmExports } from '../engine/sim/wasm';
import { paths } from './paths';

let cached: Promise<RetileWasmExports> | null = null;

export function loadWasm(path: string = paths.wasm): Promise<RetileWasmExports> {
  if (path !== paths.wasm) return instantiateRetileWasm(readFileSync(path));
  cached ??= instantiateRetileWasm(readFileSync(path));
  return cached;
}
