/**
 * Chip presets with citations: ISAAC (Shafiee et al., ISCA 2016, Table I), PUMA (Ankit et al.,
 * ASPLOS 2019, puma-simulator defaults) and MNSIM 2.0 (Zhu et al., TCAD 2023, SimConfig.ini),
 * tabulated in docs/cost-model.md#presets-and-their-sources. Per-unit values are the
 * published group totals divided by the unit count, so the cost library's roll-up (costs.ts)
 * recomputes the published totals rather than reading them.
 */
import { badInput } from '../errors';
import { parseTypedChipSpec } from './check-spec';
import type { ChipSpec, ChipSpecInput } from './spec';
import { DEFAULT_REFERENCES } from './components';
import { MNSIM_SRAM, mnsimArrayReadPowerMw, mnsimTileBufferAccessPj } from './mnsim-rules';

export const PRESET_NAMES = ['isaac', 'puma', 'mnsim'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

// ---------------------------------------------------------------- ISAAC (Shafiee et al., ISCA 2016)
// Table I (corrected Oct-2016 version), per IMA: 8 ADCs 16 mW 0.0096 mm2; 8x128 DACs 4 mW
// 0.00017 mm2; 8x128 S+H 10 uW 0.00004 mm2; 8 arrays 2.4 mW 0.0002 mm2; 4 S+A 0.2 mW 0.00024 mm2;
// IR 2 KB 1.24 mW 0.0021 mm2; OR 256 B 0.23 mW 0.00077 mm2. Per tile: eDRAM 64 KB 20.7 mW 0.083 mm2;
// bus 384 wires 7 mW 0.090 mm2; router (shared by 4 tiles) 42 mW 0.151 mm2; 2 sigmoid 0.52 mW
// 0.0006 mm2; S+A 0.05 mW 0.00006 mm2; max-pool 0.4 mW 0.00024 mm2; OR 3 KB 1.68 mW 0.0032 mm2.
// Chip: 14 x 12 tiles, HyperTransport 4 links x 6.4 GB/s, 10.4 W, 22.88 mm2.

// Every PE component of ISAAC is its model's default reference design point (components.ts
// DEFAULT_REFERENCES holds the Table I figures above); counts of DACs (one per row), S+H (one per
// column) and register sizes (2 KB = 8 x 128 inputs x 2 B; 256 B = 8 x 16 outputs x 2 B) follow
// from the crossbars.
const isaacPE: ChipSpecInput['pe'] = {
  crossbar: { count: 8, rows: 128, cols: 128, cell_bits: 2 },
  // 8-bit 1.28 GS/s ADCs, 2 mW and 1200 um2 each (MNSIM ADC.py choice 2 quotes the same).
  adc: { count: 8, bits: 8 },
  dac: { bits: 1 },
  sample_hold: {},
  // Latency: one 1.2 GHz clock per shift-and-add (ISAAC's digital blocks run at the chip clock).
  shift_add: { count: 4, latency_ns: 1 / 1.2 },
  input_register: {},
  output_register: {},
};

// ISAAC's digital units (2 sigmoid units, 1 max-pool unit) are the tile's VFU lanes (isaacVfu).
const isaacTileExtras: NonNullable<ChipSpecInput['tile']['extras']> = [
  { name: 'shift-add', count: 1, power_mw: 0.05, area_mm2: 0.00006 },
  { name: 'output-register', count: 1, power_mw: 1.68, area_mm2: 0.0032 },
];

// Crossbar programming. ISAAC publishes no write figures; MNSIM 2.0 SimConfig.ini device defaults:
// Write_Latency 10 ns; write energy [DERIVED] V^2 / R_LRS x t = 3^2 / 1e4 x 10 ns = 9 pJ per cell.
const MNSIM_WRITE = { write_latency_ns: 10, write_energy_pj: (3 ** 2 / 1e4) * 10e-9 * 1e12 };

// HyperTransport: 4 links at 6.4 GB/s each, 10.4 W, 22.88 mm2 (ISAAC Table I; PUMA constants.py).
const HYPERTRANSPORT = { name: 'HyperTransport', power_w: 10.4, area_mm2: 22.88, bandwidth_gbs: 4 * 6.4 };

// One lane of PUMA's vector functional unit (puma-simulator include/constants.py, 45 nm figures
// scaled by 32/45 there): ALU at full activity 2.4 mW dynamic + 0.27 mW leakage, 0.00567 mm2;
// one operation per 1 ns cycle, so per-operation energy = dynamic power of that operation x 1 ns:
// add/compare/ReLU 0.373 mW, multiply 0.795 mW, divide 1.52 mW. Exponential-class functions
// (sigmoid, tanh, exp) use the activation unit PUMA takes from ISAAC: 0.26 mW, 0.026 mW leakage.
const PUMA_32NM = 32 / 45;
const PUMA_VFU_LANE = {
  power_mw: (2.4 + 0.27) * PUMA_32NM,
  leakage_mw: 0.27 * PUMA_32NM,
  area_mm2: 0.00567 * PUMA_32NM,
  op_energy_pj: { add: 0.373 * PUMA_32NM, mul: 0.795 * PUMA_32NM, div: 1.52 * PUMA_32NM, exp: 0.26 - 0.026 },
  op_cycles: { add: 1, mul: 1, div: 1, exp: 1 },
};

// ISAAC's tile digital units as three VFU lanes: 2 sigmoid (0.52 mW, 0.0006 mm2) and 1 max-pool
// (0.4 mW, 0.00024 mm2) from Table I, so the roll-up keeps the published tile. ISAAC publishes no
// per-operation figures and has no multiplier for activation x activation products: operation
// energies and one-cycle latencies are PUMA's lane's (below), a stand-in stated in docs/cost-model.md.
const ISAAC_VFU = {
  ...PUMA_VFU_LANE,
  placement: 'tile' as const,
  count: 3,
  power_mw: (0.52 + 0.4) / 3,
  leakage_mw: 0,
  area_mm2: (0.0006 + 0.00024) / 3,
};

const ISAAC: ChipSpecInput = {
  name: 'isaac',
  citation:
    'Shafiee et al., "ISAAC", ISCA 2016, Table I (corrected Oct-2016 version; the same figures as MNSIM ADC.py choice 2, PUMA constants.py and the Accelergy hwcomponents ISAAC model); leakage split from PUMA constants.py; write figures from MNSIM 2.0 SimConfig.ini',
  technology_nm: 32,
  clock_ghz: 1.2,
  topology: { kind: 'cmesh', rows: 14, cols: 12, concentration: 4 },
  precision: { weight_bits: 16, activation_bits: 16 },
  polarity: 'reference-column', // flipped-weight encoding, one unit column per array (129 columns)
  slicing: 'adjacent-columns', // a weight occupies 8 cells of 2 bits in adjacent columns
  // Read: one crossbar read per 100 ns IMA cycle (PUMA constants.py "MVM inner product, lumped 100 ns").
  device: { read_latency_ns: 100, ...MNSIM_WRITE },
  pe: isaacPE,
  tile: {
    pes: 12,
    // eDRAM leakage 0.46 mW: PUMA constants.py (64 KB eDRAM, "same as ISAAC"). Access: PUMA's
    // 64 KB eDRAM takes 2 cycles of 1 ns per 256-bit access (constants.py edram_lat_dict); 2 banks
    // (ISAAC Table I). Energy per access [DERIVED] 20.24 mW x 2 ns / 2 banks = 20.2 pJ, beside
    // Accelergy's ISAAC table (hwcomponents-library isaac.py: 20.45 pJ per 256-bit access).
    edram: { count: 1, size_kb: 64, bus_bits: 256, access_latency_ns: 2, banks: 2, power_mw: 20.7, leakage_mw: 0.46, area_mm2: 0.083 },
    bus: { count: 1, wires: 384, power_mw: 7, area_mm2: 0.09 },
    // Router leakage 1.04 mW: PUMA constants.py 8-port router. Hop latency: our choice of 2 clocks
    // (router + link) at 1.2 GHz; ISAAC schedules transfers statically and publishes no per-hop figure.
    router: { count: 1, ports: 8, flit_bits: 32, hop_latency_ns: 2 / 1.2, power_mw: 42, leakage_mw: 1.04, area_mm2: 0.151 },
    // Inter-tile links taken to be 32 bit at 1 GHz (ISAAC's router flit is 32 bit; the clock is our choice, docs/cost-model.md#presets-and-their-sources).
    link_bandwidth_gbps: 32,
    extras: isaacTileExtras,
    vfu: ISAAC_VFU,
  },
  io: HYPERTRANSPORT,
};

// ---------------------------------------------------------------- PUMA (Ankit et al., ASPLOS 2019)
// include/config.py and include/constants.py defaults (puma-simulator, Ankit et al., ASPLOS 2019): 1 GHz,
// 8 cores per tile, 2 MVMUs per core each of 8 physical 128x128 2-bit crossbars (16-bit weights),
// 1-bit DACs, 8-bit ADCs, 2 ADCs per MVMU, 64 KB eDRAM with a 256-bit bus, cmesh c = 4 with 4-port
// routers and 32-bit flits, num_tile_max 168. Components PUMA does not tabulate in the reference
// (S+H, S+A, registers, tile extras) reuse ISAAC's per-unit figures: a documented stand-in.
const PUMA_XBARS_PER_CORE = 2 * 8;
const PUMA: ChipSpecInput = {
  name: 'puma',
  citation:
    'Ankit et al., "PUMA", ASPLOS 2019: puma-simulator include/config.py and include/constants.py; S+H, S+A and registers reuse ISAAC Table I',
  technology_nm: 32,
  clock_ghz: 1,
  topology: { kind: 'cmesh', rows: 14, cols: 12, concentration: 4 },
  precision: { weight_bits: 16, activation_bits: 16 },
  polarity: 'reference-column',
  slicing: 'separate-arrays', // each 16-bit MVMU is 8 physical crossbars of 2-bit slices
  device: { read_latency_ns: 100, ...MNSIM_WRITE }, // "MVM inner product, lumped 100 ns"
  pe: {
    crossbar: { count: PUMA_XBARS_PER_CORE, rows: 128, cols: 128, cell_bits: 2, reference: { ...DEFAULT_REFERENCES.crossbar, area_mm2: 2.5e-5, source: 'PUMA constants.py' } },
    // ADC 8-bit: 1.8 mW dynamic + 0.2 mW leakage, 0.0012 mm2; rate as ISAAC (constants are "models from the ISAAC paper").
    adc: { count: 2 * 2, bits: 8 },
    // DAC 1-bit: 0.0035 mW dynamic, 1.67e-7 mm2; one per crossbar row.
    dac: { bits: 1, reference: { bits: 1, power_mw: 0.0035, area_mm2: 1.67e-7, source: 'PUMA constants.py' } },
    sample_hold: {},
    shift_add: { count: 4, latency_ns: 1 },
    // dataMem_size 2048 B (config.py) pinned; the output registers are ISAAC's 256 B, one per
    // MVMU (ISAAC's holds its IMA's 8 arrays x 16 outputs; a core's 16 arrays give 256 outputs).
    input_register: { size_bytes: 2048 },
    output_register: { size_bytes: 256, count: 2 },
  },
  tile: {
    pes: 8,
    // 2 cycles per 256-bit access, 17.2 pJ per access (constants.py: 8.6 mW over 2 cycles), one bank.
    edram: { count: 1, size_kb: 64, bus_bits: 256, access_latency_ns: 2, banks: 1, power_mw: 8.6 + 0.46, leakage_mw: 0.46, area_mm2: 0.086 },
    bus: { count: 1, wires: 256, power_mw: 3, area_mm2: 0.09 },
    router: { count: 1, ports: 4, flit_bits: 32, hop_latency_ns: 2, power_mw: 16.13 + 0.41, leakage_mw: 0.41, area_mm2: 0.047 },
    link_bandwidth_gbps: 32, // 32-bit flits at 1 GHz
    extras: isaacTileExtras,
    // config.py num_ALU = num_matrix x 2 = 4 VFU lanes in every core.
    vfu: { ...PUMA_VFU_LANE, placement: 'pe', count: 4 },
  },
  io: HYPERTRANSPORT,
};

// ---------------------------------------------------------------- MNSIM 2.0 (Zhu et al., TCAD 2023)
// SimConfig.ini defaults: device 130 nm, 256x256 1T1R
// crossbars, 2 levels = 1 bit per cell, Xbar_Polarity 2, Group_Num 1 (so 2 arrays per PE),
// DAC_Num / ADC_Num 128 / 128, ADC choice 6 (6-bit, 1 GS/s, 1.26 mW, 1650 um2), DAC choice 1
// (1-bit, 0.166 um2, 3.9 uW), digital 500 MHz, 2x2 PEs per tile, Tile_Num 64 x 64,
// Inter_Tile_Bandwidth 20 Gbps, buffer 16 KB with a 64-bit width, Read_Latency 3.16 ns.
const MNSIM_READ_LATENCY_NS = 3.16;
// ADC.py latency model: (precision + 2) / sample rate = 8 ns per 6-bit conversion at 1 GS/s, so
// the effective conversion rate is 1 / 8 ns = 0.125 GS/s [DERIVED].
const MNSIM_ADC_RATE_GSPS = 1 / (6 + 2);
// Array read power: MNSIM's Device.py rule (mnsim-rules.ts), V_eff^2 = 0.1 x 0.15^2 (one input bit
// in ten a 1) and G = 0.67 / 1e6 + 0.33 / 1e4 S: 4.97 mW per 256 x 256 array, 15.7 pJ per read.
const MNSIM_ARRAY_READ_MW = mnsimArrayReadPowerMw(256, 256, 0.15, 1e4, 1e6);
// Crossbar area (tileinfo.py, Area_Calculation 0): 256 x 256 cells of 1.44 um2 plus 1150 um2 of
// periphery per column = 388,771.84 um2 per array.
const MNSIM_COLUMN_PERIPHERY_UM2 = 1150;
// Tile buffer: MNSIM's energy per 64-bit access of a tile's five SRAM buffers (mnsim-rules.ts),
// 152.4 pJ, as a power over the 20 ns access: 7.62 mW.
const MNSIM_BUFFER_POWER_MW = mnsimTileBufferAccessPj() / MNSIM_SRAM.accessNs;
// Tile digital power [DERIVED]: MNSIM's joint module (JointModule.py, 8-bit adder 0.264 mW at 65 nm
// scaled to JointModule_Tech 45 by (45/65)^2), (4 - 1) PEs x 128 adders (one per ADC output) per
// tile: 48.59 mW with every column in use.
const MNSIM_TILE_DIGITAL_MW = 3 * 128 * 0.264 * (45 / 65) ** 2;
const MNSIM: ChipSpecInput = {
  name: 'mnsim',
  citation:
    'Zhu et al., "MNSIM 2.0", TCAD 2023: SimConfig.ini, ADC.py, DAC.py and Buffer.py defaults, network.py precision, its mapper\'s rules, tileinfo.py tile areas; buffer and tile digital power derived from MNSIM\'s VGG-8 power breakdown; I/O is ISAAC\'s HyperTransport (MNSIM models none)',
  technology_nm: 130,
  clock_ghz: 0.5,
  // Tile_Connection 2: tiles filled in MNSIM's spiral order.
  topology: { kind: 'mesh', rows: 64, cols: 64, concentration: 1, order: 'spiral' },
  // MNSIM network.py: every layer has 9-bit signed weights and 9-bit activations. With
  // Xbar_Polarity 2 the sign is the positive/negative array pair, so 8 magnitude bits are sliced
  // (8 slices of 1-bit cells); the 9 activation bits are 9 input cycles of the 1-bit DACs.
  precision: { weight_bits: 8, activation_bits: 9 },
  polarity: 'differential',
  // Each of the 8 magnitude bits in its own positive/negative array pair, Cout / 256 pairs wide;
  // whole input channels per array: mx = 8 ceil(Cout / 256) PEs by my = ceil(Cin / floor(256 / k^2)).
  slicing: 'separate-arrays',
  row_packing: 'whole-channels',
  // MNSIM's mapper fills a tile's 4 PEs with any of a layer's (row block, column block) pairs:
  // ceil(PEs / 4) tiles per layer, partial sums merged across tiles.
  tile_packing: 'fill',
  // MNSIM 2.0 charges one write pulse per cell whatever its Device_Level: no verify iterations,
  // also when an MNSIM configuration gives multi-level cells.
  device: { read_latency_ns: MNSIM_READ_LATENCY_NS, ...MNSIM_WRITE, write_verify_iterations: 0, read_voltage_v: 0.15, r_on_ohm: 1e4, r_off_ohm: 1e6, cell_area_um2: 1.44 },
  pe: {
    crossbar: {
      count: 2,
      rows: 256,
      cols: 256,
      cell_bits: 1,
      column_periphery_um2: MNSIM_COLUMN_PERIPHERY_UM2,
      reference: {
        rows: 256,
        cols: 256,
        read_voltage_v: 0.15,
        r_on_ohm: 1e4,
        r_off_ohm: 1e6,
        read_latency_ns: MNSIM_READ_LATENCY_NS,
        // The reference's power is the array read back to back at its read latency.
        power_mw: MNSIM_ARRAY_READ_MW,
        area_mm2: (256 * 256 * 1.44 + 256 * MNSIM_COLUMN_PERIPHERY_UM2) / 1e6,
        source: 'MNSIM 2.0 SimConfig.ini device and tileinfo.py crossbar area',
      },
    },
    // MNSIM converts the used columns only (a layer narrower than the array converts fewer).
    adc: { count: 128, bits: 6, converts: 'used-columns', reference: { bits: 6, sample_rate_gsps: MNSIM_ADC_RATE_GSPS, power_mw: 1.26, area_mm2: 1650e-6, source: 'MNSIM 2.0 ADC.py choice 6' } },
    // 128 DACs shared by the 256 rows (DAC_Num).
    dac: { count: 128, bits: 1, reference: { bits: 1, power_mw: 3.9e-3, area_mm2: 0.166e-6, source: 'MNSIM 2.0 DAC.py choice 1' } },
    // MNSIM has no sample-and-hold; its shift registers and PE registers are costed in the tile
    // digital below (extras), so these PE units are pinned at zero cost. The shift-and-add takes
    // one 500 MHz clock.
    sample_hold: { power_mw: 0, area_mm2: 0 },
    shift_add: { count: 4, latency_ns: 2, power_mw: 0, area_mm2: 0 },
    input_register: { power_mw: 0, area_mm2: 0 },
    output_register: { power_mw: 0, area_mm2: 0 },
  },
  tile: {
    pes: 4,
    // Buffer.py: one 64-bit word per 20 ns access (hard-coded access time); 16 KB, Buffer.py's
    // default size (MNSIM's mapper sizes its PE input and tile output buffers per network, 0.125 to
    // 0.5 KB). Energy per access: MNSIM's five buffers of a tile at full power for the access time,
    // 152.4 pJ (mnsim-rules.ts); area: tileinfo.py's buffer area per tile, 202,901.5 um2. MNSIM
    // charges leakage only inside the access time, so no static term.
    // Traffic as MNSIM's latency model counts it per output position (Model_latency.py,
    // Tile_latency.py): the PE input buffers take the stride x k new window columns, and every
    // PE's column results go through the tile output buffer (written at ADC bits + 2 merge bits,
    // read at 9 bits) before the merge.
    edram: {
      count: 1,
      size_kb: 16,
      bus_bits: 64,
      access_latency_ns: 20,
      banks: 1,
      power_mw: MNSIM_BUFFER_POWER_MW,
      leakage_mw: 0,
      area_mm2: 0.2029015,
      input_reuse: 'sliding-window',
      pe_results: 'through-buffer',
    },
    // Intra_Tile_Bandwidth 1024 Gbps with no cost of its own in MNSIM.
    bus: { count: 1, wires: 2048, power_mw: 0, area_mm2: 0 },
    // NoC_enable 0: MNSIM charges inter-tile transfers latency (2 ns per hop plus the bits over the
    // 20 Gbps link) but no energy and no area.
    router: { count: 1, ports: 5, flit_bits: 32, hop_latency_ns: 2, power_mw: 0, leakage_mw: 0, area_mm2: 0 },
    link_bandwidth_gbps: 20,
    // MNSIM's tile digital: joint module (adder tree) 65,108.6 um2, shift register 727.0, input and
    // output registers 349.8 each, demux and mux 692.2 each (tileinfo.py) = 67,919.7 um2 per tile;
    // power: the joint module's 48.59 mW (above). MNSIM charges it for the joint module's latency
    // per output position, ceil(log2 4) = 2 clocks (Tile_latency.py), with ceil(used columns / 2)
    // adders per PE (Tile.py): activity `merge`.
    extras: [{ name: 'MNSIM tile digital (joint module, shift register, registers, demux/mux)', count: 1, power_mw: MNSIM_TILE_DIGITAL_MW, leakage_mw: 0, area_mm2: 0.0679197, activity: 'merge' }],
    // Pooling_unit_num 64 per tile; MNSIM's pooling latency, 100 ns per 3x3 window per unit at
    // 500 MHz, is 50 cycles for 8 comparisons: 6.25 cycles per operation [DERIVED]. Area: MNSIM's
    // tile pooling area 91 917 um2 / 64; power: 6 mW per pooling tile (VGG-8 per-layer table) / 64.
    // Operation energies: PUMA's lane (MNSIM publishes none per operation).
    vfu: {
      ...PUMA_VFU_LANE,
      placement: 'tile',
      count: 64,
      power_mw: 6 / 64,
      leakage_mw: 0,
      area_mm2: 0.091917 / 64,
      op_cycles: { add: 6.25, mul: 6.25, div: 6.25, exp: 6.25 },
    },
  },
  io: HYPERTRANSPORT,
};

const PRESETS: Record<PresetName, ChipSpecInput> = { isaac: ISAAC, puma: PUMA, mnsim: MNSIM };

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}

