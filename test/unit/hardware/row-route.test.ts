/**
 * A row's route in the analytic profile (evaluate/profile-tenant.ts rowRoute) reduces tile sets to
 * their routers and, on a mesh, finds the farthest pair from the four diagonal projections. It
 * must give what the definition gives pair by pair (hardware/topology.ts tileDistance): from
 * gather tiles, remote when some consumer tile is not the sending tile, over the farthest such
 * pair's hops; otherwise remote when no tile is shared, over the nearest pair's hops.
 */
import { describe, expect, test } from 'vitest';
import { chipPreset } from '../../../src-main/engine/hardware';
import type { ChipSpec } from '../../../src-main/engine/hardware/spec';
import { setDistance, tileDistance } from '../../../src-main/engine/hardware/topology';
import { rowRoute } from '../../../src-main/engine/evaluate/profile-tenant';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function byPairs(chip: ChipSpec, from: number[], to: number[], gather: boolean): { remote: boolean; hops: number } {
  if (!gather) return { remote: !from.some((t) => to.includes(t)), hops: setDistance(chip, from, to) };
  let hops = -1;
  for (const g of from) for (const t of to) if (t !== g) hops = Math.max(hops, tileDistance(chip, g, t));
  return { remote: hops >= 0, hops: Math.max(0, hops) };
}

describe('row route', () => {
  for (const [rows, cols, kind, concentration] of [[6, 8, 'mesh', 1], [6, 6, 'torus', 1], [4, 6, 'cmesh', 4], [6, 4, 'torus', 2], [2, 10, 'mesh', 1]] as const) {
    test(`${rows} x ${cols} ${kind}, concentration ${concentration}: the same as pair by pair`, () => {
      const base = chipPreset('isaac', [rows, cols]);
      const chip: ChipSpec = { ...base, topology: { ...base.topology, kind, concentration } };
      const n = rows * cols;
      const rand = lcg(rows * 1000 + cols * 10 + concentration);
      const set = (): number[] => Array.from({ length: 1 + Math.floor(rand() * 5) }, () => Math.floor(rand() * n));
      for (let trial = 0; trial < 200; trial++) {
        const from = trial % 10 === 0 ? [trial % n] : set();
        const to = trial % 10 === 0 ? [trial % n] : set();
        for (const gather of [true, false]) expect(rowRoute(chip, from, to, gather)).toEqual(byPairs(chip, from, to, gather));
      }
    });
  }
});
