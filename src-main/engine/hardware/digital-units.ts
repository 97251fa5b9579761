/**
 * The vector functional unit (VFU): the digital lanes that run what crossbars do not (pooling,
 * element-wise adds, activation functions, softmax, LayerNorm, GELU, activation x activation
 * matmuls). Work is counted in elementary operations (workload/digital-ops.ts); each lane does
 * one operation of a class in `op_cycles` clock cycles at `op_energy_pj`. Sources and what is
 * left out: docs/cost-model.md, "Digital units".
 */
import type { ChipSpec } from './spec';
import type { OpCounts } from '../workload/digital-ops';

const PJ = 1e-12;

export const OP_CLASSES = ['add', 'mul', 'div', 'exp'] as const;

/** VFU lanes of one tile: count per tile, or count x PEs when the chip puts a VFU in every PE. */
export function vfuLanesPerTile(chip: ChipSpec): number {
  const v = chip.tile.vfu;
  return v.count * (v.placement === 'pe' ? chip.tile.pes : 1);
}

/** Energy of a bag of operations on the VFU (J). */
export function vfuEnergyJ(chip: ChipSpec, ops: OpCounts): number {
  const e = chip.tile.vfu.op_energy_pj;
  return OP_CLASSES.reduce((s, k) => s + ops[k] * e[k], 0) * PJ;
}

/** Time of a bag of operations spread over `lanes` lanes (default: one tile's) at the chip clock (s). */
export function vfuTimeS(chip: ChipSpec, ops: OpCounts, lanes = vfuLanesPerTile(chip)): number {
  const c = chip.tile.vfu.op_cycles;
  const cycles = OP_CLASSES.reduce((s, k) => s + ops[k] * c[k], 0);
  return cycles / lanes / (chip.clock_ghz * 1e9);
}
