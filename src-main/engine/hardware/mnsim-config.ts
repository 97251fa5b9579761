/**
 * MNSIM 2.0's SimConfig.ini (thu-nics/MNSIM-2.0) read into a chip spec. The `mnsim` preset is the
 * base (MNSIM's own defaults plus ISAAC Table I for what MNSIM leaves unspecified); every key the
 * file sets either overrides a chip-spec field (listed in `mapped`) or is listed in `ignored`
 * with the reason. Converter tables are MNSIM's ADC.py and DAC.py choices; the crossbar's area
 * and read power follow MNSIM's formulas (tileinfo.py, Area_Calculation 0; Device.py's read power,
 * mnsim-rules.ts, as the preset does). MNSIM fixes no precision in the file (its
 * network.py quantizes each network), so the preset's 8-bit weights and activations stay.
 */
import { badInput } from '../errors';
import { chipPreset } from './presets';
import { parseChipSpec } from './check-spec';
import type { ChipSpec } from './spec';
import { mnsimArrayReadPowerMw } from './mnsim-rules';

export interface MnsimField {
  /** `Section/Key` as the file spells it. */
  key: string;
  value: string;
  /** Chip-spec field(s) set, or why the key does not apply. */
  field?: string;
  why?: string;
}

export interface MnsimChip {
  chip: ChipSpec;
  mapped: MnsimField[];
  ignored: MnsimField[];
}

/** MNSIM ADC.py: choice -> [bits, power W, area um2, sample rate GS/s]. */
const ADC_CHOICES: Record<number, [number, number, number, number]> = {
  1: [10, 6.92e-3, 1600, 1.5],
  2: [8, 2e-3, 1200, 1],
  3: [8, 4e-3, 1650, 1.1],
  4: [6, 1.26e-3, 580, 1],
  5: [8, 4e-3, 1650, 1.1],
  6: [6, 1.26e-3, 1650, 1],
  7: [4, 0.7e-3, 1650, 1],
};
/** MNSIM DAC.py: choice -> [bits, power W, area um2] (ISAAC's DAC scaled by bits). */
const DAC_CHOICES: Record<number, [number, number, number]> = {
  1: [1, 0.0039e-3, 0.166],
  2: [2, 0.0078e-3, 0.332],
  3: [3, 0.0156e-3, 0.664],
  4: [4, 0.0312e-3, 1.328],
  5: [6, 0.1248e-3, 5.312],
  6: [8, 0.4992, 21.248],
};
/** Per-column periphery of MNSIM's crossbar area formula (tileinfo.py, Area_Calculation 0), um2. */
const COLUMN_PERIPHERY_UM2 = 1150;

