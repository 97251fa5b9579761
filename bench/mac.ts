/**
 * MAC kernel throughput (logical MAC/s = vectors x rows x cols per second): Wasm vs the same
 * loops in C (gcc -O3, the native ceiling, when gcc is present). Run by `npm run bench`
 * (scripts/bench.mjs bundles this file and writes bench/results/mac.json). Target: Wasm >= 0.6x native.
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
const MIN_SECONDS = 0.4;

function timeIt(fn: () => void): { seconds: number; reps: number } {
  fn(); // warm-up (JIT tiers up)
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    const s = (performance.now() - t0) / 1000;
    if (s >= MIN_SECONDS) return { seconds: s, reps };
    reps *= 2;
  }
}

function checksum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

export default async function run(): Promise<object> {
  const root = process.cwd();
  const wasm = await instantiateRetileWasm(readFileSync(join(root, 'build/wasm/retile.wasm')));
  const p = resolveMacParams(PARAMS);
  const { w, x } = randomMacOperands(p, VECTORS, 7);
  const macsPerRun = VECTORS * p.rows * p.cols;

  const m = new WasmMac(wasm, p, w, VECTORS);
  const wasmOut = m.run(x);
  const wa = timeIt(() => m.runInPlace());
  const waSum = checksum(new Float64Array(wasm.memory.buffer, wasmOut.byteOffset, wasmOut.length));

  let native: { seconds: number; reps: number; checksum: number } | null = null;
  let nativeNote = '';
  try {
    const dir = join(root, 'out/bench');
    mkdirSync(dir, { recursive: true });
    const bin = join(dir, 'mac-native');
    execFileSync('gcc', ['-O3', '-o', bin, join(root, 'bench/mac.c'), '-lm'], { stdio: 'pipe' });
    const reps = Math.max(1, Math.round((wa.reps * MIN_SECONDS) / Math.max(wa.seconds, 1e-9)));
    const head = Int32Array.of(p.rows, p.cols, p.weightBits, p.cellBits, p.polarity, p.actBits, p.dacBits, p.adcBits, VECTORS, reps);
    const file = join(dir, 'mac-operands.bin');
    writeFileSync(file, Buffer.concat([Buffer.from(head.buffer), Buffer.from(w.buffer), Buffer.from(x.buffer)]));
    native = JSON.parse(execFileSync(bin, [file], { encoding: 'utf8' }));
  } catch (e) {
    nativeNote = existsSync('/usr/bin/gcc') ? `native run failed: ${(e as Error).message.split('\n')[0]}` : 'gcc not found';
  }

  const rate = (t: { seconds: number; reps: number }): number => (macsPerRun * t.reps) / t.seconds;
  const result = {
    params: { ...PARAMS, vectors: VECTORS, slices: p.slices, physical_columns: p.physCols },
    macs_per_run: macsPerRun,
    wasm_macs_per_s: rate(wa),
    native_macs_per_s: native ? rate(native) : null,
    wasm_over_native: native ? rate(wa) / rate(native) : null,
    checksums_agree: !native || native.checksum === waSum,
    targets: { wasm_over_native_min: 0.6 },
    note: nativeNote || 'native: gcc -O3 (no -march flags: SSE2 f64x2, like Wasm SIMD)',
  };
  const fmt = (v: number | null): string => (v === null ? 'n/a' : `${(v / 1e6).toFixed(1)} M`);
  console.log('MAC kernel (128x128, 8-bit weights, 2-bit cells, 1-bit DAC, 9-bit ADC)');
  console.log('engine   | MAC/s');
  console.log(`Wasm     | ${fmt(result.wasm_macs_per_s)}`);
  console.log(`native C | ${fmt(result.native_macs_per_s)}`);
  console.log(`Wasm/native ${result.wasm_over_native?.toFixed(2) ?? 'n/a'}x (target >= 0.6); checksums agree: ${result.checksums_agree}`);
  return result;
}
