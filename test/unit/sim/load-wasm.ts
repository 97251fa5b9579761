/** Loads the real build/wasm/retile.wasm for tests, rebuilding it first when missing or older than assembly/ or the layout table. */
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { instantiateRetileWasm, type RetileWasmExports } from '../../../src-main/engine/sim/wasm';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export function ensureWasmBuilt(): string {
  const wasmPath = join(repoRoot, 'build/wasm/retile.wasm');
  const asmDir = join(repoRoot, 'assembly');
  const sources = [...readdirSync(asmDir).filter((f) => f.endsWith('.ts')).map((f) => join(asmDir, f)), join(repoRoot, 'src-main/engine/sim/layout.ts')];
  const newest = Math.max(...sources.map((f) => statSync(f).mtimeMs));
  if (!existsSync(wasmPath) || statSync(wasmPath).mtimeMs < newest) {
    execSync('node scripts/gen-sim-layout.mjs && npx asc assembly/index.ts --target release', { cwd: repoRoot, stdio: 'pipe' });
  }
  return wasmPath;
}

/** A fresh instance (its own linear memory) of the real module. */
export async function loadTestWasm(): Promise<RetileWasmExports> {
  return instantiateRetileWasm(readFileSync(ensureWasmBuilt()));
}
