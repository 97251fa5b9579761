/** Time left for a job from its elapsed time and overall fraction, and durations in words. */

/**
 * Seconds left, extrapolating the rate so far; null until the job is 5 % done and 2 s old (an
 * estimate from the first stage alone swings too much to be worth showing).
 */
export function remaining(elapsedS: number, fraction: number): number | null {
  if (fraction < 0.05 || elapsedS < 2) return null;
  if (fraction >= 1) return 0;
  return (elapsedS * (1 - fraction)) / fraction;
}

/** 42 s, 3 min 05 s, 1 h 02 min. */
export function fmtDuration(s: number): string {
  const t = Math.round(s);
  if (t < 60) return `${t} s`;
  if (t < 3600) return `${Math.floor(t / 60)} min ${String(t % 60).padStart(2, '0')} s`;
  return `${Math.floor(t / 3600)} h ${String(Math.floor((t % 3600) / 60)).padStart(2, '0')} min`;
}
