/**
 * A multicast's route union (sim/route-unions.ts walks each leg back from its far end until it
 * meets the union) holds exactly the links of the XY routes to its destinations, each walked
 * whole by hardware/topology.ts xyRoute: on meshes and tori, with several tiles on a router.
 */
import { describe, expect, it } from 'vitest';
import { routeUnions } from '../../../src-main/engine/sim/route-unions';
import { xyRoute } from '../../../src-main/engine/hardware/topology';
import { Rng } from '../../../src-main/engine/sim/rng';

describe('multicast route unions', () => {
  it("hold the links of every route to the layer's consumer tiles, each once", () => {
    const rng = new Rng(7);
    const rand = (): number => rng.uniform();
    for (const [rows, cols, torus, perRouter] of [[5, 7, false, 1], [6, 6, true, 1], [4, 9, true, 2], [1, 8, false, 1], [7, 1, true, 1]] as const) {
      const tiles = rows * cols * perRouter;
      const tileRouter = Int32Array.from({ length: tiles }, (_, t) => Math.floor(t / perRouter));
      // two layers; layer 0 has 12 copies gathering on random tiles, sending to 9 random consumer tiles
      const sTile = Int32Array.from({ length: 9 }, () => Math.floor(rand() * tiles));
      const cGather = Int32Array.from({ length: 12 }, () => Math.floor(rand() * tiles));
      const u = routeUnions({ meshRows: rows, meshCols: cols, torus, tileRouter, cLayer: new Int32Array(12), cGather, lSlotStart: Int32Array.from([0, 9]), lSlotCount: Int32Array.from([9, 0]), sTile });
      for (let c = 0; c < 12; c++) {
        const want = new Set<number>();
        for (const t of sTile) if (t !== cGather[c]) xyRoute(rows, cols, torus, tileRouter[cGather[c]!]!, tileRouter[t]!, (l) => want.add(l));
        const k = u.cUnion[c]!;
        const got = Array.from(u.uLinks.subarray(u.uLinkStart[k]!, u.uLinkStart[k]! + u.uLinkCount[k]!));
        expect(got.length).toBe(want.size);
        expect(new Set(got)).toEqual(want);
      }
    }
  });
});
