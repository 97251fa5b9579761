/**
 * MAC kernel throughput (logical MAC/s = vectors x rows x cols per second): Wasm vs the same
 * loops in C (gcc -O3, the native ceiling, when gcc is present). Run by `npm run bench`
 * (scripts/bench.mjs bundles this file and writes bench/results/mac.json). Target: Wasm >= 0.8x
 * native, as the median of paired rounds: each round times both engines on the same operands
 * and the same repetitions back to back, in alternating order (W, N, then N, W ...), so a change
 * of machine load between rounds moves both sides of a ratio alike.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { instantiateRetileWasm } from '../src-main/engine/sim/wasm';
import { WasmMac, randomMacOperands, resolveMacParams } from '../src-main/engine/sim/mac';

// An ISAAC-like 128-row crossbar column set: 8-bit weights in 2-bit cells, positive/negative arrays,
// 8-bit inputs through a 1-bit DAC, 9-bit ADC (exact for 128 rows; see test/unit/sim/mac.test.ts).
const PARAMS = { rows: 128, cols: 128, weightBits: 8, cellBits: 2, adcBits: 9, actBits: 8, dacBits: 1, polarity: 2, seed: 1 };
const VECTORS = 32;
/** Seconds one side of a round runs for (the repetitions are fixed once, from the Wasm side). */
const ROUND_SECONDS = 0.25;
const ROUNDS = 9;

/** Repetitions that take about ROUND_SECONDS, after a warm-up (the JIT tiers up). */
function calibrate(fn: () => void): number {
  fn();
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    const s = (performance.now() - t0) / 1000;
    if (s >= ROUND_SECONDS / 4) return Math.max(1, Math.round((reps * ROUND_SECONDS) / s));
    reps *= 2;
  }
}

function timeReps(fn: () => void, reps: number): number {
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) fn();
  return (performance.now() - t0) / 1000;
}

function checksum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

const median = (xs: number[]): number => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
};

export default async function run(): Promise<object> {
  const root = process.cwd();
  const wasm = await instantiateRetileWasm(readFileSync(join(root, 'build/wasm/retile.wasm')));
  const p = resolveMacParams(PARAMS);
  const { w, x } = randomMacOperands(p, VECTORS, 7);
  const macsPerRun = VECTORS * p.rows * p.cols;

  const m = new WasmMac(wasm, p, w, VECTORS);
  const wasmOut = m.run(x);
  const reps = calibrate(() => m.runInPlace());
  const waSum = checksum(new Float64Array(wasm.memory.buffer, wasmOut.byteOffset, wasmOut.length));

  /** One timing of the native build: its own warm-up, then `reps` runs (seconds, checksum). */
  let native: (() => { seconds: number; checksum: number }) | null = null;
  let nativeNote = '';
  try {
    const dir = join(root, 'out/bench');
    mkdirSync(dir, { recursive: true });
    const bin = join(dir, 'mac-native');
    execFileSync('gcc', ['-O3', '-o', bin, join(root, 'bench/mac.c'), '-lm'], { stdio: 'pipe' });
    const head = Int32Array.of(p.rows, p.cols, p.weightBits, p.cellBits, p.polarity, p.actBits, p.dacBits, p.adcBits, VECTORS, reps);
    const file = join(dir, 'mac-operands.bin');
    writeFileSync(file, Buffer.concat([Buffer.from(head.buffer), Buffer.from(w.buffer), Buffer.from(x.buffer)]));
    native = () => JSON.parse(execFileSync(bin, [file], { encoding: 'utf8' })) as { seconds: number; checksum: number };
  } catch (e) {
    nativeNote = existsSync('/usr/bin/gcc') ? `native build failed: ${(e as Error).message.split('\n')[0]}` : 'gcc not found';
  }

  const rounds: { wasm_s: number; native_s: number | null; wasm_over_native: number | null }[] = [];
  let nativeSum: number | null = null;
  for (let i = 0; i < ROUNDS; i++) {
    let wasmS = 0;
    let nativeS: number | null = null;
    const timeNative = (): void => {
      if (!native) return;
      const r = native();
      nativeS = r.seconds;
      nativeSum = r.checksum;
    };
    if (i % 2 === 0) {
      wasmS = timeReps(() => m.runInPlace(), reps);
      timeNative();
    } else {
      timeNative();
      wasmS = timeReps(() => m.runInPlace(), reps);
    }
    rounds.push({ wasm_s: wasmS, native_s: nativeS, wasm_over_native: nativeS === null ? null : nativeS / wasmS });
  }
  const ratios = rounds.flatMap((r) => (r.wasm_over_native === null ? [] : [r.wasm_over_native]));
  const best = (k: 'wasm_s' | 'native_s'): number | null => {
    const v = rounds.flatMap((r) => (r[k] === null ? [] : [r[k]!]));
    return v.length ? Math.min(...v) : null;
  };
  const rate = (seconds: number | null): number | null => (seconds === null ? null : (macsPerRun * reps) / seconds);
  const result = {
    params: { ...PARAMS, vectors: VECTORS, slices: p.slices, physical_columns: p.physCols },
    macs_per_run: macsPerRun,
    reps_per_round: reps,
    // Best round of each engine.
    wasm_macs_per_s: rate(best('wasm_s')),
    native_macs_per_s: rate(best('native_s')),
    // Median and minimum of the paired rounds' ratios.
    wasm_over_native: ratios.length ? median(ratios) : null,
    wasm_over_native_min_round: ratios.length ? Math.min(...ratios) : null,
    rounds,
    checksums_agree: nativeSum === null || nativeSum === waSum,
    targets: { wasm_over_native_median: 0.8 },
    note: nativeNote || 'native: gcc -O3 (no -march flags: SSE2 f64x2, like Wasm SIMD)',
  };
  const fmt = (v: number | null): string => (v === null ? 'n/a' : `${(v / 1e6).toFixed(1)} M`);
  console.log('MAC kernel (128x128, 8-bit weights, 2-bit cells, 1-bit DAC, 9-bit ADC)');
  console.log('engine   | MAC/s');
  console.log(`Wasm     | ${fmt(result.wasm_macs_per_s)}`);
  console.log(`native C | ${fmt(result.native_macs_per_s)}`);
  console.log(
    `Wasm/native, ${ROUNDS} paired rounds: median ${result.wasm_over_native?.toFixed(2) ?? 'n/a'}x, min ${result.wasm_over_native_min_round?.toFixed(2) ?? 'n/a'}x (target: median >= 0.8); checksums agree: ${result.checksums_agree}`,
  );
  return result;
}
