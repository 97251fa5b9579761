/**
 * The union of XY routes walked leg by leg (hardware/topology.ts xyRouteUnion, used by the
 * analytic link loads) holds exactly the links of the routes walked one by one (xyRoute), each
 * visited once, on meshes and tori of odd and even sizes, whatever the destinations' order and
 * repeats (the source itself among them).
 */
import { describe, expect, test } from 'vitest';
import { xyRoute, xyRouteUnion } from '../../../src-main/engine/hardware/topology';

/** A small deterministic generator (a linear congruential one) for destination sets. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('XY route union', () => {
  for (const [rows, cols, torus] of [[3, 4, false], [1, 5, false], [6, 5, false], [4, 4, true], [5, 3, true], [7, 6, true]] as const) {
    test(`${rows} x ${cols} ${torus ? 'torus' : 'mesh'}: the same links as the routes one by one, each once`, () => {
      const n = rows * cols;
      const rand = lcg(rows * 100 + cols);
      for (let src = 0; src < n; src++) {
        for (let trial = 0; trial < 4; trial++) {
          const dsts = Array.from({ length: 1 + Math.floor(rand() * n) }, () => Math.floor(rand() * n));
          const expected = new Set<number>();
          for (const d of dsts) xyRoute(rows, cols, torus, src, d, (l) => expected.add(l));
          const seen: number[] = [];
          xyRouteUnion(rows, cols, torus, src, dsts, (l) => seen.push(l));
          expect(seen.length).toBe(new Set(seen).size);
          expect([...seen].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
        }
      }
    });
  }
});
