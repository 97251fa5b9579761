/** Pooling windows (digital units). */
import { windowPads } from '../shape-rules';
import { entries, type OpHandler } from './handler';

export const WINDOW_OPS: Record<string, OpHandler> = {
  ...entries(['MaxPool', 'AveragePool', 'LpPool'], {
    placement: 'digital',
    lower(c) {
      const input = c.act();
      const inShape = c.b.shape(input);
      const k = c.ints('kernel_shape');
      if (!k || k.length !== 2) return c.fail('only 2-D pooling with kernel_shape is supported; export 1-D pooling over a height-1 4-D map', 'unsupported');
      const s = (c.ints('strides') ?? [1, 1]) as [number, number];
      const d = (c.ints('dilations') ?? [1, 1]) as [number, number];
      const pads = windowPads(c, inShape, k as [number, number], s, d);
      const kind = c.op === 'MaxPool' ? 'maxpool' : 'avgpool';
      const node = c.b.pool(kind, c.nm, input, { k: k as [number, number], s, p: pads, d, ceil: c.ai('ceil_mode', 0) === 1, sourceOp: c.op });
      c.setAct(node);
      c.setAct(node, 1); // MaxPool indices output (never consumed for cost)
    },
  }),
  ...entries(['GlobalAveragePool', 'GlobalMaxPool', 'GlobalLpPool'], {
    placement: 'digital',
    lower: (c) => c.setAct(c.b.globalPool(c.nm, c.act(), c.op)),
  }),
};
