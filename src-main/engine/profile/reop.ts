/**
 * Costs of one re-operator (a piece of a copy of a layer) per MVM: the unit the analytic
 * profiler, the optimizer and the event simulator all build on. Energies are per action from the
 * cost library (hardware/costs.ts); see docs/cost-model.md for the formulas.
 */
import type { Layer } from '../workload/ir';
import type { ChipSpec } from '../hardware/spec';
import { inputCycles, mergeTimeS, mvmTimeS } from '../hardware/costs';
import { actionCosts } from '../hardware/action-costs';
import type { LayerMapping } from '../mapping/map-layer';

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

export function addEnergy(into: EnergyBreakdown, e: EnergyBreakdown, scale = 1): EnergyBreakdown {
  for (const k of ENERGY_COMPONENTS) into[k] += e[k] * scale;
  return into;
}

export function totalEnergy(e: EnergyBreakdown): number {
  return ENERGY_COMPONENTS.reduce((s, k) => s + e[k], 0);
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
  /** One MVM on this piece (s), merge excluded: input cycles x cycle + one shift-and-add. Digital layers: MACs / digital throughput. */
  mvmTimeS: number;
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
 * Per-MVM costs of a re-operator. `piece` defaults to the whole copy. Energies of a piece are
 * its share of the copy's (crossbars / copy crossbars), so pieces of a copy sum to the copy.
 */
export function reopCosts(chip: ChipSpec, layer: Layer, mapping: LayerMapping, piece?: PieceShape): ReopCosts {
  const a = actionCosts(chip).actions;
  const actBytes = chip.precision.activation_bits / 8;
  const energy = zeroEnergy();
  if (mapping.digital) {
    // Activation x activation matmul on the tile's digital unit (docs/cost-model.md#mapping).
    const macsPerMvm = layer.mvms > 0 ? layer.macs / layer.mvms : 0;
    const inputBytes = (layer.rows + layer.rows * layer.cols) * actBytes; // the vector and the other operand's K x N block
    const outputBytes = layer.cols * actBytes;
    energy.digital = macsPerMvm * a.digitalMac.energyJ;
    energy.edram = (inputBytes + outputBytes) * a.edramByte.energyJ;
    return {
      digital: true,
      mvmTimeS: macsPerMvm / (chip.tile.digital_macs_per_cycle * chip.clock_ghz * 1e9),
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
  const columns = p.crossbars * C;
  // Every column of an allocated crossbar is sampled and converted each cycle: idle columns
  // waste conversions, which is how poor utilization costs energy.
  const conversions = cycles * columns;
  energy.crossbar = cycles * drivenRows * C * a.cellRead.energyJ;
  energy.dac = cycles * drivenRows * a.dacDrive.energyJ;
  energy.sh = conversions * a.sample.energyJ;
  energy.adc = conversions * a.adcConversion.energyJ;
  const outputs = mapping.colsPerGroup * mapping.groups * colShare;
  // Merge of this piece's own row blocks: (rowBlocks - 1) additions per output.
  energy.sa = conversions * a.shiftAdd.energyJ + Math.max(0, p.rowBlocks - 1) * outputs * a.shiftAdd.energyJ;
  energy.registers = cycles * p.crossbars * a.registersPerCrossbarCycle.energyJ;
  energy.digital = cycles * p.crossbars * a.tileDigitalPerCrossbarCycle.energyJ;
  // A packed grouped layer's column blocks hold different groups, so they read different inputs.
  const inputShare = rowShare * (mapping.groupsPerCrossbar > 1 ? colShare : 1);
  const inputBytes = mapping.rowsPerGroup * mapping.groups * actBytes * inputShare;
  const outputBytes = outputs * actBytes;
  energy.edram = (inputBytes + outputBytes) * a.edramByte.energyJ;
  return {
    digital: false,
    mvmTimeS: mvmTimeS(chip, layer.activationBits),
    mergeTimeS: mergeTimeS(chip, p.rowBlocks),
    energyPerMvmJ: energy,
    energyPerMvmTotalJ: totalEnergy(energy),
    inputBytesPerMvm: inputBytes,
    outputBytesPerMvm: outputBytes,
    psumBytesPerMvm: p.rowSplit ? outputs * actBytes * 2 : 0,
    crossbars: p.crossbars,
  };
}
