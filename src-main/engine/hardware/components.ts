/**
 * Component models: the per-unit power, leakage and area of every modelled component of a PE,
 * derived from the component's parameters (bits, rows, columns, widths, device) by a cited
 * scaling law, anchored at a published reference design point. A cost field written in the spec
 * (power_mw, leakage_mw, area_mm2, sample_rate_gsps) is pinned: used as given.
 *
 * Scaling laws (docs/cost-model.md, "Component models"):
 * - ADC: energy per conversion and area by resolution from the SAR ADC table of Accelergy's
 *   hwcomponents-library (ISAAC's 8-bit ADC, Kull et al. ISSCC 2013, scaled to 4..10 bits after
 *   Saberi et al., TCAS-I 2011); conversion time (bits + 2) steps (MNSIM 2.0 ADC.py latency model);
 *   power = energy per conversion x conversion rate; leakage in proportion to area.
 * - DAC: power and area double per bit (MNSIM 2.0 DAC.py presets 1 to 5: 3.9, 7.8, 15.6, 31.2 uW ...).
 * - Crossbar: read energy per cell V^2 x G_avg x t_read with G_avg = (G_on + G_off) / 2 over uniformly
 *   used levels (MNSIM 2.0's array read power model, cells x V^2 x G; the mnsim preset's reference uses MNSIM's own weights, mnsim-rules.ts), so power scales with rows x columns x V^2 x G_avg
 *   x t_read; area = rows x cols x cell area + cols x per-column periphery (MNSIM 2.0 tileinfo's
 *   crossbar area).
 * - Sample-and-hold: one per column; DAC: one per row (ISAAC's IMA), per-unit costs from the reference.
 * - Shift-and-add: energy and area linear in the adder width (ripple-carry adders as in Accelergy's
 *   Aladdin plug-in tables), width = adc.bits + activation_bits.
 * - Registers: energy and area linear in the size (a register file's bit cells; ISAAC's 2 KB input
 *   and 256 B output registers share about 0.6 to 0.9 mW per KB).
 */
import type { ChipSpec } from './spec';

/** Per-unit costs of one component after its model (or its pins). */
export interface ResolvedUnit {
  count: number;
  power_mw: number;
  leakage_mw: number;
  area_mm2: number;
}

export interface ResolvedPe {
  crossbar: ResolvedUnit;
  adc: ResolvedUnit & { sample_rate_gsps: number };
  dac: ResolvedUnit;
  sample_hold: ResolvedUnit;
  shift_add: ResolvedUnit & { width_bits: number };
  input_register: ResolvedUnit & { size_bytes: number };
  output_register: ResolvedUnit & { size_bytes: number };
}

export interface ResolvedComponents {
  pe: ResolvedPe;
  /** Cell area (um2) used by the crossbar model. */
  cellAreaUm2: number;
  /** One input cycle (ns): max(read latency, columns per ADC / conversion rate). */
  cycleNs: number;
  /** Columns each ADC converts per input cycle. */
  columnsPerAdc: number;
  /** Spec paths whose value was given, not derived: `pe.adc.power_mw`, ... */
  pinned: string[];
  /** Inconsistencies between pinned and modelled values (a pinned leakage above the modelled power). */
  problems: { field: string; message: string }[];
}

// ---------------------------------------------------------------- default reference design points
// Used when a modelled component has neither a reference nor pinned costs: ISAAC's per-unit
// figures (Shafiee et al., ISCA 2016, Table I, corrected Oct-2016 version).
const ISAAC_SOURCE = 'ISAAC (Shafiee et al., ISCA 2016) Table I';
export const DEFAULT_REFERENCES = {
  crossbar: { rows: 128, cols: 128, read_voltage_v: 0.15, r_on_ohm: 1e4, r_off_ohm: 1e6, read_latency_ns: 100, power_mw: 0.3, leakage_mw: 0, area_mm2: 0.0002 / 8, source: ISAAC_SOURCE },
  // Leakage 0.2 of the 2 mW: PUMA constants.py.
  adc: { bits: 8, sample_rate_gsps: 1.28, power_mw: 2, leakage_mw: 0.2, area_mm2: 0.0012, source: `${ISAAC_SOURCE}; leakage PUMA constants.py` },
  dac: { bits: 1, power_mw: 4 / 1024, leakage_mw: 0, area_mm2: 0.00017 / 1024, source: ISAAC_SOURCE },
  sample_hold: { power_mw: 0.01 / 1024, leakage_mw: 0, area_mm2: 0.00004 / 1024, source: ISAAC_SOURCE },
  // 8-bit ADC output shifted over 16 input bits.
  shift_add: { width_bits: 24, power_mw: 0.05, leakage_mw: 0, area_mm2: 0.00006, source: ISAAC_SOURCE },
  input_register: { size_bytes: 2048, power_mw: 1.24, leakage_mw: 0, area_mm2: 0.0021, source: ISAAC_SOURCE },
  output_register: { size_bytes: 256, power_mw: 0.23, leakage_mw: 0, area_mm2: 0.00077, source: ISAAC_SOURCE },
} as const;

