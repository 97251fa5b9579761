/** Element-wise operators: activations, pass-throughs and broadcasting binary ops (digital units). */
import { broadcast, numel } from '../../shapes';
import type { ConstVal, NodeCtx } from '../context';
import { constInputs, foldElementwise, parameterNode } from './constants';
import { entries, type OpHandler } from './handler';

/** Copies a constant input through (Identity, Cast, Dropout on constants). */
function foldCopy(c: NodeCtx): void {
  const v = constInputs(c)[0]!;
  c.setFolded(v.dims, v.data);
}

/** Shape-preserving unary operator: a constant stays a constant (values dropped unless Identity). */
function lowerUnary(c: NodeCtx, kind: 'identity' | 'act'): void {
  const v = c.x();
  if (v.kind === 'const') return c.setConst(v.dims, c.op === 'Identity' ? v.data : undefined);
  const node = c.b.unary(kind, c.nm, v.node, c.op);
  for (let k = 0; k < c.outs.length; k++) c.setAct(node, k); // Dropout mask aliases the output
}

function lowerBinary(c: NodeCtx): void {
  const names = c.ins.filter(Boolean);
  const vals = c.ins.map((i, j) => (i ? c.x(j) : undefined)).filter((v): v is NonNullable<typeof v> => v !== undefined);
  const actIdx = vals.map((v, j) => (v.kind === 'act' ? j : -1)).filter((j) => j >= 0);
  const actNodes = actIdx.map((j) => (vals[j] as { node: string }).node);
  const consts = vals.filter((v): v is ConstVal => v.kind === 'const');
  const b = c.b;
  const outShape = [...actNodes.map((v) => b.shape(v)), ...consts.map((k) => k.dims)].reduce((p, q) => broadcast(p, q));
  // MatMul + Add = a linear layer with bias (PyTorch's export of nn.Linear on 3-D inputs).
  if (c.op === 'Add' && actNodes.length === 1 && consts.length === 1) {
    const fc = b.node(actNodes[0]);
    const k = consts[0];
    const features = fc?.outShape[fc.outShape.length - 1];
    if (
      fc && fc.op === 'fc' && fc.sourceOp === 'MatMul' && !fc.hasBias &&
      numel(k.dims) === features && k.dims.filter((d) => d !== 1).length <= 1 &&
      (c.st.uses.get(names[actIdx[0]]) ?? 0) === 1 && outShape.join() === fc.outShape.join()
    ) {
      fc.hasBias = true;
      fc.sourceOp = 'MatMul+Add';
      return c.setAct(fc.name);
    }
  }
  const kind = c.op === 'Mul' || c.op === 'Div' ? 'mul' : 'add';
  const inputs = [...actNodes];
  const affine = c.op === 'Add' || c.op === 'Mul' ? learnedOperands(c, consts, inputs) : 0;
  let node: string;
  if (inputs.length > 1) node = b.binary(kind, c.nm, inputs, c.op);
  else if (outShape.join() === b.shape(inputs[0]).join()) node = b.unary(kind, c.nm, inputs[0], c.op);
  else node = b.add({ name: c.nm, op: kind, sourceOp: c.op, inputs, outShape });
  if (affine) b.node(node)!.normParams = affine;
  c.setAct(node);
}

/**
 * Learned tensors torch.onnx.export leaves as initializers of an Add or Mul (floating point, more
 * than one element, each counted once): one with more than one non-unit axis (a position
 * embedding) joins `inputs` as a Parameter node counted with the embeddings; a per-channel vector
 * (a decomposed LayerNorm's scale and bias, ConvNeXt's layer scale) is affine and counted with the
 * norms (returned). Scalars (epsilon, 0.5, sqrt 2) and integer or boolean masks are not parameters.
 */
function learnedOperands(c: NodeCtx, consts: ConstVal[], inputs: string[]): number {
  let affine = 0;
  for (const k of consts) {
    if (!k.origin || !k.float || numel(k.dims) <= 1 || c.st.counted.has(k.origin)) continue;
    c.st.counted.add(k.origin);
    if (k.dims.filter((d) => d !== 1).length > 1) inputs.push(parameterNode(c, k.origin, k));
    else affine += numel(k.dims);
  }
  return affine;
}

export const ELEMENTWISE_OPS: Record<string, OpHandler> = {
  ...entries(['Identity', 'Dropout'], { placement: 'layout', lower: (c) => lowerUnary(c, 'identity'), fold: foldCopy }),
  LRN: { placement: 'digital', lower: (c) => lowerUnary(c, 'identity') },
  Cast: { placement: 'layout', lower: (c) => lowerUnary(c, 'act'), fold: foldCopy },
  ...entries(['Sqrt', 'Neg', 'Floor', 'Ceil'], { placement: 'digital', lower: (c) => lowerUnary(c, 'act'), fold: foldElementwise }),
  ...entries(
    [
      'Relu', 'LeakyRelu', 'PRelu', 'Sigmoid', 'HardSigmoid', 'HardSwish', 'Tanh', 'Clip', 'Gelu', 'Erf', 'Elu', 'Selu',
      'Celu', 'Softplus', 'Softsign', 'Mish', 'Exp', 'Log', 'Abs', 'Reciprocal', 'Round', 'Sign', 'Sin', 'Cos',
      'ThresholdedRelu', 'Shrink', 'Not', 'IsNaN', 'IsInf',
    ],
    { placement: 'digital', lower: (c) => lowerUnary(c, 'act') },
  ),
  ...entries(['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Equal', 'Less', 'Greater', 'Where'], {
    placement: 'digital',
    lower: lowerBinary,
    fold: foldElementwise,
  }),
  ...entries(['Sum', 'Mean', 'And', 'Or'], { placement: 'digital', lower: lowerBinary }),
};
