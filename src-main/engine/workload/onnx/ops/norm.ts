/** Normalizations, softmax and reductions (digital units). */
import { entries, type OpHandler } from './handler';

export const NORM_OPS: Record<string, OpHandler> = {
  ...entries(['BatchNormalization', 'InstanceNormalization'], {
    placement: 'digital',
    lower: (c) => c.setAct(c.b.bn(c.nm, c.act(), c.op)),
  }),
  LayerNormalization: {
    placement: 'digital',
    lower: (c) => c.setAct(c.b.ln(c.nm, c.act(), c.op, c.optional(1) !== undefined)),
  },
  ...entries(['Softmax', 'LogSoftmax'], {
    placement: 'digital',
    lower: (c) => c.setAct(c.b.softmax(c.nm, c.act(), c.ai('axis', c.opset < 13 ? 1 : -1), c.op)),
  }),
  ...entries(['ReduceMean', 'ReduceSum', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL2'], {
    placement: 'digital',
    lower(c) {
      const input = c.act();
      const r = c.b.shape(input).length;
      const axesFromInput = (c.op === 'ReduceSum' ? c.opset >= 13 : c.opset >= 18) && c.ins.length > 1 && c.ins[1];
      let axes = axesFromInput ? c.constData(1, 'axes') : c.ints('axes');
      if (!axes || axes.length === 0) axes = c.ai('noop_with_empty_axes', 0) ? [] : [...Array(r).keys()];
      c.setAct(c.b.reduce(c.nm, input, axes, c.ai('keepdims', 1) === 1, c.op));
    },
  }),
};
