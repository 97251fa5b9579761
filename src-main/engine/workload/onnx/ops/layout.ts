/** Data-movement operators: reshapes, transposes, concatenation, splits, slices and gathers. */
import { normAxis, numel, resolveReshape } from '../../shapes';
import { CHECK_FILE, type ConstVal, type NodeCtx } from '../context';
import { checkNodeOutputs, sliceCount } from '../budget';
import { sliceRange, sliceShape, squeezeShape } from '../shape-rules';
import { constInputs, parameterNode } from './constants';
import type { OpHandler } from './handler';

/** Records the table an embedding reads, so a linear layer reusing it is known to share its weight. */
function lookup(c: NodeCtx, table: ConstVal, node: string): string {
  if (table.origin && !c.st.tables.has(table.origin)) c.st.tables.set(table.origin, node);
  return node;
}

/** Integer list from an attribute (older opsets) or else from constant input j. */
function intsOrInput(c: NodeCtx, attr: string, j: number): number[] | undefined {
  return c.ints(attr) ?? constInputs(c)[j]?.data;
}

const squeeze: OpHandler = {
  placement: 'layout',
  lower(c) {
    const input = c.act();
    const axes = c.opset >= 13 && c.ins.length > 1 ? c.constData(1, 'axes') : c.ints('axes');
    c.setAct(c.b.reshape(c.nm, input, squeezeShape(c.op, c.b.shape(input), axes), c.op));
  },
  fold(c) {
    const v = constInputs(c)[0]!;
    c.setFolded(squeezeShape(c.op, v.dims, intsOrInput(c, 'axes', 1)), v.data);
  },
};

