import { beforeAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  WasmMac, adcStep, macErrorStats, exactProduct, randomMacOperands, resolveMacParams, runMacExperiment,
} from '../../../src-main/engine/sim/mac';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { loadTestWasm } from './load-wasm';

let wasm: RetileWasmExports;
beforeAll(async () => {
  wasm = await loadTestWasm();
});

describe('crossbar MAC kernel', () => {
  test('hand-computed 2x2 product through 1-bit cells and a 1-bit DAC', () => {
    // W = [[3, -2], [1, 4]], x = [5, 2]: x^T W = [5*3 + 2*1, 5*(-2) + 2*4] = [17, -2] (by hand).
    const p = resolveMacParams({ rows: 2, cols: 2, weightBits: 4, cellBits: 1, adcBits: 8, actBits: 3, dacBits: 1 });
    const w = Int32Array.of(3, -2, 1, 4);
    const x = Int32Array.of(5, 2);
    expect(Array.from(new WasmMac(wasm, p, w, 1).run(x))).toEqual([17, -2]);
  });

  test('ADC full scale: 128 rows, 1-bit DAC, 2-bit cells need 9 bits (128*1*3 = 384 < 2^9)', () => {
    const p = resolveMacParams({ rows: 128, cols: 1, weightBits: 8, cellBits: 2, adcBits: 9 });
    expect(adcStep(p)).toEqual({ step: 1, topLevel: 511, needBits: 9 });
    // ISAAC's 8-bit ADC for 128 rows with 2-bit cells (Shafiee et al. 2016) is one bit short without its encoding trick: step 2.
    expect(adcStep(resolveMacParams({ rows: 128, cols: 1, weightBits: 8, cellBits: 2, adcBits: 8 })).step).toBe(2);
  });

  test('with enough ADC bits and no variation the result equals the exact integer product', () => {
    fc.assert(
      fc.property(
        fc.record({
          rows: fc.integer({ min: 1, max: 40 }),
          cols: fc.integer({ min: 1, max: 12 }),
          weightBits: fc.integer({ min: 2, max: 10 }),
          cellBits: fc.integer({ min: 1, max: 4 }),
          actBits: fc.integer({ min: 1, max: 10 }),
          dacBits: fc.integer({ min: 1, max: 4 }),
          polarity: fc.constantFrom(1, 2),
          seed: fc.integer({ min: 0, max: 1000 }),
          nVec: fc.integer({ min: 1, max: 3 }),
        }),
        (r) => {
          const p0 = resolveMacParams({ ...r, adcBits: 1 });
          const p = resolveMacParams({ ...r, adcBits: adcStep(p0).needBits });
          const { w, x } = randomMacOperands(p, r.nVec, r.seed);
          const exact = exactProduct(w, x, r.nVec, p.rows, p.cols);
          const wa = new WasmMac(wasm, p, w, r.nVec).run(x);
          expect(Array.from(wa)).toEqual(Array.from(exact));
        },
      ),
      { numRuns: 60 },
    );
  });

  test('variation, faults and a short ADC give an error, the same for the same seed', () => {
    const p = resolveMacParams({ rows: 64, cols: 16, weightBits: 8, cellBits: 2, adcBits: 5, dacBits: 2, sigma: 0.1, stuckAt0: 0.01, stuckAt1: 0.01, seed: 42 });
    const { w, x } = randomMacOperands(p, 4, 7);
    const out = new WasmMac(wasm, p, w, 4).run(x).slice();
    expect(Array.from(new WasmMac(wasm, p, w, 4).run(x))).toEqual(Array.from(out));
    const stats = macErrorStats(out, exactProduct(w, x, 4, p.rows, p.cols));
    expect(stats.exact).toBe(false);
    expect(stats.rmse).toBeGreaterThan(0);
  });

  test('clipping: a saturated column reads the ADC top level', () => {
    // 4 rows of weight 1 (1 cell bit, polarity 2), input 1 on every row: column sum 4 = 0b100 needs 3 bits.
    // A 2-bit ADC has step 2^(3-2) = 2 and top level 3 -> reads min(round(4/2), 3) * 2 = 4 (exact);
    // a 1-bit ADC: step 4, top level 1 -> 4. With sum 3 (3 rows on): 2-bit -> round(1.5)=2 -> 4, error 1.
    const p = resolveMacParams({ rows: 4, cols: 1, weightBits: 2, cellBits: 1, adcBits: 2, actBits: 1 });
    const w = Int32Array.of(1, 1, 1, 1);
    expect(Array.from(new WasmMac(wasm, p, w, 1).run(Int32Array.of(1, 1, 1, 1)))).toEqual([4]);
    expect(Array.from(new WasmMac(wasm, p, w, 1).run(Int32Array.of(1, 1, 1, 0)))).toEqual([4]);
  });

  test('error grows as ADC bits shrink (report form)', () => {
    const full = runMacExperiment({ rows: 128, cols: 32, weightBits: 8, cellBits: 2, adcBits: 9 }, 4, wasm);
    const short = runMacExperiment({ rows: 128, cols: 32, weightBits: 8, cellBits: 2, adcBits: 5 }, 4, wasm);
    expect(full.exact).toBe(true);
    expect(full.macs).toBe(4 * 128 * 32);
    expect(short.exact).toBe(false);
    expect(short.rmse).toBeGreaterThan(full.rmse);
  });
});
