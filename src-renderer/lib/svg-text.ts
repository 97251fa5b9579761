/** Text for SVG markup: font lists and user text that stay inside their attribute or element. */

/**
 * A CSS font list safe inside the SVG renderer's double-quoted style attribute: the browser
 * returns computed font names in double quotes ("Segoe UI"), which ECharts writes unescaped,
 * so every exported chart SVG was malformed. Single quotes mean the same in CSS.
 */
export function svgFontFamily(css: string): string {
  return css.replace(/"/g, "'").trim() || 'system-ui, sans-serif';
}

/** Text safe inside SVG markup (tenant, project and run names are the user's). */
export function xmlText(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}
