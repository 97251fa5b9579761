/**
 * Costs of one re-operator (a piece of a copy of a layer) per MVM: the unit the analytic
 * profiler, the optimizer and the event simulator all build on. Energies are per action from the
 * cost library (hardware/costs.ts); see docs/cost-model.md for the formulas.
 */
import type { Layer } from '../workload/ir';
import type { ChipSpec } from '../hardware/spec';
import { crossbarsPerTile, inputCycles, mergeTimeS, mvmTimeS } from '../hardware/costs';
import { peRegisterTurns } from './pe-registers';
import { actionCosts } from '../hardware/action-costs';
import type { LayerMapping } from './map-layer';
import { bufferTimeS } from '../hardware/buffers';
import { vfuEnergyJ, vfuTimeS } from '../hardware/digital-units';
import { addOps, zeroOps } from '../workload/digital-ops';

/** Energy by component (J). The same keys everywhere energy is reported. */
export interface EnergyBreakdown {
  crossbar: number;
  adc: number;
  dac: number;
  sh: number;
  sa: number;
  registers: number;
  edram: number;
  /** Tile digital units: sigmoid/pooling extras and activation x activation matmuls. */
  digital: number;
  noc: number;
  leakage: number;
  reprogram: number;
}

export const ENERGY_COMPONENTS: (keyof EnergyBreakdown)[] = [
  'crossbar',
  'adc',
  'dac',
  'sh',
  'sa',
  'registers',
  'edram',
  'digital',
  'noc',
  'leakage',
  'reprogram',
];

export function zeroEnergy(): EnergyBreakdown {
  return { crossbar: 0, adc: 0, dac: 0, sh: 0, sa: 0, registers: 0, edram: 0, digital: 0, noc: 0, leakage: 0, reprogram: 0 };
}

// Written out component by component (ENERGY_COMPONENTS order): the optimizer adds energies per
// re-operator of every deployment it evaluates, and a loop over the keys cost several times more.
export function addEnergy(into: EnergyBreakdown, e: EnergyBreakdown, scale = 1): EnergyBreakdown {
  into.crossbar += e.crossbar * scale;
  into.adc += e.adc * scale;
  into.dac += e.dac * scale;
  into.sh += e.sh * scale;
  into.sa += e.sa * scale;
  into.registers += e.registers * scale;
  into.edram += e.edram * scale;
  into.digital += e.digital * scale;
  into.noc += e.noc * scale;
  into.leakage += e.leakage * scale;
  into.reprogram += e.reprogram * scale;
  return into;
}

/** The sum in ENERGY_COMPONENTS order (from 0, left to right, as a reduce over the keys adds). */
export function totalEnergy(e: EnergyBreakdown): number {
  return 0 + e.crossbar + e.adc + e.dac + e.sh + e.sa + e.registers + e.edram + e.digital + e.noc + e.leakage + e.reprogram;
}

/** The part of a mapped copy a re-operator holds. Omit for the whole copy. */
export interface PieceShape {
  rowBlocks: number;
  colBlocks: number;
  crossbars: number;
  /** True when the copy was cut along rows: this piece's partial sums go to a merge elsewhere. */
  rowSplit?: boolean;
}

export interface ReopCosts {
  digital: boolean;
  /**
   * One MVM on this piece (s), merge excluded: the slowest of three pipelined stages, the
   * crossbars (input cycles x cycle + one shift-and-add; 0 for digital layers), the tile's VFU
   * (the piece's share of the layer's digital operations) and the buffer port (input and output
   * bytes), plus nothing else: a stage overlaps the others' work on neighbouring MVMs.
   */
  mvmTimeS: number;
  /** The crossbar and VFU stages alone, max(crossbars, VFU) (s): what the re-operator itself is busy for. */
  busyTimeS: number;
  /** Buffer port time per MVM (s): whole-word accesses of input + output bytes over the banks (hardware/buffers.ts). */
  bufferTimeS: number;
  /** Off-chip time per MVM of spilled working set (s): bytes over the off-chip bandwidth (mapping/buffer-fit.ts). */
  spillTimeS: number;
  /** Merging this piece's own row blocks per MVM (s): adder tree of ceil(log2 rowBlocks) levels. */
  mergeTimeS: number;
  /** Dynamic energy of one MVM by component (J); noc, leakage and reprogram are 0 here. Merge included in sa. */
  energyPerMvmJ: EnergyBreakdown;
  /** Total of energyPerMvmJ. */
  energyPerMvmTotalJ: number;
  /** Bytes read from the eDRAM per MVM (the input vector slice this piece needs). */
  inputBytesPerMvm: number;
  /** Bytes of results per MVM (final outputs; partial sums when rowSplit). */
  outputBytesPerMvm: number;
  /** Bytes of partial sums per MVM a row-split piece sends to its merge (2 x activation bytes per output). */
  psumBytesPerMvm: number;
  crossbars: number;
}

