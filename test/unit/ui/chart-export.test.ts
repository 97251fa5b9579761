/**
 * Chart SVG export: ECharts writes the text style's font list into a double-quoted style
 * attribute without escaping, so a font list as the browser computes it ("Segoe UI" in double
 * quotes) made every exported SVG malformed. svgFontFamily gives a list that stays inside the attribute.
 */
import { describe, expect, it } from 'vitest';
import * as echarts from 'echarts';
import { svgFontFamily } from '../../../src-renderer/lib/svg-text';

/** Every attribute of every tag closes where it should: after `name="..."` comes a space, `/` or `>`. */
function attributesWellFormed(svg: string): boolean {
  for (const tag of svg.match(/<[a-zA-Z][^<]*?>/g) ?? []) {
    const body = tag.replace(/^<[a-zA-Z:-]+/, '').replace(/\/?>$/, '');
    if (!/^(\s+[a-zA-Z_:-]+="[^"<]*")*\s*$/.test(body)) return false;
  }
  return true;
}

function render(fontFamily: string): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 320, height: 200 });
  chart.setOption({ animation: false, textStyle: { fontFamily }, xAxis: { type: 'category', data: ['a', 'b'], name: 'tiles' }, yAxis: {}, series: [{ type: 'bar', data: [1, 2] }] });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

describe('chart SVG export', () => {
  const computed = `"Inter", system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif`;

  it('the browser-computed font list breaks the SVG (the defect)', () => {
    expect(attributesWellFormed(render(computed))).toBe(false);
  });

  it('the SVG-safe font list keeps every attribute well-formed and the same fonts', () => {
    const safe = svgFontFamily(computed);
    expect(safe).toBe(`'Inter', system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif`);
    expect(attributesWellFormed(render(safe))).toBe(true);
  });
});
