/**
 * The generator of assembly/rng.ts in TypeScript (the MAC experiment's operands; tests predict
 * the Wasm loop's Poisson arrivals with it): mulberry32 (Tommy Ettinger, public domain), a uniform
 * draw on (0, 1) built from 53 bits, a deterministic natural log (elementary f64 operations
 * only, because Math.log is not bit-identical across engines), and Marsaglia's polar
 * Box-Muller. Every operation mirrors the AssemblyScript so both streams are identical.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  nextU32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return (z ^ (z >>> 14)) >>> 0;
  }

  /** Uniform on (0, 1); never returns 0 or 1. */
  uniform(): number {
    const a = this.nextU32() >>> 5;
    const b = this.nextU32() >>> 6;
    return (a * 67108864.0 + b + 0.5) / 9007199254740992.0;
  }

  /** Standard normal (polar Box-Muller). */
  gauss(): number {
    let u = 0;
    let v = 0;
    let s = 0;
    do {
      u = 2.0 * this.uniform() - 1.0;
      v = 2.0 * this.uniform() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s === 0.0);
    return u * Math.sqrt((-2.0 * detLn(s)) / s);
  }
}

const LN2 = 0.6931471805599453;

/** ln(x) for x > 0 via m * 2^e range reduction and the atanh series (A&S 4.1.27); mirrors assembly/rng.ts. */
export function detLn(x: number): number {
  let m = x;
  let e = 0;
  while (m < 0.7071067811865476) {
    m *= 2.0;
    e -= 1.0;
  }
  while (m > 1.4142135623730951) {
    m *= 0.5;
    e += 1.0;
  }
  const s = (m - 1.0) / (m + 1.0);
  const s2 = s * s;
  let term = s;
  let sum = s;
  for (let k = 1; k <= 13; k++) {
    term *= s2;
    sum += term / (2 * k + 1);
  }
  return e * LN2 + 2.0 * sum;
}
