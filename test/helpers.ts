/** Test helpers: temporary folders, the repo root, the committed fixtures. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import { encodeModel } from '../src-main/engine/workload/onnx/encode';
import { RetileError } from '../src-main/engine/errors';

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

/** The RetileError `f` throws, with `code` when given (fails the test otherwise). */
export function retileError(f: () => unknown, code?: string): RetileError {
  const e = thrown(f);
  expect(e).toBeInstanceOf(RetileError);
  if (code !== undefined) expect((e as RetileError).code).toBe(code);
  return e as RetileError;
}

/**
 * A two-layer ONNX model (embedding Gather, then MatMul) whose input has symbolic `batch` and
 * `sequence` axes, as Hugging Face exports have: the smallest case that needs shape bindings.
 */
export function symbolicSequenceOnnx(): Uint8Array {
  return encodeModel({
    opset: 17,
    inputs: [{ name: 'input_ids', dims: ['batch', 'sequence'] }],
    initializers: [{ name: 'table', dims: [100, 8] }, { name: 'w', dims: [8, 4] }],
    nodes: [
      { op: 'Gather', name: 'embed', inputs: ['table', 'input_ids'], outputs: ['h'] },
      { op: 'MatMul', name: 'fc', inputs: ['h', 'w'], outputs: ['y'] },
    ],
    outputs: ['y'],
  });
}
