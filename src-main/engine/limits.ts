/**
 * Every resource limit of the engine in one place (docs/reliability.md has the table).
 *
 * Beyond a limit the engine throws RetileError('limit', ...) naming what was too large, the
 * value, the limit and the setting that raises it, instead of exhausting memory or running
 * without bound. The settings live in one mutable object so a host (or a test) can raise or
 * lower them with `setLimits`; the defaults are sized so that every shipped preset, zoo model
 * and study case fits with a wide margin.
 *
 * The fixed limits of the workload importer and builders (rank, dims, 2^40 elements per tensor,
 * opsets, protobuf nesting) are correctness bounds, not resource settings: they are constants.
 * Beyond them a model is rejected with a RetileError ('limit') naming the file, node and
 * operator, instead of overflowing, allocating without bound or hanging.
 */
import { RetileError, type ErrorWhere } from './errors';

/** Largest element count of one tensor: 2^40 (1 Ti elements, 2 TB at fp16). Keeps every
 *  product of dims far below Number.MAX_SAFE_INTEGER (2^53), so MAC sums stay exact. */
export const MAX_TENSOR_ELEMENTS = 2 ** 40;

/** Largest single dimension accepted (a dim above this is certainly corrupt). */
export const MAX_DIM = 2 ** 31 - 1;

/**
 * Chips above this many tiles (128x128) are run memory first: the CLI's workers keep a smaller heap
 * (cli/sweep/pool.ts `workerHeap`) and the simulation cache a smaller largest entry (sim/cache.ts).
 */
export const MEMORY_FIRST_TILES = 16_384;

/** Largest tensor rank (ONNX models in practice stay at or below 6). */
export const MAX_RANK = 8;

/** Largest operator count of one graph (the largest public CNNs/LLM exports have ~10^4-10^5). */
export const MAX_NODES = 1_000_000;

/** Largest MAC total of one model (2^53: past it, sums stop being exact integers). */
export const MAX_MACS = Number.MAX_SAFE_INTEGER;

/** Largest batch a tenant may ask for. */
export const MAX_BATCH = 65_536;

/** Largest protobuf nesting we follow (ONNX: model > graph > node > attribute > tensor/graph). */
export const MAX_PROTO_DEPTH = 32;

/** ONNX default-domain opsets the importer supports (7 to 21). */
export const MIN_OPSET = 7;
export const MAX_OPSET = 21;

/** Largest ONNX file read whole (protobuf messages are limited to 2 GiB; bigger models use external data). */
export const MAX_ONNX_BYTES = 2 ** 31 - 1;

/**
 * Ranges of chip-spec fields (hardware/spec.ts), fixed: beyond them a spec is nonsense and the
 * mapping would slice each weight into millions of columns (found by the chip-spec fuzzer).
 */
/** Weight and activation precision: at most 32 bits (fp32 / int32 operands). */
export const MAX_PRECISION_BITS = 32;
/** Bits per ReRAM cell: published cells store 1 to 4 bits (ISAAC 2, MNSIM 1); 8 leaves room. */
export const MAX_CELL_BITS = 8;
/** ADC and DAC resolution: 32 bits is far above any published converter (ISAAC's ADC is 8-bit). */
export const MAX_CONVERTER_BITS = 32;
/** Crossbar rows or columns: published arrays are 32 to 1024 on a side; 4096 leaves room. */
export const MAX_CROSSBAR_SIDE = 4096;

/**
 * Every physical quantity of a chip spec (ns, mW, mm2, GHz, pJ, Gbps ...) lies in
 * [MIN_QUANTITY, MAX_QUANTITY] (0 allowed where the field may be zero): a clock of 5e-324 GHz or
 * a power of 1e308 mW would make figures Infinity (found by the chip-spec fuzzer). The presets'
 * non-zero values span 3.9e-8 (the S+H area in mm2) to 2,048; the range leaves 10^7 below and
 * 10^5 above, and products of a few extremes stay far from the f64 range (1e308).
 */
export const MIN_QUANTITY = 1e-15;
export const MAX_QUANTITY = 1e9;
/** Component counts (per PE or tile) and bit widths of buses and flits. */
export const MAX_COUNT = 1_000_000;

