/**
 * ECharts, trimmed to what Retile draws (line, bar, heat map, pie) on the SVG renderer: SVG keeps
 * text crisp at any zoom and makes SVG export a string copy. Theme colours come from the CSS
 * variables so light and dark themes match the rest of the UI.
 */
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart, PieChart, ScatterChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { svgFontFamily } from './svg-text';

echarts.use([BarChart, HeatmapChart, LineChart, PieChart, ScatterChart, DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, VisualMapComponent, SVGRenderer]);

export { echarts };
export type EChartsOption = echarts.EChartsCoreOption;

/** Tenant colours: Okabe–Ito-inspired, distinguishable for common colour-vision deficiencies, then more. */
export const TENANT_COLORS = ['#4C78A8', '#F58518', '#54A24B', '#E45756', '#72B7B2', '#B279A2', '#EECA3B', '#9D755D', '#FF9DA6', '#BAB0AC', '#2F4B7C', '#A05195'];
export const tenantColor = (i: number) => TENANT_COLORS[i % TENANT_COLORS.length];

export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** Base option pieces shared by every chart (text, axis and tooltip colours from the theme). */
export function baseOption(): EChartsOption {
  const text = cssVar('--text');
  const muted = cssVar('--muted');
  const border = cssVar('--border');
  return {
    backgroundColor: 'transparent',
    textStyle: { color: text, fontFamily: svgFontFamily(cssVar('--font')) },
    color: TENANT_COLORS,
    // No animation: an exported or captured chart always shows the final figures.
    animation: false,
    tooltip: { backgroundColor: cssVar('--panel'), borderColor: border, textStyle: { color: text, fontSize: 12 }, confine: true },
    legend: { textStyle: { color: muted }, top: 0, type: 'scroll' },
    grid: { left: 56, right: 24, top: 36, bottom: 40, containLabel: true },
  };
}

export function axisStyle() {
  const muted = cssVar('--muted');
  const border = cssVar('--border');
  return {
    axisLine: { lineStyle: { color: border } },
    axisTick: { lineStyle: { color: border } },
    axisLabel: { color: muted },
    splitLine: { lineStyle: { color: border, opacity: 0.6 } },
    nameTextStyle: { color: muted },
  };
}
