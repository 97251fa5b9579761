/**
 * The merge of a row-split copy across its pieces (docs/cost-model.md, "Direct deployment"): the
 * partial sums of the pieces that hold one column block's row blocks are added at the gather tile,
 * (row pieces - 1) additions per output and MVM; each piece has already added its own row blocks
 * (mapping/reop.ts). The analytic evaluation and the simulator's scenario both charge it from here.
 */
import type { LayerMapping } from '../mapping/map-layer';
import type { PieceShape } from '../mapping/reop';

/**
 * Pieces one column block's outputs pass through, over the pieces of a layer (any copies, any
 * cut): every piece covers its column blocks over its row blocks, so the column blocks covered
 * are sum(rb x cb) / rowBlocks and each is met sum(cb) / that times. Column-block packing cuts a
 * column block taller than a tile into ceil(rowBlocks / tile) pieces of one column block each;
 * `fill` cuts the copy into a grid of rb x cb pieces, ceil(rowBlocks / rb) of them over each
 * column block (MNSIM's row groups on tiles of their own).
 */
export function rowPiecesOf(m: Pick<LayerMapping, 'rowBlocks'>, pieces: readonly Pick<PieceShape, 'rowBlocks' | 'colBlocks'>[]): number {
  let incidences = 0;
  let crossbars = 0;
  for (const p of pieces) {
    incidences += p.colBlocks;
    crossbars += p.rowBlocks * p.colBlocks;
  }
  return crossbars > 0 ? Math.max(1, Math.round((m.rowBlocks * incidences) / crossbars)) : 1;
}

/** Additions per MVM of one copy to merge its row pieces: (row pieces - 1) per output. */
export function crossPieceAdds(m: Pick<LayerMapping, 'rowBlocks' | 'colsPerGroup' | 'groups'>, pieces: readonly Pick<PieceShape, 'rowBlocks' | 'colBlocks'>[]): number {
  return (rowPiecesOf(m, pieces) - 1) * m.colsPerGroup * m.groups;
}
