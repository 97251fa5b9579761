/**
 * The multicast routes of a packed scenario, walked once at packing instead of once per row in
 * the event loop. A copy multicasts each finished row from its gather tile to every consumer
 * tile of its layer (docs/simulator.md, "NoC"): the transfer holds the union of the XY routes,
 * each link once, and each destination receives it after its own route's hops (the loop counts
 * them from the two routers' coordinates: an XY route is a shortest one). The union depends only
 * on (layer, gather tile), so copies that share them share one union. Each union is walked by
 * hardware/topology.ts xyRouteUnion (each leg back from its far end until it meets the union).
 */
import { xyRouteUnion } from '../hardware/topology';

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
  const tiles = p.tileRouter.length;
  const visit = (link: number): void => void links.push(link);
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
    // Every consumer tile of the layer but the gather tile itself; the loop reads a union's links in any order.
    const dsts: number[] = [];
    const s0 = p.lSlotStart[layer]!;
    for (let slot = s0; slot < s0 + p.lSlotCount[layer]!; slot++) if (p.sTile[slot] !== g) dsts.push(p.tileRouter[p.sTile[slot]!]!);
    xyRouteUnion(p.meshRows, p.meshCols, p.torus, p.tileRouter[g]!, dsts, visit);
    linkCount.push(links.length - linkStart[u]!);
  }
  return {
    cUnion,
    uLinkStart: Int32Array.from(linkStart),
    uLinkCount: Int32Array.from(linkCount),
    uLinks: Int32Array.from(links),
  };
}
