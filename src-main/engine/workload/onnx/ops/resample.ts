/**
 * Shape-changing data movement: Pad, Resize / Upsample, Expand and Tile. On activations they
 * become `resample` nodes (no crossbar work; the consumer sees the new shape); on constants they
 * fold (shape arithmetic of exporters: Expand of a ConstantOfShape, Tile of a shape vector).
 */
import { broadcast, numel } from '../../shapes';
import { CHECK_FILE, type NodeCtx } from '../context';
import { constInputs } from './constants';
import type { OpHandler } from './handler';

function lowerOrFold(c: NodeCtx, outShape: (inShape: number[]) => number[], attrs?: Record<string, string>): void {
  const v = c.x();
  if (v.kind === 'const') return c.setFolded(outShape(v.dims));
  c.setAct(c.b.resample(c.nm, v.node, outShape(c.b.shape(v.node)), c.op, attrs));
}

/** Resize / Upsample: the interpolation mode (nearest, linear or bilinear, cubic) decides the digital work. */
const resizeLowering = (c: NodeCtx) => lowerOrFold(c, (s) => resizeShape(c, s), { mode: c.attr('mode')?.s ?? 'nearest' });

function padShape(c: NodeCtx, s: number[]): number[] {
  const pads = c.opset >= 11 ? c.constData(1, 'pads') : c.ints('pads') ?? c.ints('paddings');
  if (!pads) return c.fail(`Pad without pads; ${CHECK_FILE}`);
  let axes = [...s.keys()];
  if (c.opset >= 18 && c.ins[3]) axes = c.constData(3, 'axes').map((a) => (a < 0 ? a + s.length : a));
  if (pads.length !== 2 * axes.length) return c.fail(`pads has ${pads.length} values for ${axes.length} axes; ${CHECK_FILE}`);
  const out = [...s];
  axes.forEach((a, i) => (out[a] = s[a] + pads[i] + pads[i + axes.length]));
  if (out.some((d) => d < 1)) return c.fail(`padding [${pads.join(', ')}] leaves an empty axis of [${s.join(', ')}]; ${CHECK_FILE}`);
  return out;
}

function resizeShape(c: NodeCtx, s: number[]): number[] {
  // Resize (opset 10: X, scales; 11+: X, roi, scales, sizes); Upsample (7-8: scales attr; 9: X, scales).
  const sizesIdx = c.op === 'Resize' && c.opset >= 11 ? 3 : -1;
  const scalesIdx = c.op === 'Resize' ? (c.opset >= 11 ? 2 : 1) : 1;
  if (sizesIdx > 0 && c.ins[sizesIdx]) {
    const sizes = c.constData(sizesIdx, 'sizes');
    const axes = c.ints('axes');
    if (!axes) return sizes;
    const out = [...s];
    axes.forEach((a, i) => (out[a < 0 ? a + s.length : a] = sizes[i]));
    return out;
  }
  const scales = c.op === 'Upsample' && c.opset < 9 ? c.attr('scales')?.floats : c.ins[scalesIdx] ? c.constData(scalesIdx, 'scales') : undefined;
  if (!scales) return c.fail('neither scales nor sizes is a known constant; bind the symbolic axes with --dim, or export Resize with constant scales or sizes', 'unsupported');
  const axes = c.ints('axes')?.map((a) => (a < 0 ? a + s.length : a)) ?? [...s.keys()];
  if (scales.length !== axes.length) return c.fail(`scales has ${scales.length} values for ${axes.length} axes; ${CHECK_FILE}`);
  const out = [...s];
  axes.forEach((a, i) => (out[a] = Math.floor(s[a] * scales[i])));
  return out;
}

function tileShape(c: NodeCtx, s: number[]): number[] {
  const reps = c.constData(1, 'repeats');
  if (reps.length !== s.length) return c.fail(`repeats has ${reps.length} values for rank ${s.length}; ${CHECK_FILE}`);
  return s.map((d, i) => d * reps[i]);
}

export const RESAMPLE_OPS: Record<string, OpHandler> = {
  Pad: { placement: 'layout', lower: (c) => lowerOrFold(c, (s) => padShape(c, s)) },
  Resize: { placement: 'digital', lower: resizeLowering },
  Upsample: { placement: 'digital', lower: resizeLowering },
  Tile: {
    placement: 'layout',
    lower: (c) => lowerOrFold(c, (s) => tileShape(c, s)),
    fold(c) {
      const v = constInputs(c)[0]!;
      const dims = tileShape(c, v.dims);
      // 1-D shape vectors keep their values (repeated end to end).
      const data = v.dims.length === 1 && v.data && c.canFold(numel(dims)) ? Array.from({ length: dims[0] }, (_, i) => v.data![i % v.dims[0]]) : undefined;
      c.setFolded(dims, data);
    },
  },
  Expand: {
    placement: 'layout',
    lower: (c) => lowerOrFold(c, (s) => broadcast(s, c.constData(1, 'shape'))),
    fold(c) {
      const v = constInputs(c)[0]!;
      const dims = broadcast(v.dims, c.constData(1, 'shape'));
      const n = numel(dims);
      const data = v.data && v.data.length === 1 && c.canFold(n) ? new Array<number>(n).fill(v.data[0]) : undefined;
      c.setFolded(dims, data);
    },
  },
};