// ---------------------------------------------------------------- ADC by resolution
// Energy per conversion (pJ) and area (um2) of a SAR ADC at 32 nm by resolution, 4 to 10 bits:
// Accelergy hwcomponents-library, ISAAC ADC entries (scaled after Saberi et al., "Analysis of power
// consumption and linearity in capacitive DACs used in SAR ADCs", TCAS-I 2011). Only ratios are used.
const ADC_TABLE_BITS = [4, 5, 6, 7, 8, 9, 10];
const ADC_TABLE_ENERGY_PJ = [0.79, 0.99, 1.2, 1.42, 1.67, 1.969, 2.379];
const ADC_TABLE_AREA_UM2 = [361.04, 476.91, 626.91, 845.18, 1200, 1827.9, 3002.0];

/** Table value at `bits`: linear between entries, geometric beyond them with the end step's ratio. */
function adcTable(values: number[], bits: number): number {
  const n = ADC_TABLE_BITS.length;
  const lo = ADC_TABLE_BITS[0]!;
  const hi = ADC_TABLE_BITS[n - 1]!;
  if (bits < lo) return values[0]! * (values[0]! / values[1]!) ** (lo - bits);
  if (bits > hi) return values[n - 1]! * (values[n - 1]! / values[n - 2]!) ** (bits - hi);
  const i = Math.min(n - 2, Math.floor(bits - lo));
  const f = bits - lo - i;
  return values[i]! * (1 - f) + values[i + 1]! * f;
}

/** Energy per conversion at `bits` relative to `refBits`. */
export function adcEnergyRatio(bits: number, refBits: number): number {
  return adcTable(ADC_TABLE_ENERGY_PJ, bits) / adcTable(ADC_TABLE_ENERGY_PJ, refBits);
}

/** Area at `bits` relative to `refBits`. */
export function adcAreaRatio(bits: number, refBits: number): number {
  return adcTable(ADC_TABLE_AREA_UM2, bits) / adcTable(ADC_TABLE_AREA_UM2, refBits);
}

/** Conversion rate of a SAR ADC: one step per bit plus sampling and reset, (bits + 2) steps (MNSIM 2.0 ADC.py). */
export function adcRateGsps(bits: number, refBits: number, refRateGsps: number): number {
  return (refRateGsps * (refBits + 2)) / (bits + 2);
}

/**
 * Time-interleaved channels a SAR ADC needs for `rateGsps` when one channel converts at
 * `channelRateGsps` (Black and Hodges, "Time interleaved converter arrays", IEEE JSSC 1980; Murmann's
 * ADC performance survey lists interleaved SARs above a single channel's rate). A small tolerance
 * keeps a rate equal to the channel's, written with rounding, at one channel.
 */
export function adcChannels(rateGsps: number, channelRateGsps: number): number {
  return Math.max(1, Math.ceil(rateGsps / channelRateGsps - 1e-9));
}

// ---------------------------------------------------------------- resolution

type Pins = { power_mw?: number; leakage_mw?: number; area_mm2?: number };

/**
 * One unit from its model: `dyn` dynamic power (mW), `leak` leakage (mW), `area` (mm2), each
 * replaced by the spec's value where pinned.
 */
function unit(path: string, count: number, given: Pins, model: { dyn: number; leak: number; area: number }, pinned: string[], problems: ResolvedComponents['problems']): ResolvedUnit {
  const leak = given.leakage_mw ?? model.leak;
  if (given.leakage_mw !== undefined) pinned.push(`${path}.leakage_mw`);
  if (given.power_mw !== undefined) pinned.push(`${path}.power_mw`);
  if (given.area_mm2 !== undefined) pinned.push(`${path}.area_mm2`);
  const power = given.power_mw ?? model.dyn + leak;
  if (leak > power) {
    problems.push({ field: `${path}.leakage_mw`, message: `leakage_mw ${leak} must not exceed the unit's power ${power.toPrecision(4)} mW (pin power_mw too, or lower leakage_mw)` });
  }
  return { count, power_mw: power, leakage_mw: Math.min(leak, power), area_mm2: given.area_mm2 ?? model.area };
}

