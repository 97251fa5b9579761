// Bit-sliced crossbar matrix-vector multiply (ISAAC-style), operating on arrays the driver
// placed in linear memory (src-main/engine/sim/mac.ts is the driver).
//
// Weights w (signed, weightBits) are stored as conductance levels of cellBits each:
//   polarity 2: separate positive and negative arrays hold max(w,0) and max(-w,0);
//   polarity 1: one array holds w + 2^(weightBits-1) and the offset is removed digitally.
// Each weight takes S = ceil(weightBits / cellBits) slices in adjacent columns (ISAAC, Shafiee
// et al. 2016, Sec. 4), so a logical column c maps to physical columns (c*S + j)*P + pol.
// Inputs stream through the DAC, dacBits per cycle; every physical column's analog sum is
// converted by an ADC of adcBits (uniform step, clipped at full scale), then shift-and-add
// recombines slices and cycles: out += sign * q * 2^(j*cellBits + k*dacBits).

import { rngSeed, rngUniform, rngGauss } from './rng';

/**
 * Programs the crossbar: writes conductance levels (f64) for every physical cell, row-major with
 * `stride` f64 per row (stride = physical columns rounded up to even, padding zero).
 * Stuck-at faults (probabilities pSA0: cell at level 0, pSA1: at the top level) and Gaussian
 * device variation (G *= 1 + sigma*z, clamped at 0) are drawn from `seed`, cell by cell.
 * Returns the number of physical columns.
 */
export function macProgram(
  wPtr: usize, rows: i32, cols: i32, weightBits: i32, cellBits: i32, polarity: i32,
  sigma: f64, pSA0: f64, pSA1: f64, seed: u32, gPtr: usize, stride: i32,
): i32 {
  const S = (weightBits + cellBits - 1) / cellBits;
  const P = polarity == 2 ? 2 : 1;
  const phys = cols * S * P;
  const levelMask = (1 << cellBits) - 1;
  const top = <f64>levelMask;
  const offset = 1 << (weightBits - 1);
  const faults = pSA0 + pSA1 > 0.0;
  rngSeed(seed);
  for (let r = 0; r < rows; r++) {
    const rowPtr = gPtr + ((<usize>r * <usize>stride) << 3);
    for (let p = phys; p < stride; p++) store<f64>(rowPtr + ((<usize>p) << 3), 0.0);
    for (let c = 0; c < cols; c++) {
      const w = load<i32>(wPtr + ((<usize>r * <usize>cols + <usize>c) << 2));
      for (let j = 0; j < S; j++) {
        for (let pol = 0; pol < P; pol++) {
          let mag: i32;
          if (P == 2) mag = pol == 0 ? (w > 0 ? w : 0) : (w < 0 ? -w : 0);
          else mag = w + offset;
          let g = <f64>((mag >> (j * cellBits)) & levelMask);
          if (faults) {
            const u = rngUniform();
            if (u < pSA0) g = 0.0;
            else if (u < pSA0 + pSA1) g = top;
          }
          if (sigma > 0.0) {
            g = g * (1.0 + sigma * rngGauss());
            if (g < 0.0) g = 0.0;
          }
          store<f64>(rowPtr + ((<usize>((c * S + j) * P + pol)) << 3), g);
        }
      }
    }
  }
  return phys;
}

/**
 * Runs nVec input vectors (i32, actBits unsigned, row-major nVec x rows) through the programmed
 * crossbar; writes nVec x cols f64 results to outPtr. accPtr is scratch of `stride` f64
 * (16-byte aligned). The ADC step is 2^max(0, need - adcBits) where 2^need > rows*(2^dacBits-1)*(2^cellBits-1)
 * is the full-scale column sum, so with adcBits >= need every conversion is exact.
 */