export const LAYOUT_OPS: Record<string, OpHandler> = {
  Flatten: {
    placement: 'layout',
    lower(c) {
      const input = c.act();
      const r = c.b.shape(input).length;
      const axis = c.ai('axis', 1);
      c.setAct(c.b.flatten(c.nm, input, axis < 0 ? axis + r : axis, c.op));
    },
    fold(c) {
      const v = constInputs(c)[0]!;
      const axis = c.ai('axis', 1);
      const ax = axis < 0 ? axis + v.dims.length : axis;
      c.setFolded([numel(v.dims.slice(0, ax)), numel(v.dims.slice(ax))], v.data);
    },
  },
  Reshape: {
    placement: 'layout',
    lower(c) {
      const input = c.act();
      const target = c.opset >= 5 && c.ins.length > 1 ? c.constData(1, 'shape') : (c.ints('shape') ?? c.fail(`Reshape without a shape; ${CHECK_FILE}`));
      const outShape = resolveReshape(c.b.shape(input), target, c.ai('allowzero', 0) === 1);
      c.setAct(c.b.reshape(c.nm, input, outShape, c.op));
    },
    fold(c) {
      const [v, t] = constInputs(c);
      const target = t?.data ?? c.ints('shape');
      if (!target) return c.fail('Reshape target shape is not a known constant; bind the symbolic axes with --dim or --input, or export with static shapes', 'unsupported');
      c.setFolded(resolveReshape(v!.dims.length ? v!.dims : [1], target, c.ai('allowzero', 0) === 1), v!.data);
    },
  },
  Transpose: {
    placement: 'layout',
    lower(c) {
      const input = c.act();
      const r = c.b.shape(input).length;
      c.setAct(c.b.transpose(c.nm, input, c.ints('perm') ?? [...Array(r).keys()].reverse(), c.op));
    },
    fold(c) {
      const v = constInputs(c)[0]!;
      const perm = c.ints('perm') ?? [...v.dims.keys()].reverse();
      c.setFolded(perm.map((p) => v.dims[p]));
      // A transposed weight stays the same tensor (GPT-2's LM head reads the token embedding transposed).
      const out = c.outs[0] ? c.st.values.get(c.outs[0]) : undefined;
      if (out?.kind === 'const' && v.origin) Object.assign(out, { origin: v.origin, float: v.float });
    },
  },
  Squeeze: squeeze,
  Unsqueeze: squeeze,
  Concat: {
    placement: 'layout',
    lower(c) {
      const axis = c.ai('axis', 0);
      const parts = c.ins.map((iname, j) => {
        const v = c.x(j);
        if (v.kind === 'act') return v.node;
        if (v.origin) c.st.counted.add(v.origin);
        return parameterNode(c, iname, v);
      });
      c.setAct(c.b.concat(c.nm, parts, axis, c.op));
    },
    fold(c) {
      const vals = constInputs(c);
      const dims = [...vals[0]!.dims];
      if (dims.length === 0) return c.fail(`cannot concat scalars; ${CHECK_FILE}`);
      const ax = normAxis(c.ai('axis', 0), dims.length);
      dims[ax] = vals.reduce((s, v) => s + (v?.dims[ax] ?? 0), 0);
      const data = dims.length === 1 && c.canFold(dims[0]) && vals.every((v) => v?.data) ? vals.flatMap((v) => v!.data!) : undefined;
      c.setFolded(dims, data);
    },
  },
  Split: {
    placement: 'layout',
    lower(c) {
      const input = c.act();
      const shape = c.b.shape(input);
      const axis = normAxis(c.ai('axis', 0), shape.length);
      let sizes = c.opset >= 13 && c.ins.length > 1 && c.ins[1] ? c.constData(1, 'split') : c.ints('split');
      if (!sizes) {
        const k = c.attr('num_outputs')?.i ?? c.outs.length;
        checkNodeOutputs(k);
        const each = Math.ceil(shape[axis] / k);
        sizes = Array.from({ length: k }, (_, i) => Math.min(each, shape[axis] - i * each));
      }
      checkNodeOutputs(sizes.length);
      c.b.split(c.nm, input, axis, sizes, c.op).forEach((p, k) => c.setAct(p, k));
    },
  },
  Slice: {
    placement: 'layout',
    lower(c) {
      const input = c.act();
      const shape = c.b.shape(input);
      const v10 = c.opset >= 10;
      const starts = v10 ? c.constData(1, 'starts') : (c.ints('starts') ?? []);
      const ends = v10 ? c.constData(2, 'ends') : (c.ints('ends') ?? []);
      const axes = v10 ? (c.ins[3] ? c.constData(3, 'axes') : undefined) : c.ints('axes');
      const steps = v10 && c.ins[4] ? c.constData(4, 'steps') : undefined;
      const out = sliceShape(shape, starts, ends, axes, steps);
      c.setAct(c.b.add({ name: c.nm, op: 'split', sourceOp: c.op, inputs: [input], outShape: out, attrs: { axis: axes?.[0] ?? 0 } }));
    },
    fold(c) {
      const vals = constInputs(c);
      const v0 = vals[0]!;
      const starts = intsOrInput(c, 'starts', 1) ?? [];
      const ends = intsOrInput(c, 'ends', 2) ?? [];
      const axes = c.ints('axes') ?? vals[3]?.data;
      const steps = vals[4]?.data;
      const dims = sliceShape(v0.dims, starts, ends, axes, steps);
      let data: number[] | undefined;
      if (v0.dims.length === 1 && v0.data) {
        const [s, e, st] = sliceRange(v0.dims[0], starts[0], ends[0], steps?.[0] ?? 1);
        const count = sliceCount(s, e, st);
        if (c.canFold(count)) data = Array.from({ length: count }, (_, k) => v0.data![s + k * st]);
      }
      c.setFolded(dims, data);
    },
  },
  Gather: {
    placement: 'layout',
    lower(c) {
      const [data, idx] = [c.x(0), c.x(1)];
      const axis = c.ai('axis', 0);
      if (data.kind === 'const' && idx.kind === 'act') {
        if (data.dims.length !== 2 || axis !== 0) return c.fail('only 2-D embedding tables gathered on axis 0 are supported; export the lookup as nn.Embedding (a [vocab, dim] table)', 'unsupported');
        return c.setAct(lookup(c, data, c.b.embedding(c.nm, idx.node, data.dims[0], data.dims[1], undefined, c.op)));
      }
      if (data.kind === 'act' && idx.kind === 'const') {
        const s = c.b.shape(data.node);
        const ax = normAxis(axis, s.length);
        const out = [...s.slice(0, ax), ...idx.dims, ...s.slice(ax + 1)];
        return c.setAct(c.b.add({ name: c.nm, op: 'split', sourceOp: c.op, inputs: [data.node], outShape: out, attrs: { axis: ax } }));
      }
      return c.fail('gathering with activation indices from an activation is not supported; only table lookups (a constant table) and constant indices are mapped: export the gather with constant indices', 'unsupported');
    },
    fold(c) {
      const vals = constInputs(c);
      const [v0, idx] = [vals[0]!, vals[1]!];
      // A weight table (values not folded) looked up at constant positions, such as position
      // embeddings at position_ids: an embedding whose parameters count, not a folded constant.
      if (v0.dims.length === 2 && !v0.data && c.ai('axis', 0) === 0)
        return c.setAct(lookup(c, v0, c.b.embedding(c.nm, null, v0.dims[0], v0.dims[1], [...idx.dims, v0.dims[1]], c.op)));
      const axis = normAxis(c.ai('axis', 0), Math.max(1, v0.dims.length));
      const dims = [...v0.dims.slice(0, axis), ...idx.dims, ...v0.dims.slice(axis + 1)];
      let data: number[] | undefined;
      if (v0.dims.length === 1 && v0.data && idx.data) data = idx.data.map((i) => v0.data![i < 0 ? i + v0.dims[0] : i]);
      c.setFolded(dims, data);
    },
  },
};
