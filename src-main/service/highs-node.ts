/** Loading the HiGHS solver (the `highs` package, HiGHS compiled to WebAssembly) once per Node host thread. */
import highsLoader from 'highs';
import type { HighsSolver } from '../engine/optimize/analytic-optimum';

let cached: Promise<HighsSolver> | null = null;

export function loadHighs(): Promise<HighsSolver> {
  cached ??= highsLoader();
  return cached;
}
