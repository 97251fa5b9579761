/**
 * Mapping one layer's weight matrix onto crossbars (docs/cost-model.md#mapping).
 *
 * A weight takes s = ceil(b_w / b_c) cells (bit slicing), times p = 2 with separate
 * positive/negative arrays. One copy of a layer occupies ceil(rows / R) row blocks x
 * ceil(cols x s x p / C) column blocks. Grouped and depthwise convs pack whole groups
 * block-diagonally into crossbars when a group fits one crossbar; the empty off-diagonal cells
 * count as allocated, so their waste shows in the utilization.
 */
import type { Layer } from '../workload/ir';
import type { ChipSpec } from '../hardware/spec';
import { polarityFactor, slicesPerWeight } from '../hardware/costs';
import { checkLimit } from '../limits';

export interface LayerMapping {
  layer: number;
  name: string;
  kind: Layer['kind'];
  /** True for activation x activation matmuls: no stationary weights, run on digital units, 0 crossbars. */
  digital: boolean;
  /** Cells per weight (bit slices) and polarity factor. */
  slices: number;
  polarity: number;
  /** Weight-matrix rows and logical columns per group, and physical columns per group (cols x s x p). */
  rowsPerGroup: number;
  colsPerGroup: number;
  physColsPerGroup: number;
  groups: number;
  /** Groups packed block-diagonally into one crossbar (1 when a group needs one or more whole crossbars). */
  groupsPerCrossbar: number;
  /** Row blocks per output: partial sums that digital adders merge. */
  rowBlocks: number;
  /** Column blocks (for packed groups: one per crossbar). crossbars = rowBlocks x colBlocks. */
  colBlocks: number;
  crossbars: number;
  /** Sum over the layer's crossbars of the rows driven by an input (for DAC and cell-read energy). */
  drivenRows: number;
  /** Cells holding weight slices: rows x cols x groups x s x p. */
  mappedCells: number;
  /** Cells of the allocated crossbars: crossbars x R x C. */
  allocatedCells: number;
  /** mappedCells / allocatedCells (1 for digital layers with nothing allocated). */
  utilization: number;
  /** Weight bytes of one copy: rows x cols x groups x b_w / 8. */
  weightBytes: number;
  /**
   * Read phases per input cycle: an array's used rows over the DACs that drive them (one per row
   * unless `pe.dac.count` shares fewer, as MNSIM's 128 DACs for 256 rows); each phase is a read
   * and a conversion of the columns.
   */
  dacPhases: number;
}

export function mapLayer(layer: Layer, chip: ChipSpec): LayerMapping {
  const R = chip.pe.crossbar.rows;
  const C = chip.pe.crossbar.cols;
  const s = slicesPerWeight(chip, layer.weightBits);
  const p = polarityFactor(chip);
  const g = layer.groups;
  const rows = layer.rows;
  const physCols = layer.cols * s * p;
  const base = {
    layer: layer.index,
    name: layer.name,
    kind: layer.kind,
    slices: s,
    polarity: p,
    rowsPerGroup: rows,
    colsPerGroup: layer.cols,
    physColsPerGroup: physCols,
    groups: g,
  };
  if (layer.kind === 'matmul') {
    return {
      ...base,
      digital: true,
      groupsPerCrossbar: 0,
      rowBlocks: 0,
      colBlocks: 0,
      crossbars: 0,
      drivenRows: 0,
      mappedCells: 0,
      allocatedCells: 0,
      utilization: 1,
      weightBytes: 0,
      dacPhases: 0,
    };
  }
  let groupsPerCrossbar: number;
  let rowBlocks: number;
  let colBlocks: number;
  let drivenRows: number;
  // Separate arrays: every slice (and sign) in arrays of its own, so an array holds one slice of
  // up to C weight columns; adjacent columns: the s x p cells of a weight side by side. Grouped
  // layers are packed block-diagonally with each group's cells side by side either way (MNSIM
  // maps a depthwise conv as a dense one; Retile does not follow it there).
  const separate = chip.slicing === 'separate-arrays' && g === 1;
  const arrayCols = separate ? layer.cols : physCols;
  const arraySets = separate ? s * p : 1;
  if (g > 1 && rows <= R && arrayCols <= C) {
    // Block-diagonal packing: k groups share a crossbar, k limited by both rows and columns.
    groupsPerCrossbar = Math.min(Math.floor(R / rows), Math.floor(C / arrayCols));
    rowBlocks = 1;
    colBlocks = Math.ceil(g / groupsPerCrossbar) * arraySets;
    drivenRows = rows * g * arraySets;
  } else {
    // Each group gets its own row blocks x column blocks (g = 1: an ordinary matrix).
    groupsPerCrossbar = 1;
    rowBlocks = rowBlocksOf(chip, layer, R);
    const perGroupColBlocks = Math.ceil(arrayCols / C) * arraySets;
    colBlocks = perGroupColBlocks * g;
    drivenRows = rows * perGroupColBlocks * g;
  }
  const crossbars = rowBlocks * colBlocks;
  // Checked here, before anything per crossbar exists: on 1 x 1 crossbars one vgg16 layer needs ~10^9.
  checkLimit(`the crossbar count of layer '${layer.name}' (${rowBlocks} x ${colBlocks} blocks of ${R} x ${C})`, crossbars, 'maxCrossbarsPerLayer', { field: 'pe.crossbar' });
  const mappedCells = rows * physCols * g;
  const allocatedCells = crossbars * R * C;
  return {
    ...base,
    digital: false,
    groupsPerCrossbar,
    rowBlocks,
    colBlocks,
    crossbars,
    drivenRows,
    mappedCells,
    allocatedCells,
    utilization: mappedCells / allocatedCells,
    weightBytes: (rows * layer.cols * g * (layer.weightBits ?? chip.precision.weight_bits)) / 8,
    dacPhases: Math.ceil(Math.min(R, Math.ceil(drivenRows / crossbars)) / dacsPerRowSet(chip)),
  };
}

/** DACs driving one array's rows: the PE's DACs over its arrays, a differential pair sharing its inputs. */
function dacsPerRowSet(chip: ChipSpec): number {
  const pe = chip.pe;
  const rowSets = pe.crossbar.count / polarityFactor(chip);
  return Math.max(1, Math.min(pe.crossbar.rows, Math.floor((pe.dac.count ?? pe.crossbar.count * pe.crossbar.rows) / Math.max(1, rowSets))));
}

/**
 * Row blocks of one group's rows: contiguous (`unrolled`), or whole input channels per array
 * (`whole-channels`, a conv whose window fits an array).
 */
function rowBlocksOf(chip: ChipSpec, layer: Layer, R: number): number {
  const k2 = layer.rowsPerChannel;
  if (chip.row_packing === 'whole-channels' && k2 > 1 && k2 <= R) return Math.ceil(layer.rows / k2 / Math.floor(R / k2));
  return Math.ceil(layer.rows / R);
}

/** Mapped / allocated cells over a set of layer mappings, each with its copy count (default 1). */
export function utilizationOf(mappings: LayerMapping[], copies?: number[]): { mappedCells: number; allocatedCells: number; utilization: number; crossbars: number } {
  let mapped = 0;
  let allocated = 0;
  let crossbars = 0;
  mappings.forEach((m, i) => {
    const d = copies?.[i] ?? 1;
    mapped += m.mappedCells * d;
    allocated += m.allocatedCells * d;
    crossbars += m.crossbars * d;
  });
  return { mappedCells: mapped, allocatedCells: allocated, utilization: allocated > 0 ? mapped / allocated : 1, crossbars };
}
