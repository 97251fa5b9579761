/**
 * Chart options for a serving sweep (one serving result per request rate): each tenant's latency
 * percentiles and its SLA attainment against the rate every tenant is offered.
 */
import type { ServeResult } from '../../src-main/api/contract';
import { axisStyle, tenantColor, type EChartsOption } from './charts';
import { axisUnit, fmtPct, fmtTime, trim } from './format';

/** The rate axis: logarithmic when the rates span a factor of ten or more (a doubling sweep). */
function rateAxis(points: ServeResult[]) {
  const rates = points.map((p) => p.tenants[0]?.rate_rps ?? 0);
  const log = Math.max(...rates) >= 10 * Math.min(...rates);
  return { type: log ? 'log' : 'value', name: 'requests/s per tenant', nameLocation: 'middle', nameGap: 26, min: 'dataMin', max: 'dataMax', ...axisStyle() };
}

const DASH = { p50_s: 'dotted', p95_s: 'dashed', p99_s: 'solid' } as const;

/** p50 (dotted), p95 (dashed) and p99 (solid) latency per tenant against the request rate; a tenant's three lines share its legend entry. */
export function serveLatencyOption(points: ServeResult[]): EChartsOption {
  const names = points[0]?.tenants.map((t) => t.name) ?? [];
  const max = Math.max(...points.flatMap((p) => p.tenants.map((t) => t.p99_s)), 1e-18);
  const { factor, unit } = axisUnit(max, 'time');
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => fmtTime((v as number) * factor) },
    legend: { top: 0, data: names },
    grid: { left: 56, right: 24, top: 44, bottom: 48, containLabel: true },
    xAxis: rateAxis(points),
    yAxis: { type: 'value', name: unit, ...axisStyle() },
    series: names.flatMap((name, ti) =>
      (['p50_s', 'p95_s', 'p99_s'] as const).map((key) => ({
        name,
        id: `${name}-${key}`,
        type: 'line',
        color: tenantColor(ti),
        lineStyle: { width: key === 'p99_s' ? 2.5 : 1.5, type: DASH[key] },
        symbolSize: key === 'p99_s' ? 7 : 4,
        data: points.map((p) => [p.tenants[ti]!.rate_rps, p.tenants[ti]![key] / factor]),
      })),
    ),
  };
}

/** Share of each tenant's measured requests within its p99 target, against the request rate (tenants with an SLA). */
export function serveAttainmentOption(points: ServeResult[]): EChartsOption {
  const tenants = (points[0]?.tenants ?? []).map((t, ti) => ({ name: t.name, ti, sla: t.sla_p99_ms })).filter((t) => t.sla !== null);
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => fmtPct((v as number) / 100) },
    legend: { top: 0 },
    grid: { left: 56, right: 24, top: 44, bottom: 48, containLabel: true },
    xAxis: rateAxis(points),
    yAxis: { type: 'value', name: '% within the p99 target', min: 0, max: 100, ...axisStyle() },
    series: tenants.map((t, k) => ({
      name: `${t.name} (p99 ≤ ${trim(t.sla!)} ms)`,
      type: 'line',
      color: tenantColor(t.ti),
      lineStyle: { width: 2.5 },
      symbolSize: 7,
      data: points.map((p) => [p.tenants[t.ti]!.rate_rps, 100 * (p.tenants[t.ti]!.sla_attainment ?? 0)]),
      // 99 % within the target is what a p99 target asks.
      ...(k === 0 ? { markLine: { silent: true, symbol: 'none', label: { formatter: '99 %' }, lineStyle: { type: 'dashed', color: '#888' }, data: [{ yAxis: 99 }] } } : {}),
    })),
  };
}
