/**
 * Builds ONNX graphs node by node with the project's encoder, reproducing the op patterns
 * torch.onnx.export writes (tests of exporter-shaped fixtures). Weights carry dims only, as
 * external-data initializers would. Image tensors track their [C, H, W] so a test can add up
 * the MACs of each conv and linear layer by its own formula (`macs`), independent of the importer.
 */
import { encodeModel, type EncNode, type EncTensor } from '../src-main/engine/workload/onnx/encode';

export const i64 = (name: string, values: number[], dims = [values.length]): EncTensor => ({ name, dims, int64s: values });
export const f32 = (name: string, v: number): EncTensor => ({ name, dims: [], raw: new Uint8Array(new Float32Array([v]).buffer) });

/** An image activation: the tensor name and its channels and spatial size (batch 1). */
export interface Img {
  t: string;
  c: number;
  h: number;
  w: number;
}

/** Output size of a window: floor, or ceil (PyTorch's ceil_mode, a window may not start in the right pad). */
export function outSize(x: number, k: number, s: number, p: number, ceil = false): number {
  const span = x + 2 * p - k;
  let o = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceil && (o - 1) * s >= x + p) o -= 1;
  return o;
}

export class OnnxNet {
  nodes: EncNode[] = [];
  inits: EncTensor[] = [i64('c0', [0]), i64('c1', [1]), i64('c_axis0', [0]), f32('one', 1), f32('half', 0.5), f32('sqrt2', Math.SQRT2)];
  /** Conv and linear MACs added up by the formulas of `conv` and `gemm` (Cout x Cin/g x k^2 x Hout x Wout, in x out). */
  macs = 0;
  private n = 0;

  op(op: string, inputs: string[], attrs?: EncNode['attrs'], outputs = 1): string[] {
    const outs = Array.from({ length: outputs }, () => `t${this.n++}`);
    this.nodes.push({ op, name: `${op}_${this.n}`, inputs, outputs: outs, attrs });
    return outs;
  }
  one(op: string, inputs: string[], attrs?: EncNode['attrs']): string {
    return this.op(op, inputs, attrs)[0];
  }
  weight(name: string, dims: number[]): string {
    this.inits.push({ name, dims });
    return name;
  }
  /** An int64 constant under a fresh name. */
  ints(values: number[], dims = [values.length]): string {
    const nm = `k${this.n++}`;
    this.inits.push(i64(nm, values, dims));
    return nm;
  }
  /** Shape(x)[i] as a 1-element vector: the exporter's Shape -> Gather -> Unsqueeze chain. */
  dim(x: string, i: number): string {
    const idx = `idx${i}`;
    if (!this.inits.some((t) => t.name === idx)) this.inits.push(i64(idx, [i], []));
    return this.one('Unsqueeze', [this.one('Gather', [this.one('Shape', [x]), idx], { axis: 0 }), 'c_axis0']);
  }
  /** Reshape with a target assembled from Shape chains and constants. */
  reshape(x: string, parts: (string | number[])[]): string {
    const names = parts.map((p) => (typeof p === 'string' ? p : this.ints(p)));
    return this.one('Reshape', [x, this.one('Concat', names, { axis: 0 })]);
  }
  /**
   * LayerNorm over the last axis: LayerNormalization (opset 17+), or below opset 17 the form
   * torch's layer_norm symbolic decomposes to (ReduceMean, Sub, Pow, ReduceMean, Add eps, Sqrt,
   * Div, Mul weight, Add bias).
   */
  layerNorm(x: string, p: string, d: number, decomposed = false, eps = 1e-5): string {
    const [w, b] = [this.weight(`${p}.weight`, [d]), this.weight(`${p}.bias`, [d])];
    if (!decomposed) return this.one('LayerNormalization', [x, w, b], { axis: -1, epsilon: { float: eps } });
    const epsName = `eps_${eps}`;
    if (!this.inits.some((t) => t.name === epsName)) this.inits.push(f32(epsName, eps), f32('two', 2));
    const centred = this.one('Sub', [x, this.one('ReduceMean', [x], { axes: [-1] })]);
    const variance = this.one('ReduceMean', [this.one('Pow', [centred, 'two'])], { axes: [-1] });
    const normed = this.one('Div', [centred, this.one('Sqrt', [this.one('Add', [variance, epsName])])]);
    return this.one('Add', [this.one('Mul', [normed, w]), b]);
  }
  /** torch nn.Linear on a 3-D (or 4-D) input: MatMul with the transposed weight, then Add of the bias. */
  linear(x: string, p: string, din: number, dout: number): string {
    return this.one('Add', [this.one('MatMul', [x, this.weight(`${p}.weight`, [din, dout])]), this.weight(`${p}.bias`, [dout])]);
  }
  /** torch nn.Linear on a 2-D input: Gemm with transB (weight [out, in]); adds in x out x rows MACs. */
  gemm(x: string, p: string, din: number, dout: number, rows = 1): string {
    this.macs += rows * din * dout;
    return this.one('Gemm', [x, this.weight(`${p}.weight`, [dout, din]), this.weight(`${p}.bias`, [dout])], { transB: 1 });
  }
  /** Exact GELU as torch exports it below opset 20: x * 0.5 * (1 + erf(x / sqrt 2)). */
  gelu(x: string): string {
    return this.one('Mul', [this.one('Mul', [x, this.one('Add', [this.one('Erf', [this.one('Div', [x, 'sqrt2'])]), 'one'])]), 'half']);
  }
  /** transformers Conv1D: view(-1, din), addmm -> Reshape, Gemm, Reshape back. */
  conv1d(x: string, p: string, din: number, dout: number): string {
    const [b, s] = [this.dim(x, 0), this.dim(x, 1)];
    const flat = this.reshape(x, [[-1], [din]]);
    const y = this.one('Gemm', [flat, this.weight(`${p}.weight`, [din, dout]), this.weight(`${p}.bias`, [dout])]);
    return this.reshape(y, [b, s, [dout]]);
  }
  /** [B, S, D] -> [B, h, S, d] (perm) through the exporter's Reshape with Shape chains. */
  heads(x: string, h: number, perm: number[]): string {
    return this.one('Transpose', [this.reshape(x, [this.dim(x, 0), this.dim(x, 1), [h], [-1]])], { perm });
  }
  merge(ctx: string, d: number): string {
    const t = this.one('Transpose', [ctx], { perm: [0, 2, 1, 3] });
    return this.reshape(t, [this.dim(t, 0), this.dim(t, 1), [d]]);
  }

