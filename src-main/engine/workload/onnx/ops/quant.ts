/**
 * Quantization markers (QDQ graphs): QuantizeLinear / DequantizeLinear carry the integer width
 * of the tensor they wrap (from the zero point's or the weight's element type) to the layer that
 * consumes it; the data itself passes through unchanged in shape. ONNX QuantizeLinear defaults to
 * uint8 when no zero point is given (opsets 10-21).
 */
import type { NodeCtx } from '../context';
import { integerBits } from '../tensor';
import type { OpHandler } from './handler';

function zeroPointBits(c: NodeCtx): number | undefined {
  const zp = c.optional(2);
  return zp?.kind === 'const' ? zp.bits : undefined;
}

/** Passes input 0 through with an integer width. */
function passWithBits(c: NodeCtx, bits: number | undefined): void {
  const v = c.x();
  if (v.kind === 'const') return c.setConst(v.dims, undefined, 0, bits);
  c.setAct(c.b.unary('identity', c.nm, v.node, c.op), 0, bits);
}

const quantize = (c: NodeCtx) => passWithBits(c, zeroPointBits(c) ?? integerBits(c.attr('output_dtype')?.i) ?? 8);
const dequantize = (c: NodeCtx) => passWithBits(c, c.x().bits ?? zeroPointBits(c));

export const QUANT_OPS: Record<string, OpHandler> = {
  QuantizeLinear: { placement: 'digital', lower: quantize, fold: quantize },
  DequantizeLinear: { placement: 'digital', lower: dequantize, fold: dequantize },
  DynamicQuantizeLinear: {
    placement: 'digital',
    lower(c) {
      passWithBits(c, 8);
      c.setConst([], undefined, 1);
      c.setConst([], undefined, 2);
    },
  },
};
