/**
 * ONNX-specific shape rules (Slice, Squeeze/Unsqueeze, window pads) and the scalar arithmetic
 * used to fold shape sub-graphs. Pure functions throwing plain Errors (the importer names the node).
 */
import type { Shape } from '../ir';
import { normAxis, samePads } from '../shapes';
import { checkSliceStep } from './budget';
import { CHECK_FILE, type NodeCtx } from './context';

export function normClamp(v: number, r: number): number {
  const x = v < 0 ? v + r : v;
  return Math.min(Math.max(0, x), r);
}

/** ONNX Slice semantics for one axis: clamp starts/ends, return [start, end, step]. */
export function sliceRange(len: number, start: number, end: number, step: number): [number, number, number] {
  checkSliceStep(step);
  let s = start < 0 ? start + len : start;
  let e = end < 0 ? end + len : end;
  if (step > 0) {
    s = Math.min(Math.max(s, 0), len);
    e = Math.min(Math.max(e, 0), len);
  } else {
    s = Math.min(Math.max(s, -1), len - 1);
    e = Math.min(Math.max(e, -1), len - 1);
  }
  return [s, e, step];
}

export function sliceShape(shape: Shape, starts: number[], ends: number[], axes?: number[], steps?: number[]): Shape {
  const out = [...shape];
  const ax = axes ?? starts.map((_, i) => i);
  if (starts.length !== ends.length || ax.length !== starts.length) throw new Error('Slice starts, ends and axes differ in length');
  ax.forEach((axis, i) => {
    const a = normAxis(axis, shape.length);
    const [s, e, st] = sliceRange(shape[a], starts[i], ends[i], steps?.[i] ?? 1);
    out[a] = Math.max(0, Math.ceil((e - s) / st));
  });
  return out;
}

export function squeezeShape(op: string, shape: Shape, axes?: number[]): Shape {
  if (op === 'Squeeze') {
    const set = new Set((axes ?? shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0)).map((v) => normAxis(v, shape.length)));
    for (const i of set) if (shape[i] !== 1) throw new Error(`cannot squeeze axis ${i} of size ${shape[i]}`);
    return shape.filter((_, i) => !set.has(i));
  }
  if (!axes) throw new Error('Unsqueeze without axes');
  const r = shape.length + axes.length;
  const set = new Set(axes.map((v) => normAxis(v, r)));
  const out: number[] = [];
  let k = 0;
  for (let i = 0; i < r; i++) out.push(set.has(i) ? 1 : shape[k++]);
  return out;
}

/** Pads [top, left, bottom, right] of a 2-D window op from `pads` or `auto_pad`. */
export function windowPads(c: NodeCtx, inShape: Shape, k: [number, number], s: [number, number], d: [number, number]): [number, number, number, number] {
  const auto = c.attr('auto_pad')?.s ?? 'NOTSET';
  if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') {
    const [t, bt] = samePads(inShape[2], k[0], s[0], d[0], auto === 'SAME_UPPER');
    const [l, r] = samePads(inShape[3], k[1], s[1], d[1], auto === 'SAME_UPPER');
    return [t, l, bt, r];
  }
  if (auto === 'VALID') return [0, 0, 0, 0];
  if (auto !== 'NOTSET' && auto !== '') c.fail(`unknown auto_pad '${auto}'; use NOTSET, VALID, SAME_UPPER or SAME_LOWER`);
  const p = c.ints('pads') ?? [0, 0, 0, 0];
  if (p.length !== 4) c.fail(`pads must have 4 values for a 2-D window, got ${p.length}; ${CHECK_FILE}`, 'unsupported');
  // ONNX pads order: [x1_begin, x2_begin, x1_end, x2_end] = [top, left, bottom, right].
  return [p[0], p[1], p[2], p[3]];
}

/** Scalar semantics of the element-wise operators folded on constants. */
export function arith(op: string, xs: number[]): number {
  const [p, q, r] = xs;
  switch (op) {
    case 'Add': return p + q;
    case 'Sub': return p - q;
    case 'Mul': return p * q;
    case 'Div': return Number.isInteger(p) && Number.isInteger(q) && q !== 0 ? Math.trunc(p / q) : p / q;
    case 'Pow': return p ** q;
    case 'Max': return xs.reduce((m, v) => Math.max(m, v));
    case 'Min': return xs.reduce((m, v) => Math.min(m, v));
    case 'Sqrt': return Math.sqrt(p);
    case 'Neg': return -p;
    case 'Floor': return Math.floor(p);
    case 'Ceil': return Math.ceil(p);
    case 'Equal': return p === q ? 1 : 0;
    case 'Less': return p < q ? 1 : 0;
    case 'Greater': return p > q ? 1 : 0;
    case 'Where': return p ? q : r;
    default: return NaN;
  }
}