const IGNORED: Record<string, string> = {
  Device_Type: 'the device kind; Retile models ReRAM crossbars',
  Read_Level: 'read voltage levels; the read voltage used is the last Read_Voltage',
  Write_Level: 'write levels; programming cost is write_latency_ns and write_energy_pj',
  Write_Voltage: 'write voltage; programming energy is write_energy_pj per pulse',
  Device_Variation: 'device variation affects accuracy, not cost',
  Device_SAF: 'stuck-at faults affect accuracy, not cost',
  Read_Energy: 'MNSIM does not read it; array read energy comes from voltage, conductance and latency',
  Write_Energy: 'MNSIM does not read it; programming energy is write_energy_pj',
  Subarray_Size: 'sub-arrays are not modelled; the crossbar is the unit',
  Cell_Type: '1T1R vs 0T1R changes no cost term Retile models',
  Transistor_Tech: 'the access transistor node changes no cost term Retile models',
  Wire_Resistance: 'wire parasitics are not modelled',
  Wire_Capacity: 'wire parasitics are not modelled',
  Load_Resistance: 'used by MNSIM only for ADC thresholds in accuracy simulation',
  Area_Calculation: 'the crossbar area always uses MNSIM method 0 (cells x Device_Area + column periphery)',
  DAC_Area: 'used only with DAC_Choice -1',
  DAC_Precision: 'used only with DAC_Choice -1',
  DAC_Power: 'used only with DAC_Choice -1',
  DAC_Sample_Rate: 'MNSIM fixes 1 GS/s for its DAC choices',
  ADC_Area: 'used only with ADC_Choice -1',
  ADC_Precision: 'used only with ADC_Choice -1',
  ADC_Power: 'used only with ADC_Choice -1',
  ADC_Sample_Rate: 'used only with ADC_Choice -1',
  ADC_Interval_Thres: 'ADC thresholds matter for accuracy simulation only',
  Logic_Op: 'digital in-memory logic is not modelled',
  PIM_Type: 'Retile models analog PIM (MNSIM type 0)',
  Sub_Position: 'where positive and negative results are subtracted changes no cost term Retile models',
  Multiplex_Xbar_Num: 'not supported by MNSIM either',
  PE_inBuf_Size: 'PE input buffers are the input register (sized from the crossbar rows)',
  PE_inBuf_Area: 'PE input buffers are the input register',
  Adder_Tech: 'digital units use the ISAAC Table I figures of the preset',
  Adder_Area: 'digital units use the ISAAC Table I figures of the preset',
  Adder_Power: 'digital units use the ISAAC Table I figures of the preset',
  Multiplier_Tech: 'digital units use the ISAAC Table I figures of the preset',
  ShiftReg_Tech: 'shift-and-add units use the preset figures',
  ShiftReg_Area: 'shift-and-add units use the preset figures',
  ShiftReg_Power: 'shift-and-add units use the preset figures',
  Reg_Tech: 'registers use the preset figures',
  JointModule_Tech: 'MNSIM joint modules are part of the tile extras of the preset',
  JointModule_Area: 'MNSIM joint modules are part of the tile extras of the preset',
  JointModule_Power: 'MNSIM joint modules are part of the tile extras of the preset',
  Pooling_shape: 'pooling runs on the tile extras of the preset',
  Pooling_unit_num: 'pooling runs on the tile extras of the preset',
  Pooling_Tech: 'pooling runs on the tile extras of the preset',
  Pooling_area: 'pooling runs on the tile extras of the preset',
  Tile_Adder_Num: 'tile adders are part of the tile extras of the preset',
  Tile_Adder_Level: 'tile adders are part of the tile extras of the preset',
  Tile_ShiftReg_Num: 'tile shift registers are part of the tile extras of the preset',
  Tile_ShiftReg_Level: 'tile shift registers are part of the tile extras of the preset',
  Intra_Tile_Bandwidth: 'PEs of a tile share the tile bus of the preset',
  Tile_outBuf_Size: 'the tile buffer is the eDRAM (Buffer_Capacity)',
  Tile_outBuf_Area: 'the tile buffer is the eDRAM',
  DFU_Buf_Size: 'data-forwarding buffers are not modelled',
  DFU_Buf_Area: 'data-forwarding buffers are not modelled',
  Buffer_Choice: 'the tile buffer is modelled as the preset eDRAM whatever its technology',
  Buffer_Technology: 'the tile buffer is modelled as the preset eDRAM whatever its technology',
  Buffer_Area: 'the tile buffer area is the preset figure',
  Buffer_ReadPower: 'the tile buffer power is the preset figure',
  Buffer_WritePower: 'the tile buffer power is the preset figure',
  Buffer_ReadFrequency: 'buffer timing follows its bus width and the clock',
  Buffer_WriteFrequency: 'buffer timing follows its bus width and the clock',
  LUT_Capacity: 'look-up tables are not modelled',
  LUT_Area: 'look-up tables are not modelled',
  LUT_Power: 'look-up tables are not modelled',
  LUT_Bandwidth: 'look-up tables are not modelled',
  Weight_Polarity: 'MNSIM does not read it',
  Simulation_Level: 'MNSIM behaviour vs estimation mode; Retile never simulates weight values',
  NoC_enable: 'the NoC is always modelled (hop latency and energy from the router)',
};

type Sections = Map<string, { section: string; value: string; line: number }>;

