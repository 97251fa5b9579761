/**
 * The lower bound's terms (evaluate/bound.ts, docs/method.md "Lower bound") on hand-built tenants,
 * each figure computed by hand in the comments from the chip presets' published constants.
 */
import { describe, expect, it } from 'vitest';
import { chipPreset } from '../../../src-main/engine/hardware/presets';
import { lowerBound, type PlanLimits } from '../../../src-main/engine/evaluate/bound';
import type { MappedTenant } from '../../../src-main/engine/mapping/mapped-tenant';

interface LayerSpec {
  mvms: number;
  outRows: number;
  xb: number;
  rowBlocks: number;
  inBytes: number;
  outBytes: number;
}

/** A tenant of a chain of layers, each edge carrying `elemsPerRow` activations per producer row. */
function chain(layers: LayerSpec[], elemsPerRow: number, batch: number): MappedTenant {
  return {
    graph: {
      layers: layers.map((l, i) => ({ index: i, name: `L${i}`, mvms: l.mvms, outRows: l.outRows })),
      edges: layers.slice(1).map((_, i) => ({ from: i, to: i + 1, elemsPerRow })),
    },
    batch,
    xb: layers.map((l) => l.xb),
    mappings: layers.map((l) => ({ rowBlocks: l.rowBlocks })),
    costs: layers.map((l) => ({ digital: false, mvmTimeS: 0, inputBytesPerMvm: l.inBytes, outputBytesPerMvm: l.outBytes })),
    weightBytes: layers.map(() => 0),
  } as unknown as MappedTenant;
}

const cap256: PlanLimits = { copyCap: (tm, l) => Math.min(tm.graph.layers[l]!.mvms, 256), replicas: 1 };

describe('lower bound terms on ISAAC (14 x 12 tiles, 4 per router, 96 crossbars each; t_mvm 1.6008 us)', () => {
  const chip = chipPreset('isaac');
  const t = 16 * 100e-9 + 1e-9 / 1.2; // 16 input cycles of 100 ns and one shift-and-add cycle at 1.2 GHz (ISAAC, Shafiee et al. 2016)
  // A: 1,000 units in 10 rows of 100, 8 crossbars; B: 100 units in 10 rows, 400 crossbars in 400 row blocks (5 tiles, 2 routers).
  const tm = chain(
    [
      { mvms: 1000, outRows: 10, xb: 8, rowBlocks: 2, inBytes: 256, outBytes: 128 },
      { mvms: 100, outRows: 10, xb: 400, rowBlocks: 400, inBytes: 102_400, outBytes: 256 },
    ],
    1000, // 2,000 bytes a row at 16-bit activations
    4,
  );
  const b = lowerBound(chip, [tm], cap256);

  it('critical path: one unit per layer', () => {
    expect(b.criticalPathS[0]).toBeCloseTo(2 * t, 12);
  });
  it('work: 4 x (1,000 x 8 + 100 x 400) x t over 168 x 96 = 16,128 crossbars', () => {
    expect(b.workS).toBeCloseTo((4 * 48_000 * t) / 16_128, 12);
  });
  it('stage: A at its cap of 256 copies does ceil(4,000 / 256) = 16 units; B after one unit of A, 400 x 400 / 16,128 units by area', () => {
    // A: 16 t = 25.6 us; B: t + (4 x 100 x 400 / 16,128 = 9.92) t = 10.92 t.
    expect(b.stageS[0]).toBeCloseTo(16 * t, 12);
  });
  it('buffer port: every unit\'s bytes over one 32 GB/s port per tile (2 banks of 32 B words every 2 ns), a copy over 5 tiles charged a fifth', () => {
    // A: 4 x 1,000 x 384 B = 1,536,000 B; B: 4 x 100 x 102,656 B / 5 = 8,212,480 B; over 168 ports of 32e9 B/s.
    expect(b.bufferPortS).toBeCloseTo((1_536_000 + 8_212_480) / (168 * 32e9), 15);
  });
  it('NoC: B\'s column block spans two routers, so half of A\'s rows enter the other over at most 4 links of 4 GB/s', () => {
    // 4 requests x 10 rows x 2,000 B x (2 - 1) / (2 x 4 x 4e9 B/s) = 2.5 us; below the stage term here.
    expect(b.nocS[0]).toBeCloseTo(2.5e-6, 15);
    // 300 row blocks: 4 tiles, one router: nothing must cross.
    const oneRouter = chain([{ mvms: 1000, outRows: 10, xb: 8, rowBlocks: 2, inBytes: 0, outBytes: 0 }, { mvms: 100, outRows: 10, xb: 300, rowBlocks: 300, inBytes: 0, outBytes: 0 }], 1000, 4);
    expect(lowerBound(chip, [oneRouter], cap256).nocS[0]).toBe(0);
    expect(b.binding).toBe('stage');
    expect(b.makespanS).toBeCloseTo(16 * t, 12);
  });
  it('replicas: the busiest of k pipelines serves ceil(B / k) requests, each with the copy cap', () => {
    // k = 4: one request; A: ceil(1,000 / 256) = 4 units, 4 t; B: t + (4 x 100 x 400 / 16,128 = 9.92) t by area over all replicas.
    const r = lowerBound(chip, [tm], { ...cap256, replicas: 4 });
    expect(r.stageS[0]).toBeCloseTo(t + ((4 * 100 * 400) / 16_128) * t, 12);
  });
});

describe('lower bound: a producer\'s rows into one consumer router (MNSIM 2.0\'s 64 x 64 mesh, 8 crossbars a tile, 2.5 GB/s links)', () => {
  const chip = chipPreset('mnsim');
  const t = 1.46e-7;
  it('more copies than one router holds send the rest of the rows in over 4 links: the best copy count balances the two', () => {
    // A: 1,000 units in 10 rows of 100; 800 activations of 9 bits = 900 B a row. A router holds at
    // most 8 crossbars, so at most 8 copies of A, each doing e = ceil(1,000 / d) units: at least
    // 10 - 8 e / 100 rows come in over 4 links: (10 - 0.08 e) x 900 B / 1e10 B/s.
    //   e = 4 (d = 250): compute 0.584 us, NoC 9.68 x 90 ns = 0.8712 us -> 0.8712 us
    //   e = 5 (d = 200): compute 0.730 us, NoC 9.60 x 90 ns = 0.8640 us -> 0.8640 us (least)
    //   e = 6 (d = 167): compute 0.876 us, NoC 9.52 x 90 ns = 0.8568 us -> 0.8760 us
    const tm = chain(
      [
        { mvms: 1000, outRows: 10, xb: 1, rowBlocks: 1, inBytes: 0, outBytes: 0 },
        { mvms: 10, outRows: 10, xb: 1, rowBlocks: 1, inBytes: 0, outBytes: 0 },
      ],
      800,
      1,
    );
    const b = lowerBound(chip, [tm], cap256);
    expect(b.stageS[0]).toBeCloseTo((9.6 * 900) / 1e10, 15);
    expect(b.binding).toBe('stage');
    // Without a consumer, the copy cap alone: 4 units, 0.584 us.
    const alone = chain([{ mvms: 1000, outRows: 10, xb: 1, rowBlocks: 1, inBytes: 0, outBytes: 0 }], 800, 1);
    expect(lowerBound(chip, [alone], cap256).stageS[0]).toBeCloseTo(4 * t, 15);
  });
});
