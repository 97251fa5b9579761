/**
 * Operators with a stationary weight: convolutions (1-D and 2-D, transposed, quantized) and
 * linear layers (Gemm, MatMul with a constant operand, their quantized forms). These are the
 * crossbar MVMs; a MatMul of two activations is costed on digital units by cost.ts.
 */
import { CHECK_FILE, type ActVal, type ConstVal, type NodeCtx } from '../context';
import { windowPads } from '../shape-rules';
import type { OpHandler } from './handler';

/** Input positions of a conv-like node: data, weight, bias (quantized forms place them elsewhere). */
interface Slots {
  x: number;
  w: number;
  bias?: number;
  /** A zero-point input whose element type gives the activation width (QLinear*, *Integer). */
  xZeroPoint?: number;
}

/** Integer widths of a layer: the weight's element type, the activation's QuantizeLinear or zero point. */
function widths(c: NodeCtx, w: ConstVal, x: ActVal, s: Slots): { weightBits?: number; activationBits?: number } {
  const zp = s.xZeroPoint !== undefined ? c.optional(s.xZeroPoint) : undefined;
  const quantized = s.xZeroPoint !== undefined;
  const activationBits = x.bits ?? (zp?.kind === 'const' ? zp.bits : undefined) ?? (quantized ? 8 : undefined);
  const weightBits = w.bits ?? (quantized ? 8 : undefined);
  return { ...(weightBits ? { weightBits } : {}), ...(activationBits ? { activationBits } : {}) };
}

function annotate(c: NodeCtx, node: string, bits: { weightBits?: number; activationBits?: number }): void {
  const n = c.b.node(node)!;
  if (bits.weightBits) n.weightBits = bits.weightBits;
  if (bits.activationBits) n.activationBits = bits.activationBits;
  c.setAct(node);
}

function weightOf(c: NodeCtx, j: number): ConstVal {
  const w = c.x(j);
  if (w.kind !== 'const') return c.fail('weights must be a constant (initializer) tensor; export the weights as initializers (torch.onnx.export does unless they are passed as inputs)', 'unsupported');
  return w;
}

function actOf(c: NodeCtx, j: number): ActVal {
  const v = c.x(j);
  if (v.kind !== 'act') return c.fail(`expects an activation at input ${j}, got a constant`, 'unsupported');
  return v;
}

function lowerConv(c: NodeCtx, s: Slots): void {
  const w = weightOf(c, s.w);
  const xv = actOf(c, s.x);
  const rank = w.dims.length;
  if (rank === 5)
    return c.fail('3-D convolution (weight rank 5) is not mapped: crossbar mapping of volumetric kernels is not modelled; export the model with 2-D convolutions', 'unsupported');
  if (rank !== 3 && rank !== 4) return c.fail(`convolution weight of rank ${rank} is not supported (expected 3 for 1-D or 4 for 2-D); export 1-D or 2-D convolutions`, 'unsupported');
  const oneD = rank === 3;
  let input = xv.node;
  const given = c.b.shape(input);
  if (given.length !== rank) return c.fail(`expects a ${rank}-D input for a weight of rank ${rank}, got [${given.join(', ')}]; ${CHECK_FILE}`);
  // A 1-D convolution runs as a 2-D one over a height-1 map: [N, C, L] -> [N, C, 1, L].
  if (oneD) input = c.b.reshape(c.b.uniqueName(`${c.nm}/as2d`), input, [given[0], given[1], 1, given[2]], c.op);
  const inShape = c.b.shape(input);
  const wd = oneD ? [w.dims[0], w.dims[1], 1, w.dims[2]] : w.dims;
  const [cout, , kH, kW] = wd;
  const attr = (k: string, d: number[]) => {
    const v = c.ints(k);
    if (!v) return d;
    return oneD ? (k === 'pads' ? [0, v[0], 0, v[1]] : [1, v[0]]) : v;
  };
  const ks = attr('kernel_shape', [kH, kW]);
  if (ks[0] !== kH || ks[1] !== kW) return c.fail(`kernel_shape [${c.ints('kernel_shape')!.join(', ')}] disagrees with the weight [${w.dims.join(', ')}]; ${CHECK_FILE}`);
  const strides = attr('strides', [1, 1]) as [number, number];
  const dil = attr('dilations', [1, 1]) as [number, number];
  const pads = oneD && c.ints('pads') ? (attr('pads', []) as [number, number, number, number]) : windowPads(c, inShape, [kH, kW], strides, dil);
  const groups = c.ai('group', 1);
  if (wd[1] * groups !== inShape[1])
    return c.fail(`weight [${w.dims.join(', ')}] with group ${groups} expects ${wd[1] * groups} input channels, input has ${inShape[1]}; ${CHECK_FILE}`);
  const bias = s.bias !== undefined && c.optional(s.bias) !== undefined;
  const convName = oneD ? c.b.uniqueName(`${c.nm}/conv2d`) : c.nm;
  const node = c.b.conv(convName, input, { out: cout, k: [kH, kW], s: strides, p: pads, d: dil, groups, bias, sourceOp: c.op });
  const bits = widths(c, w, xv, s);
  if (!oneD) return annotate(c, node, bits);
  const o = c.b.shape(node);
  const n = c.b.node(node)!;
  if (bits.weightBits) n.weightBits = bits.weightBits;
  if (bits.activationBits) n.activationBits = bits.activationBits;
  c.setAct(c.b.reshape(c.nm, node, [o[0], o[1], o[3]], c.op));
}

