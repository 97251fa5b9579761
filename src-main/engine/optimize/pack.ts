/**
 * Packing re-operators into tiles (docs/method.md#step-4-packing-and-placement) and the Splitter's cuts.
 *
 * A tenant's layers are streamed, in layer order and copy by copy, into the tiles of its region
 * (consecutive tiles of the placement order, curve-order.ts, so each tenant is contiguous and a
 * producer sits next to its consumer). Several layers share a tile, unlike the direct baseline. A copy that does not fit
 * the free fragment of the current tile is cut (Splitter):
 *  - whole column blocks (all their row blocks) go into the fragment while one fits; the rest
 *    continues on the next tile (column split: outputs concatenate, no merge);
 *  - a column block taller than a whole tile is cut along rows (row split: partial sums merged);
 *  - a fragment smaller than one column block is left empty (counted as waste in utilization).
 * Digital layers (act x act) hold no crossbars: copy c runs on the digital unit of a distinct tile.
 */
import type { ReOperator } from '../placement/types';
import type { MappedTenant } from '../mapping/mapped-tenant';

/** Tiles the given copies need when packed from an empty tile (same rules as placeLayers, no objects). */
export function packCount(tm: MappedTenant, copies: number[], perTile: number, layers?: number[]): number {
  let tiles = 0;
  let free = 0;
  const list = layers ?? tm.xb.map((_, i) => i);
  for (const i of list) {
    const xb = tm.xb[i]!;
    if (xb === 0) continue;
    const m = tm.mappings[i]!;
    const d = copies[i]!;
    if (tm.rowSplit[i]) {
      // Row blocks stream contiguously: no fragment is wasted.
      const total = d * xb;
      if (total <= free) free -= total;
      else {
        const rem = total - free;
        const t = Math.ceil(rem / perTile);
        tiles += t;
        free = t * perTile - rem;
      }
      continue;
    }
    const rb = m.rowBlocks;
    let blocks = d * m.colBlocks;
    const k0 = Math.floor(free / rb);
    if (blocks <= k0) {
      free -= blocks * rb;
      continue;
    }
    blocks -= k0;
    const k = Math.floor(perTile / rb);
    const t = Math.ceil(blocks / k);
    tiles += t;
    free = perTile - (blocks - (t - 1) * k) * rb;
  }
  return Math.max(1, tiles);
}

/**
 * Places copies of the given layers into `region` (tile ids in order) from its first tile.
 * Returns the re-operators, the tiles actually used, and `reach`: the positions of the region
 * the placement reads (a digital layer's copies go on consecutive tiles, wrapping around a
 * region shorter than that), so any region with the same first `reach` tiles, and at least
 * that many, gets the same placement. Throws when the region is too small (callers size regions
 * with packCount first).
 */
export function placeLayers(
  tm: MappedTenant,
  tenant: number,
  copies: number[],
  layers: number[],
  region: number[],
  perTile: number,
  phase: number,
  xbPerPe: number,
): { reops: ReOperator[]; used: number[]; reach: number } {
  const reops: ReOperator[] = [];
  let ti = -1; // index into region of the current tile
  let free = 0;
  let reach = 0;
  const used = new Set<number>();
  const next = (): void => {
    ti++;
    if (ti >= region.length) throw new Error(`placement overflow: tenant ${tm.tenant.name} needs more than ${region.length} tiles`);
    free = perTile;
  };
  const emit = (layer: number, copy: number, d: number, rb: number, cb: number, rowSplit: boolean, tile: number, pe: number): ReOperator => {
    used.add(tile);
    const r: ReOperator = { tenant, layer, copy, copies: d, piece: 0, pieces: 1, rowBlocks: rb, colBlocks: cb, rowSplit, crossbars: rb * cb, tile, pe, phase };
    reops.push(r);
    return r;
  };
  // First PE of a piece: the crossbars already used in the tile over crossbars per PE.
  const peOf = (): number => Math.floor((perTile - free) / Math.max(1, xbPerPe));
  for (const i of layers) {
    const d = copies[i]!;
    const m = tm.mappings[i]!;
    if (tm.xb[i] === 0) {
      // Digital layer: copy c on the digital unit of a distinct tile, starting at the current one.
      const start = Math.max(0, ti);
      reach = Math.max(reach, start + d);
      for (let c = 0; c < d; c++) emit(i, c, d, 0, 0, false, region[(start + c) % region.length]!, 0);
      continue;
    }
    for (let c = 0; c < d; c++) {
      const pieces: ReOperator[] = [];
      if (tm.rowSplit[i]) {
        for (let col = 0; col < m.colBlocks; col++) {
          let rows = m.rowBlocks;
          while (rows > 0) {
            if (free === 0) next();
            const take = Math.min(rows, free);
            pieces.push(emit(i, c, d, take, 1, true, region[ti]!, peOf()));
            free -= take;
            rows -= take;
          }
        }
      } else {
        const rb = m.rowBlocks;
        let cols = m.colBlocks;
        while (cols > 0) {
          if (free < rb) next();
          const take = Math.min(cols, Math.floor(free / rb));
          pieces.push(emit(i, c, d, rb, take, false, region[ti]!, peOf()));
          free -= take * rb;
          cols -= take;
        }
      }
      pieces.forEach((p, k) => {
        p.piece = k;
        p.pieces = pieces.length;
      });
    }
  }
  return { reops, used: [...used], reach: Math.max(reach, ti + 1) };
}
