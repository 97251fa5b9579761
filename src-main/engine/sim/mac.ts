/**
 * The crossbar MAC kernel's driver (the kernel is assembly/mac.ts, run as Wasm) and its error
 * statistics against the exact integer product. See assembly/mac.ts for the encoding (bit
 * slices, polarity, DAC cycles, ADC step, shift-and-add).
 */
import { badInput } from '../errors';
import { Rng } from './rng';
import type { RetileWasmExports } from './wasm';

export interface MacParams {
  rows: number;
  cols: number;
  weightBits: number;
  cellBits: number;
  adcBits: number;
  /** Input (activation) bits; inputs are unsigned. Default 8. */
  actBits?: number;
  /** DAC bits per input cycle. Default 1 (ISAAC). */
  dacBits?: number;
  /** 2: separate positive/negative arrays (default); 1: offset encoding. */
  polarity?: number;
  /** Relative Gaussian conductance variation (G *= 1 + sigma*z). Default 0. */
  sigma?: number;
  /** Stuck-at-0 / stuck-at-1 (top level) probabilities per cell. Default 0. */
  stuckAt0?: number;
  stuckAt1?: number;
  seed?: number;
}

export interface ResolvedMacParams extends Required<MacParams> {
  /** Weight slices per weight: ceil(weightBits / cellBits). */
  slices: number;
  physCols: number;
  /** Row stride of the conductance array in f64 (physCols rounded up to even for f64x2 loads). */
  stride: number;
}

function intIn(v: unknown, name: string, lo: number, hi: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    throw badInput(`must be an integer in [${lo}, ${hi}], got ${String(v)}`, { field: name });
  }
  return v;
}

function realIn(v: unknown, name: string, lo: number, hi: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) {
    throw badInput(`must be a number in [${lo}, ${hi}], got ${String(v)}`, { field: name });
  }
  return v;
}

/** Checks ranges (sums must stay exact in f64 and shifts inside i32) and fills defaults. */
export function resolveMacParams(p: MacParams): ResolvedMacParams {
  const rows = intIn(p.rows, 'rows', 1, 4096);
  const cols = intIn(p.cols, 'cols', 1, 4096);
  const weightBits = intIn(p.weightBits, 'weight-bits', 2, 16);
  const cellBits = intIn(p.cellBits, 'cell-bits', 1, 8);
  const adcBits = intIn(p.adcBits, 'adc-bits', 1, 30);
  const actBits = intIn(p.actBits ?? 8, 'act-bits', 1, 16);
  const dacBits = intIn(p.dacBits ?? 1, 'dac-bits', 1, 8);
  const polarity = intIn(p.polarity ?? 2, 'polarity', 1, 2);
  const sigma = realIn(p.sigma ?? 0, 'sigma', 0, 10);
  const stuckAt0 = realIn(p.stuckAt0 ?? 0, 'stuck-at-0', 0, 1);
  const stuckAt1 = realIn(p.stuckAt1 ?? 0, 'stuck-at-1', 0, 1);
  if (stuckAt0 + stuckAt1 > 1) throw badInput('stuck-at probabilities sum above 1', { field: 'stuck-at-1' });
  const seed = intIn(p.seed ?? 1, 'seed', 0, 0xffffffff);
  const slices = Math.ceil(weightBits / cellBits);
  const physCols = cols * slices * polarity;
  const stride = physCols + (physCols & 1);
  return { rows, cols, weightBits, cellBits, adcBits, actBits, dacBits, polarity, sigma, stuckAt0, stuckAt1, seed, slices, physCols, stride };
}

/** ADC step and top level: step = 2^max(0, need - adcBits), 2^need > rows*(2^dac-1)*(2^cell-1) (full-scale sum). */
export function adcStep(p: ResolvedMacParams): { step: number; topLevel: number; needBits: number } {
  const maxSum = p.rows * ((1 << p.dacBits) - 1) * ((1 << p.cellBits) - 1);
  let need = 0;
  let cap = 1.0;
  while (cap <= maxSum) {
    cap *= 2.0;
    need++;
  }
  let step = 1.0;
  for (let b = p.adcBits; b < need; b++) step *= 2.0;
  let levels = 1.0;
  for (let b = 0; b < p.adcBits; b++) levels *= 2.0;
  return { step, topLevel: levels - 1.0, needBits: need };
}

/** Exact integer product (the reference the statistics compare against). */
export function exactProduct(w: Int32Array, x: Int32Array, nVec: number, rows: number, cols: number): Float64Array {
  const out = new Float64Array(nVec * cols);
  for (let v = 0; v < nVec; v++) {
    for (let r = 0; r < rows; r++) {
      const xr = x[v * rows + r];
      if (xr === 0) continue;
      for (let c = 0; c < cols; c++) out[v * cols + c] += xr * w[r * cols + c];
    }
  }
  return out;
}

