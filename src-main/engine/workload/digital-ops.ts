/**
 * Digital work of the operators crossbars do not run, counted in elementary operations of four
 * classes: add (add, subtract, compare, max, ReLU), mul, div, and exp (exponential-class special
 * functions: exp, sigmoid, tanh, erf, reciprocal square root). Element counts come from the
 * graph's shapes; no hardware fact enters here (the chip's VFU prices them, hardware/digital-units.ts).
 * Counts per operator (docs/cost-model.md, "Digital units"):
 *  - ReLU-like (Relu, LeakyRelu, Clip, ...): 1 add per element; Sigmoid/Tanh/Erf/Exp: 1 exp;
 *    HardSigmoid/HardSwish: 2 add + 2 mul; SiLU-like (Mish, Softplus, Elu ...): 1 exp + 1 mul;
 *    GELU as x sigmoid(1.702x) (Hendrycks and Gimpel 2016, section 2; what a chip with sigmoid
 *    units computes): 2 mul + 1 exp;
 *  - max pool: k^2 - 1 compares per output; average pool: k^2 - 1 adds + 1 mul per output;
 *    global pool: one add per input element + 1 mul per output;
 *  - element-wise add/sub: (inputs - 1) adds per output (1 with a constant); mul/div likewise;
 *  - softmax over N: max, subtract and sum (3 adds), 1 exp and 1 mul per element, 1 div per row;
 *  - LayerNorm over D: sum, subtract, sum of squares, bias (4 adds) and square, normalise, scale
 *    (3 mul) per element; 2 mul (the 1/D scalings) and 1 exp (reciprocal square root) per row;
 *  - reduce: one add per input element + 1 mul per output (mean);
 *  - Resize / Upsample over a resized axes (those whose size changes): nearest 0 (an index copy);
 *    linear (bilinear, trilinear) and cubic are separable weighted sums of t = 2 or 4 taps per axis,
 *    (t^a - 1) / (t - 1) one-axis interpolations per output, each t mul + (t - 1) add (bilinear:
 *    3 interpolations, 6 mul + 3 add; bicubic: 5, 20 mul + 15 add); the tap weights depend only on
 *    the output coordinate along one axis and are computed once per coordinate (not counted);
 *  - BatchNorm: 0 (folded into the preceding conv's weights at inference, as MNSIM does);
 *  - reshapes, transposes, concats, splits, embeddings, identity, Pad, Expand, Tile: 0 (addressing, no arithmetic);
 *  - act x act matmul: 1 mul + 1 add per MAC (counted by the layer itself, not here).
 */
import type { GraphNode, OpCounts } from './ir';
import { numel } from './shapes';

export type { OpCounts } from './ir';

export const zeroOps = (): OpCounts => ({ add: 0, mul: 0, div: 0, exp: 0 });

export function addOps(into: OpCounts, o: OpCounts, scale = 1): OpCounts {
  into.add += o.add * scale;
  into.mul += o.mul * scale;
  into.div += o.div * scale;
  into.exp += o.exp * scale;
  return into;
}

export const totalOps = (o: OpCounts): number => o.add + o.mul + o.div + o.exp;

const EXP_CLASS = new Set(['Sigmoid', 'Tanh', 'Erf', 'Exp', 'Log', 'Sqrt', 'Reciprocal', 'Sin', 'Cos', 'Softsign']);
const EXP_TIMES = new Set(['Elu', 'Selu', 'Celu', 'Softplus', 'Mish', 'Silu', 'Swish']);
const HARD = new Set(['HardSigmoid', 'HardSwish']);

/** Elementary operations of one non-crossbar operator (batch included, like the graph's shapes). */
export function digitalOpsOf(n: GraphNode, inputs: GraphNode[]): OpCounts {
  const out = numel(n.outShape);
  const o = zeroOps();
  switch (n.op) {
    case 'act':
      if (n.sourceOp === 'Gelu') return { add: 0, mul: 2 * out, div: 0, exp: out };
      if (EXP_CLASS.has(n.sourceOp)) o.exp = out;
      else if (EXP_TIMES.has(n.sourceOp)) {
        o.exp = out;
        o.mul = out;
      } else if (HARD.has(n.sourceOp)) {
        o.add = 2 * out;
        o.mul = 2 * out;
      } else if (n.sourceOp !== 'Cast') o.add = out; // ReLU, Clip, Abs, Neg, ... one compare or add
      return o;
    case 'maxpool':
    case 'avgpool': {
      const k = (n.kernel?.[0] ?? 1) * (n.kernel?.[1] ?? 1);
      o.add = out * Math.max(0, k - 1);
      if (n.op === 'avgpool') o.mul = out;
      return o;
    }
    case 'globalpool':
      o.add = inputs[0] ? numel(inputs[0].outShape) : out;
      o.mul = out;
      return o;
    case 'reduce':
      o.add = inputs[0] ? numel(inputs[0].outShape) : out;
      o.mul = out;
      return o;
    case 'add':
      o.add = out * Math.max(1, inputs.length - 1);
      return o;
    case 'mul':
      if (n.sourceOp === 'Div') o.div = out * Math.max(1, inputs.length - 1);
      else o.mul = out * Math.max(1, inputs.length - 1);
      return o;
    case 'softmax': {
      const rank = n.outShape.length;
      const a = Number(n.attrs?.axis ?? -1);
      const len = n.outShape[a < 0 ? a + rank : a] ?? 1;
      return { add: 3 * out, mul: out, div: out / len, exp: out };
    }
    case 'resample':
      return resizeOps(n, inputs[0], out);
    case 'layernorm': {
      const d = n.outShape[n.outShape.length - 1] ?? 1;
      const rows = out / d;
      return { add: 4 * out, mul: 3 * out + 2 * rows, div: 0, exp: rows };
    }
    default:
      return o;
  }
}

/** Taps per axis of each interpolation mode (ONNX Resize `mode`; Upsample's linear and bilinear). */
const RESIZE_TAPS: Record<string, number> = { linear: 2, bilinear: 2, cubic: 4 };

function resizeOps(n: GraphNode, input: GraphNode | undefined, out: number): OpCounts {
  const taps = RESIZE_TAPS[String(n.attrs?.mode ?? 'nearest')];
  if (!taps || !input) return zeroOps(); // nearest; Pad, Expand, Tile copy
  const axes = n.outShape.filter((d, i) => d !== input.outShape[i]).length;
  const interpolations = (taps ** axes - 1) / (taps - 1);
  return { add: out * interpolations * (taps - 1), mul: out * interpolations * taps, div: 0, exp: 0 };
}
