/**
 * Shape arithmetic shared by the zoo builders and the ONNX importer (there is no shape
 * inference library in JavaScript, so this is ours). All functions are pure and throw plain
 * `Error`s; the builder wraps them into RetileErrors naming the node and operator.
 */
import { MAX_DIM, MAX_RANK, MAX_TENSOR_ELEMENTS } from '../limits';
import type { Shape } from './ir';
import { listPreview } from '../errors';

/**
 * Output length of a convolution or pooling window along one axis.
 * floor((in + padBegin + padEnd - dilation*(k-1) - 1) / stride) + 1   (ONNX Conv/MaxPool spec,
 * PyTorch nn.Conv2d docs). With ceil mode, PyTorch's rule: use ceil, then drop the last window if
 * it would start inside the end padding (torch/nn/functional.py, pooling_output_shape).
 */
export function windowOut(
  inLen: number,
  k: number,
  stride: number,
  padBegin: number,
  padEnd: number,
  dilation = 1,
  ceil = false,
): number {
  const span = inLen + padBegin + padEnd - dilation * (k - 1) - 1;
  if (span < 0) throw new Error(`window ${k} (dilation ${dilation}) larger than padded input ${inLen + padBegin + padEnd}`);
  let out = (ceil ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  if (ceil && (out - 1) * stride >= inLen + padBegin) out -= 1;
  return out;
}

/** Pads for ONNX auto_pad SAME_UPPER / SAME_LOWER: output = ceil(in / stride). */
export function samePads(inLen: number, k: number, stride: number, dilation: number, upper: boolean): [number, number] {
  const out = Math.ceil(inLen / stride);
  const total = Math.max(0, (out - 1) * stride + dilation * (k - 1) + 1 - inLen);
  const small = Math.floor(total / 2);
  return upper ? [small, total - small] : [total - small, small];
}

export function numel(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Throws unless every dim is a positive safe integer, rank and size are within limits. */
export function checkShape(shape: Shape): void {
  if (shape.length > MAX_RANK) throw new Error(`rank ${shape.length} exceeds the limit ${MAX_RANK}`);
  let n = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 1) throw new Error(`invalid dimension ${d} in [${listPreview(shape)}]`);
    if (d > MAX_DIM) throw new Error(`dimension ${d} exceeds the limit ${MAX_DIM}`);
    n *= d;
    if (n > MAX_TENSOR_ELEMENTS) throw new Error(`tensor [${listPreview(shape)}] exceeds the limit of 2^40 elements`);
  }
}

/** Numpy-style broadcast of two shapes (ONNX Add/Mul/MatMul batch dims). */
export function broadcast(a: Shape, b: Shape): Shape {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`shapes [${listPreview(a)}] and [${listPreview(b)}] do not broadcast`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Normalizes a possibly negative axis against a rank. */
export function normAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) throw new Error(`axis ${axis} out of range for rank ${rank}`);
  return a;
}

/**
 * ONNX Reshape target resolution: 0 copies the input dim (unless allowzero), -1 is inferred.
 */
export function resolveReshape(input: Shape, target: number[], allowZero = false): Shape {
  const out = target.map((d, i) => {
    if (d === 0 && !allowZero) {
      if (i >= input.length) throw new Error(`reshape dim 0 at ${i} has no input dim to copy`);
      return input[i];
    }
    return d;
  });
  const unknown = out.filter((d) => d === -1).length;
  if (unknown > 1) throw new Error('reshape target has more than one -1');
  const total = numel(input);
  if (unknown === 1) {
    const known = out.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
    if (known <= 0 || total % known !== 0) throw new Error(`cannot reshape [${listPreview(input)}] to [${listPreview(target)}]`);
    out[out.indexOf(-1)] = total / known;
  }
  if (numel(out) !== total) throw new Error(`cannot reshape [${listPreview(input)}] (${total} elements) to [${listPreview(out)}]`);
  return out;
}
