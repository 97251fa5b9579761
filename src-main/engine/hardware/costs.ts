/**
 * The component cost library: per-action energies and latencies derived from the chip spec's
 * component table, and the roll-up of power and area to PE, tile and chip.
 *
 * Per-unit costs come from the component models (components.ts); per-action energies and times
 * from the action-cost table (action-costs.ts). Results here are in SI units (seconds, joules,
 * watts, bytes) unless a name says otherwise.
 * Formulas and sources: docs/cost-model.md.
 */
import type { ChipSpec } from './spec';
import { perChip, resolvedComponents } from './components';
import { actionCosts } from './action-costs';

const NS = 1e-9;

type Unit = { count: number; power_mw: number; leakage_mw: number; area_mm2: number };

/** Power, leakage and area of one group of identical units. */
export interface GroupCost {
  name: string;
  count: number;
  powerMw: number;
  leakageMw: number;
  areaMm2: number;
}

function group(name: string, u: Unit, share = 1): GroupCost {
  return {
    name,
    count: u.count,
    powerMw: u.count * u.power_mw * share,
    leakageMw: u.count * u.leakage_mw * share,
    areaMm2: u.count * u.area_mm2 * share,
  };
}

function sum(groups: GroupCost[], name: string): GroupCost {
  return {
    name,
    count: 1,
    powerMw: groups.reduce((s, g) => s + g.powerMw, 0),
    leakageMw: groups.reduce((s, g) => s + g.leakageMw, 0),
    areaMm2: groups.reduce((s, g) => s + g.areaMm2, 0),
  };
}

/** Component groups of one PE (ISAAC: one IMA). */
export function peGroups(chip: ChipSpec): GroupCost[] {
  const pe = resolvedComponents(chip).pe;
  return [
    group('crossbar', pe.crossbar),
    group('adc', pe.adc),
    group('dac', pe.dac),
    group('sample_hold', pe.sample_hold),
    group('shift_add', pe.shift_add),
    group('input_register', pe.input_register),
    group('output_register', pe.output_register),
  ];
}

/** Tile-level groups outside the PEs; the router counts as a 1/concentration share. */
export function tileGroups(chip: ChipSpec): GroupCost[] {
  const t = chip.tile;
  return [
    group('edram', t.edram),
    group('bus', t.bus),
    group('router', t.router, 1 / chip.topology.concentration),
    ...t.extras.map((e) => group(e.name, e)),
    // VFU lanes: per tile, or in every PE (PUMA's cores)
    group('vfu', t.vfu, t.vfu.placement === 'pe' ? t.pes : 1),
  ];
}

export function peCost(chip: ChipSpec): GroupCost {
  return sum(peGroups(chip), 'pe');
}

export function tileCost(chip: ChipSpec): GroupCost {
  const pes = peCost(chip);
  const pesGroup: GroupCost = {
    name: 'pes',
    count: chip.tile.pes,
    powerMw: pes.powerMw * chip.tile.pes,
    leakageMw: pes.leakageMw * chip.tile.pes,
    areaMm2: pes.areaMm2 * chip.tile.pes,
  };
  return sum([pesGroup, ...tileGroups(chip)], 'tile');
}

export function tileCount(chip: ChipSpec): number {
  return chip.topology.rows * chip.topology.cols;
}

export function crossbarsPerTile(chip: ChipSpec): number {
  return chip.tile.pes * chip.pe.crossbar.count;
}

/** s: cells per weight, ceil(b_w / b_c) (docs/cost-model.md#mapping); b_w of a quantized layer when it has its own. */
export function slicesPerWeight(chip: ChipSpec, weightBits = chip.precision.weight_bits): number {
  return Math.ceil(weightBits / chip.pe.crossbar.cell_bits);
}

/** p: 2 with separate positive/negative arrays, 1 with a reference column. */
export function polarityFactor(chip: ChipSpec): number {
  return chip.polarity === 'differential' ? 2 : 1;
}

// ------------------------------------------------------------------ timing of one MVM

/** Input cycles per MVM: ceil(b_a / b_dac) (docs/cost-model.md#analytic-profile; ISAAC: 16 / 1 = 16). */
export function inputCycles(chip: ChipSpec, activationBits?: number): number {
  return activationBits === undefined ? actionCosts(chip).inputCycles : Math.ceil(activationBits / chip.pe.dac.bits);
}

/** Columns each ADC converts per input cycle: the PE's columns over its ADCs (ISAAC: 128). */
export function columnsPerAdc(chip: ChipSpec): number {
  return resolvedComponents(chip).columnsPerAdc;
}

/**
 * One input cycle (s): max(crossbar read, time for the ADCs shared by a crossbar to convert its
 * columns at the modelled conversion rate). Sample-and-hold lets the next read overlap the
 * conversions. ISAAC: max(100 ns, 128 / 1.28 GS/s = 100 ns) = 100 ns.
 */
