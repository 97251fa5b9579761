/** Operators with a stationary weight: convolutions and linear layers (crossbar MVMs). */
import { windowPads } from '../shape-rules';
import type { OpHandler } from './handler';

export const LINEAR_OPS: Record<string, OpHandler> = {
  Conv: {
    placement: 'crossbar',
    lower(c) {
      const w = c.x(1);
      if (w.kind !== 'const') return c.fail('weights must be a constant (initializer) tensor', 'unsupported');
      if (w.dims.length !== 4) return c.fail(`only 2-D convolutions are supported (weight rank ${w.dims.length})`, 'unsupported');
      const input = c.act();
      const inShape = c.b.shape(input);
      if (inShape.length !== 4) return c.fail(`expects a 4-D NCHW input, got [${inShape.join(', ')}]`);
      const [cout, , kH, kW] = w.dims;
      const ks = c.ints('kernel_shape') ?? [kH, kW];
      if (ks[0] !== kH || ks[1] !== kW) return c.fail(`kernel_shape [${ks.join(', ')}] disagrees with the weight [${w.dims.join(', ')}]`);
      const strides = (c.ints('strides') ?? [1, 1]) as [number, number];
      const dil = (c.ints('dilations') ?? [1, 1]) as [number, number];
      const pads = windowPads(c, inShape, [kH, kW], strides, dil);
      const groups = c.ai('group', 1);
      if (w.dims[1] * groups !== inShape[1])
        return c.fail(`weight [${w.dims.join(', ')}] with group ${groups} expects ${w.dims[1] * groups} input channels, input has ${inShape[1]}`);
      const bias = c.optional(2);
      c.setAct(c.b.conv(c.nm, input, { out: cout, k: [kH, kW], s: strides, p: pads, d: dil, groups, bias: bias !== undefined, sourceOp: c.op }));
    },
  },
  Gemm: {
    placement: 'crossbar',
    lower(c) {
      const w = c.x(1);
      if (w.kind !== 'const') return c.fail('B must be a constant (initializer) weight', 'unsupported');
      if (c.ai('transA', 0) !== 0) return c.fail('transA = 1 is not supported', 'unsupported');
      if (w.dims.length !== 2) return c.fail(`B must be 2-D, got [${w.dims.join(', ')}]`);
      const input = c.act();
      if (c.b.shape(input).length !== 2) return c.fail(`A must be 2-D, got [${c.b.shape(input).join(', ')}]`);
      const [k, out] = c.ai('transB', 0) ? [w.dims[1], w.dims[0]] : [w.dims[0], w.dims[1]];
      const bias = c.optional(2);
      c.setAct(c.b.fc(c.nm, input, out, bias !== undefined && bias.kind === 'const', c.op, k));
    },
  },
  MatMul: {
    placement: 'crossbar',
    lower(c) {
      const [p, q] = [c.x(0), c.x(1)];
      if (p.kind === 'act' && q.kind === 'const') {
        if (q.dims.length !== 2) return c.fail(`constant weight must be 2-D, got [${q.dims.join(', ')}]`, 'unsupported');
        return c.setAct(c.b.fc(c.nm, p.node, q.dims[1], false, c.op, q.dims[0]));
      }
      if (p.kind === 'act' && q.kind === 'act') return c.setAct(c.b.matmul(c.nm, p.node, q.node, c.op));
      return c.fail('a constant left operand (weight x activation) is not supported', 'unsupported');
    },
  },
};
