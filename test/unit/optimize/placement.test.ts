/**
 * The optimizer's tile order (optimize/curve-order.ts): a generalized Hilbert curve over the router
 * grid, tiles of a router together. Expected values are hand-derived from the curve's definition.
 */
import { describe, expect, it } from 'vitest';
import { chipPreset } from '../../../src-main/engine/hardware/presets';
import { routerCoord, tileDistance } from '../../../src-main/engine/hardware/topology';
import { gilbertCurve, placementOrder } from '../../../src-main/engine/optimize/curve-order';

describe('gilbertCurve', () => {
  it('walks a 2 x 2 grid as a U: (0,0) (0,1) (1,1) (1,0)', () => {
    // Hilbert's first-order curve: up, across, down.
    expect(gilbertCurve(2, 2)).toEqual([
      [0, 0],
      [0, 1],
      [1, 1],
      [1, 0],
    ]);
  });
  it.each([
    [8, 8],
    [16, 16],
    [16, 8],
    [32, 32],
    [6, 10],
  ])('visits every cell of %i x %i once, each step to a grid neighbour', (w, h) => {
    const cells = gilbertCurve(w, h);
    expect(cells.length).toBe(w * h);
    expect(cells.every(([x, y]) => x >= 0 && x < w && y >= 0 && y < h)).toBe(true);
    expect(new Set(cells.map(([x, y]) => y * w + x)).size).toBe(w * h);
    for (let k = 1; k < cells.length; k++) {
      const [x0, y0] = cells[k - 1]!;
      const [x1, y1] = cells[k]!;
      expect(Math.abs(x1 - x0) + Math.abs(y1 - y0)).toBe(1);
    }
  });
  it('compact runs: on a 2^k square every aligned run of 4^j cells is a 2^j x 2^j square', () => {
    // The Hilbert curve's recursive definition: it fills each quadrant before the next, so the
    // cells [m 4^j, (m+1) 4^j) form one aligned 2^j-square. A snake (row by row) fails this at
    // j = 1 already: its first 4 cells on a 16-wide grid are a 4 x 1 strip.
    const n = 16;
    const cells = gilbertCurve(n, n);
    for (const j of [1, 2, 3]) {
      const run = 4 ** j;
      const side = 2 ** j;
      for (let m = 0; m < cells.length / run; m++) {
        const part = cells.slice(m * run, (m + 1) * run);
        const xs = part.map((c) => c[0]);
        const ys = part.map((c) => c[1]);
        expect(Math.max(...xs) - Math.min(...xs) + 1).toBe(side);
        expect(Math.max(...ys) - Math.min(...ys) + 1).toBe(side);
        expect(Math.min(...xs) % side).toBe(0);
        expect(Math.min(...ys) % side).toBe(0);
      }
    }
  });
});

describe('placementOrder', () => {
  it('visits the 4 tiles of a router together (ISAAC 4 x 4 tiles, 2 x 2 routers of 2 x 2 tiles)', () => {
    // Routers along the 2 x 2 U: (x0,y0) tiles 0,1,4,5; (x0,y1) 8,9,12,13; (x1,y1) 10,11,14,15; (x1,y0) 2,3,6,7.
    const chip = chipPreset('isaac', [4, 4]);
    expect(placementOrder(chip, 'x')).toEqual([0, 1, 4, 5, 8, 9, 12, 13, 10, 11, 14, 15, 2, 3, 6, 7]);
    // Transposed: the U opens the other way, (x0,y0) (x1,y0) (x1,y1) (x0,y1).
    expect(placementOrder(chip, 'y')).toEqual([0, 1, 4, 5, 2, 3, 6, 7, 10, 11, 14, 15, 8, 9, 12, 13]);
  });
  it.each([
    [[32, 32], 'x'],
    [[32, 32], 'y'],
    [[16, 32], 'x'],
    [[16, 32], 'y'],
    [[8, 8], 'x'],
  ] as const)('%j along %s: every tile once, consecutive tiles at most one router hop apart', (mesh, axis) => {
    // Consecutive tiles of the order hold consecutive layers (pack.ts streams layers along it), so a
    // producer's last tile is at most one hop from its consumer's first tile.
    const chip = chipPreset('isaac', [mesh[0], mesh[1]]);
    const order = placementOrder(chip, axis);
    const N = mesh[0] * mesh[1];
    expect(order.length).toBe(N);
    expect(new Set(order).size).toBe(N);
    expect(order.every((t) => Number.isInteger(t) && t >= 0 && t < N)).toBe(true);
    for (let k = 1; k < N; k++) expect(tileDistance(chip, order[k - 1]!, order[k]!)).toBeLessThanOrEqual(1);
  });
  it('a tenant-sized run is a compact block, not a strip (ISAAC 32 x 32: 16 x 16 routers)', () => {
    // 64 routers = 256 tiles, aligned: an 8 x 8 router block (see the aligned-run property above).
    // The direct baseline's snake puts 256 tiles on 8 full tile rows = a 16 x 4 router strip.
    const chip = chipPreset('isaac', [32, 32]);
    const run = placementOrder(chip, 'x').slice(256, 512).map((t) => routerCoord(chip, t));
    const rows = run.map((r) => r[0]);
    const cols = run.map((r) => r[1]);
    expect(Math.max(...rows) - Math.min(...rows) + 1).toBe(8);
    expect(Math.max(...cols) - Math.min(...cols) + 1).toBe(8);
  });
  it('is deterministic', () => {
    const chip = chipPreset('isaac', [16, 32]);
    expect(placementOrder(chip, 'y')).toEqual(placementOrder(chip, 'y'));
  });
});
