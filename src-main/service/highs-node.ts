/**
 * Loading the HiGHS solver (the `highs` package, HiGHS compiled to WebAssembly) once per Node host
 * thread, and only when first asked: a run whose program is not solved never loads its 3 MB module.
 */
import type { HighsSolver } from '../engine/optimize/analytic-optimum';

let cached: Promise<HighsSolver> | null = null;

export function loadHighs(): Promise<HighsSolver> {
  cached ??= import('highs').then((m) => m.default());
  return cached;
}
