/** Constant producers (always folded) and the folding rule of element-wise arithmetic on constants. */
import { broadcast, numel } from '../../shapes';
import type { ConstVal, NodeCtx } from '../context';
import { arith, normClamp } from '../shape-rules';
import { constNumel } from '../tensor';
import { rangeCount } from '../budget';
import type { OpHandler } from './handler';

export const CONSTANT_OPS: Record<string, OpHandler> = {
  Range: {
    placement: 'folded',
    lower: (c) => c.fail('Range needs constant start, limit and delta (they come from the input here); bind the symbolic axes with --dim so shape arithmetic folds', 'unsupported'),
    fold(c) {
      const [start, limit, delta] = [c.constData(0, 'start')[0], c.constData(1, 'limit')[0], c.constData(2, 'delta')[0]];
      const n = rangeCount(start, limit, delta);
      c.setFolded([n], c.canFold(n) ? Array.from({ length: n }, (_, i) => start + i * delta) : undefined);
    },
  },
  Constant: {
    placement: 'folded',
    lower(c) {
      const t = c.attr('value')?.t;
      if (t) return c.setConst(t.dims ?? [], c.tensorValues(t));
      const f = c.attr('value_float')?.f ?? c.attr('value_int')?.i;
      if (f !== undefined) return c.setConst([], [f]);
      const fs = c.attr('value_floats')?.floats ?? c.attr('value_ints')?.ints;
      if (fs) return c.setConst([fs.length], fs);
      return c.fail('Constant without a supported value attribute (value, value_float(s), value_int(s)); export it again with one of them', 'unsupported');
    },
  },
  Shape: {
    placement: 'folded',
    lower(c) {
      const v = c.x();
      const dims = v.kind === 'act' ? c.b.shape(v.node) : v.dims;
      const r = dims.length;
      const start = normClamp(c.ai('start', 0), r);
      const end = normClamp(c.hasAttr('end') ? c.ai('end', r) : r, r);
      const vals = dims.slice(start, end);
      c.setConst([vals.length], vals);
    },
  },
  Size: {
    placement: 'folded',
    lower(c) {
      const v = c.x();
      c.setConst([], [numel(v.kind === 'act' ? c.b.shape(v.node) : v.dims)]);
    },
  },
  ConstantOfShape: {
    placement: 'folded',
    lower(c) {
      const shape = c.constData(0, 'shape');
      const value = c.attr('value')?.t;
      const fill = value ? (c.tensorValues(value)?.[0] ?? 0) : 0;
      const count = constNumel(shape);
      c.setConst(shape, c.canFold(count) ? new Array<number>(count).fill(fill) : undefined);
    },
  },
};

/**
 * A learned constant joined to activations (ViT's class token and position embedding): a
 * Parameter node whose elements count with the embeddings.
 */
export function parameterNode(c: NodeCtx, iname: string, v: ConstVal): string {
  const dims = v.dims.length ? v.dims : [1];
  return c.b.embedding(c.b.uniqueName(`${c.nm}/${iname}`), null, numel(dims.slice(0, -1)), dims[dims.length - 1], dims, 'Parameter');
}

/** Present constant inputs of a node whose inputs are all constants. */
export function constInputs(c: NodeCtx): (ConstVal | undefined)[] {
  return c.ins.map((i, j) => (i ? (c.x(j) as ConstVal) : undefined));
}

/** Element-wise arithmetic on constants (shape computations such as Div(Add(dim, 1), 3)). */
export function foldElementwise(c: NodeCtx): void {
  const present = constInputs(c).filter((v): v is ConstVal => v !== undefined);
  const dims = present.map((v) => v.dims).reduce((p, q) => broadcast(p, q));
  let data: number[] | undefined;
  const total = numel(dims);
  if (present.every((v) => v.data) && c.canFold(total)) {
    data = [];
    for (let i = 0; i < total; i++) {
      const xs = present.map((v) => v.data![v.data!.length === 1 ? 0 : i]);
      data.push(arith(c.op, xs));
    }
  }
  c.setFolded(dims, data);
}
