/**
 * The order-statistic interval of a quantile (Conover 1999, section 3.2), checked against the
 * binomial distribution computed independently here (pmf by the recurrence
 * pmf(k + 1) = pmf(k) (m - k) / (k + 1) p / (1 - p), no logarithms): the ranks cover the quantile
 * with at least 95 %, and moving either rank inwards would not; and, for the median of 100, against
 * the normal-approximation ranks of Campbell and Gardner (BMJ 1988): n/2 -+ 1.96 sqrt(n)/2 (+1).
 */
import { describe, expect, it } from 'vitest';
import { quantileInterval, quantileRanks } from '../../../src-main/engine/report/quantile-interval';

/** From the likelier end, so the start does not underflow: (1 - p)^m upwards for p <= 1/2, p^m downwards above. */
function binomialPmf(m: number, p: number): number[] {
  const pmf = new Array<number>(m + 1).fill(0);
  if (p <= 0.5) {
    pmf[0] = Math.pow(1 - p, m);
    for (let k = 0; k < m; k++) pmf[k + 1] = (pmf[k]! * (m - k) * p) / ((k + 1) * (1 - p));
  } else {
    pmf[m] = Math.pow(p, m);
    for (let k = m; k > 0; k--) pmf[k - 1] = (pmf[k]! * k * (1 - p)) / ((m - k + 1) * p);
  }
  return pmf;
}
const mass = (pmf: number[], from: number, to: number) => pmf.slice(from, to).reduce((a, b) => a + b, 0);

describe('quantileRanks', () => {
  it.each([
    [100, 0.5],
    [1000, 0.99],
    [5000, 0.99],
  ])('m = %i, p = %f: coverage >= 95 %, each tail at most 2.5 %, and the tightest such ranks', (m, p) => {
    const r = quantileRanks(m, p, 0.05)!;
    const pmf = binomialPmf(m, p);
    expect(mass(pmf, r.lower, r.upper)).toBeGreaterThanOrEqual(0.95);
    expect(mass(pmf, 0, r.lower)).toBeLessThanOrEqual(0.025 + 1e-12);
    expect(mass(pmf, 0, r.lower + 1)).toBeGreaterThan(0.025);
    expect(mass(pmf, r.upper, m + 1)).toBeLessThanOrEqual(0.025 + 1e-12);
    expect(mass(pmf, r.upper - 1, m + 1)).toBeGreaterThan(0.025);
  });
  it('the median of 100 samples: the normal approximation\'s ranks', () => {
    const n = 100;
    const half = (1.96 * Math.sqrt(n)) / 2;
    expect(quantileRanks(n, 0.5, 0.05)).toEqual({ lower: Math.round(n / 2 - half), upper: Math.round(1 + n / 2 + half) });
  });
  it('has no upper rank for p99 with too few samples, and takes the order statistics when it has one', () => {
    expect(quantileRanks(300, 0.99, 0.05)).toBeNull(); // 0.99^300 = 0.049: even the largest sample is below p99 too often
    const sorted = Array.from({ length: 1000 }, (_, i) => i + 1);
    const r = quantileRanks(1000, 0.99, 0.05)!;
    expect(quantileInterval(sorted, 0.99, 0.05)).toEqual([r.lower, r.upper]);
  });
});
