/**
 * The multicast routes of a packed scenario, walked once at packing instead of once per row in
 * the event loop. A copy multicasts each finished row from its gather tile to every consumer
 * tile of its layer (docs/simulator.md, "NoC"): the transfer holds the union of the XY routes,
 * each link once, and each destination receives it after its own route's hops. Both depend only
 * on (layer, gather tile), so copies that share them share one union: its links, and the hops
 * to each of the layer's slots (0 for the gather tile itself, which reads its buffer at once).
 */
import { xyRoute } from '../hardware/topology';

export interface RouteUnions {
  /** Union of each copy. */
  cUnion: Int32Array;
  /** Links of each union: uLinks[uLinkStart[u] .. + uLinkCount[u]]. */
  uLinkStart: Int32Array;
  uLinkCount: Int32Array;
  uLinks: Int32Array;
  /** Hops of union u's route to the k-th slot of its layer: uHops[uHopBase[u] + k]. */
  uHopBase: Int32Array;
  uHops: Int32Array;
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
  const linkStart: number[] = [], linkCount: number[] = [], links: number[] = [], hopBase: number[] = [], hops: number[] = [];
  const seen = new Map<number, true>();
  const tiles = p.tileRouter.length;
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
    hopBase.push(hops.length);
    seen.clear();
    const s0 = p.lSlotStart[layer]!;
    for (let slot = s0; slot < s0 + p.lSlotCount[layer]!; slot++) {
      let h = 0;
      if (p.sTile[slot] !== g) {
        xyRoute(p.meshRows, p.meshCols, p.torus, p.tileRouter[g]!, p.tileRouter[p.sTile[slot]!]!, (link) => {
          h++;
          if (!seen.has(link)) {
            seen.set(link, true);
            links.push(link);
          }
        });
      }
      hops.push(h);
    }
    linkCount.push(links.length - linkStart[u]!);
  }
  return {
    cUnion,
    uLinkStart: Int32Array.from(linkStart),
    uLinkCount: Int32Array.from(linkCount),
    uLinks: Int32Array.from(links),
    uHopBase: Int32Array.from(hopBase),
    uHops: Int32Array.from(hops),
  };
}