/**
 * Costs already computed, per mapping (a mapping belongs to one layer on one chip, mapping/map-layer.ts):
 * the optimizer builds thousands of deployments whose copies are cut into the same few piece
 * shapes, so each (shape, spill) is costed once. Results are shared: callers never change them.
 */
const known = new WeakMap<LayerMapping, WeakMap<Layer, { chip: ChipSpec; byShape: Map<string, Map<number, ReopCosts>> }>>();

/** Outputs per MVM of a crossbar piece over `colBlocks` of the mapping's column blocks (its share of the copy's). */
export function pieceOutputs(mapping: LayerMapping, colBlocks: number): number {
  return mapping.colsPerGroup * mapping.groups * (colBlocks / mapping.colBlocks);
}

/**
 * Bytes of partial sums per MVM a row-split piece sends to its merge, from its output bytes:
 * partial sums are 2 x the activation width per output. The costs, the trial placements' link
 * loads (evaluate/link-load.ts) and the profile's NoC bytes (evaluate/profile-tenant.ts) take it from here.
 */
export function psumBytes(outputBytesPerMvm: number): number {
  return outputBytesPerMvm * 2;
}

/**
 * Per-MVM costs of a re-operator. `piece` defaults to the whole copy. Energies of a piece are
 * its share of the copy's (crossbars / copy crossbars), so pieces of a copy sum to the copy.
 * The result is shared between callers with the same arguments: read it, never change it.
 */
export function reopCosts(chip: ChipSpec, layer: Layer, mapping: LayerMapping, piece?: PieceShape, spillBytesPerMvm = 0): ReopCosts {
  let byLayer = known.get(mapping);
  if (!byLayer) known.set(mapping, (byLayer = new WeakMap()));
  let memo = byLayer.get(layer);
  if (!memo) byLayer.set(layer, (memo = { chip, byShape: new Map() }));
  // A mapping met with another chip object (not expected) is costed without the memo.
  if (memo.chip !== chip) return computeReopCosts(chip, layer, mapping, piece, spillBytesPerMvm);
  // The shape's whole numbers as text, the spill by value (a float's text costs more than the lookup).
  const key = piece ? `${piece.rowBlocks},${piece.colBlocks},${piece.crossbars},${piece.rowSplit ? 1 : 0}` : '-';
  let bySpill = memo.byShape.get(key);
  if (!bySpill) memo.byShape.set(key, (bySpill = new Map()));
  let c = bySpill.get(spillBytesPerMvm);
  if (!c) bySpill.set(spillBytesPerMvm, (c = computeReopCosts(chip, layer, mapping, piece, spillBytesPerMvm)));
  return c;
}

