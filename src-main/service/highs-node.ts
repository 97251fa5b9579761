/**
 * Loading the HiGHS solver (the `highs` package, HiGHS compiled to WebAssembly) once per Node host
 * thread, and only when first asked: a run whose program is not solved never loads its 3 MB module.
 */
import type { HighsSolver } from '../engine/optimize/analytic-optimum';
import { restoreBaselineTier } from './wasm-node';

let cached: Promise<HighsSolver> | null = null;

export function loadHighs(): Promise<HighsSolver> {
  // HiGHS compiled in baseline code first, as V8 does by default (wasm-node.ts).
  cached ??= (restoreBaselineTier(), import('highs').then((m) => m.default()));
  return cached;
}
