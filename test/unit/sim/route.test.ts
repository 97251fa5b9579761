/**
 * One XY route, two languages: the event simulator's walk (assembly/sim.ts routeStep, run as Wasm)
 * and the analytic link loads' walk (hardware/topology.ts xyRoute) take the same links between
 * every pair of routers, on meshes and tori of odd and even sizes.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { simulateRaw } from '../../../src-main/engine/sim';
import { xyRoute } from '../../../src-main/engine/hardware/topology';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { handScenario, rowLayer, US } from './hand-scenario';
import { loadTestWasm } from './load-wasm';

let wasm: RetileWasmExports;
beforeAll(async () => {
  wasm = await loadTestWasm();
});

/** Links the simulator holds to send one row from router `src` to router `dst` (a producer and a consumer layer). */
function simulatedLinks(rows: number, cols: number, torus: boolean, src: number, dst: number): number[] {
  const s = handScenario(
    1,
    [{ tenant: 0, writeTimeS: 0, writeEnergyJ: 0, after: [] }],
    [{ ...rowLayer(0, 0, 1), outBytesPerRow: 1000 }, rowLayer(0, 0, 1)],
    [
      { layer: 0, copy: 0, piece: 0, tile: src, timePerUnitS: US, energyPerUnitJ: [0, 0, 0, 0, 0] },
      { layer: 1, copy: 0, piece: 0, tile: dst, timePerUnitS: US, energyPerUnitJ: [0, 0, 0, 0, 0] },
    ],
    [{ from: 0, to: 1, scale: 0, offset: 0 }],
  );
  const { raw } = simulateRaw({ ...s, mesh: { rows, cols, torus } }, wasm);
  const links: number[] = [];
  raw.linkBusy.forEach((b, l) => b > 0 && links.push(l));
  return links;
}

describe('XY route walk', () => {
  for (const [rows, cols, torus] of [[3, 4, false], [1, 5, false], [4, 4, true], [5, 3, true], [2, 6, true]] as const) {
    test(`${rows} x ${cols} ${torus ? 'torus' : 'mesh'}: the simulator and xyRoute take the same links for every (src, dst)`, () => {
      const n = rows * cols;
      let hops = 0;
      for (let src = 0; src < n; src++) {
        for (let dst = 0; dst < n; dst++) {
          const ts: number[] = [];
          xyRoute(rows, cols, torus, src, dst, (l) => ts.push(l));
          expect(simulatedLinks(rows, cols, torus, src, dst), `${src} -> ${dst}`).toEqual([...ts].sort((a, b) => a - b));
          hops += ts.length;
        }
      }
      // Hand count of the total hop length over all pairs (independent of both walks): on a mesh
      // sum |dx| + |dy|; on a torus the ring distance min(d, n - d) per axis.
      const ring = (a: number, b: number, m: number): number => (torus ? Math.min(Math.abs(a - b), m - Math.abs(a - b)) : Math.abs(a - b));
      let expected = 0;
      for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) expected += ring(a % cols, b % cols, cols) + ring(Math.floor(a / cols), Math.floor(b / cols), rows);
      expect(hops).toBe(expected);
    });
  }

  test('hand-checked routes: X first, then Y; a torus wraps the shorter way, ties go +', () => {
    const route = (rows: number, cols: number, torus: boolean, src: number, dst: number): number[] => {
      const out: number[] = [];
      xyRoute(rows, cols, torus, src, dst, (l) => out.push(l));
      return out;
    };
    // 3 x 4 mesh, router 0 (0,0) to router 11 (x 3, y 2): +x from routers 0, 1, 2, then +y from 3 and 7.
    expect(route(3, 4, false, 0, 11)).toEqual([0 * 4 + 0, 1 * 4 + 0, 2 * 4 + 0, 3 * 4 + 2, 7 * 4 + 2]);
    // 1 x 5 torus, 0 to 4: one hop -x across the wrap (router 0, direction 1).
    expect(route(1, 5, true, 0, 4)).toEqual([1]);
    // 1 x 4 torus, 0 to 2: both ways are 2 hops; ties go +.
    expect(route(1, 4, true, 0, 2)).toEqual([0, 4]);
  });
});