/** A preset, optionally rescaled to another mesh with the same tile. */
export function chipPreset(name: string, mesh?: [number, number]): ChipSpec {
  if (!isPresetName(name)) {
    throw badInput(`unknown chip preset '${name}' (expected one of ${PRESET_NAMES.join(', ')})`, { field: 'chip' });
  }
  const spec = parseTypedChipSpec(structuredClone(PRESETS[name]), `preset ${name}`);
  return mesh ? withMesh(spec, mesh) : spec;
}

/** The same chip with another R x C mesh of identical tiles (topology kind and concentration kept). */
export function withMesh(chip: ChipSpec, mesh: [number, number]): ChipSpec {
  const copy = structuredClone(chip);
  copy.topology.rows = mesh[0];
  copy.topology.cols = mesh[1];
  // Re-validate: a concentrated mesh needs dimensions divisible by its router block.
  return parseTypedChipSpec(copy, `${chip.name} --mesh ${mesh[0]}x${mesh[1]}`);
}

/** Parse '32x32' (also '32X32', '32*32') into [rows, cols]. */
export function parseMesh(text: string): [number, number] {
  const m = /^\s*(\d+)\s*[xX*]\s*(\d+)\s*$/.exec(text);
  const rows = m ? Number(m[1]) : NaN;
  const cols = m ? Number(m[2]) : NaN;
  if (!m || rows < 1 || cols < 1) {
    throw badInput(`expected RxC with positive integers, e.g. 32x32 (got ${JSON.stringify(text)})`, { field: 'mesh' });
  }
  return [rows, cols];
}
