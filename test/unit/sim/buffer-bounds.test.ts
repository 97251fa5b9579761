import { describe, expect, test } from 'vitest';
import { edgeHoldRows, rowWindow } from '../../../src-main/engine/sim/buffer-bounds';
import type { LayerGraph } from '../../../src-main/engine/workload/ir';

/**
 * The rows a producer must be able to keep in its consumer's buffer (docs/simulator.md, "Bounded
 * buffers"), by hand on a residual block: A feeds two 3x3 convolutions (padding 1) B then C, and
 * D reads C and, through the skip, A directly (row for row). 32 rows everywhere.
 */
const edge = (from: number, to: number, offset: number) => ({ from, to, rowMap: { scale: 1, offset }, elemsPerRow: 0 });
const graph = {
  layers: [0, 1, 2, 3].map(() => ({ outRows: 32 })),
  edges: [edge(0, 1, 1), edge(1, 2, 1), edge(2, 3, 0), edge(0, 3, 0)],
} as unknown as LayerGraph;

describe('bounded-buffer windows and holds', () => {
  test('windows: 3 rows for a 3x3 padded 1, 1 row for row, every row for a map that needs all', () => {
    expect(rowWindow({ scale: 1, offset: 1 }, 32)).toBe(3);
    expect(rowWindow({ scale: 2, offset: 1 }, 32)).toBe(4); // 3x3 stride 2 padded 1 reads 3: covered
    expect(rowWindow({ scale: 1, offset: 0 }, 32)).toBe(1);
    expect(rowWindow({ scale: 0, offset: 31 }, 32)).toBe(32);
  });
  test('holds: window + one row in flight on a chain; the skip edge also holds the long path', () => {
    // A->B and B->C: 3-row window + 1 = 4. C->D: 1 + 1 = 2. The skip A->D: D's row r needs C's
    // row r, which needs B's rows to r + 1, which need A's rows to r + 2: 2 rows of row-map lag,
    // and the long path's 2 further stages keep 2 rows each: lag 6, hold 1 + 6 + 1 = 8.
    expect(edgeHoldRows(graph)).toEqual([4, 4, 2, 8]);
  });
});
