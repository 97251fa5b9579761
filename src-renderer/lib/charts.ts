/**
 * ECharts, trimmed to what Retile draws (line, bar, heat map, pie) on the SVG renderer: SVG keeps
 * text crisp at any zoom and makes SVG export a string copy. Dense charts (a heat map cell per
 * tile) draw on canvas instead and export through a detached SVG instance. Theme colours come from the CSS
 * variables so light and dark themes match the rest of the UI.
 */
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart, PieChart, ScatterChart } from 'echarts/charts';
import { AriaComponent, DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';
import { svgFontFamily } from './svg-text';

echarts.use([AriaComponent, BarChart, HeatmapChart, LineChart, PieChart, ScatterChart, DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, VisualMapComponent, CanvasRenderer, SVGRenderer]);

export { echarts };
export type EChartsOption = echarts.EChartsCoreOption;

/**
 * Tenant colours: the Okabe–Ito palette (Okabe and Ito, "Color Universal Design", 2008), told
 * apart under the common colour-vision deficiencies, its black swapped for grey so it shows on
 * the dark theme; then darker and lighter variants for more tenants. Colour is never the only
 * cue: charts add decal patterns, the floorplan numbers its tenants, tables and legends name them.
 */
export const TENANT_COLORS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#999999', '#004C7A', '#A87400', '#006B4F', '#8F4F74'];
export const tenantColor = (i: number) => TENANT_COLORS[i % TENANT_COLORS.length];

/** Black or white, whichever reads better on `hex` (WCAG relative luminance). */
export function inkOn(hex: string): '#000' | '#fff' {
  const [r, g, b] = [1, 3, 5].map((k) => {
    const c = parseInt(hex.slice(k, k + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.179 ? '#000' : '#fff';
}

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
    // Decal patterns on bars and areas: a second cue besides colour (and in grey-scale prints).
    aria: { enabled: true, decal: { show: true } },
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
