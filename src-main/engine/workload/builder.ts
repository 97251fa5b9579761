/**
 * GraphBuilder: appends operators to a Graph and infers each output shape as it goes.
 * The zoo builds its models with it and the ONNX importer lowers ONNX nodes onto it, so both
 * share one shape inference. Every shape error becomes a RetileError naming the node and operator.
 */
import { listPreview, RetileError } from '../errors';
import type { Graph, GraphNode, OpType, Shape } from './ir';
import { LIMITS } from '../limits';
import { broadcast, checkShape, normAxis, numel, resolveReshape, windowOut } from './shapes';

export interface ConvOptions {
  out: number;
  /** Kernel size (square) or [kH, kW]. */
  k: number | [number, number];
  s?: number | [number, number];
  /** Symmetric pad, [padH, padW], or [top, left, bottom, right]. Default: k // 2 ("same" for odd k). */
  p?: number | [number, number] | [number, number, number, number];
  d?: number | [number, number];
  groups?: number;
  bias?: boolean;
  sourceOp?: string;
}

export interface PoolOptions {
  k: number | [number, number];
  s?: number | [number, number];
  p?: number | [number, number] | [number, number, number, number];
  ceil?: boolean;
  d?: number | [number, number];
  sourceOp?: string;
}

const pair = (v: number | [number, number]): [number, number] => (typeof v === 'number' ? [v, v] : v);

function pads4(
  p: number | [number, number] | [number, number, number, number],
): [number, number, number, number] {
  if (typeof p === 'number') return [p, p, p, p];
  if (p.length === 2) return [p[0], p[1], p[0], p[1]];
  return p;
}

export class GraphBuilder {
  readonly nodes: GraphNode[] = [];
  private readonly byName = new Map<string, GraphNode>();
  private inputShape: Shape | undefined;

  /** @param name model name; @param source zoo name or file name (named in errors). */
  constructor(
    readonly name: string,
    readonly source: string,
  ) {}

  has(name: string): boolean {
    return this.byName.has(name);
  }

  shape(name: string): Shape {
    const n = this.byName.get(name);
    if (!n) throw new RetileError('bad-input', `unknown tensor '${name}'`, { file: this.source });
    return n.outShape;
  }

  node(name: string): GraphNode | undefined {
    return this.byName.get(name);
  }

  /** Makes a name unique by suffixing a counter (ONNX node names may be empty or repeated). */
  uniqueName(base: string): string {
    if (!this.byName.has(base)) return base;
    for (let i = 1; ; i++) if (!this.byName.has(`${base}_${i}`)) return `${base}_${i}`;
  }

  fail(message: string, node: string, op: string, code: 'bad-input' | 'unsupported' | 'limit' = 'bad-input'): never {
    throw new RetileError(code, message, { file: this.source, node, op });
  }

  /** Appends a node after checking its name, inputs and shape. */
  add(node: GraphNode): string {
    if (this.nodes.length >= LIMITS.maxOperators) {
      throw new RetileError('limit', `operator count is above the limit of ${LIMITS.maxOperators}`, { file: this.source, node: node.name, op: node.sourceOp, setting: 'maxOperators' });
    }
    if (this.byName.has(node.name)) this.fail('duplicate operator name', node.name, node.sourceOp);
    for (const i of node.inputs) if (!this.byName.has(i)) this.fail(`input '${i}' is not produced by any earlier operator`, node.name, node.sourceOp);
    try {
      checkShape(node.outShape);
    } catch (e) {
      this.fail((e as Error).message, node.name, node.sourceOp, 'limit');
    }
    this.nodes.push(node);
    this.byName.set(node.name, node);
    return node.name;
  }

