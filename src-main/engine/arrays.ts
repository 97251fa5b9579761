/**
 * Largest, smallest and append over arrays of any length. `Math.max(...xs)` and `push(...xs)`
 * pass every element as a call argument and overflow the stack past ~10^5 elements (a model with
 * many layers, a deployment with many re-operators): lint forbids them in src-main.
 */

/** The largest element (-Infinity for an empty array, as Math.max()). */
export function maxOf(xs: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < xs.length; i++) if (xs[i]! > m || Number.isNaN(xs[i])) m = xs[i]!;
  return m;
}

/** The smallest element (Infinity for an empty array, as Math.min()). */
export function minOf(xs: ArrayLike<number>): number {
  let m = Infinity;
  for (let i = 0; i < xs.length; i++) if (xs[i]! < m || Number.isNaN(xs[i])) m = xs[i]!;
  return m;
}

/** Appends every element of `items` to `target`. */
export function appendAll<T>(target: T[], items: ArrayLike<T>): T[] {
  for (let i = 0; i < items.length; i++) target.push(items[i]!);
  return target;
}
