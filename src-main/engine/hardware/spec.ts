/**
 * The chip spec: a JSON description of a ReRAM PIM chip, validated with zod.
 *
 * Units are in the field names (`_ns`, `_mw`, `_mm2`, `_gsps`, `_gbps` ...). Every component
 * carries its power at full activity (`power_mw`, leakage included), the part of that power that
 * is static (`leakage_mw`, drawn whenever the chip is on), and its area, per unit. The cost
 * library (costs.ts) derives per-action energies and latencies from these and rolls them up to
 * PE, tile and chip, so every figure traces back to this table.
 */
import { z } from 'zod';
import { badInput } from '../errors';
import { checkLimit, MAX_COUNT, MAX_QUANTITY, MIN_QUANTITY, MAX_CELL_BITS, MAX_CONVERTER_BITS, MAX_CROSSBAR_SIDE, MAX_PRECISION_BITS } from '../limits';

// Bounded ranges (engine/limits.ts): extreme values would turn figures into Infinity or 0.
const positive = z.number().min(MIN_QUANTITY, `must be a number in [${MIN_QUANTITY}, ${MAX_QUANTITY}]`).max(MAX_QUANTITY, `must be a number in [${MIN_QUANTITY}, ${MAX_QUANTITY}]`);
const nonNegative = z
  .number()
  .nonnegative()
  .max(MAX_QUANTITY, `must be 0 or a number in [${MIN_QUANTITY}, ${MAX_QUANTITY}]`)
  .refine((v) => v === 0 || v >= MIN_QUANTITY, `must be 0 or a number in [${MIN_QUANTITY}, ${MAX_QUANTITY}]`);
const positiveInt = z.number().int().positive().max(MAX_COUNT);

const componentBase = {
  count: positiveInt,
  /** Power of one unit at full activity, leakage included (mW). */
  power_mw: nonNegative,
  /** Static part of power_mw, drawn while the chip is on (mW). Must not exceed power_mw. */
  leakage_mw: nonNegative.default(0),
  /** Area of one unit (mm2). */
  area_mm2: nonNegative,
};

/** One kind of component: `count` units per PE (or per tile), with per-unit power and area, plus extra fields. */
function component<T extends z.ZodRawShape>(extra: T) {
  return z
    .object({ ...componentBase, ...extra })
    .refine((c) => (c as { leakage_mw: number }).leakage_mw <= (c as { power_mw: number }).power_mw, {
      message: 'leakage_mw must not exceed power_mw',
      path: ['leakage_mw'],
    });
}

export const componentSchema = component({});

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
    }),
    precision: z.object({
      weight_bits: positiveInt.max(MAX_PRECISION_BITS),
      activation_bits: positiveInt.max(MAX_PRECISION_BITS),
    }),
    /**
     * differential: separate positive and negative arrays (p = 2, MNSIM Xbar_Polarity 2).
     * reference-column: one shared reference/unit column per array (p = 1, ISAAC flipped weights).
     */
    polarity: z.enum(['differential', 'reference-column']),
    /** Where the s = ceil(b_w / b_c) slices of a weight go: adjacent columns (ISAAC) or separate arrays (MNSIM). Same footprint. */
    slicing: z.enum(['adjacent-columns', 'separate-arrays']).default('adjacent-columns'),
    device: z.object({
      /** Analog read of one crossbar (all rows driven, columns sampled). */
      read_latency_ns: positive,
      /** Programming one row of cells (cells of a row are written in parallel). */
      write_latency_ns: positive,
      /** Energy to program one cell. */
      write_energy_pj: nonNegative,
    }),
    pe: z.object({
      /** Per array: power_mw is the array's power while read every cycle. */
      crossbar: component({ rows: positiveInt.max(MAX_CROSSBAR_SIDE), cols: positiveInt.max(MAX_CROSSBAR_SIDE), cell_bits: positiveInt.max(MAX_CELL_BITS) }),
      adc: component({ bits: positiveInt.max(MAX_CONVERTER_BITS), sample_rate_gsps: positive }),
      dac: component({ bits: positiveInt.max(MAX_CONVERTER_BITS) }),
      sample_hold: componentSchema,
      shift_add: component({ latency_ns: positive }),
      input_register: component({ size_bytes: positiveInt }),
      output_register: component({ size_bytes: positiveInt }),
    }),
    tile: z.object({
      pes: positiveInt,
      edram: component({ size_kb: positive, bus_bits: positiveInt }),
      /** eDRAM-to-PE bus. */
      bus: component({ wires: positiveInt }),
      /** One router; its power and area are split among the `concentration` tiles that share it. */
      router: componentSchema.and(
        z.object({ ports: positiveInt, flit_bits: positiveInt, hop_latency_ns: positive }),
      ),
      /** Bandwidth of one inter-router link, one direction. */
      link_bandwidth_gbps: positive,
      /** Other digital units of a tile (sigmoid, max-pool, tile output register ...). */
      extras: z.array(component({ name: z.string().min(1) })).default([]),
      /**
       * Digital unit for activation x activation matmuls (attention), which have no stationary
       * weights. Throughput in MACs per clock cycle and energy per MAC.
       */
      digital_macs_per_cycle: positive.default(32),
      digital_mac_energy_pj: nonNegative.default(1),
    }),
    /** Off-chip I/O (ISAAC: 4 HyperTransport links). Counted in chip power and area; carries weights when reprogramming. */
    io: z.object({
      name: z.string().default('io'),
      power_w: nonNegative,
      area_mm2: nonNegative,
      bandwidth_gbs: positive,
    }),
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

/**
 * Validate a chip spec. Throws RetileError('bad-input') naming the field path, the value found
 * and what was expected.
 */
export function parseChipSpec(json: unknown, source: string): ChipSpec {
  const result = chipSpecSchema.safeParse(json);
  if (result.success) {
    // Resource limits (engine/limits.ts): a huge mesh would exhaust memory in mapping and simulation.
    const { rows, cols } = result.data.topology;
    checkLimit('mesh rows', rows, 'maxMeshSide', { file: source, field: 'topology.rows' });
    checkLimit('mesh cols', cols, 'maxMeshSide', { file: source, field: 'topology.cols' });
    checkLimit(`tile count (${rows}x${cols})`, rows * cols, 'maxTiles', { file: source, field: 'topology' });
    return result.data;
  }
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String).join('.');
  const value = valueAt(json, issue.path as PropertyKey[]);
  const shown = value === undefined ? 'missing' : JSON.stringify(value);
  throw badInput(`${issue.message} (got ${shown})`, { file: source, field: path || '(root)' });
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let v: unknown = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}
