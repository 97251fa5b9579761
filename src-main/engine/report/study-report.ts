/**
 * The study's files: CSV, and minimal hand-written SVG plots (the chart library is browser-only):
 * speed-up vs chip size per mix, and the tenant-level vs operator-level contribution per case.
 */
import { maxOf, minOf } from '../arrays';
import type { BaselineName } from '../optimize/baselines';

/** One figure per strategy of the study. */
export interface StrategyFigures {
  tenant: number;
  operator: number;
  'learning-rate': number;
  collaborative: number;
  anneal: number;
}

export const STUDY_STRATEGIES: (keyof StrategyFigures)[] = ['tenant', 'operator', 'learning-rate', 'collaborative', 'anneal'];

/** One case of the study: every strategy's and baseline's simulated figures, and the gains over direct and over the best baseline. */
export interface StudyCase {
  id: string;
  chip: string;
  mesh: [number, number];
  topology: string;
  mix: string;
  tenants: string[];
  pressure: number;
  results: Record<string, { makespan_s: number; energy_j: number }>;
  /** Over direct (the paper's baseline). */
  speedup: StrategyFigures;
  energy_gain: StrategyFigures;
  /** The fastest of direct, balanced and sequential (simulated), and the figures over it. */
  best_baseline: BaselineName;
  speedup_vs_best: StrategyFigures;
  energy_gain_vs_best: StrategyFigures;
  /** Collaborative's sustained operations over the chip's peak. */
  peak_fraction: number;
  lower_bound_s: number;
  chosen: string;
  seconds: number;
}

