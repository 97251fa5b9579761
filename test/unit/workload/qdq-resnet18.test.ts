/**
 * A QDQ-quantized ResNet-18 as onnxruntime's static quantizer writes it (BN folded into conv
 * biases; every conv and the fc read a QuantizeLinear -> DequantizeLinear activation pair with a
 * uint8 zero point and an int8 weight through DequantizeLinear), made with the project's encoder.
 * Expected, independent of this code: torchvision resnet18's 1,814,073,344 MACs; its conv/fc
 * weights and biases 11,679,912 plus the folded BN biases (one per conv output channel, 4,800);
 * 8-bit weights and activations on all 21 layers.
 */
import { describe, expect, it } from 'vitest';
import { importOnnx, summarize } from '../../../src-main/engine/workload';
import { encodeModel, type EncNode, type EncTensor } from '../../../src-main/engine/workload/onnx/encode';

const INT8 = 3;
const UINT8 = 2;

function qdqResnet18(): Uint8Array {
  const nodes: EncNode[] = [];
  const inits: EncTensor[] = [
    { name: 's', dims: [], raw: new Uint8Array(new Float32Array([0.02]).buffer) },
    { name: 'zp', dims: [], dataType: UINT8, raw: new Uint8Array([0]) },
  ];
  let n = 0;
  const t = () => `t${n++}`;
  const qdq = (x: string) => {
    const [q, d] = [t(), t()];
    nodes.push({ op: 'QuantizeLinear', inputs: [x, 's', 'zp'], outputs: [q] }, { op: 'DequantizeLinear', inputs: [q, 's', 'zp'], outputs: [d] });
    return d;
  };
  const weight = (name: string, dims: number[]) => {
    inits.push({ name: `${name}_q`, dims, dataType: INT8 });
    const w = t();
    nodes.push({ op: 'DequantizeLinear', inputs: [`${name}_q`, 's'], outputs: [w] });
    return w;
  };
  const conv = (x: string, name: string, cin: number, cout: number, k: number, s: number, relu: boolean) => {
    inits.push({ name: `${name}.bias`, dims: [cout] });
    const y = t();
    const p = Math.floor(k / 2);
    nodes.push({ op: 'Conv', name, inputs: [qdq(x), weight(name, [cout, cin, k, k]), `${name}.bias`], outputs: [y], attrs: { kernel_shape: [k, k], strides: [s, s], pads: [p, p, p, p] } });
    if (!relu) return y;
    const r = t();
    nodes.push({ op: 'Relu', inputs: [y], outputs: [r] });
    return r;
  };
  let x = conv('input', 'conv1', 3, 64, 7, 2, true);
  const mp = t();
  nodes.push({ op: 'MaxPool', inputs: [x], outputs: [mp], attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] } });
  x = mp;
  let cin = 64;
  [64, 128, 256, 512].forEach((w, stage) => {
    for (let blk = 0; blk < 2; blk++) {
      const s = stage > 0 && blk === 0 ? 2 : 1;
      const p = `layer${stage + 1}.${blk}`;
      const h = conv(conv(x, `${p}.conv1`, cin, w, 3, s, true), `${p}.conv2`, w, w, 3, 1, false);
      const short = s !== 1 || cin !== w ? conv(x, `${p}.downsample`, cin, w, 1, s, false) : x;
      const [a, r] = [t(), t()];
      nodes.push({ op: 'Add', inputs: [h, short], outputs: [a] }, { op: 'Relu', inputs: [a], outputs: [r] });
      x = r;
      cin = w;
    }
  });
  const [gp, fl, out] = [t(), t(), 'logits'];
  inits.push({ name: 'fc.bias', dims: [1000] });
  nodes.push(
    { op: 'GlobalAveragePool', inputs: [x], outputs: [gp] },
    { op: 'Flatten', inputs: [gp], outputs: [fl], attrs: { axis: 1 } },
    { op: 'Gemm', name: 'fc', inputs: [qdq(fl), weight('fc', [1000, 512]), 'fc.bias'], outputs: [out], attrs: { transB: 1 } },
  );
  return encodeModel({ opset: 13, inputs: [{ name: 'input', dims: ['batch_size', 3, 224, 224] }], nodes, initializers: inits, outputs: [out] });
}

describe('QDQ ResNet-18', () => {
  it('imports with torchvision MACs, the folded-BN parameter count and 8-bit widths on every layer', () => {
    const s = summarize(importOnnx(qdqResnet18(), 'resnet18_qdq.onnx'));
    expect(s.macs).toBe(1_814_073_344);
    expect(s.params).toBe(11_679_912 + 4_800);
    expect(s.layers).toEqual({ conv: 20, fc: 1, matmul: 0 });
    expect(s.ops.every((o) => o.weight_bits === 8 && o.activation_bits === 8)).toBe(true);
  });
});