export interface Limits {
  /** Largest rows or cols of a chip's tile mesh. */
  maxMeshSide: number;
  /** Largest number of tiles of a chip (rows x cols). */
  maxTiles: number;
  /** Largest number of tenants of one deployment. */
  maxTenants: number;
  /** Largest number of operators (graph nodes) of one model. */
  maxOperators: number;
  /** Largest ONNX file accepted, in bytes. */
  maxOnnxBytes: number;
  /** Largest number of events one simulation may process before it is stopped. */
  maxSimEvents: number;
  /** Largest number of re-operators (placed pieces) of one deployment. */
  maxReOperators: number;
  /** Largest element count of one constant whose values the ONNX importer computes (folding). */
  maxFoldedElements: number;
  /** Largest total of folded constant elements held for one model. */
  maxFoldedModelElements: number;
  /** Largest number of outputs of one ONNX node (Split's outputs, `num_outputs`, split sizes). */
  maxNodeOutputs: number;
  /** Largest number of crossbars one layer's weights need on a chip (before any is placed). */
  maxCrossbarsPerLayer: number;
}

/**
 * Defaults. Sizes of reference: the largest preset mesh is MNSIM's 64 x 64 = 4,096 tiles; the
 * study's largest case simulates ~2.6 M events in 0.4 s (docs/simulator.md benchmarks), so
 * 200 M events is ~75x that (about 30 s of Wasm event loop) and bounds a run's time without
 * refusing any realistic scenario.
 */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  // 1024 x 1024 tiles would be 256x the ISAAC chip's area per side; 65,536 tiles = 16x MNSIM's 4,096.
  maxMeshSide: 1024,
  maxTiles: 65_536,
  // The deployment spec's tenant list ("several DNNs" at once); 64 keeps per-tenant tables small.
  maxTenants: 64,
  maxOperators: MAX_NODES,
  // protobuf messages are limited to 2 GiB (larger models use external data).
  maxOnnxBytes: MAX_ONNX_BYTES,
  maxSimEvents: 200_000_000,
  // The study's largest case places ~5,000 re-operators; the fuzzer's worst (vgg16 on 8x8 crossbars) 185,139.
  maxReOperators: 1_000_000,
  // Folded constants are shape vectors, axes and small tables (exporters' shape chains); the
  // largest a shipped model folds has a few hundred elements. 65,536 values per constant and
  // 4 Mi per model (32 MB of doubles) bound what a hostile chain of Concat/Tile/Expand can build.
  maxFoldedElements: 65_536,
  maxFoldedModelElements: 4_194_304,
  // Split into per-head or per-channel parts: real exports have at most a few hundred outputs.
  maxNodeOutputs: 4096,
  // vgg16's largest layer (fc6, 25,088 x 4,096 weights) needs ~50 k ISAAC crossbars (128 x 128,
  // 8 slices) and ~1.6 M on 32 x 32 arrays, the smallest published; on 1 x 1 arrays it would need
  // ~10^9 and run for many minutes. 16 M admits every shipped model on arrays of 16 x 16 and up.
  maxCrossbarsPerLayer: 16_777_216,
});

/** The limits in force (read at call time by every check). */
export const LIMITS: Limits = { ...DEFAULT_LIMITS };

/**
 * Overrides some limits; returns a function that restores the previous values (tests, hosts
 * reading an environment setting). Every value must be a positive safe integer.
 */
export function setLimits(patch: Partial<Limits>): () => void {
  const before = { ...LIMITS };
  for (const [k, v] of Object.entries(patch)) {
    if (!(k in DEFAULT_LIMITS)) throw new RetileError('bad-input', `unknown limit '${k}' (expected one of ${Object.keys(DEFAULT_LIMITS).join(', ')})`, { field: k });
    if (!Number.isSafeInteger(v) || (v as number) < 1) throw new RetileError('bad-input', `limit must be a positive integer (got ${String(v)})`, { field: k });
    (LIMITS as unknown as Record<string, number>)[k] = v as number;
  }
  return () => Object.assign(LIMITS, before);
}

/** The one message format: "<what> is <value>, above the limit of <limit> (setting <name>)". */
export function limitError(what: string, value: number | string, setting: keyof Limits, where: ErrorWhere = {}): RetileError {
  return new RetileError('limit', `${what} is ${value}, above the limit of ${LIMITS[setting]}`, { ...where, setting });
}

/** Throws when `value` exceeds the limit `setting`. */
export function checkLimit(what: string, value: number, setting: keyof Limits, where: ErrorWhere = {}): void {
  if (value > LIMITS[setting]) throw limitError(what, value, setting, where);
}
