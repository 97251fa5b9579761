/**
 * Program-and-verify iterations per cell write. A chip spec may give them
 * (`device.write_verify_iterations`); left out, they follow from the cell's bits: a b-bit cell
 * holds 2^b conductance levels, and the slowest cell of a batch moves from the reset level to the
 * farthest one, 2^b - 1 levels, one level per pulse. NeuroSim's analog device moves one level per
 * pulse (MLP_NeuroSim V3.0 Cell.cpp, `maxNumLevelLTP`; its NeuroSim/SubArray.cpp write latency counts
 * `maxNumWritePulse` = the level count), and incremental step pulse programming (Suh et al., "A
 * 3.3 V 32 Mb NAND flash memory with incremental step pulse programming scheme", JSSC 1995) steps
 * by at most one level's width, so its pulse count grows as the levels do. The first pulse is
 * open-loop; each further pulse follows a verify read: 2^b - 2 iterations (1-bit cells: none, one
 * pulse as MNSIM 2.0 charges; 2-bit cells: 2). Formulas: docs/cost-model.md, "Reprogramming".
 */
import type { ChipSpec } from './spec';

/** Verify iterations of a b-bit cell's write: 2^b - 1 pulses, the first without a verify before it. */
export function derivedVerifyIterations(cellBits: number): number {
  return Math.max(0, 2 ** cellBits - 2);
}

/** The chip's verify iterations per cell write: the spec's value, else derived from its cell bits. */
export function writeVerifyIterations(chip: ChipSpec): number {
  return chip.device.write_verify_iterations ?? derivedVerifyIterations(chip.pe.crossbar.cell_bits);
}
