/**
 * Chart options for run results, written once for one run or several overlaid (Compare). Values
 * are plotted in one auto-chosen unit per axis (ns/µs/ms, pJ/nJ/µJ/mJ) named on the axis.
 */
import type { RunResult } from '../../src-main/api/contract';
import { axisStyle, tenantColor, TENANT_COLORS, type EChartsOption } from './charts';
import { axisUnit, fmtEnergy, fmtPct, fmtTime, trim } from './format';

export interface Labeled {
  label: string;
  result: RunResult;
}

const RUN_COLORS = ['#0072B2', '#E69F00', '#009E73', '#D55E00'];

/** Energy breakdown by component; one bar series per run. */
/**
 * How a bar chart's value axis is drawn: linear, logarithmic (when one bar dwarfs the rest, the
 * others stay readable) or each bar as a percent of its run's total.
 */
export type BarScale = 'linear' | 'log' | 'percent';

export function energyOption(runs: Labeled[], scale: BarScale = 'linear'): EChartsOption {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.result.energy_breakdown_j)))].sort(
    (a, b) => (runs[0].result.energy_breakdown_j[b] ?? 0) - (runs[0].result.energy_breakdown_j[a] ?? 0),
  );
  const max = Math.max(...runs.flatMap((r) => Object.values(r.result.energy_breakdown_j)), 1e-18);
  const { factor: energyFactor, unit: energyUnit } = axisUnit(max, 'energy');
  const total = (r: Labeled) => Object.values(r.result.energy_breakdown_j).reduce((s, v) => s + v, 0) || 1;
  const factor = scale === 'percent' ? 1 : energyFactor;
  const unit = scale === 'percent' ? '% of the run' : energyUnit;
  const value = (r: Labeled, k: string) => {
    const j = r.result.energy_breakdown_j[k] ?? 0;
    if (scale === 'percent') return (100 * j) / total(r);
    // A log axis has no zero: a component that used nothing is left out (a gap, not a bar).
    return scale === 'log' && j <= 0 ? null : j / factor;
  };
  return {
    color: runs.length > 1 ? RUN_COLORS : TENANT_COLORS,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => (scale === 'percent' ? `${trim(v as number)} %` : fmtEnergy((v as number) * factor)) },
    legend: runs.length > 1 ? { top: 0 } : { show: false },
    xAxis: { type: 'category', data: keys, ...axisStyle(), axisLabel: { ...axisStyle().axisLabel, interval: 0, rotate: keys.length > 6 ? 30 : 0 } },
    yAxis: { type: scale === 'log' ? 'log' : 'value', name: unit, ...axisStyle() },
    series: runs.map((r, i) => ({
      name: r.label,
      type: 'bar',
      data: keys.map((k) => value(r, k)),
      itemStyle: { borderRadius: [3, 3, 0, 0], color: runs.length > 1 ? RUN_COLORS[i % RUN_COLORS.length] : undefined },
      colorBy: runs.length > 1 ? 'series' : 'data',
    })),
  };
}

type Trace = RunResult['trace'];

/** Trace rows grouped by round (rows from before rounds were recorded count as round 0). */
function byRound(trace: Trace): Trace[] {
  const groups = new Map<number, Trace>();
  for (const row of trace) groups.set(row.round ?? 0, [...(groups.get(row.round ?? 0) ?? []), row]);
  return [...groups.values()];
}

/** A row's value for tenant `ti`, or null (a gap) when the tenant was not partitioned in that row's round. */
function memberValue(row: Trace[number], ti: number, value: number): number | null {
  return !row.members || row.members.includes(ti) ? value : null;
}

/**
 * Convergence: the objective per iteration, one line per round of execution (tenants that do not
 * fit together are partitioned round by round, each with its own objective); with one run, the
 * latencies of the tenants being partitioned too.
 */