function lowerConvTranspose(c: NodeCtx): void {
  const w = weightOf(c, 1);
  const xv = actOf(c, 0);
  if (w.dims.length !== 4) return c.fail(`only 2-D transposed convolutions are mapped (weight rank ${w.dims.length}); export it over a 4-D map`, 'unsupported');
  if (c.ints('output_shape')) return c.fail('output_shape is not supported; export with explicit pads and output_padding', 'unsupported');
  const auto = c.attr('auto_pad')?.s ?? 'NOTSET';
  if (auto !== 'NOTSET' && auto !== '' && auto !== 'VALID') return c.fail(`auto_pad ${auto} is not supported for ConvTranspose; export with explicit pads`, 'unsupported');
  const groups = c.ai('group', 1);
  const [cin, coutPerGroup, kH, kW] = w.dims;
  const inShape = c.b.shape(xv.node);
  if (inShape.length !== 4 || inShape[1] !== cin) return c.fail(`weight [${w.dims.join(', ')}] expects ${cin} input channels, input is [${inShape.join(', ')}]; ${CHECK_FILE}`);
  const p = c.ints('pads') ?? [0, 0, 0, 0];
  const node = c.b.convTranspose(c.nm, xv.node, {
    out: coutPerGroup * groups,
    k: [kH, kW],
    s: (c.ints('strides') ?? [1, 1]) as [number, number],
    d: (c.ints('dilations') ?? [1, 1]) as [number, number],
    p: [p[0], p[1], p[2], p[3]],
    outputPadding: (c.ints('output_padding') ?? [0, 0]) as [number, number],
    groups,
    bias: c.optional(2) !== undefined,
    sourceOp: c.op,
  });
  annotate(c, node, widths(c, w, xv, { x: 0, w: 1 }));
}

/** A linear layer from an activation and a constant 2-D weight [K, N] (transposed: [N, K]). */
function lowerLinear(c: NodeCtx, s: Slots, transB: boolean, bias: boolean): void {
  const w = weightOf(c, s.w);
  const xv = actOf(c, s.x);
  if (w.dims.length !== 2) return c.fail(`constant weight must be 2-D, got [${w.dims.join(', ')}]; export the layer as MatMul with an [in, out] weight`, 'unsupported');
  const [k, out] = transB ? [w.dims[1], w.dims[0]] : [w.dims[0], w.dims[1]];
  const node = c.b.fc(c.nm, xv.node, out, bias, c.op, k);
  // A weight that is an embedding table already counted (tied LM head) is counted once.
  const table = w.origin ? c.st.tables.get(w.origin) : undefined;
  if (table) c.b.node(node)!.tiedWeight = table;
  annotate(c, node, widths(c, w, xv, s));
}

/** MatMul-like: activation x constant is a linear layer, activation x activation an attention matmul. */
function lowerMatMul(c: NodeCtx, s: Slots): void {
  const [p, q] = [c.x(s.x), c.x(s.w)];
  if (p.kind === 'act' && q.kind === 'const') return lowerLinear(c, s, false, false);
  if (p.kind === 'act' && q.kind === 'act') return c.setAct(c.b.matmul(c.nm, p.node, q.node, c.op));
  return c.fail('a constant left operand (weight x activation) is not supported; export the layer as activation x weight (nn.Linear) or as Gemm', 'unsupported');
}

export const LINEAR_OPS: Record<string, OpHandler> = {
  Conv: { placement: 'crossbar', lower: (c) => lowerConv(c, { x: 0, w: 1, bias: 2 }) },
  ConvInteger: { placement: 'crossbar', lower: (c) => lowerConv(c, { x: 0, w: 1, xZeroPoint: 2 }) },
  QLinearConv: { placement: 'crossbar', lower: (c) => lowerConv(c, { x: 0, w: 3, bias: 8, xZeroPoint: 2 }) },
  ConvTranspose: { placement: 'crossbar', lower: lowerConvTranspose },
  Gemm: {
    placement: 'crossbar',
    lower(c) {
      const w = c.x(1);
      if (w.kind !== 'const') return c.fail('B must be a constant (initializer) weight; export the weights as initializers (torch.onnx.export does unless they are passed as inputs)', 'unsupported');
      if (c.ai('transA', 0) !== 0) return c.fail('transA = 1 is not supported; export the layer with its activation untransposed (nn.Linear does)', 'unsupported');
      if (w.dims.length !== 2) return c.fail(`B must be 2-D, got [${w.dims.join(', ')}]; ${CHECK_FILE}`);
      const input = c.act();
      if (c.b.shape(input).length !== 2) return c.fail(`A must be 2-D, got [${c.b.shape(input).join(', ')}]; flatten the input first (Flatten or Reshape before Gemm)`);
      const bias = c.optional(2);
      lowerLinear(c, { x: 0, w: 1 }, c.ai('transB', 0) === 1, bias !== undefined && bias.kind === 'const');
    },
  },
  MatMul: { placement: 'crossbar', lower: (c) => lowerMatMul(c, { x: 0, w: 1 }) },
  MatMulInteger: { placement: 'crossbar', lower: (c) => lowerMatMul(c, { x: 0, w: 1, xZeroPoint: 2 }) },
  QLinearMatMul: { placement: 'crossbar', lower: (c) => lowerMatMul(c, { x: 0, w: 3, xZeroPoint: 2 }) },
};
