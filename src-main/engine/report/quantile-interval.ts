/**
 * A distribution-free confidence interval for a quantile from order statistics (W. J. Conover,
 * "Practical Nonparametric Statistics", 3rd ed., Wiley 1999, section 3.2): of m sorted samples,
 * [x_(l), x_(u)] covers the p-quantile with probability P(l <= B < u), B ~ Binomial(m, p). The
 * ranks are the exact binomial tails, alpha / 2 each; the interval is null while m is too small
 * for an upper rank (367 samples for the 99th percentile at 95 %: 0.99^367 < 0.025).
 */

/** Ranks (1-based) l and u of the interval, or null when no u <= m has a tail within alpha / 2. */
export function quantileRanks(m: number, p: number, alpha: number): { lower: number; upper: number } | null {
  if (m < 1) return null;
  // Binomial pmf in log space, k = 0..m (m is at most a serving run's request count).
  const logPmf = new Float64Array(m + 1);
  let lgm = 0;
  const lg = new Float64Array(m + 1);
  for (let k = 1; k <= m; k++) {
    lgm += Math.log(k);
    lg[k] = lgm;
  }
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  for (let k = 0; k <= m; k++) logPmf[k] = lg[m]! - lg[k]! - lg[m - k]! + k * lp + (m - k) * lq;
  // lower: the largest l with P(B < l) <= alpha / 2
  let below = 0;
  let lower = 0;
  for (let k = 0; k <= m; k++) {
    const next = below + Math.exp(logPmf[k]!);
    if (next > alpha / 2) break;
    below = next;
    lower = k + 1;
  }
  // upper: the smallest u with P(B >= u) <= alpha / 2
  let above = 0;
  let upper = m + 1;
  for (let k = m; k >= 0; k--) {
    const next = above + Math.exp(logPmf[k]!);
    if (next > alpha / 2) break;
    above = next;
    upper = k;
  }
  if (lower < 1 || upper > m) return null;
  return { lower, upper };
}

/** The interval's bounds over ascending `sorted` samples, or null when too few. */
export function quantileInterval(sorted: ArrayLike<number>, p: number, alpha: number): [number, number] | null {
  const r = quantileRanks(sorted.length, p, alpha);
  return r ? [sorted[r.lower - 1]!, sorted[r.upper - 1]!] : null;
}