export function cycleTimeS(chip: ChipSpec): number {
  return resolvedComponents(chip).cycleNs * NS;
}

/**
 * Time of one MVM on a crossbar (s), without partial-sum merging: input cycles x cycle time
 * plus one shift-and-add (pipelined with the next cycle's conversions, so it adds once).
 */
export function mvmTimeS(chip: ChipSpec, activationBits?: number): number {
  const a = actionCosts(chip);
  // A quantized layer's own activation width changes the input cycles, not the cycle time.
  return activationBits === undefined ? a.mvmS : a.mvmS + (inputCycles(chip, activationBits) - a.inputCycles) * a.cycleS;
}

/** Time to merge the partial sums of `rowBlocks` row blocks: an adder tree of ceil(log2) levels. */
export function mergeTimeS(chip: ChipSpec, rowBlocks: number): number {
  return rowBlocks > 1 ? Math.ceil(Math.log2(rowBlocks)) * chip.pe.shift_add.latency_ns * NS : 0;
}

// ------------------------------------------------------------------ NoC, leakage, reprogramming

export interface NocCosts {
  /** Latency of one hop (router + link). */
  hopLatencyS: number;
  flitBits: number;
  /** Energy of one flit through one router and link. */
  flitHopJ: number;
  /** The same per byte. */
  byteHopJ: number;
  /** Bandwidth of one link, one direction. */
  linkBandwidthBytesPerS: number;
}

/** Once per chip object (perChip). */
export const nocCosts = perChip(buildNocCosts);

function buildNocCosts(chip: ChipSpec): NocCosts {
  const flitHopJ = actionCosts(chip).actions.flitHop.energyJ;
  return {
    hopLatencyS: chip.tile.router.hop_latency_ns * NS,
    flitBits: chip.tile.router.flit_bits,
    flitHopJ,
    byteHopJ: flitHopJ / (chip.tile.router.flit_bits / 8),
    linkBandwidthBytesPerS: (chip.tile.link_bandwidth_gbps * 1e9) / 8,
  };
}

/** Static power of one tile (W), its router share included. */
export function tileLeakageW(chip: ChipSpec): number {
  return actionCosts(chip).staticW.tile;
}

export interface ReprogramCosts {
  /** Programming one cell: t_write + n (t_read + t_write) with n verify iterations (the cells a tile writes at once share it). */
  cellWriteS: number;
  /** Writing one cell: E_write + n (E_read + E_write) with n verify iterations. */
  cellWriteJ: number;
  /** Cells one crossbar writes at once: ceil(C / write_column_mux), one per write driver. */
  driversPerCrossbar: number;
  /** Power of one cell under a write pulse: E_write / t_write (W). */
  pulseW: number;
  /** The tile's write power cap (W): tile.write_power_mw, else the tile's peak power. */
  tileWriteCapW: number;
  /** Cells a tile may write at once within its power cap: floor(cap / pulse power), at least 1. */
  capCellsPerTile: number;
  /** Off-chip links that bring the new weights in. */
  offchipBandwidthBytesPerS: number;
  offchipByteJ: number;
}

/** Once per chip object (perChip): every tile of every placed write set asks for it. */
export const reprogramCosts = perChip(buildReprogramCosts);

function buildReprogramCosts(chip: ChipSpec): ReprogramCosts {
  const write = actionCosts(chip).actions.cellWrite;
  const pulseW = (chip.device.write_energy_pj * 1e-12) / (chip.device.write_latency_ns * NS);
  const tileWriteCapW = (chip.tile.write_power_mw ?? tileCost(chip).powerMw) / 1e3;
  return {
    cellWriteS: write.timeS,
    cellWriteJ: write.energyJ,
    driversPerCrossbar: Math.ceil(chip.pe.crossbar.cols / chip.pe.crossbar.write_column_mux),
    pulseW,
    tileWriteCapW,
    capCellsPerTile: pulseW > 0 ? Math.max(1, Math.floor(tileWriteCapW / pulseW)) : Number.POSITIVE_INFINITY,
    offchipBandwidthBytesPerS: chip.io.bandwidth_gbs * 1e9,
    offchipByteJ: chip.io.power_w / (chip.io.bandwidth_gbs * 1e9),
  };
}

/**
 * Programming time of one tile writing `cells` cells into `crossbars` of its arrays: the cells
 * go in batches of min(crossbars x drivers per crossbar, cells the power cap allows), each batch
 * one cell write (pulse and verify iterations): ceil(cells / batch) x t_cell. Tiles program in parallel.
 */
export function tileProgramS(chip: ChipSpec, cells: number, crossbars: number): number {
  if (cells <= 0) return 0;
  const r = reprogramCosts(chip);
  const batch = Math.max(1, Math.min(Math.max(1, crossbars) * r.driversPerCrossbar, r.capCellsPerTile));
  return Math.ceil(cells / batch - 1e-9) * r.cellWriteS;
}