  // --- image layers ---

  /** nn.Conv2d; adds Cout x Cin/g x k^2 x Hout x Wout MACs. */
  conv(x: Img, p: string, cout: number, k: number, o: { s?: number; pad?: number; groups?: number; bias?: boolean } = {}): Img {
    const { s = 1, pad = 0, groups = 1, bias = false } = o;
    const [h, w] = [outSize(x.h, k, s, pad), outSize(x.w, k, s, pad)];
    this.macs += cout * (x.c / groups) * k * k * h * w;
    const inputs = [x.t, this.weight(`${p}.weight`, [cout, x.c / groups, k, k])];
    if (bias) inputs.push(this.weight(`${p}.bias`, [cout]));
    const t = this.one('Conv', inputs, { kernel_shape: [k, k], strides: [s, s], pads: [pad, pad, pad, pad], group: groups, dilations: [1, 1] });
    return { t, c: cout, h, w };
  }
  /** nn.BatchNorm2d in eval mode: scale, bias, running mean and variance initializers. */
  bn(x: Img, p: string, eps = 1e-5): Img {
    const stats = ['weight', 'bias', 'running_mean', 'running_var'].map((k) => this.weight(`${p}.${k}`, [x.c]));
    return { ...x, t: this.one('BatchNormalization', [x.t, ...stats], { epsilon: { float: eps } }) };
  }
  /** A shape-preserving activation (Relu, Sigmoid, HardSwish, HardSigmoid, ...). */
  act(x: Img, op: string, attrs?: EncNode['attrs']): Img {
    return { ...x, t: this.one(op, [x.t], attrs) };
  }
  /** nn.SiLU as torch exports it: x * Sigmoid(x). */
  silu(x: Img): Img {
    return { ...x, t: this.one('Mul', [x.t, this.one('Sigmoid', [x.t])]) };
  }
  pool(x: Img, op: 'MaxPool' | 'AveragePool', k: number, s: number, pad = 0, ceil = false): Img {
    const t = this.one(op, [x.t], { kernel_shape: [k, k], strides: [s, s], pads: [pad, pad, pad, pad], ceil_mode: ceil ? 1 : 0 });
    return { t, c: x.c, h: outSize(x.h, k, s, pad, ceil), w: outSize(x.w, k, s, pad, ceil) };
  }
  /** nn.AdaptiveAvgPool2d(1) as exported: GlobalAveragePool. */
  gap(x: Img): Img {
    return { t: this.one('GlobalAveragePool', [x.t]), c: x.c, h: 1, w: 1 };
  }
  concat(xs: Img[]): Img {
    return { t: this.one('Concat', xs.map((x) => x.t), { axis: 1 }), c: xs.reduce((s, x) => s + x.c, 0), h: xs[0].h, w: xs[0].w };
  }
  add(a: Img, b: Img): Img {
    return { ...a, t: this.one('Add', [a.t, b.t]) };
  }
  /** x * gate (squeeze-excite scaling, broadcasting [C, 1, 1] over the map). */
  mul(a: Img, gate: Img): Img {
    return { ...a, t: this.one('Mul', [a.t, gate.t]) };
  }
  /** Flatten(1) then the classifier's Gemm. */
  classifier(x: Img, p: string, dout: number): string {
    return this.gemm(this.one('Flatten', [x.t], { axis: 1 }), p, x.c * x.h * x.w, dout);
  }

  encode(opset: number, inputs: { name: string; dims: (number | string)[] }[]): Uint8Array {
    return encodeModel({ opset, inputs, nodes: this.nodes, initializers: this.inits, outputs: [this.nodes.at(-1)!.outputs[0]] });
  }
}