function computeReopCosts(chip: ChipSpec, layer: Layer, mapping: LayerMapping, piece: PieceShape | undefined, spillBytesPerMvm: number): ReopCosts {
  const a = actionCosts(chip).actions;
  const actBytes = chip.precision.activation_bits / 8;
  const energy = zeroEnergy();
  // Digital work after the MVMs (pooling, activations, norms ...), per MVM (workload/digital-ops.ts).
  const postOps = addOps(zeroOps(), layer.digitalOps ?? zeroOps(), layer.mvms > 0 ? 1 / layer.mvms : 0);
  // Working set beyond the buffer goes off-chip and back (mapping/buffer-fit.ts).
  const spillTimeS = spillBytesPerMvm / (chip.io.bandwidth_gbs * 1e9);
  const spillJ = spillBytesPerMvm * a.offchipByte.energyJ;
  if (mapping.digital) {
    // Activation x activation matmul on the tile's VFU: one multiply and one add per MAC.
    const macsPerMvm = layer.mvms > 0 ? layer.macs / layer.mvms : 0;
    const ops = addOps({ add: macsPerMvm, mul: macsPerMvm, div: 0, exp: 0 }, postOps);
    const inputBytes = (layer.rows + layer.rows * layer.cols) * actBytes; // the vector and the other operand's K x N block
    const outputBytes = layer.cols * actBytes;
    energy.digital = vfuEnergyJ(chip, ops);
    energy.edram = (inputBytes + outputBytes) * a.edramByte.energyJ + spillJ;
    // The MACs on the tile's matmul datapath, the softmax and other post-operations on its VFU lanes.
    const busy = macsPerMvm / (chip.tile.digital_macs_per_cycle * chip.clock_ghz * 1e9) + vfuTimeS(chip, postOps);
    const buffer = bufferTimeS(chip, inputBytes + outputBytes);
    return {
      digital: true,
      mvmTimeS: Math.max(busy, buffer, spillTimeS),
      busyTimeS: busy,
      bufferTimeS: buffer,
      spillTimeS,
      mergeTimeS: 0,
      energyPerMvmJ: energy,
      energyPerMvmTotalJ: totalEnergy(energy),
      inputBytesPerMvm: inputBytes,
      outputBytesPerMvm: outputBytes,
      psumBytesPerMvm: 0,
      crossbars: 0,
    };
  }
  const p = piece ?? { rowBlocks: mapping.rowBlocks, colBlocks: mapping.colBlocks, crossbars: mapping.crossbars, rowSplit: false };
  const share = p.crossbars / mapping.crossbars;
  const rowShare = p.rowBlocks / mapping.rowBlocks;
  const colShare = p.colBlocks / mapping.colBlocks;
  const C = chip.pe.crossbar.cols;
  const cycles = inputCycles(chip, layer.activationBits);
  const drivenRows = mapping.drivenRows * share;
  // Every column of an allocated crossbar is sampled and converted each cycle (idle columns waste
  // conversions, which is how poor utilization costs energy), or only the used ones; a
  // differential pair is subtracted before one conversion; each DAC phase converts again.
  const columns = chip.pe.adc.converts === 'used-columns' ? mapping.physColsPerGroup * mapping.groups * mapping.rowBlocks * share : p.crossbars * C;
  const conversions = (cycles * mapping.dacPhases * columns) / mapping.polarity;
  energy.crossbar = cycles * drivenRows * C * a.cellRead.energyJ;
  energy.dac = cycles * drivenRows * a.dacDrive.energyJ;
  energy.sh = conversions * a.sample.energyJ;
  energy.adc = conversions * a.adcConversion.energyJ;
  const outputs = pieceOutputs(mapping, p.colBlocks);
  // Merge of this piece's own row blocks: (rowBlocks - 1) additions per output.
  energy.sa = conversions * a.shiftAdd.energyJ + Math.max(0, p.rowBlocks - 1) * outputs * a.shiftAdd.energyJ;
  energy.registers = cycles * p.crossbars * a.registersPerCrossbarCycle.energyJ;
  // The piece's share of the layer's digital operations runs on the VFU of its tile. A whole copy
  // wider than a tile spreads over its tiles; the fullest tile (a tile's crossbars of the copy's)
  // sets the time.
  const pieceOps = addOps(zeroOps(), postOps, share);
  const perTile = crossbarsPerTile(chip);
  const fullest = Math.min(1, perTile / Math.max(1, p.crossbars));
  const rowTiles = Math.max(1, Math.ceil(p.rowBlocks / perTile));
  // Units busy with the crossbars every cycle; units busy once per MVM (the tile's adder tree),
  // their share the piece's converted columns of a tile's (an adder per ADC output, MNSIM's joint module).
  energy.digital =
    cycles * p.crossbars * a.tileDigitalPerCrossbarCycle.energyJ + (columns / (perTile * C)) * a.tileMergePerMvm.energyJ + vfuEnergyJ(chip, pieceOps);
  // A packed grouped layer's column blocks hold different groups, so they read different inputs.
  const inputShare = rowShare * (mapping.groupsPerCrossbar > 1 ? colShare : 1);
  const inputBytes = mapping.rowsPerGroup * mapping.groups * actBytes * inputShare;
  const outputBytes = outputs * actBytes;
  const buf = chip.tile.edram;
  // Bytes the piece moves through its tile's buffer port per MVM: the input it reads (only the
  // new window columns with sliding-window reuse), its outputs, and with results through the
  // buffer each array pair's column results written and read back for the tile's merge.
  const readBytes = inputBytes * (buf.input_reuse === 'sliding-window' ? (layer.slideShare ?? 1) : 1);
  const resultBits = chip.pe.adc.bits + Math.ceil(Math.log2(chip.tile.pes)) + chip.precision.activation_bits;
  const resultBytes = buf.pe_results === 'through-buffer' ? ((columns / mapping.polarity) * resultBits) / 8 : 0;
  energy.edram = (readBytes + outputBytes + resultBytes) * a.edramByte.energyJ + spillJ;
  // PE registers too small for the arrays' inputs or outputs: the arrays compute in turns (mapping/pe-registers.ts).
  const crossbarS = (mvmTimeS(chip, layer.activationBits) + (mapping.dacPhases - 1) * cycles * actionCosts(chip).cycleS) * peRegisterTurns(chip, layer, mapping);
  const busy = Math.max(crossbarS, vfuTimeS(chip, addOps(zeroOps(), pieceOps, fullest)));
  // Per tile's port: each tile reads the inputs of its row blocks and writes its share of the outputs.
  const buffer = bufferTimeS(chip, readBytes / rowTiles + (outputBytes + resultBytes) * fullest);
  return {
    digital: false,
    mvmTimeS: Math.max(busy, buffer, spillTimeS),
    busyTimeS: busy,
    bufferTimeS: buffer,
    spillTimeS,
    mergeTimeS: mergeTimeS(chip, p.rowBlocks),
    energyPerMvmJ: energy,
    energyPerMvmTotalJ: totalEnergy(energy),
    inputBytesPerMvm: inputBytes,
    outputBytesPerMvm: outputBytes,
    psumBytesPerMvm: p.rowSplit ? psumBytes(outputBytes) : 0,
    crossbars: p.crossbars,
  };
}
