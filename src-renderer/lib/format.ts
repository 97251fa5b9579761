/**
 * Auto-scaled units for every figure the UI shows: time (ps..s), energy (pJ..J), power, area,
 * bytes, counts. One place so tables, tooltips and exports agree.
 */

function scaled(value: number, units: [number, string][], digits = 3): string {
  if (!Number.isFinite(value)) return '—';
  if (value === 0) return `0 ${units.find(([f]) => f === 1)?.[1] ?? units[0][1]}`;
  const abs = Math.abs(value);
  for (const [factor, unit] of units) {
    if (abs >= factor * 0.9995) return `${trim(value / factor, digits)} ${unit}`;
  }
  const [factor, unit] = units[units.length - 1];
  return `${trim(value / factor, digits)} ${unit}`;
}

/** Three significant digits without trailing zeros (1.50 -> 1.5, 123.4 -> 123). */
export function trim(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return '—';
  const s = Math.abs(v) >= 10 ** digits ? Math.round(v).toString() : Number(v.toPrecision(digits)).toString();
  return s;
}

const TIME: [number, string][] = [[1, 's'], [1e-3, 'ms'], [1e-6, 'µs'], [1e-9, 'ns'], [1e-12, 'ps']];
const ENERGY: [number, string][] = [[1, 'J'], [1e-3, 'mJ'], [1e-6, 'µJ'], [1e-9, 'nJ'], [1e-12, 'pJ']];
const POWER: [number, string][] = [[1e3, 'kW'], [1, 'W'], [1e-3, 'mW'], [1e-6, 'µW']];
const BYTES: [number, string][] = [[2 ** 40, 'TiB'], [2 ** 30, 'GiB'], [2 ** 20, 'MiB'], [2 ** 10, 'KiB'], [1, 'B']];
const COUNT: [number, string][] = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k'], [1, '']];

export const fmtTime = (s: number | null | undefined) => (s == null ? '—' : scaled(s, TIME));
export const fmtEnergy = (j: number | null | undefined) => (j == null ? '—' : scaled(j, ENERGY));
export const fmtPower = (w: number | null | undefined) => (w == null ? '—' : scaled(w, POWER));
export const fmtBytes = (b: number | null | undefined) => (b == null ? '—' : scaled(b, BYTES));
export const fmtCount = (n: number | null | undefined) => (n == null ? '—' : scaled(n, COUNT).trimEnd());
// One formatter for every integer: toLocaleString builds a new one per call, and a layer table formats thousands.
const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
export const fmtInt = (n: number | null | undefined) => (n == null ? '—' : INT.format(Math.round(n)));
/** Area in mm² (chips are 1..1000 mm²; smaller parts in µm²). */
export const fmtArea = (mm2: number | null | undefined) =>
  mm2 == null ? '—' : Math.abs(mm2) < 0.01 && mm2 !== 0 ? `${trim(mm2 * 1e6)} µm²` : `${trim(mm2)} mm²`;
export const fmtPct = (f: number | null | undefined) => (f == null || !Number.isFinite(f) ? '—' : `${trim(f * 100)} %`);
export const fmtRatio = (r: number | null | undefined) => (r == null || !Number.isFinite(r) ? '—' : `${trim(r)}×`);
export const fmtNum = (v: number | null | undefined) => (v == null ? '—' : trim(v));
const HOURS: [number, string][] = [[8766, 'years'], [24, 'days'], [1, 'h'], [1 / 60, 'min'], [1 / 3600, 's']];
/** A duration given in hours (device lifetimes): years, days, h, min or s. */
export const fmtHours = (h: number | null | undefined) => (h == null ? '—' : scaled(h, HOURS));
export const fmtOps = (gops: number) => scaled(gops * 1e9, [[1e15, 'POPS'], [1e12, 'TOPS'], [1e9, 'GOPS'], [1e6, 'MOPS']]);
export const fmtDate = (iso: string | null) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—');

/** Relative change b vs a: "+12.3 %" (for lower-is-better figures the caller decides the colour). */
export function fmtDelta(a: number, b: number): string {
  if (!Number.isFinite(a) || !Number.isFinite(b) || a === 0) return '—';
  const d = (b - a) / Math.abs(a);
  return `${d >= 0 ? '+' : '−'}${trim(Math.abs(d) * 100)} %`;
}

/** Picks one unit for a whole axis so ticks are comparable: returns the factor and its label. */
export function axisUnit(maxValue: number, kind: 'time' | 'energy'): { factor: number; unit: string } {
  const table = kind === 'time' ? TIME : ENERGY;
  for (const [factor, unit] of table) if (Math.abs(maxValue) >= factor) return { factor, unit };
  const [factor, unit] = table[table.length - 1];
  return { factor, unit };
}