export function convergenceOption(runs: Labeled[]): EChartsOption {
  const single = runs.length === 1;
  const maxObj = Math.max(...runs.flatMap((r) => r.result.trace.map((t) => t.objective)), 1e-18);
  const { factor, unit } = axisUnit(maxObj, 'time');
  const series: unknown[] = runs.flatMap((r, i) => {
    const rounds = byRound(r.result.trace);
    return rounds.map((rows, k) => ({
      name: `${single ? 'objective' : r.label}${rounds.length > 1 ? ` (round ${k + 1})` : ''}`,
      type: 'line',
      showSymbol: rows.length < 40,
      data: rows.map((t) => [t.iteration, t.objective / factor]),
      lineStyle: { width: 2.5, type: k === 0 ? 'solid' : 'dotted' },
      color: single ? '#888' : RUN_COLORS[i % RUN_COLORS.length],
    }));
  });
  if (single) {
    const r = runs[0].result;
    r.tenants.forEach((t, ti) =>
      series.push({
        name: t.name,
        type: 'line',
        showSymbol: false,
        connectNulls: false,
        data: r.trace.map((row) => [row.iteration, memberValue(row, ti, (row.latencies_s[ti] ?? NaN) / factor)]),
        lineStyle: { width: 1.5, type: 'dashed' },
        color: tenantColor(ti),
      }),
    );
  }
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (v == null ? '—' : fmtTime((v as number) * factor)) },
    legend: { top: 0 },
    xAxis: { type: 'value', name: 'iteration', minInterval: 1, ...axisStyle() },
    yAxis: { type: 'value', name: unit, scale: true, ...axisStyle() },
    series,
  };
}

/** Area shares per iteration (one run), stacked: how the learning-rate loop moves area between the tenants of each round. */
export function sharesOption(r: RunResult): EChartsOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    xAxis: { type: 'value', name: 'iteration', minInterval: 1, ...axisStyle() },
    yAxis: { type: 'value', name: 'tiles', ...axisStyle() },
    series: r.tenants.map((t, ti) => ({
      name: t.name,
      type: 'line',
      stack: 'shares',
      areaStyle: { opacity: 0.6 },
      showSymbol: false,
      color: tenantColor(ti),
      data: r.trace.map((row) => [row.iteration, memberValue(row, ti, row.shares[ti] ?? 0) ?? 0]),
    })),
  };
}

/** Per-tenant latency, one bar series per run. */
export function tenantLatencyOption(runs: Labeled[]): EChartsOption {
  const names = [...new Set(runs.flatMap((r) => r.result.tenants.map((t) => t.name)))];
  const max = Math.max(...runs.flatMap((r) => r.result.tenants.map((t) => t.latency_s)), 1e-18);
  const { factor, unit } = axisUnit(max, 'time');
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => fmtTime((v as number) * factor) },
    legend: runs.length > 1 ? { top: 0 } : { show: false },
    grid: { left: 56, right: 24, top: runs.length > 1 ? 36 : 24, bottom: 40, containLabel: true },
    xAxis: { type: 'category', data: names, ...axisStyle(), axisLabel: { ...axisStyle().axisLabel, interval: 0, rotate: names.length > 5 ? 25 : 0 } },
    yAxis: { type: 'value', name: unit, ...axisStyle() },
    series: runs.map((r, i) => ({
      name: r.label,
      type: 'bar',
      color: runs.length > 1 ? RUN_COLORS[i % RUN_COLORS.length] : undefined,
      colorBy: runs.length > 1 ? 'series' : 'data',
      itemStyle: { borderRadius: [3, 3, 0, 0] },
      data: names.map((n) => (r.result.tenants.find((t) => t.name === n)?.latency_s ?? NaN) / factor),
    })),
  };
}

