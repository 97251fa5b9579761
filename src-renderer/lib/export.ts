/** Exports: CSV and JSON of tables, SVG and PNG of charts and the floorplan, as browser downloads. */
import { app } from './app-state.svelte';
import { xmlText } from './svg-text';

export { xmlText };

/** Runs an export; a failure becomes a toast that says which export and why (never a silent page error). */
export async function exporting(what: string, fn: () => void | Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    app.toast('error', `Could not export ${what}: ${(e as Error).message}. Try SVG instead, or report this with the run's JSON.`);
  }
}

/** The SVG text if it parses as XML; otherwise an error naming the parser's complaint. */
export function checkedSvg(svg: string): string {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const err = doc.querySelector('parsererror');
  if (err) throw new Error(`the SVG is not well-formed (${(err.textContent ?? '').split('\n')[0].trim()})`);
  return svg;
}

export function download(fileName: string, data: Blob | string, type = 'application/octet-stream'): void {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV with a header row; values in base SI units (seconds, joules) so spreadsheets can compute. */
export function toCsv(rows: Record<string, unknown>[], columns?: string[]): string {
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return [cols.join(','), ...rows.map((r) => cols.map((c) => csvCell(r[c])).join(','))].join('\r\n') + '\r\n';
}

export function downloadCsv(fileName: string, rows: Record<string, unknown>[], columns?: string[]): void {
  download(fileName, toCsv(rows, columns), 'text/csv;charset=utf-8');
}

export function downloadJson(fileName: string, value: unknown): void {
  download(fileName, JSON.stringify(value, null, 2), 'application/json');
}

export function downloadSvg(fileName: string, svg: string): void {
  download(fileName, svg, 'image/svg+xml');
}

/** Rasterizes an SVG string at `scale` (2 = crisp on high-DPI screens) onto a background colour. */
export async function svgToPng(svg: string, width: number, height: number, background: string, scale = 2): Promise<Blob> {
  const img = new Image();
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the browser could not draw the SVG'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = background;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** A portable file name part: accents dropped, other characters outside A-Z 0-9 _ . - become dashes. */
export function safeName(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') || 'retile';
}

/** base64 of a file's bytes in chunks (String.fromCharCode on a huge array overflows the stack). */
export async function fileToBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

/** What an exported figure carries around its drawing: a title, the run it shows and a legend. */
export interface FigureFrame {
  title: string;
  /** Which run: project, run number, strategy. */
  label: string;
  legend: { name: string; color: string }[];
  /** Colours of the theme the figure is exported in. */
  text: string;
  muted: string;
  background: string;
}

const HEAD = 46;
const LEGEND_ROW = 20;
const FONT = 'system-ui, sans-serif';

/** Legend entries placed in rows across `width` (an estimate of text width, 7 px a character). */
function legendLayout(frame: FigureFrame, width: number): { items: { x: number; row: number; name: string; color: string }[]; height: number } {
  const items: { x: number; row: number; name: string; color: string }[] = [];
  let x = 12;
  let row = 0;
  for (const e of frame.legend) {
    const w = 18 + e.name.length * 7 + 16;
    if (x + w > width - 8 && x > 12) {
      row++;
      x = 12;
    }
    items.push({ x, row, name: e.name, color: e.color });
    x += w;
  }
  return { items, height: frame.legend.length ? (row + 1) * LEGEND_ROW + 10 : 0 };
}

/** The figure as SVG: title and run label above the drawing (`body`, width x height), the legend below. */
export function svgFigure(frame: FigureFrame, width: number, height: number, body: string): string {
  const legend = legendLayout(frame, width);
  const total = HEAD + height + legend.height;
  const y0 = HEAD + height + 8;
  const parts = [
    `<rect width="${width}" height="${total}" fill="${frame.background}"/>`,
    `<text x="12" y="20" font-size="15" font-weight="600" font-family="${FONT}" fill="${frame.text}">${xmlText(frame.title)}</text>`,
    `<text x="12" y="38" font-size="11" font-family="${FONT}" fill="${frame.muted}">${xmlText(frame.label)}</text>`,
    `<g transform="translate(0 ${HEAD})">${body}</g>`,
    ...legend.items.map(
      (e) =>
        `<rect x="${e.x}" y="${y0 + e.row * LEGEND_ROW}" width="12" height="12" rx="2" fill="${e.color}"/><text x="${e.x + 18}" y="${y0 + e.row * LEGEND_ROW + 10}" font-size="11" font-family="${FONT}" fill="${frame.text}">${xmlText(e.name)}</text>`,
    ),
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${total}" viewBox="0 0 ${width} ${total}">${parts.join('')}</svg>`;
}

/** The figure as PNG: the drawing (a canvas in device pixels, `scale` per CSS px) framed as in svgFigure. */
export function pngFigure(frame: FigureFrame, body: HTMLCanvasElement, scale: number): Promise<Blob> {
  const bodyW = body.width / scale;
  const width = Math.max(bodyW, 480);
  const height = body.height / scale;
  const legend = legendLayout(frame, width);
  const c = document.createElement('canvas');
  c.width = Math.round(width * scale);
  c.height = Math.round((HEAD + height + legend.height) * scale);
  const ctx = c.getContext('2d')!;
  ctx.scale(scale, scale);
  ctx.fillStyle = frame.background;
  ctx.fillRect(0, 0, width, HEAD + height + legend.height);
  ctx.fillStyle = frame.text;
  ctx.font = `600 15px ${FONT}`;
  ctx.fillText(frame.title, 12, 20);
  ctx.fillStyle = frame.muted;
  ctx.font = `11px ${FONT}`;
  ctx.fillText(frame.label, 12, 38);
  ctx.drawImage(body, (width - bodyW) / 2, HEAD, bodyW, height);
  const y0 = HEAD + height + 8;
  for (const e of legend.items) {
    ctx.fillStyle = e.color;
    ctx.fillRect(e.x, y0 + e.row * LEGEND_ROW, 12, 12);
    ctx.fillStyle = frame.text;
    ctx.fillText(e.name, e.x + 18, y0 + e.row * LEGEND_ROW + 10);
  }
  return new Promise<Blob>((resolve, reject) => c.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed (the image may be too large)'))), 'image/png'));
}