function parseIni(text: string, file: string): Sections {
  const keys: Sections = new Map();
  let section = '';
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    const s = /^\[(.+)\]$/.exec(line);
    if (s) {
      section = s[1].trim();
      return;
    }
    const kv = /^([A-Za-z_][\w]*)\s*=\s*(.*)$/.exec(line);
    if (!kv) throw badInput(`line ${i + 1} '${line.slice(0, 60)}' is neither [Section] nor Key = value`, { file });
    if (!section) throw badInput(`line ${i + 1}: key '${kv[1]}' comes before any [Section]`, { file });
    keys.set(kv[1], { section, value: kv[2].replace(/\s+#.*$/, '').trim(), line: i + 1 });
  });
  if (keys.size === 0) throw badInput('no Key = value lines: not an MNSIM SimConfig.ini', { file });
  return keys;
}

/** Reads an MNSIM SimConfig.ini into a chip spec named after the file. */
export function importMnsimConfig(text: string, file: string): MnsimChip {
  const keys = parseIni(text, file);
  const base = structuredClone(chipPreset('mnsim')) as ChipSpec;
  const chip = base as ChipSpec & { pe: { crossbar: { reference: Record<string, unknown> } } };
  const mapped: MnsimField[] = [];
  const ignored: MnsimField[] = [];
  const at = (k: string) => `${keys.get(k)!.section}/${k}`;
  const nums = (k: string, n?: number): number[] => {
    const e = keys.get(k)!;
    const v = e.value.split(',').map((x) => Number(x.trim()));
    if (v.some((x) => !Number.isFinite(x)) || (n !== undefined && v.length !== n))
      throw badInput(`'${e.value}' is not ${n ? `${n} comma-separated numbers` : 'a list of numbers'}`, { file, field: at(k) });
    return v;
  };
  const num = (k: string) => nums(k, 1)[0];
  const map = (k: string, field: string, apply: () => void) => {
    if (!keys.has(k)) return;
    apply();
    mapped.push({ key: at(k), value: keys.get(k)!.value, field });
  };
  const need = (ok: boolean, k: string, what: string) => {
    if (!ok) throw badInput(`'${keys.get(k)!.value}' must be ${what}`, { file, field: at(k) });
  };

  map('Device_Tech', 'technology_nm', () => (chip.technology_nm = num('Device_Tech')));
  map('Device_Area', 'device.cell_area_um2', () => (chip.device.cell_area_um2 = num('Device_Area')));
  map('Read_Voltage', 'device.read_voltage_v (the last level)', () => (chip.device.read_voltage_v = nums('Read_Voltage').at(-1)!));
  map('Read_Latency', 'device.read_latency_ns, pe.crossbar.reference.read_latency_ns', () => (chip.device.read_latency_ns = num('Read_Latency')));
  map('Write_Latency', 'device.write_latency_ns', () => (chip.device.write_latency_ns = num('Write_Latency')));
  map('Device_Level', 'pe.crossbar.cell_bits = log2(levels)', () => {
    const bits = Math.log2(num('Device_Level'));
    need(Number.isInteger(bits) && bits >= 1, 'Device_Level', 'a power of two of at least 2 (levels per cell)');
    chip.pe.crossbar.cell_bits = bits;
  });
  map('Device_Resistance', 'device.r_off_ohm (first, HRS), device.r_on_ohm (last, LRS)', () => {
    const r = nums('Device_Resistance');
    chip.device.r_off_ohm = r[0];
    chip.device.r_on_ohm = r[r.length - 1];
  });
  map('Xbar_Size', 'pe.crossbar.rows, pe.crossbar.cols', () => {
    const [rows, cols] = nums('Xbar_Size', 2);
    need(Number.isInteger(rows) && Number.isInteger(cols) && rows > 0 && cols > 0, 'Xbar_Size', 'two positive integers (rows, columns)');
    Object.assign(chip.pe.crossbar, { rows, cols });
  });
  let polarity = chip.polarity === 'differential' ? 2 : 1;
  map('Xbar_Polarity', 'polarity (2: differential arrays, 1: reference column)', () => {
    polarity = num('Xbar_Polarity');
    need(polarity === 1 || polarity === 2, 'Xbar_Polarity', '1 or 2');
    chip.polarity = polarity === 2 ? 'differential' : 'reference-column';
  });
  let groups = 1;
  map('Group_Num', 'pe.crossbar.count = Group_Num x Xbar_Polarity', () => {
    groups = num('Group_Num');
    need(Number.isInteger(groups) && groups > 0, 'Group_Num', 'a positive integer');
  });
  chip.pe.crossbar.count = groups * polarity;
  map('DAC_Num', 'pe.dac.count = DAC_Num x Group_Num', () => (chip.pe.dac.count = num('DAC_Num') * groups));
  map('ADC_Num', 'pe.adc.count = ADC_Num x Group_Num', () => (chip.pe.adc.count = num('ADC_Num') * groups));
  map('ADC_Choice', 'pe.adc.bits and pe.adc.reference (MNSIM ADC.py table)', () => {
    const c = num('ADC_Choice');
    const [bits, powerW, areaUm2, rate] = c === -1 ? [num('ADC_Precision'), num('ADC_Power'), num('ADC_Area'), num('ADC_Sample_Rate')] : (ADC_CHOICES[c] ?? []);
    need(bits !== undefined, 'ADC_Choice', `-1 or one of MNSIM's choices ${Object.keys(ADC_CHOICES).join(', ')}`);
    // MNSIM's ADC latency is (bits + 2) / sample rate: its effective conversion rate.
    chip.pe.adc.bits = bits;
    chip.pe.adc.reference = { bits, sample_rate_gsps: rate / (bits + 2), power_mw: powerW * 1e3, leakage_mw: 0, area_mm2: areaUm2 * 1e-6, source: `MNSIM 2.0 ADC.py choice ${c}` };
  });
  map('DAC_Choice', 'pe.dac.bits and pe.dac.reference (MNSIM DAC.py table)', () => {
    const c = num('DAC_Choice');
    const [bits, powerW, areaUm2] = c === -1 ? [num('DAC_Precision'), num('DAC_Power'), num('DAC_Area')] : (DAC_CHOICES[c] ?? []);
    need(bits !== undefined, 'DAC_Choice', `-1 or one of MNSIM's choices ${Object.keys(DAC_CHOICES).join(', ')}`);
    chip.pe.dac.bits = bits;
    chip.pe.dac.reference = { bits, power_mw: powerW * 1e3, leakage_mw: 0, area_mm2: areaUm2 * 1e-6, source: `MNSIM 2.0 DAC.py choice ${c}` };
  });
  map('Digital_Frequency', 'clock_ghz = MHz / 1000', () => (chip.clock_ghz = num('Digital_Frequency') / 1000));
  map('PE_Num', 'tile.pes = x * y (0,0: MNSIM default 4x4)', () => {
    const [x, y] = nums('PE_Num', 2);
    chip.tile.pes = x === 0 && y === 0 ? 16 : x * y;
  });
  map('Inter_Tile_Bandwidth', 'tile.link_bandwidth_gbps', () => (chip.tile.link_bandwidth_gbps = num('Inter_Tile_Bandwidth')));
  map('Buffer_Capacity', 'tile.edram.size_kb', () => num('Buffer_Capacity') > 0 && (chip.tile.edram.size_kb = num('Buffer_Capacity')));
  map('Buffer_Bitwidth', 'tile.edram.bus_bits (0: preset)', () => num('Buffer_Bitwidth') > 0 && (chip.tile.edram.bus_bits = num('Buffer_Bitwidth')));
  map('Tile_Connection', 'topology.order (1: snake, 2: spiral)', () => {
    const order = num('Tile_Connection');
    need(order === 1 || order === 2, 'Tile_Connection', '1 (snake) or 2 (spiral): the tile orders Retile places in (row-major 0 and zigzag 3 are not modelled)');
    chip.topology.order = order === 1 ? 'snake' : 'spiral';
  });
  map('Tile_Num', 'topology.rows, topology.cols (0,0: MNSIM default 8x8)', () => {
    const [x, y] = nums('Tile_Num', 2);
    [chip.topology.rows, chip.topology.cols] = x === 0 && y === 0 ? [8, 8] : [x, y];
  });
  // The array's measured figures follow the device and size: MNSIM's area formula and the read power of its cells.
  const { rows, cols } = chip.pe.crossbar;
  Object.assign(chip.pe.crossbar.reference, {
    rows,
    cols,
    read_voltage_v: chip.device.read_voltage_v,
    r_on_ohm: chip.device.r_on_ohm,
    r_off_ohm: chip.device.r_off_ohm,
    read_latency_ns: chip.device.read_latency_ns,
    power_mw: mnsimArrayReadPowerMw(rows, cols, chip.device.read_voltage_v, chip.device.r_on_ohm, chip.device.r_off_ohm),
    area_mm2: (rows * cols * (chip.device.cell_area_um2 ?? 1.44) + cols * COLUMN_PERIPHERY_UM2) / 1e6,
    source: `MNSIM 2.0 SimConfig.ini (${file}) device and tileinfo.py crossbar area`,
  });

  const mappedKeys = new Set(mapped.map((m) => m.key.split('/')[1]));
  for (const [k, e] of keys) {
    if (mappedKeys.has(k)) continue;
    ignored.push({ key: `${e.section}/${k}`, value: e.value, why: IGNORED[k] ?? 'not a key of MNSIM 2.0\'s SimConfig.ini' });
  }
  const name = file.replace(/^.*[\\/]/, '').replace(/\.ini$/i, '');
  chip.name = name;
  chip.citation = `MNSIM 2.0 SimConfig.ini (${file}) on the mnsim preset; ${base.citation}`;
  return { chip: parseChipSpec(chip, file), mapped, ignored };
}
