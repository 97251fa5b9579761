// Seeded PRNG and the few math functions the simulator and the MAC kernel draw from.
// Implemented with the same integer and f64 operations as src-main/engine/sim/rng.ts, so a test
// can predict the Wasm streams from TypeScript (Math.log differs between engines in the last
// ulp, hence detLn below uses only +, *, / on f64).

let rngState: u32 = 0;

/** Seeds the generator (mulberry32: Tommy Ettinger's 32-bit generator, public domain). */
export function rngSeed(seed: u32): void {
  rngState = seed;
}

/** Next 32-bit output of mulberry32. */
// @ts-ignore: decorator
@inline export function rngNextU32(): u32 {
  rngState += 0x6d2b79f5;
  let z = rngState;
  z = (z ^ (z >>> 15)) * (z | 1);
  z ^= z + (z ^ (z >>> 7)) * (z | 61);
  return z ^ (z >>> 14);
}

/** Uniform f64 in the open interval (0, 1): 53 bits from two draws, plus half an ulp so 0 never appears. */
export function rngUniform(): f64 {
  const a = rngNextU32() >>> 5; // 27 bits
  const b = rngNextU32() >>> 6; // 26 bits
  return (<f64>a * 67108864.0 + <f64>b + 0.5) / 9007199254740992.0;
}

/** ln(2) rounded to f64. */
const LN2: f64 = 0.6931471805599453;

/**
 * Natural logarithm of x > 0 from elementary operations only: x = m * 2^e with m in
 * [sqrt(1/2), sqrt(2)], ln m = 2 atanh(s), s = (m - 1)/(m + 1), |s| < 0.172, series to s^27
 * (truncation error below 1e-20, Abramowitz & Stegun 4.1.27).
 */
export function detLn(x: f64): f64 {
  let m = x;
  let e: f64 = 0;
  while (m < 0.7071067811865476) { m *= 2.0; e -= 1.0; }
  while (m > 1.4142135623730951) { m *= 0.5; e += 1.0; }
  const s = (m - 1.0) / (m + 1.0);
  const s2 = s * s;
  let term = s;
  let sum = s;
  for (let k = 1; k <= 13; k++) {
    term *= s2;
    sum += term / <f64>(2 * k + 1);
  }
  return e * LN2 + 2.0 * sum;
}

/** Standard normal draw: Marsaglia's polar form of Box-Muller (needs only ln and sqrt, both deterministic here). */
export function rngGauss(): f64 {
  let u: f64 = 0, v: f64 = 0, s: f64 = 0;
  do {
    u = 2.0 * rngUniform() - 1.0;
    v = 2.0 * rngUniform() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  return u * Math.sqrt((-2.0 * detLn(s)) / s);
}
