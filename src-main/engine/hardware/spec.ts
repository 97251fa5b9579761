/**
 * The chip spec: a JSON description of a ReRAM PIM chip, validated with zod.
 *
 * Units are in the field names (`_ns`, `_mw`, `_mm2`, `_gsps`, `_gbps` ...). A component's costs
 * are its power at full activity (`power_mw`, leakage included), the static part of it
 * (`leakage_mw`) and its area, per unit. PE components are modelled (components.ts): their costs
 * follow from their parameters and a reference design point unless written here (pinned); tile
 * components (eDRAM, bus, router, extras) and I/O give their published costs. The cost library
 * (costs.ts) and the action-cost table (action-costs.ts) derive per-action energies and latencies
 * and roll them up to PE, tile and chip, so every figure traces back to this table.
 */
import { z } from '../zod';
import { MAX_COUNT, MAX_QUANTITY, MIN_QUANTITY, MAX_CELL_BITS, MAX_CONVERTER_BITS, MAX_CROSSBAR_SIDE, MAX_PRECISION_BITS } from '../limits';

// Bounded ranges (engine/limits.ts): extreme values would turn figures into Infinity or 0.
const positive = z.number().min(MIN_QUANTITY, `must be a number in [${MIN_QUANTITY}, ${MAX_QUANTITY}]`).max(MAX_QUANTITY, `must be a number in [${MIN_QUANTITY}, ${MAX_QUANTITY}]`);
const nonNegative = z
  .number()
  .nonnegative()
  .max(MAX_QUANTITY, `must be 0 or a number in [${MIN_QUANTITY}, ${MAX_QUANTITY}]`)
  .refine((v) => v === 0 || v >= MIN_QUANTITY, `must be 0 or a number in [${MIN_QUANTITY}, ${MAX_QUANTITY}]`);
const positiveInt = z.number().int().positive().max(MAX_COUNT);

/**
 * Cost fields of a component. Each is optional: left out, the component's model (components.ts)
 * derives it from the component's parameters and its reference design point; written, it is
 * pinned (used as given whatever the parameters; `chipCosts(chip).pinned` names it).
 */
const costFields = {
  /** Power of one unit at full activity, leakage included (mW). */
  power_mw: nonNegative.optional(),
  /** Static part of power_mw, drawn while the unit is powered (mW). Must not exceed power_mw. */
  leakage_mw: nonNegative.optional(),
  /** Area of one unit (mm2). */
  area_mm2: nonNegative.optional(),
};

/** A published design point a component's model scales from: its parameters and its per-unit figures. */
function reference<T extends z.ZodRawShape>(params: T) {
  return z
    .object({ ...params, power_mw: nonNegative, leakage_mw: nonNegative.default(0), area_mm2: nonNegative, source: z.string().default('') })
    .refine((r) => (r as { leakage_mw: number }).leakage_mw <= (r as { power_mw: number }).power_mw, {
      message: 'leakage_mw must not exceed power_mw',
      path: ['leakage_mw'],
    })
    .optional();
}

const leakageWithinPower = {
  check: (c: { power_mw?: number; leakage_mw?: number }) => c.power_mw === undefined || c.leakage_mw === undefined || c.leakage_mw <= c.power_mw,
  message: { message: 'leakage_mw must not exceed power_mw', path: ['leakage_mw'] },
};

/** A component whose costs are given (pinned): count and per-unit power and area required. */
function givenComponent<T extends z.ZodRawShape>(extra: T) {
  return z
    .object({ count: positiveInt, power_mw: nonNegative, leakage_mw: nonNegative.default(0), area_mm2: nonNegative, ...extra })
    .refine((c) => (c as { leakage_mw: number }).leakage_mw <= (c as { power_mw: number }).power_mw, leakageWithinPower.message);
}

/** A modelled component: parameters, an optional reference design point, optional pinned costs. */
function modelledComponent<T extends z.ZodRawShape, R extends z.ZodRawShape>(extra: T, ref: R) {
  return z
    .object({ ...costFields, ...extra, reference: reference(ref) })
    .refine((c) => leakageWithinPower.check(c as { power_mw?: number; leakage_mw?: number }), leakageWithinPower.message);
}

export const componentSchema = givenComponent({});