export function macRun(
  gPtr: usize, stride: i32, xPtr: usize, nVec: i32, rows: i32, cols: i32,
  weightBits: i32, cellBits: i32, polarity: i32, actBits: i32, dacBits: i32, adcBits: i32,
  accPtr: usize, outPtr: usize,
): void {
  const S = (weightBits + cellBits - 1) / cellBits;
  const P = polarity == 2 ? 2 : 1;
  const cycles = (actBits + dacBits - 1) / dacBits;
  const dacMask = (1 << dacBits) - 1;
  const maxSum = <f64>rows * <f64>dacMask * <f64>((1 << cellBits) - 1);
  let need = 0;
  let cap: f64 = 1.0;
  while (cap <= maxSum) { cap *= 2.0; need++; }
  let step: f64 = 1.0;
  for (let b = adcBits; b < need; b++) step *= 2.0;
  let levels: f64 = 1.0;
  for (let b = 0; b < adcBits; b++) levels *= 2.0;
  const topLevel = levels - 1.0;
  const offset = <f64>(1 << (weightBits - 1));
  const strideBytes = (<usize>stride) << 3;
  for (let v = 0; v < nVec; v++) {
    const xv = xPtr + ((<usize>v * <usize>rows) << 2);
    const ov = outPtr + ((<usize>v * <usize>cols) << 3);
    for (let c = 0; c < cols; c++) store<f64>(ov + ((<usize>c) << 3), 0.0);
    let cycleScale: f64 = 1.0;
    for (let k = 0; k < cycles; k++) {
      const shift = k * dacBits;
      for (let p: usize = 0; p < strideBytes; p += 16) v128.store(accPtr + p, f64x2.splat(0.0));
      for (let r = 0; r < rows; r++) {
        const d = (load<i32>(xv + ((<usize>r) << 2)) >> shift) & dacMask;
        if (d == 0) continue;
        const dv = f64x2.splat(<f64>d);
        const gp = gPtr + <usize>r * strideBytes;
        // Four vectors per iteration: the engine's compiler does not unroll, and the loop's
        // index and branch otherwise cost as much as the multiply-add (same sums, same order).
        let p: usize = 0;
        for (; p + 64 <= strideBytes; p += 64) {
          const a = accPtr + p;
          const g = gp + p;
          v128.store(a, f64x2.add(v128.load(a), f64x2.mul(v128.load(g), dv)));
          v128.store(a, f64x2.add(v128.load(a, 16), f64x2.mul(v128.load(g, 16), dv)), 16);
          v128.store(a, f64x2.add(v128.load(a, 32), f64x2.mul(v128.load(g, 32), dv)), 32);
          v128.store(a, f64x2.add(v128.load(a, 48), f64x2.mul(v128.load(g, 48), dv)), 48);
        }
        for (; p < strideBytes; p += 16) {
          v128.store(accPtr + p, f64x2.add(v128.load(accPtr + p), f64x2.mul(v128.load(gp + p), dv)));
        }
      }
      // ADC and shift-and-add
      for (let c = 0; c < cols; c++) {
        let total = load<f64>(ov + ((<usize>c) << 3));
        let sliceScale = cycleScale;
        for (let j = 0; j < S; j++) {
          for (let pol = 0; pol < P; pol++) {
            const a = load<f64>(accPtr + ((<usize>((c * S + j) * P + pol)) << 3));
            let q = Math.floor(a / step + 0.5);
            if (q > topLevel) q = topLevel;
            if (q < 0.0) q = 0.0;
            const val = q * step * sliceScale;
            if (pol == 0) total += val; else total -= val;
          }
          sliceScale *= <f64>(1 << cellBits);
        }
        store<f64>(ov + ((<usize>c) << 3), total);
      }
      cycleScale *= <f64>(1 << dacBits);
    }
    if (P == 1) {
      let xs: f64 = 0.0;
      for (let r = 0; r < rows; r++) xs += <f64>load<i32>(xv + ((<usize>r) << 2));
      const corr = offset * xs;
      for (let c = 0; c < cols; c++) {
        const o = ov + ((<usize>c) << 3);
        store<f64>(o, load<f64>(o) - corr);
      }
    }
  }
}

/** Exact integer product out[v][c] = sum_r x[v][r] * w[r][c] (f64, exact below 2^53). */
export function macExact(wPtr: usize, xPtr: usize, nVec: i32, rows: i32, cols: i32, outPtr: usize): void {
  for (let v = 0; v < nVec; v++) {
    const ov = outPtr + ((<usize>v * <usize>cols) << 3);
    for (let c = 0; c < cols; c++) store<f64>(ov + ((<usize>c) << 3), 0.0);
    for (let r = 0; r < rows; r++) {
      const x = <f64>load<i32>(xPtr + ((<usize>v * <usize>rows + <usize>r) << 2));
      if (x == 0.0) continue;
      const wr = wPtr + ((<usize>r * <usize>cols) << 2);
      for (let c = 0; c < cols; c++) {
        const o = ov + ((<usize>c) << 3);
        store<f64>(o, load<f64>(o) + x * <f64>load<i32>(wr + ((<usize>c) << 2)));
      }
    }
  }
}