  /** Runs a shape computation, turning its plain Error into a RetileError naming the node. */
  private infer<T>(name: string, op: string, f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof RetileError) throw e;
      this.fail((e as Error).message, name, op);
    }
  }

  input(shape: Shape, name = 'input', sourceOp = 'Input'): string {
    if (!this.inputShape) this.inputShape = [...shape];
    return this.add({ name, op: 'input', sourceOp, inputs: [], outShape: [...shape] });
  }

  conv(name: string, x: string, o: ConvOptions): string {
    return this.convLike(name, x, o, false);
  }

  /**
   * ONNX ConvTranspose on NCHW: out = stride*(in-1) + outputPadding + dilation*(k-1) + 1 - padBegin - padEnd
   * (ONNX ConvTranspose spec; PyTorch nn.ConvTranspose2d docs). `out` is Cout.
   */
  convTranspose(name: string, x: string, o: ConvOptions & { outputPadding?: [number, number] }): string {
    return this.convLike(name, x, { p: 0, ...o }, true, o.outputPadding ?? [0, 0]);
  }

  private convLike(name: string, x: string, o: ConvOptions, transposed: boolean, outputPadding: [number, number] = [0, 0]): string {
    const op = o.sourceOp ?? (transposed ? 'ConvTranspose' : 'Conv');
    const inShape = this.shape(x);
    const [kH, kW] = pair(o.k);
    const [sH, sW] = pair(o.s ?? 1);
    const [dH, dW] = pair(o.d ?? 1);
    const pads = pads4(o.p ?? [Math.floor(kH / 2), Math.floor(kW / 2)]);
    const groups = o.groups ?? 1;
    const outLen = (i: number, k: number, s: number, d: number, p0: number, p1: number, extra: number) =>
      transposed ? s * (i - 1) + extra + d * (k - 1) + 1 - p0 - p1 : windowOut(i, k, s, p0, p1, d);
    const outShape = this.infer(name, op, () => {
      if (inShape.length !== 4) throw new Error(`expects a 4-D NCHW input, got [${inShape.join(', ')}]`);
      const [n, c, h, w] = inShape;
      if (!Number.isInteger(groups) || groups < 1 || c % groups !== 0 || o.out % groups !== 0)
        throw new Error(`groups ${groups} does not divide input channels ${c} and output channels ${o.out}`);
      if ([kH, kW, sH, sW, dH, dW].some((v) => !Number.isSafeInteger(v) || v < 1)) throw new Error('kernel, stride and dilation must be positive integers');
      if (pads.some((v) => !Number.isSafeInteger(v) || v < 0)) throw new Error(`invalid pads [${listPreview(pads)}]`);
      return [n, o.out, outLen(h, kH, sH, dH, pads[0], pads[2], outputPadding[0]), outLen(w, kW, sW, dW, pads[1], pads[3], outputPadding[1])];
    });
    return this.add({
      name,
      op: 'conv',
      sourceOp: op,
      inputs: [x],
      outShape,
      kernel: [kH, kW],
      strides: [sH, sW],
      pads,
      dilations: [dH, dW],
      groups,
      weight: [o.out, inShape[1] / groups, kH, kW],
      hasBias: o.bias ?? true,
      ...(transposed ? { transposed: { inputPositions: inShape[0] * inShape[2] * inShape[3] } } : {}),
    });
  }

  /** Data movement that changes a shape (Pad, Resize, Expand, Tile): no arithmetic on crossbars. */
  resample(name: string, x: string, outShape: Shape, sourceOp: string, attrs?: GraphNode['attrs']): string {
    return this.add({ name, op: 'resample', sourceOp, inputs: [x], outShape: [...outShape], ...(attrs ? { attrs } : {}) });
  }

  /** Linear layer over the last axis (Gemm, or MatMul with a constant [in, out] weight); per token for 3-D inputs. */
  fc(name: string, x: string, out: number, bias = true, sourceOp = 'Linear', inFeatures?: number): string {
    const inShape = this.shape(x);
    const inF = inShape[inShape.length - 1];
    const outShape = this.infer(name, sourceOp, () => {
      if (inShape.length < 2) throw new Error(`expects at least a 2-D input, got [${listPreview(inShape)}]`);
      if (inFeatures !== undefined && inFeatures !== inF) throw new Error(`weight expects ${inFeatures} input features, input [${listPreview(inShape)}] has ${inF}`);
      return [...inShape.slice(0, -1), out];
    });
    return this.add({ name, op: 'fc', sourceOp, inputs: [x], outShape, weight: [out, inF], hasBias: bias });
  }

  /** MatMul of two activations (attention): numpy matmul semantics with broadcast batch dims. */
  matmul(name: string, a: string, b: string, sourceOp = 'MatMul'): string {
    const sa = this.shape(a);
    const sb = this.shape(b);
    const outShape = this.infer(name, sourceOp, () => {
      if (sa.length < 2 || sb.length < 2) throw new Error('act x act MatMul needs operands of rank >= 2');
      const [m, k] = sa.slice(-2);
      const [k2, n] = sb.slice(-2);
      if (k !== k2) throw new Error(`inner dimensions differ: [${listPreview(sa)}] x [${listPreview(sb)}]`);
      return [...broadcast(sa.slice(0, -2), sb.slice(0, -2)), m, n];
    });
    return this.add({ name, op: 'matmul', sourceOp, inputs: [a, b], outShape, attrs: { k: sa[sa.length - 1] } });
  }

  pool(kind: 'maxpool' | 'avgpool', name: string, x: string, o: PoolOptions): string {
    const op = o.sourceOp ?? (kind === 'maxpool' ? 'MaxPool' : 'AveragePool');
    const inShape = this.shape(x);
    const [kH, kW] = pair(o.k);
    const [sH, sW] = pair(o.s ?? o.k);
    const [dH, dW] = pair(o.d ?? 1);
    const pads = pads4(o.p ?? 0);
    const outShape = this.infer(name, op, () => {
      if (inShape.length !== 4) throw new Error(`expects a 4-D NCHW input, got [${listPreview(inShape)}]`);
      if ([kH, kW, sH, sW, dH, dW].some((v) => !Number.isSafeInteger(v) || v < 1)) throw new Error('kernel, stride and dilation must be positive integers');
      if (pads.some((v) => !Number.isSafeInteger(v) || v < 0)) throw new Error(`invalid pads [${listPreview(pads)}]`);
      const [n, c, h, w] = inShape;
      return [n, c, windowOut(h, kH, sH, pads[0], pads[2], dH, o.ceil), windowOut(w, kW, sW, pads[1], pads[3], dW, o.ceil)];
    });
    return this.add({
      name,
      op: kind,
      sourceOp: op,
      inputs: [x],
      outShape,
      kernel: [kH, kW],
      strides: [sH, sW],
      pads,
      dilations: [dH, dW],
      attrs: o.ceil ? { ceil_mode: 1 } : undefined,
    });
  }

  /** Global average (or max) pooling to [N, C, 1, 1]. */
  globalPool(name: string, x: string, sourceOp = 'GlobalAveragePool'): string {
    const s = this.shape(x);
    const outShape = this.infer(name, sourceOp, () => {
      if (s.length < 3) throw new Error(`expects an N x C x spatial input, got [${listPreview(s)}]`);
      return [s[0], s[1], ...s.slice(2).map(() => 1)];
    });
    return this.add({ name, op: 'globalpool', sourceOp, inputs: [x], outShape });
  }

  /** PyTorch AdaptiveAvgPool2d: identity when sizes match, global when 1x1, a plain pool when the size divides. */
  adaptiveAvgPool(name: string, x: string, out: [number, number]): string {
    const s = this.shape(x);
    const op = 'AdaptiveAvgPool2d';
    if (s[2] === out[0] && s[3] === out[1]) return this.add({ name, op: 'identity', sourceOp: op, inputs: [x], outShape: [...s] });
    if (out[0] === 1 && out[1] === 1) return this.globalPool(name, x, op);
    if (s[2] % out[0] === 0 && s[3] % out[1] === 0) {
      const k: [number, number] = [s[2] / out[0], s[3] / out[1]];
      return this.pool('avgpool', name, x, { k, s: k, sourceOp: op });
    }
    return this.fail(`adaptive pooling from ${s[2]}x${s[3]} to ${out[0]}x${out[1]} is not a uniform window`, name, op, 'unsupported');
  }

  /** Shape-preserving unary operator (activation, dropout, identity, LRN, softmax). */
  unary(op: OpType, name: string, x: string, sourceOp: string, attrs?: GraphNode['attrs']): string {
    return this.add({ name, op, sourceOp, inputs: [x], outShape: [...this.shape(x)], attrs });
  }

  act(name: string, x: string, sourceOp = 'Relu'): string {
    return this.unary('act', name, x, sourceOp);
  }

  /** Learned per-channel scale on the last axis (ConvNeXt layer scale): C parameters, kept with the norms. */
  scale(name: string, x: string, sourceOp = 'LayerScale'): string {
    const s = this.shape(x);
    return this.add({ name, op: 'mul', sourceOp, inputs: [x], outShape: [...s], normParams: s[s.length - 1] });
  }

  /** BatchNorm over axis 1: 2 x C affine parameters (scale, bias; running stats not counted). */
  bn(name: string, x: string, sourceOp = 'BatchNormalization'): string {
    const s = this.shape(x);
    return this.add({ name, op: 'batchnorm', sourceOp, inputs: [x], outShape: [...s], normParams: 2 * (s[1] ?? 1) });
  }

  /** LayerNorm over the last axis with elementwise affine: 2 x features parameters. */
  ln(name: string, x: string, sourceOp = 'LayerNormalization', affine = true): string {
    const s = this.shape(x);
    return this.add({ name, op: 'layernorm', sourceOp, inputs: [x], outShape: [...s], normParams: affine ? 2 * s[s.length - 1] : 0 });
  }

  /** Element-wise binary op with broadcasting (residual add, SE scaling). */
  binary(op: 'add' | 'mul', name: string, xs: string[], sourceOp = op === 'add' ? 'Add' : 'Mul'): string {
    const outShape = this.infer(name, sourceOp, () => xs.map((x) => this.shape(x)).reduce((a, b) => broadcast(a, b)));
    return this.add({ name, op, sourceOp, inputs: xs, outShape });
  }

  concat(name: string, xs: string[], axis: number, sourceOp = 'Concat'): string {
    const shapes = xs.map((x) => this.shape(x));
    const outShape = this.infer(name, sourceOp, () => {
      if (shapes.length === 0) throw new Error('concat of no inputs');
      const a = normAxis(axis, shapes[0].length);
      const out = [...shapes[0]];
      for (const s of shapes.slice(1)) {
        if (s.length !== out.length || s.some((d, i) => i !== a && d !== out[i]))
          throw new Error(`cannot concat [${listPreview(s)}] with [${listPreview(shapes[0])}] on axis ${axis}`);
        out[a] += s[a];
      }
      return out;
    });
    return this.add({ name, op: 'concat', sourceOp, inputs: xs, outShape, attrs: { axis } });
  }

  /** Takes part of a tensor along one axis (Split output, Slice, Gather of one index). */
  part(name: string, x: string, axis: number, size: number, sourceOp = 'Split', keepDim = true): string {
    const s = this.shape(x);
    const outShape = this.infer(name, sourceOp, () => {
      const a = normAxis(axis, s.length);
      if (!Number.isSafeInteger(size) || size < 1 || size > s[a]) throw new Error(`part of size ${size} out of axis length ${s[a]}`);
      const out = [...s];
      out[a] = size;
      if (!keepDim) out.splice(a, 1);
      return out;
    });
    return this.add({ name, op: 'split', sourceOp, inputs: [x], outShape, attrs: { axis } });
  }

  /** Splits along an axis into parts of the given sizes; returns the part names. */
  split(name: string, x: string, axis: number, sizes: number[], sourceOp = 'Split'): string[] {
    const s = this.shape(x);
    const a = this.infer(name, sourceOp, () => normAxis(axis, s.length));
    if (sizes.reduce((p, v) => p + v, 0) !== s[a]) this.fail(`split sizes [${listPreview(sizes)}] do not sum to ${s[a]}`, name, sourceOp);
    return sizes.map((size, i) => this.part(sizes.length === 1 ? name : `${name}:${i}`, x, a, size, sourceOp));
  }

  reshape(name: string, x: string, target: number[], sourceOp = 'Reshape'): string {
    const outShape = this.infer(name, sourceOp, () => resolveReshape(this.shape(x), target));
    return this.add({ name, op: 'reshape', sourceOp, inputs: [x], outShape });
  }

  /** ONNX/PyTorch Flatten(axis): [d0..d(axis-1)] x [rest]. */
  flatten(name: string, x: string, axis = 1, sourceOp = 'Flatten'): string {
    const s = this.shape(x);
    const a = this.infer(name, sourceOp, () => (axis === s.length ? s.length : normAxis(axis, s.length)));
    return this.reshape(name, x, [numel(s.slice(0, a)), numel(s.slice(a))], sourceOp);
  }

  transpose(name: string, x: string, perm: number[], sourceOp = 'Transpose'): string {
    const s = this.shape(x);
    const outShape = this.infer(name, sourceOp, () => {
      const sorted = [...perm].sort((p, q) => p - q);
      if (perm.length !== s.length || sorted.some((v, i) => v !== i)) throw new Error(`perm [${listPreview(perm)}] is not a permutation of rank ${s.length}`);
      return perm.map((p) => s[p]);
    });
    return this.add({ name, op: 'transpose', sourceOp, inputs: [x], outShape, attrs: { perm } });
  }

  softmax(name: string, x: string, axis = -1, sourceOp = 'Softmax'): string {
    return this.unary('softmax', name, x, sourceOp, { axis });
  }

  /** Mean (or other reduction) over axes. */
  reduce(name: string, x: string, axes: number[], keepDims: boolean, sourceOp = 'ReduceMean'): string {
    const s = this.shape(x);
    const outShape = this.infer(name, sourceOp, () => {
      const set = new Set(axes.map((a) => normAxis(a, s.length)));
      return keepDims ? s.map((d, i) => (set.has(i) ? 1 : d)) : s.filter((_, i) => !set.has(i));
    });
    return this.add({ name, op: 'reduce', sourceOp, inputs: [x], outShape, attrs: { axes } });
  }

  /**
   * Embedding table lookup [vocab, dim]: indices input -> [...indices, dim]. With no input it is
   * a learned constant tensor (ViT class token, position embedding) of shape `outShape`.
   */
  embedding(name: string, x: string | null, vocab: number, dim: number, outShape?: Shape, sourceOp = 'Embedding'): string {
    const shape = x ? [...this.shape(x), dim] : (outShape ?? [1, vocab, dim]);
    return this.add({ name, op: 'embedding', sourceOp, inputs: x ? [x] : [], outShape: shape, weight: [vocab, dim] });
  }

  build(): Graph {
    if (!this.inputShape) throw new RetileError('bad-input', 'graph has no input', { file: this.source });
    if (!this.nodes.some((n) => n.op === 'conv' || n.op === 'fc' || n.op === 'matmul'))
      throw new RetileError('bad-input', 'graph has no conv, linear or matmul operator', { file: this.source });
    return { name: this.name, inputShape: this.inputShape, nodes: this.nodes, source: this.source };
  }
}