export function studyCsv(cases: StudyCase[]): string {
  const keys = STUDY_STRATEGIES;
  const head = ['id', 'chip', 'mesh', 'topology', 'mix', 'tenants', 'pressure', 'direct_s', 'balanced_s', 'sequential_s', 'best_baseline',
    ...keys.map((k) => `${k}_s`), ...keys.map((k) => `speedup_${k}`), ...keys.map((k) => `speedup_vs_best_${k}`),
    ...keys.map((k) => `energy_gain_${k}`), ...keys.map((k) => `energy_gain_vs_best_${k}`), 'peak_fraction', 'lower_bound_s', 'chosen', 'seconds'];
  const f = (x: number): string => x.toFixed(3);
  const rows = cases.map((c) => [
    c.id, c.chip, `${c.mesh[0]}x${c.mesh[1]}`, c.topology, c.mix, c.tenants.join('+'), c.pressure.toFixed(3),
    c.results.direct!.makespan_s, c.results.balanced!.makespan_s, c.results.sequential!.makespan_s, c.best_baseline,
    ...keys.map((k) => c.results[k]!.makespan_s), ...keys.map((k) => f(c.speedup[k])), ...keys.map((k) => f(c.speedup_vs_best[k])),
    ...keys.map((k) => f(c.energy_gain[k])), ...keys.map((k) => f(c.energy_gain_vs_best[k])), c.peak_fraction.toPrecision(4), c.lower_bound_s, c.chosen, c.seconds.toFixed(2),
  ].join(','));
  return [head.join(','), ...rows].join('\n') + '\n';
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

interface Series {
  name: string;
  points: [number, number][];
}

/** A log-log (x: tiles, y: speed-up) line chart. */
export function lineChartSvg(title: string, xLabel: string, yLabel: string, series: Series[]): string {
  const W = 640, H = 400, L = 60, R = 150, T = 40, B = 50;
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const lx0 = Math.log10(minOf(xs)), lx1 = Math.log10(maxOf(xs)) + 1e-9;
  const ly0 = Math.floor(Math.log10(Math.min(1, minOf(ys))) * 2) / 2, ly1 = Math.ceil(Math.log10(maxOf(ys)) * 2) / 2 + 1e-9;
  const X = (x: number): number => L + ((Math.log10(x) - lx0) / (lx1 - lx0 || 1)) * (W - L - R);
  const Y = (y: number): number => H - B - ((Math.log10(y) - ly0) / (ly1 - ly0 || 1)) * (H - T - B);
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`, `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2 - R / 2}" y="22" text-anchor="middle" font-size="14">${esc(title)}</text>`];
  for (let e = Math.ceil(ly0 * 2) / 2; e <= ly1; e += 0.5) {
    const v = Math.pow(10, e);
    out.push(`<line x1="${L}" x2="${W - R}" y1="${Y(v)}" y2="${Y(v)}" stroke="#ddd"/>`, `<text x="${L - 6}" y="${Y(v) + 4}" text-anchor="end">${v >= 10 ? v.toFixed(0) : v.toPrecision(2)}</text>`);
  }
  for (const x of [...new Set(xs)].sort((a, b) => a - b)) out.push(`<line x1="${X(x)}" x2="${X(x)}" y1="${T}" y2="${H - B}" stroke="#eee"/>`, `<text x="${X(x)}" y="${H - B + 16}" text-anchor="middle">${x}</text>`);
  out.push(`<line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" stroke="black"/>`, `<line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="black"/>`);
  out.push(`<text x="${(L + W - R) / 2}" y="${H - 12}" text-anchor="middle">${esc(xLabel)}</text>`, `<text transform="translate(16 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`);
  series.forEach((s, k) => {
    const c = COLORS[k % COLORS.length];
    const pts = [...s.points].sort((a, b) => a[0] - b[0]);
    out.push(`<polyline fill="none" stroke="${c}" stroke-width="2" points="${pts.map((p) => `${X(p[0]).toFixed(1)},${Y(p[1]).toFixed(1)}`).join(' ')}"/>`);
    for (const p of pts) out.push(`<circle cx="${X(p[0]).toFixed(1)}" cy="${Y(p[1]).toFixed(1)}" r="3" fill="${c}"/>`);
    out.push(`<rect x="${W - R + 12}" y="${T + k * 20}" width="12" height="12" fill="${c}"/>`, `<text x="${W - R + 30}" y="${T + k * 20 + 10}">${esc(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/** Grouped bars (log y): per case, speed-up of tenant-only, operator-only and collaborative. */
export function contributionSvg(title: string, cases: StudyCase[]): string {
  const W = Math.max(640, 60 + cases.length * 48 + 150), H = 420, L = 60, R = 150, T = 40, B = 110;
  const keys: ('tenant' | 'operator' | 'collaborative')[] = ['tenant', 'operator', 'collaborative'];
  const ys = cases.flatMap((c) => keys.map((k) => c.speedup[k]));
  const ly0 = Math.min(0, Math.floor(Math.log10(minOf(ys)) * 2) / 2), ly1 = Math.ceil(Math.log10(maxOf(ys)) * 2) / 2 + 1e-9;
  const Y = (y: number): number => H - B - ((Math.log10(y) - ly0) / (ly1 - ly0 || 1)) * (H - T - B);
  const gw = (W - L - R) / cases.length;
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`, `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${(W - R) / 2}" y="22" text-anchor="middle" font-size="14">${esc(title)}</text>`];
  for (let e = Math.ceil(ly0 * 2) / 2; e <= ly1; e += 0.5) {
    const v = Math.pow(10, e);
    out.push(`<line x1="${L}" x2="${W - R}" y1="${Y(v)}" y2="${Y(v)}" stroke="#ddd"/>`, `<text x="${L - 6}" y="${Y(v) + 4}" text-anchor="end">${v >= 10 ? v.toFixed(0) : v.toPrecision(2)}</text>`);
  }
  out.push(`<line x1="${L}" x2="${W - R}" y1="${Y(1)}" y2="${Y(1)}" stroke="black"/>`);
  cases.forEach((c, i) => {
    const x0 = L + i * gw + gw * 0.1;
    const bw = (gw * 0.8) / keys.length;
    keys.forEach((k, j) => {
      const y = Y(c.speedup[k]);
      const top = Math.min(y, Y(1));
      out.push(`<rect x="${(x0 + j * bw).toFixed(1)}" y="${top.toFixed(1)}" width="${(bw - 1).toFixed(1)}" height="${Math.abs(Y(1) - y).toFixed(1)}" fill="${COLORS[j]}"><title>${esc(c.id)} ${k}: ${c.speedup[k].toFixed(2)}x</title></rect>`);
    });
    out.push(`<text transform="translate(${(x0 + gw * 0.4).toFixed(1)} ${H - B + 8}) rotate(60)" font-size="10">${esc(c.id)}</text>`);
  });
  keys.forEach((k, j) => out.push(`<rect x="${W - R + 12}" y="${T + j * 20}" width="12" height="12" fill="${COLORS[j]}"/>`, `<text x="${W - R + 30}" y="${T + j * 20 + 10}">${k}</text>`));
  out.push(`<text transform="translate(16 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">speed-up vs direct (log)</text>`, '</svg>');
  return out.join('\n') + '\n';
}

/** Speed-up vs chip size (square isaac meshes) per mix, one chart per strategy. */
export function speedupVsSizeSvg(cases: StudyCase[], key: 'collaborative' | 'tenant' | 'operator'): string {
  const square = cases.filter((c) => c.topology !== 'torus' && c.mesh[0] === c.mesh[1]);
  const mixes = [...new Set(square.map((c) => c.mix))];
  return lineChartSvg(`${key} speed-up over direct vs chip size`, 'tiles (log)', 'speed-up (log)', mixes.map((m) => ({
    name: m,
    points: square.filter((c) => c.mix === m).map((c) => [c.mesh[0] * c.mesh[1], c.speedup[key]] as [number, number]),
  })));
}