/** Utilization heat map: each tile's busy time as a fraction of the makespan, on the mesh. */
export function heatmapOption(r: RunResult): EChartsOption {
  const [rows, cols] = r.placement.mesh;
  const data: [number, number, number][] = [];
  for (let i = 0; i < rows * cols; i++) data.push([i % cols, rows - 1 - Math.floor(i / cols), (r.tile_busy_s[i] ?? 0) / Math.max(r.makespan_s, 1e-30)]);
  return {
    // Decal patterns tell tenants apart; a busy-time ramp has none to tell, and a pattern per cell
    // (a thousand cells at 32x32) is most of this chart's drawing time.
    aria: { enabled: true, decal: { show: false } },
    tooltip: { formatter: (p: { value: [number, number, number] }) => `tile ${(rows - 1 - p.value[1]) * cols + p.value[0]}: busy ${fmtPct(p.value[2])} of the makespan` },
    grid: { left: 36, right: 80, top: 10, bottom: 30, containLabel: true },
    // A label every few tiles, chosen here: ECharts' automatic choice measures every label's text.
    xAxis: { type: 'category', data: Array.from({ length: cols }, (_, i) => i), ...axisStyle(), axisLabel: { ...axisStyle().axisLabel, interval: Math.ceil(cols / 16) - 1 }, axisTick: { show: false }, splitArea: { show: false } },
    yAxis: { type: 'category', data: Array.from({ length: rows }, (_, i) => rows - 1 - i), ...axisStyle(), axisLabel: { ...axisStyle().axisLabel, interval: Math.ceil(rows / 8) - 1 }, axisTick: { show: false } },
    visualMap: { min: 0, max: 1, calculable: true, orient: 'vertical', right: 0, top: 'center', inRange: { color: ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'] }, textStyle: { color: axisStyle().axisLabel.color }, formatter: (v: number) => `${trim(v * 100)} %` },
    // Drawn in chunks of 256 cells, one per frame (canvas only): a 32x32 mesh in one go blocked the page.
    series: [{ type: 'heatmap', data, progressive: 256, progressiveThreshold: 512, emphasis: { itemStyle: { borderColor: '#000', borderWidth: 1 } } }],
  };
}

/** Makespan and energy of several runs side by side (normalized to the first). */
export function headlineOption(runs: Labeled[]): EChartsOption {
  const base = runs[0].result;
  const metrics = [
    ['makespan', (r: RunResult) => r.makespan_s / base.makespan_s],
    ['energy', (r: RunResult) => r.energy_j / base.energy_j],
    ['EDP', (r: RunResult) => r.edp_js / base.edp_js],
  ] as const;
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => `${trim(v as number)}× of ${runs[0].label}` },
    legend: { top: 0 },
    xAxis: { type: 'category', data: metrics.map((m) => m[0]), ...axisStyle() },
    yAxis: { type: 'value', name: `relative to ${runs[0].label}`, ...axisStyle() },
    series: runs.map((r, i) => ({ name: r.label, type: 'bar', color: RUN_COLORS[i % RUN_COLORS.length], itemStyle: { borderRadius: [3, 3, 0, 0] }, data: metrics.map((m) => m[1](r.result)) })),
  };
}

export { fmtEnergy, fmtTime };

/** The energy split's parts, in the order they stack, with the words the chart shows. */
const SPLIT_PARTS = [
  ['dynamic', 'dynamic (MVMs, buffers, links)'],
  ['static_allocated', 'static, allocated tiles'],
  ['static_idle', 'static, idle tiles'],
  ['reprogram', 'reprogramming'],
] as const;

/**
 * Energy per tenant split into dynamic energy, static energy of its allocated tiles, its share of
 * the idle tiles' static energy and reprogramming (the run's power policy decides the static
 * parts); stacked bars, or each tenant's parts as a percent of its own total.
 */
export function energySplitOption(result: RunResult, scale: BarScale = 'linear'): EChartsOption {
  const tenants = result.tenants.filter((t) => t.energy_split_j);
  const max = Math.max(...tenants.map((t) => SPLIT_PARTS.reduce((s, [k]) => s + (t.energy_split_j![k] ?? 0), 0)), 1e-18);
  const { factor, unit } = axisUnit(max, 'energy');
  const total = (t: (typeof tenants)[number]) => SPLIT_PARTS.reduce((s, [k]) => s + (t.energy_split_j![k] ?? 0), 0) || 1;
  return {
    color: ['#0072B2', '#E69F00', '#999999', '#D55E00'],
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => (scale === 'percent' ? `${trim(v as number)} %` : fmtEnergy((v as number) * factor)) },
    legend: { top: 0 },
    xAxis: { type: 'category', data: tenants.map((t) => t.name), ...axisStyle(), axisLabel: { ...axisStyle().axisLabel, interval: 0, rotate: tenants.length > 5 ? 30 : 0 } },
    yAxis: { type: 'value', name: scale === 'percent' ? '% of the tenant' : unit, max: scale === 'percent' ? 100 : undefined, ...axisStyle() },
    series: SPLIT_PARTS.map(([k, name]) => ({
      name,
      type: 'bar',
      stack: 'energy',
      data: tenants.map((t) => (scale === 'percent' ? (100 * (t.energy_split_j![k] ?? 0)) / total(t) : (t.energy_split_j![k] ?? 0) / factor)),
    })),
  };
}