/**
 * Time and energy to (re)program `cells` cells holding `weightBytes` bytes of weights when only
 * their count is known (the optimizer's phase writes): the cells packed into whole tiles, so the
 * fullest tile holds min(cells, a tile's cells) in as many whole crossbars; the weights stream over
 * the off-chip links meanwhile, so time = max(bytes / io bandwidth, that tile's programming time);
 * energy = cells x E_cell + bytes x E_io. placement/reprogram.ts times a placed set per tile.
 */
export function reprogramTimeEnergy(chip: ChipSpec, cells: number, weightBytes: number): { timeS: number; energyJ: number } {
  if (cells <= 0) return { timeS: 0, energyJ: 0 };
  const r = reprogramCosts(chip);
  const cellsPerCrossbar = chip.pe.crossbar.rows * chip.pe.crossbar.cols;
  const fullest = Math.min(cells, crossbarsPerTile(chip) * cellsPerCrossbar);
  return {
    timeS: Math.max(weightBytes / r.offchipBandwidthBytesPerS, tileProgramS(chip, fullest, Math.ceil(fullest / cellsPerCrossbar))),
    energyJ: cells * r.cellWriteJ + weightBytes * r.offchipByteJ,
  };
}

// ------------------------------------------------------------------ chip summary

export interface ChipSummary {
  name: string;
  mesh: [number, number];
  topology: ChipSpec['topology']['kind'];
  tiles: number;
  crossbars: number;
  crossbar: [number, number];
  cell_bits: number;
  weight_bits: number;
  activation_bits: number;
  /** Weight bytes the chip holds at full packing: cells x b_c / p / 8. */
  weight_capacity_bytes: number;
  /** Peak 2 x MACs per second of b_w-bit weights and b_a-bit inputs (1 MAC = 2 ops), /1e9. */
  peak_gops: number;
  mvm_time_ns: number;
  cycle_time_ns: number;
  pe_power_mw: number;
  pe_area_mm2: number;
  tile_power_mw: number;
  tile_area_mm2: number;
  tile_leakage_mw: number;
  io_power_w: number;
  io_area_mm2: number;
  chip_power_w: number;
  chip_area_mm2: number;
  gops_per_w: number;
  gops_per_mm2: number;
}

/** Weights (b_w bits each) one crossbar row holds: floor(C / (s x p)). ISAAC: 128 / 8 = 16. */
export function weightsPerCrossbarRow(chip: ChipSpec): number {
  return Math.floor(chip.pe.crossbar.cols / (slicesPerWeight(chip) * polarityFactor(chip)));
}

export function chipSummary(chip: ChipSpec): ChipSummary {
  const tiles = tileCount(chip);
  const crossbars = tiles * crossbarsPerTile(chip);
  const xb = chip.pe.crossbar;
  const pe = peCost(chip);
  const tile = tileCost(chip);
  const chipPowerW = (tiles * tile.powerMw) / 1e3 + chip.io.power_w;
  const chipAreaMm2 = tiles * tile.areaMm2 + chip.io.area_mm2;
  // Peak: every crossbar finishes one MVM of R x floor(C/(s p)) MACs each cycles x t_cycle (the
  // shift-and-add overlaps the next MVM at full throughput).
  const macsPerMvm = xb.rows * weightsPerCrossbarRow(chip);
  const mvmPeriodS = inputCycles(chip) * cycleTimeS(chip);
  const peakGops = (2 * crossbars * macsPerMvm) / mvmPeriodS / 1e9;
  return {
    name: chip.name,
    mesh: [chip.topology.rows, chip.topology.cols],
    topology: chip.topology.kind,
    tiles,
    crossbars,
    crossbar: [xb.rows, xb.cols],
    cell_bits: xb.cell_bits,
    weight_bits: chip.precision.weight_bits,
    activation_bits: chip.precision.activation_bits,
    weight_capacity_bytes: Math.floor((crossbars * xb.rows * xb.cols * xb.cell_bits) / polarityFactor(chip) / 8),
    peak_gops: peakGops,
    mvm_time_ns: mvmTimeS(chip) / NS,
    cycle_time_ns: cycleTimeS(chip) / NS,
    pe_power_mw: pe.powerMw,
    pe_area_mm2: pe.areaMm2,
    tile_power_mw: tile.powerMw,
    tile_area_mm2: tile.areaMm2,
    tile_leakage_mw: tile.leakageMw,
    io_power_w: chip.io.power_w,
    io_area_mm2: chip.io.area_mm2,
    chip_power_w: chipPowerW,
    chip_area_mm2: chipAreaMm2,
    gops_per_w: peakGops / chipPowerW,
    gops_per_mm2: peakGops / chipAreaMm2,
  };
}