/** Average cell conductance over uniformly used levels between off and on (S). */
export function averageConductanceS(rOnOhm: number, rOffOhm: number): number {
  return (1 / rOnOhm + 1 / rOffOhm) / 2;
}

/** s: cells per weight, ceil(b_w / b_c) (docs/cost-model.md#mapping). */
function slices(chip: ChipSpec): number {
  return Math.ceil(chip.precision.weight_bits / chip.pe.crossbar.cell_bits);
}

function resolve(chip: ChipSpec): ResolvedComponents {
  const pinned: string[] = [];
  const problems: ResolvedComponents['problems'] = [];
  const pe = chip.pe;
  const dev = chip.device;
  const actBytes = Math.ceil(chip.precision.activation_bits / 8);

  // ADC: energy per conversion and area by bits, rate by (bits + 2) steps unless pinned.
  const ar = pe.adc.reference ?? DEFAULT_REFERENCES.adc;
  const channelRate = adcRateGsps(pe.adc.bits, ar.bits, ar.sample_rate_gsps);
  const rate = pe.adc.sample_rate_gsps ?? channelRate;
  if (pe.adc.sample_rate_gsps !== undefined) pinned.push('pe.adc.sample_rate_gsps');
  const refConversionPj = (ar.power_mw - ar.leakage_mw) / ar.sample_rate_gsps; // mW / GS/s = pJ
  // A rate above one SAR channel's is reached by time-interleaving channels: area and leakage per
  // channel, energy per conversion unchanged. A slower rate keeps one channel (a SAR's area does
  // not shrink with its clock).
  const adcArea = adcAreaRatio(pe.adc.bits, ar.bits) * adcChannels(rate, channelRate);
  const adc = {
    ...unit(
      'pe.adc',
      pe.adc.count,
      pe.adc,
      { dyn: refConversionPj * adcEnergyRatio(pe.adc.bits, ar.bits) * rate, leak: ar.leakage_mw * adcArea, area: ar.area_mm2 * adcArea },
      pinned,
      problems,
    ),
    sample_rate_gsps: rate,
  };

  // One input cycle: max(crossbar read, the conversions of the columns each ADC serves); sample-
  // and-hold lets the next read overlap the conversions. ISAAC: max(100 ns, 128 / 1.28 GS/s) = 100 ns.
  // A differential pair is subtracted in analog: one conversion per column pair.
  const columnsPerAdc = Math.ceil((pe.crossbar.cols * pe.crossbar.count) / (chip.polarity === 'differential' ? 2 : 1) / pe.adc.count);
  const cycleNs = Math.max(dev.read_latency_ns, columnsPerAdc / rate);

  // Crossbar: energy per read ~ R x C x V^2 x G_avg x t_read (the reference's power_mw is the array
  // read back to back at its read latency); at full activity it is read once per cycle.
  // Area = R C A_cell + C A_col.
  const xr = pe.crossbar.reference ?? DEFAULT_REFERENCES.crossbar;
  const readPj =
    (xr.power_mw - xr.leakage_mw) *
    dev.read_latency_ns *
    ((pe.crossbar.rows * pe.crossbar.cols) / (xr.rows * xr.cols)) *
    (dev.read_voltage_v / xr.read_voltage_v) ** 2 *
    (averageConductanceS(dev.r_on_ohm, dev.r_off_ohm) / averageConductanceS(xr.r_on_ohm, xr.r_off_ohm));
  const periphMm2 = pe.crossbar.column_periphery_um2 * 1e-6;
  const refCellMm2 = Math.max(0, xr.area_mm2 - xr.cols * periphMm2) / (xr.rows * xr.cols);
  if (refCellMm2 === 0 && dev.cell_area_um2 === undefined) {
    problems.push({
      field: 'pe.crossbar.column_periphery_um2',
      message: `${xr.cols} columns of ${pe.crossbar.column_periphery_um2} um2 leave no cell area in the reference array's ${xr.area_mm2} mm2 (give device.cell_area_um2 or a smaller periphery)`,
    });
  }
  const cellMm2 = dev.cell_area_um2 !== undefined ? dev.cell_area_um2 * 1e-6 : refCellMm2;
  if (dev.cell_area_um2 !== undefined) pinned.push('device.cell_area_um2');
  const crossbar = unit(
    'pe.crossbar',
    pe.crossbar.count,
    pe.crossbar,
    { dyn: readPj / cycleNs, leak: xr.leakage_mw, area: pe.crossbar.rows * pe.crossbar.cols * cellMm2 + pe.crossbar.cols * periphMm2 },
    pinned,
    problems,
  );

  // DAC: power and area x 2 per bit; one per row of every crossbar unless counted.
  const dr = pe.dac.reference ?? DEFAULT_REFERENCES.dac;
  const dacScale = 2 ** (pe.dac.bits - dr.bits);
  if (pe.dac.count !== undefined) pinned.push('pe.dac.count');
  const dac = unit(
    'pe.dac',
    pe.dac.count ?? pe.crossbar.count * pe.crossbar.rows,
    pe.dac,
    { dyn: (dr.power_mw - dr.leakage_mw) * dacScale, leak: dr.leakage_mw * dacScale, area: dr.area_mm2 * dacScale },
    pinned,
    problems,
  );

  // Sample-and-hold: one per column of every crossbar unless counted.
  const sr = pe.sample_hold.reference ?? DEFAULT_REFERENCES.sample_hold;
  if (pe.sample_hold.count !== undefined) pinned.push('pe.sample_hold.count');
  const sample_hold = unit(
    'pe.sample_hold',
    pe.sample_hold.count ?? pe.crossbar.count * pe.crossbar.cols,
    pe.sample_hold,
    { dyn: sr.power_mw - sr.leakage_mw, leak: sr.leakage_mw, area: sr.area_mm2 },
    pinned,
    problems,
  );

  // Shift-and-add: linear in width.
  const ar2 = pe.shift_add.reference ?? DEFAULT_REFERENCES.shift_add;
  const width = pe.adc.bits + chip.precision.activation_bits;
  const saScale = width / ar2.width_bits;
  const shift_add = {
    ...unit('pe.shift_add', pe.shift_add.count, pe.shift_add, { dyn: (ar2.power_mw - ar2.leakage_mw) * saScale, leak: ar2.leakage_mw * saScale, area: ar2.area_mm2 * saScale }, pinned, problems),
    width_bits: width,
  };

  // Registers: linear in size. Input: one input vector per crossbar; output: one output per weight
  // column, a weight cut by the array's edge counted in both (mapping/pe-registers.ts checks the fit).
  const weightCols = Math.ceil(pe.crossbar.cols / (slices(chip) * (chip.polarity === 'differential' ? 2 : 1)));
  const register = (path: 'input_register' | 'output_register', derivedBytes: number) => {
    const spec = pe[path];
    const r = spec.reference ?? DEFAULT_REFERENCES[path];
    if (spec.size_bytes !== undefined) pinned.push(`pe.${path}.size_bytes`);
    const size = spec.size_bytes ?? Math.max(1, derivedBytes);
    const k = size / r.size_bytes;
    return { ...unit(`pe.${path}`, spec.count, spec, { dyn: (r.power_mw - r.leakage_mw) * k, leak: r.leakage_mw * k, area: r.area_mm2 * k }, pinned, problems), size_bytes: size };
  };
  const input_register = register('input_register', pe.crossbar.count * pe.crossbar.rows * actBytes);
  const output_register = register('output_register', pe.crossbar.count * Math.max(1, weightCols) * actBytes);

  return {
    pe: { crossbar, adc, dac, sample_hold, shift_add, input_register, output_register },
    cellAreaUm2: cellMm2 * 1e6,
    cycleNs,
    columnsPerAdc,
    pinned,
    problems,
  };
}

/** `build` memoized per chip object: chips are immutable once parsed, so derived tables are computed once. */
export function perChip<T>(build: (chip: ChipSpec) => T): (chip: ChipSpec) => T {
  const cache = new WeakMap<ChipSpec, T>();
  return (chip) => {
    let v = cache.get(chip);
    if (v === undefined) {
      v = build(chip);
      cache.set(chip, v);
    }
    return v;
  };
}

/** The chip's modelled components, computed once per chip object. */
export const resolvedComponents = perChip(resolve);
