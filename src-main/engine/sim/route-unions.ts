/**
 * The multicast routes of a packed scenario, walked once at packing instead of once per row in
 * the event loop. A copy multicasts each finished row from its gather tile to every consumer
 * tile of its layer (docs/simulator.md, "NoC"): the transfer holds the union of the XY routes,
 * each link once, and each destination receives it after its own route's hops (the loop counts
 * them from the two routers' coordinates: an XY route is a shortest one). The union depends only
 * on (layer, gather tile), so copies that share them share one union.
 */
export interface RouteUnions {
  /** Union of each copy. */
  cUnion: Int32Array;
  /** Links of each union: uLinks[uLinkStart[u] .. + uLinkCount[u]]. */
  uLinkStart: Int32Array;
  uLinkCount: Int32Array;
  uLinks: Int32Array;
}

export interface RouteUnionInput {
  meshRows: number;
  meshCols: number;
  torus: boolean;
  tileRouter: Int32Array;
  cLayer: ArrayLike<number>;
  cGather: Int32Array;
  lSlotStart: Int32Array;
  lSlotCount: Int32Array;
  sTile: Int32Array;
}

export function routeUnions(p: RouteUnionInput): RouteUnions {
  const C = p.cGather.length;
  const cUnion = new Int32Array(C);
  const unionOf = new Map<number, number>();
  const linkStart: number[] = [], linkCount: number[] = [], links: number[] = [];
  // seen[link] = u + 1 once union u holds the link (no clearing between unions)
  const seen = new Int32Array(p.meshRows * p.meshCols * 4);
  const tiles = p.tileRouter.length;
  const { meshRows: rows, meshCols: cols, torus } = p;
  const plus = (c: number, d: number, n: number): boolean => (torus ? ((d - c + n) % n) * 2 <= n : d > c);
  const back = (c: number, up: boolean, n: number): number => (up ? (c === 0 ? n - 1 : c - 1) : c + 1 === n ? 0 : c + 1);
  for (let c = 0; c < C; c++) {
    const layer = p.cLayer[c]!;
    const g = p.cGather[c]!;
    const key = layer * tiles + g;
    const known = unionOf.get(key);
    if (known !== undefined) {
      cUnion[c] = known;
      continue;
    }
    const u = linkStart.length;
    unionOf.set(key, u);
    cUnion[c] = u;
    linkStart.push(links.length);
    const src = p.tileRouter[g]!;
    const sx = src % cols;
    const sy = Math.floor(src / cols);
    // A route's X leg runs along the source's row from its column, its Y leg along the
    // destination's column from the source's row (hardware/topology.ts xyRoute). Every route of
    // the union starts each leg there, so a link already held has its whole leg before it held
    // too: each leg is walked back from its far end until it meets the union (the union's size,
    // not every route's length). The loop reads a union's links in any order.
    const s0 = p.lSlotStart[layer]!;
    for (let slot = s0; slot < s0 + p.lSlotCount[layer]!; slot++) {
      if (p.sTile[slot] === g) continue;
      const dst = p.tileRouter[p.sTile[slot]!]!;
      const dx = dst % cols;
      const dy = Math.floor(dst / cols);
      if (dy !== sy) {
        const up = plus(sy, dy, rows);
        for (let y = back(dy, up, rows); ; y = back(y, up, rows)) {
          const link = (y * cols + dx) * 4 + (up ? 2 : 3);
          if (seen[link] === u + 1) break;
          seen[link] = u + 1;
          links.push(link);
          if (y === sy) break;
        }
      }
      if (dx !== sx) {
        const up = plus(sx, dx, cols);
        for (let x = back(dx, up, cols); ; x = back(x, up, cols)) {
          const link = (sy * cols + x) * 4 + (up ? 0 : 1);
          if (seen[link] === u + 1) break;
          seen[link] = u + 1;
          links.push(link);
          if (x === sx) break;
        }
      }
    }
    linkCount.push(links.length - linkStart[u]!);
  }
  return {
    cUnion,
    uLinkStart: Int32Array.from(linkStart),
    uLinkCount: Int32Array.from(linkCount),
    uLinks: Int32Array.from(links),
  };
}