/** Random signed weights in [-(2^(wb-1)-1), 2^(wb-1)-1] and unsigned inputs in [0, 2^ab-1], from `seed`. */
export function randomMacOperands(p: ResolvedMacParams, nVec: number, seed: number): { w: Int32Array; x: Int32Array } {
  const rng = new Rng(seed);
  const wMax = (1 << (p.weightBits - 1)) - 1;
  const w = new Int32Array(p.rows * p.cols);
  for (let i = 0; i < w.length; i++) w[i] = Math.floor(rng.uniform() * (2 * wMax + 1)) - wMax;
  const xMax = 2 ** p.actBits;
  const x = new Int32Array(nVec * p.rows);
  for (let i = 0; i < x.length; i++) x[i] = Math.floor(rng.uniform() * xMax);
  return { w, x };
}

/** Wasm run: lays weights, inputs, conductances, scratch and outputs out once in linear memory. */
export class WasmMac {
  private gPtr = 0;
  private xPtr = 0;
  private accPtr = 0;
  private outPtr = 0;

  constructor(
    private readonly wasm: RetileWasmExports,
    readonly p: ResolvedMacParams,
    w: Int32Array,
    private readonly nVec: number,
  ) {
    const { rows, cols, stride } = p;
    const bytes = [rows * cols * 4, rows * stride * 8, nVec * rows * 4, stride * 8, nVec * cols * 8].map((b) => (b + 15) & ~15);
    const total = bytes.reduce((a, b) => a + b, 0);
    const base = wasm.reserve(total);
    if (base === 0) throw badInput(`crossbar of ${rows}x${cols} does not fit in Wasm memory`, { field: 'rows' });
    const wPtr = base;
    this.gPtr = wPtr + bytes[0];
    this.xPtr = this.gPtr + bytes[1];
    this.accPtr = this.xPtr + bytes[2];
    this.outPtr = this.accPtr + bytes[3];
    new Int32Array(wasm.memory.buffer, wPtr, w.length).set(w);
    wasm.macProgram(wPtr, rows, cols, p.weightBits, p.cellBits, p.polarity, p.sigma, p.stuckAt0, p.stuckAt1, p.seed, this.gPtr, stride);
  }

  /** Copies the inputs in (nVec x rows) and runs; the result view is valid until the next call. */
  run(x: Int32Array): Float64Array {
    const p = this.p;
    new Int32Array(this.wasm.memory.buffer, this.xPtr, x.length).set(x);
    this.runInPlace();
    return new Float64Array(this.wasm.memory.buffer, this.outPtr, this.nVec * p.cols);
  }

  /** Runs again on the inputs already in memory (benchmarks). */
  runInPlace(): void {
    const p = this.p;
    this.wasm.macRun(this.gPtr, p.stride, this.xPtr, this.nVec, p.rows, p.cols, p.weightBits, p.cellBits, p.polarity, p.actBits, p.dacBits, p.adcBits, this.accPtr, this.outPtr);
  }

  conductances(): Float64Array {
    return new Float64Array(this.wasm.memory.buffer, this.gPtr, this.p.rows * this.p.stride);
  }
}

export interface MacErrorStats {
  exact: boolean;
  rmse: number;
  max_abs_error: number;
}

export function macErrorStats(out: ArrayLike<number>, exact: ArrayLike<number>): MacErrorStats {
  let se = 0;
  let maxAbs = 0;
  for (let i = 0; i < exact.length; i++) {
    const e = Math.abs(out[i] - exact[i]);
    se += e * e;
    if (e > maxAbs) maxAbs = e;
  }
  return { exact: maxAbs === 0, rmse: exact.length ? Math.sqrt(se / exact.length) : 0, max_abs_error: maxAbs };
}

export interface MacReport extends MacErrorStats {
  rows: number;
  cols: number;
  weight_bits: number;
  cell_bits: number;
  adc_bits: number;
  dac_bits: number;
  act_bits: number;
  polarity: number;
  sigma: number;
  seed: number;
  vectors: number;
  /** Logical multiply-accumulates: vectors x rows x cols. */
  macs: number;
  /** ADC bits the full-scale column sum needs for exact conversion. */
  adc_bits_needed: number;
  seconds: number;
}

/** The `retile mac` computation: random operands from the seed, one kernel run, statistics against the exact product. */
export function runMacExperiment(params: MacParams, vectors: number, wasm: RetileWasmExports): MacReport {
  const p = resolveMacParams(params);
  const nVec = intIn(vectors, 'vectors', 1, 1 << 20);
  const { w, x } = randomMacOperands(p, nVec, (p.seed ^ 0x9e3779b9) >>> 0);
  const t0 = performance.now();
  const out = new WasmMac(wasm, p, w, nVec).run(x).slice();
  const seconds = (performance.now() - t0) / 1000;
  const exact = exactProduct(w, x, nVec, p.rows, p.cols);
  return {
    ...macErrorStats(out, exact),
    rows: p.rows,
    cols: p.cols,
    weight_bits: p.weightBits,
    cell_bits: p.cellBits,
    adc_bits: p.adcBits,
    dac_bits: p.dacBits,
    act_bits: p.actBits,
    polarity: p.polarity,
    sigma: p.sigma,
    seed: p.seed,
    vectors: nVec,
    macs: nVec * p.rows * p.cols,
    adc_bits_needed: adcStep(p).needBits,
    seconds,
  };
}