export const chipSpecSchema = z
  .object({
    name: z.string().min(1),
    /** Where the numbers come from (paper, simulator config). */
    citation: z.string().default(''),
    technology_nm: positive,
    /** Digital clock (shift-and-add, registers, routers). */
    clock_ghz: positive,
    topology: z.object({
      kind: z.enum(['mesh', 'torus', 'cmesh']),
      rows: positiveInt,
      cols: positiveInt,
      /** Tiles sharing one router: 1 for mesh/torus; 2 or 4 for a concentrated mesh (ISAAC: 4). */
      concentration: z.union([z.literal(1), z.literal(2), z.literal(4)]).default(1),
      /**
       * The order the direct deployment fills tiles in (topology.ts): `snake` (rows back and
       * forth) or `spiral` (growing squares from the corner, MNSIM 2.0's Tile_Connection 2).
       */
      order: z.enum(['snake', 'spiral']).default('snake'),
    }),
    precision: z.object({
      weight_bits: positiveInt.max(MAX_PRECISION_BITS),
      activation_bits: positiveInt.max(MAX_PRECISION_BITS),
    }),
    /**
     * differential: separate positive and negative arrays (p = 2, MNSIM Xbar_Polarity 2), the
     * pair's currents subtracted in analog before one conversion per column pair (MNSIM), and the
     * two arrays of a pair driven by the same DACs.
     * reference-column: one shared reference/unit column per array (p = 1, ISAAC flipped weights).
     */
    polarity: z.enum(['differential', 'reference-column']),
    /**
     * Where the s = ceil(b_w / b_c) slices of a weight go: adjacent columns of one array (ISAAC), or
     * each slice (and, with differential polarity, each sign) in arrays of its own (PUMA's MVMU of
     * 8 single-slice crossbars, MNSIM's bit-sliced array pairs): then a layer's columns take
     * s x p x ceil(cols / C) arrays, and a layer narrower than an array leaves columns unused.
     */
    slicing: z.enum(['adjacent-columns', 'separate-arrays']).default('adjacent-columns'),
    /**
     * How a conv's unrolled k x k x Cin rows fill an array's R rows: `unrolled` packs them
     * contiguously (ceil(k^2 Cin / R) row blocks); `whole-channels` keeps each input channel's k^2
     * rows in one array (floor(R / k^2) channels per array, ceil(Cin / floor(R / k^2)) row blocks),
     * as MNSIM 2.0's mapper does (252 of 256 rows used by 3x3 convs).
     */
    row_packing: z.enum(['unrolled', 'whole-channels']).default('unrolled'),
    /**
     * How the direct deployment cuts a layer's arrays into tiles: `column-blocks` keeps all row
     * blocks of a column block on one tile while they fit, so partial sums merge inside it;
     * `fill` cuts the layer into equal pieces that fill every tile's arrays (ceil(arrays / tile)
     * tiles per layer), row blocks spread over tiles and merged across them, as MNSIM 2.0's
     * mapper fills a tile's PEs with any of a layer's (row block, column block) pairs.
     */
    tile_packing: z.enum(['column-blocks', 'fill']).default('column-blocks'),
    device: z.object({
      /** Analog read of one crossbar (all rows driven, columns sampled). */
      read_latency_ns: positive,
      /** One write pulse (a tile writes as many cells at once as its write drivers and power cap allow: docs/cost-model.md, "Reprogramming"). */
      write_latency_ns: positive,
      /** Energy of one write pulse on one cell. */
      write_energy_pj: nonNegative,
      /**
       * Program-and-verify iterations after the first write pulse: each a verify read of the row
       * and another pulse. Left out: 2^b - 2 for b-bit cells (write-verify.ts; 1-bit cells: 0).
       */
      write_verify_iterations: z.number().int().min(0).max(1000).optional(),
      /**
       * Writes one cell survives (program/erase cycles). Default 10^6: HfOx ReRAM holding 4
       * levels per cell (Huang et al., IEDM 2013); single-level bilayer TaOx cells reach 10^12
       * (Lee et al., Nature Materials 2011). The lifetime estimate of a reprogramming schedule divides it.
       */
      endurance_writes: positive.default(1e6),
      /** Read voltage across a cell (V); with the conductances it sets the array's read energy. */
      read_voltage_v: positive.default(0.15),
      /** Low-resistance (on) state (ohm). */
      r_on_ohm: positive.default(1e4),
      /** High-resistance (off) state (ohm). */
      r_off_ohm: positive.default(1e6),
      /** Area of one cell (um2). Left out: the crossbar's reference area over its cells. */
      cell_area_um2: positive.optional(),
    }),
    pe: z.object({
      /** Crossbar arrays of a PE. power_mw is one array's power while read every cycle. */
      crossbar: modelledComponent(
        {
          count: positiveInt,
          rows: positiveInt.max(MAX_CROSSBAR_SIDE),
          cols: positiveInt.max(MAX_CROSSBAR_SIDE),
          cell_bits: positiveInt.max(MAX_CELL_BITS),
          /** Per-column periphery of the array (sense line, column mux, driver), um2 per column. */
          column_periphery_um2: nonNegative.default(0),
          /**
           * Columns sharing one write driver: an array writes ceil(cols / write_column_mux) cells at
           * once. Default 16, NeuroSim's numWriteColMuxed (Chen et al., TCAD 2018; MLP_NeuroSim V3.0 Param.cpp).
           */
          write_column_mux: positiveInt.default(16),
        },
        { rows: positiveInt, cols: positiveInt, read_voltage_v: positive, r_on_ohm: positive, r_off_ohm: positive, read_latency_ns: positive },
      ),
      /** ADCs of a PE; sample_rate_gsps left out is derived from the reference (a SAR conversion takes bits + 2 steps). */
      adc: modelledComponent(
        {
          count: positiveInt,
          bits: positiveInt.max(MAX_CONVERTER_BITS),
          sample_rate_gsps: positive.optional(),
          /**
           * Which columns are converted each cycle: every column of an allocated array
           * (`all-columns`, ISAAC: idle columns waste conversions) or only the columns holding
           * weights (`used-columns`, MNSIM 2.0's ADC over used columns).
           */
          converts: z.enum(['all-columns', 'used-columns']).default('all-columns'),
        },
        { bits: positiveInt.max(MAX_CONVERTER_BITS), sample_rate_gsps: positive },
      ),
      /** DACs of a PE; count left out is one per row of every crossbar. */
      dac: modelledComponent({ count: positiveInt.optional(), bits: positiveInt.max(MAX_CONVERTER_BITS) }, { bits: positiveInt.max(MAX_CONVERTER_BITS) }),
      /** Sample-and-hold units of a PE; count left out is one per column of every crossbar. */
      sample_hold: modelledComponent({ count: positiveInt.optional() }, {}),
      /** Shift-and-add units; their width is the ADC output shifted over the input bits (adc.bits + activation_bits). */
      shift_add: modelledComponent({ count: positiveInt, latency_ns: positive }, { width_bits: positiveInt }),
      /** Input register; size left out holds one input vector per crossbar: count x rows x activation bytes. */
      input_register: modelledComponent({ count: positiveInt.default(1), size_bytes: positiveInt.optional() }, { size_bytes: positiveInt }),
      /** Output register; size left out holds one output per weight column of every crossbar. */
      output_register: modelledComponent({ count: positiveInt.default(1), size_bytes: positiveInt.optional() }, { size_bytes: positiveInt }),
    }),
    tile: z.object({
      pes: positiveInt,
      /**
       * The tile's activation buffer (eDRAM or SRAM): capacity, port width, access time and
       * banks (buffers.ts). Each bank moves one bus_bits-wide word per access_latency_ns; the
       * banks together are the port bandwidth every re-operator on the tile shares.
       * `input_reuse`: `none` reads a piece's whole input vector per MVM; `sliding-window` reads only
       * the stride / k new window columns of a conv (the rest shift along in the input registers,
       * MNSIM 2.0's line buffer). `pe_results`: `merged` adds the PEs' column results in the tile's
       * adder tree; `through-buffer` writes each array pair's results (ADC bits plus the tile
       * merge's carry bits) to the buffer and reads them back (activation bits) for the merge, as
       * MNSIM 2.0's tile output buffer does.
       */
      edram: givenComponent({
        size_kb: positive,
        bus_bits: positiveInt,
        access_latency_ns: positive,
        banks: positiveInt.default(1),
        input_reuse: z.enum(['none', 'sliding-window']).default('none'),
        pe_results: z.enum(['merged', 'through-buffer']).default('merged'),
      }),
      /** eDRAM-to-PE bus. */
      bus: givenComponent({ wires: positiveInt }),
      /** One router; its power and area are split among the `concentration` tiles that share it. */
      router: componentSchema.and(
        z.object({ ports: positiveInt, flit_bits: positiveInt, hop_latency_ns: positive }),
      ),
      /** Bandwidth of one inter-router link, one direction. */
      link_bandwidth_gbps: positive,
      /**
       * Other digital units of a tile (sigmoid, max-pool, tile output register ...). `activity`:
       * `cycles` busy whenever the tile's crossbars are (charged per crossbar cycle); `merge` busy
       * once per MVM for the tile's adder tree, ceil(log2 pes) clocks, in the share of the tile's
       * columns a piece converts (MNSIM 2.0's joint module, an adder per ADC output).
       */
      extras: z.array(givenComponent({ name: z.string().min(1), activity: z.enum(['cycles', 'merge']).default('cycles') })).default([]),
      /**
       * Vector functional unit (digital-units.ts): the lanes that run what crossbars do not
       * (pooling, element-wise adds, activations, softmax, LayerNorm, GELU and activation x
       * activation matmuls). `count` lanes per tile, or per PE with placement 'pe'; each lane does
       * one operation per `op_cycles` clock cycles at `op_energy_pj`.
       */
      vfu: givenComponent({
        placement: z.enum(['tile', 'pe']),
        op_energy_pj: z.object({ add: nonNegative, mul: nonNegative, div: nonNegative, exp: nonNegative }),
        op_cycles: z.object({ add: positive, mul: positive, div: positive, exp: positive }),
      }),
      /**
       * Activation x activation MACs (attention QK^T and AV) per clock cycle of one tile's
       * matmul datapath; each MAC costs the VFU's multiply and add energies. Default 32: a PUMA
       * tile's vector lanes (8 cores x 4 ALUs, puma-simulator config.py), one fused MAC per lane
       * per cycle (docs/cost-model.md, "Digital units").
       */
      digital_macs_per_cycle: positive.default(32),
      /**
       * Power the tile's write drivers may draw at once (mW): with E_write / t_write per cell under
       * a pulse, it caps the cells a tile programs together. Left out: the tile's peak power (its
       * supply is sized for computing at full activity; writes draw from the same supply).
       */
      write_power_mw: positive.optional(),
    }),
    /** Off-chip I/O (ISAAC: 4 HyperTransport links). Counted in chip power and area; carries weights when reprogramming. */
    io: z.object({
      name: z.string().default('io'),
      power_w: nonNegative,
      area_mm2: nonNegative,
      bandwidth_gbs: positive,
    }),
    /**
     * Which tiles draw static power: `none` (every tile, the whole run), `unused` (tiles no tenant
     * holds are power-gated, as PUMA's simulator and NeuroSim's network-sized floorplan do), `idle`
     * (a tile is also gated while it has nothing to compute, and pays a wake-up on every busy period).
     */
    power_policy: z.enum(['none', 'unused', 'idle']).default('unused'),
    /** Power gating of a tile (used by power_policy `idle`), in digital clock cycles. */
    power_gating: z
      .object({
        /** Cycles for a gated tile to wake (its first computation waits this long). */
        wake_latency_cycles: nonNegative.default(10),
        /** Wake-up energy as the cycles of the tile's leakage it costs (the gating break-even time). */
        break_even_cycles: nonNegative.default(10),
      })
      .default({ wake_latency_cycles: 10, break_even_cycles: 10 }),
  })
  .superRefine((c, ctx) => {
    if (c.topology.kind !== 'cmesh' && c.topology.concentration !== 1) {
      ctx.addIssue({ code: 'custom', path: ['topology', 'concentration'], message: `must be 1 for a ${c.topology.kind}`, input: c.topology.concentration });
    }
    if (c.topology.kind === 'cmesh' && c.topology.concentration !== 1) {
      const [cr, cc] = concentrationShape(c.topology.concentration);
      if (c.topology.rows % cr !== 0 || c.topology.cols % cc !== 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['topology'],
          message: `a ${c.topology.rows}x${c.topology.cols} mesh cannot be grouped into ${cr}x${cc} tiles per router`,
          input: [c.topology.rows, c.topology.cols],
        });
      }
    }
    if (c.device.r_off_ohm < c.device.r_on_ohm) {
      ctx.addIssue({ code: 'custom', path: ['device', 'r_off_ohm'], message: `must be at least device.r_on_ohm (${c.device.r_on_ohm})`, input: c.device.r_off_ohm });
    }
    if (c.pe.adc.count % c.pe.crossbar.count !== 0 && c.pe.crossbar.count % c.pe.adc.count !== 0) {
      ctx.addIssue({ code: 'custom', path: ['pe', 'adc', 'count'], message: `must be a multiple or a divisor of pe.crossbar.count (${c.pe.crossbar.count})`, input: c.pe.adc.count });
    }
  });

/** The validated chip spec (defaults filled in). Plain data, JSON-safe. */
export type ChipSpec = z.output<typeof chipSpecSchema>;
/** What a user may write (defaults optional). */
export type ChipSpecInput = z.input<typeof chipSpecSchema>;
export type ComponentSpec = z.output<typeof componentSchema>;

/** Router concentration as a block of tiles [rows, cols]: 2 -> 1x2, 4 -> 2x2. */
export function concentrationShape(concentration: number): [number, number] {
  return concentration === 4 ? [2, 2] : concentration === 2 ? [1, 2] : [1, 1];
}
