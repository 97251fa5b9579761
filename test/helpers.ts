/** Test helpers: temporary folders, the repo root, the committed fixtures. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..');
export const FIXTURES_DIR = join(REPO_ROOT, 'test/fixtures');
export const ONNX_DIR = join(FIXTURES_DIR, 'onnx');
export const CLI = join(REPO_ROOT, 'out/main/cli.js');

export function tempDir(prefix = 'retile-test-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The value `f` throws (fails the test when it returns normally). */
export function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error to be thrown');
}
