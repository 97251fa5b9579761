/**
 * Capacity of the per-PE buffers (docs/cost-model.md, "Buffers"): a PE's input register holds the
 * input vectors its arrays read during one MVM, its output register the outputs they produce
 * (ISAAC's 2 KB = 8 arrays x 128 inputs x 2 B and 256 B = 8 arrays x 16 outputs x 2 B, PUMA's
 * data memory). Capacity = count x size_bytes (hardware/components.ts derives a size that holds
 * one input vector and one output per weight column of every array; a pinned size may not).
 *
 * What one PE of a layer needs, with its X arrays (min(arrays per PE, the copy's arrays)) all the
 * layer's:
 *  - input: the distinct input vectors those arrays read, each of the rows of the layer's fullest
 *    array (a full row block, or its groups on the diagonal); the s x p single-slice arrays of one column block read one
 *    vector (`separate-arrays`: PUMA's MVMU, MNSIM's positive/negative pair), any other array its
 *    own (ISAAC's register holds one vector per array);
 *  - output: the layer's outputs per array (outputs / column blocks) over the X arrays;
 * both at the layer's activation width. A PE whose registers are too small computes its arrays
 * in turns (peRegisterTurns, charged as crossbar time by mapping/reop.ts in the analytic model and
 * the simulator alike); `retile map` names each such layer, the register, the bytes needed and
 * held, and the size that avoids it, as it names a layer whose tile buffer overflows.
 */
import type { ChipSpec } from '../hardware/spec';
import { resolvedComponents } from '../hardware/components';
import type { Layer, LayerGraph } from '../workload/ir';
import type { LayerMapping } from './map-layer';

export type PeRegister = 'input_register' | 'output_register';

export interface PeRegisterNeed {
  layer: string;
  register: PeRegister;
  needBytes: number;
  capacityBytes: number;
  /** Arrays of the layer in one PE, and the input vectors or outputs they hold. */
  arrays: number;
  items: number;
  /** Bytes per item: an input vector's rows x activation bytes, or one output's activation bytes. */
  itemBytes: number;
}

/** The input and output register needs of one PE full of the layer's arrays (none for digital layers). */
export function peRegisterNeeds(chip: ChipSpec, layer: Layer, m: LayerMapping): PeRegisterNeed[] {
  if (m.digital || m.crossbars === 0) return [];
  const regs = resolvedComponents(chip).pe;
  const actBytes = (layer.activationBits ?? chip.precision.activation_bits) / 8;
  const arrays = Math.min(chip.pe.crossbar.count, m.crossbars);
  const sharing = chip.slicing === 'separate-arrays' && m.groups === 1 ? m.slices * m.polarity : 1;
  const vectors = Math.ceil(arrays / sharing);
  const rows = fullestRows(chip, layer, m);
  const outputs = Math.ceil((arrays * m.colsPerGroup * m.groups) / m.colBlocks);
  const capacity = (r: PeRegister) => regs[r].size_bytes * chip.pe[r].count;
  return [
    { layer: layer.name, register: 'input_register', needBytes: vectors * rows * actBytes, capacityBytes: capacity('input_register'), arrays, items: vectors, itemBytes: rows * actBytes },
    { layer: layer.name, register: 'output_register', needBytes: outputs * actBytes, capacityBytes: capacity('output_register'), arrays, items: outputs, itemBytes: actBytes },
  ];
}

/** Rows of a layer's fullest array: its groups on the diagonal, or a full row block (whole channels with `whole-channels`). */
function fullestRows(chip: ChipSpec, layer: Layer, m: LayerMapping): number {
  const R = chip.pe.crossbar.rows;
  if (m.groupsPerCrossbar > 1) return m.rowsPerGroup * m.groupsPerCrossbar;
  const k2 = layer.rowsPerChannel;
  const block = chip.row_packing === 'whole-channels' && k2 > 1 && k2 <= R ? Math.floor(R / k2) * k2 : R;
  return Math.min(m.rowsPerGroup, block);
}

/** Every layer whose PE registers are too small, the largest shortfall first. */
export function peRegisterOverflows(chip: ChipSpec, graph: LayerGraph, mappings: LayerMapping[]): PeRegisterNeed[] {
  const out = graph.layers.flatMap((l, i) => peRegisterNeeds(chip, l, mappings[i]!).filter((n) => n.needBytes > n.capacityBytes));
  return out.sort((a, b) => b.needBytes / b.capacityBytes - a.needBytes / a.capacityBytes);
}

/**
 * Turns one MVM takes on a PE whose registers cannot hold its arrays' inputs or outputs at once:
 * the arrays compute in ceil(need / capacity) groups, one register load after another, so the
 * crossbar stage of the MVM takes that many times as long (mapping/reop.ts); 1 when they fit.
 */
export function peRegisterTurns(chip: ChipSpec, layer: Layer, m: LayerMapping): number {
  let turns = 1;
  for (const n of peRegisterNeeds(chip, layer, m)) turns = Math.max(turns, Math.ceil(n.needBytes / n.capacityBytes - 1e-9));
  return turns;
}

/** The size_bytes a register needs so that every listed layer fits it (count registers per PE). */
export function sizeToFit(chip: ChipSpec, needs: PeRegisterNeed[], register: PeRegister): number {
  return Math.ceil(needs.filter((n) => n.register === register).reduce((m, n) => Math.max(m, n.needBytes), 0) / chip.pe[register].count);
}
