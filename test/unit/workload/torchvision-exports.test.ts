/**
 * torchvision classification models as torch.onnx.export writes them, made with the project's
 * encoder (weights by dims only, as external data): the exporter's op patterns for ViT-B/16
 * (Conv patch embedding, Reshape/Transpose, the class token's Expand through the Equal/Where -1
 * fix-up and Concat, Add of the position embedding, nn.MultiheadAttention's packed in-projection
 * with Unsqueeze/Transpose/Squeeze/Gather, scaled Mul/MatMul/Softmax/MatMul, out-projection as
 * Gemm, Erf GELU), EfficientNet-B0 (depthwise Conv, SiLU as Sigmoid*Mul, squeeze-excite by
 * GlobalAveragePool + 1x1 Convs, Flatten/Gemm), GoogLeNet (transform_input's Gather/Mul/Add/Concat,
 * inception Concat, ceil-mode MaxPool), DenseNet-121 (torch.cat of every earlier feature map,
 * BN-ReLU-Conv), MobileNet-V3 (HardSwish, HardSigmoid squeeze-excite) and ConvNeXt-T (depthwise
 * 7x7, LayerNorm over channels between Transposes, MatMul+Add MLP, layer-scale Mul). BatchNorm is
 * kept as BatchNormalization nodes, as an export with training=TrainingMode.PRESERVE writes it
 * (the default eval export folds it into conv biases; the QDQ ResNet-18 test covers that form).
 * LayerNorm is LayerNormalization at opset 17 and torch's decomposed form below it; both are run.
 *
 * Expected, independent of the importer: torchvision's published num_params exactly and its
 * published GFLOPS (which are GMACs) to their 2 decimals; and the exact MACs by the test's own
 * formulas (per conv Cout x Cin/g x k^2 x Hout x Wout with PyTorch's output-size rule, per
 * linear in x out, written out in closed form for ViT and ConvNeXt).
 */
import { describe, expect, it } from 'vitest';
import { importOnnx, summarize } from '../../../src-main/engine/workload';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ONNX_DIR } from '../../helpers';
import { f32, type Img, OnnxNet } from '../../onnx-net';

const INPUT = [{ name: 'x', dims: ['batch', 3, 224, 224] }];
const image = (): Img => ({ t: 'x', c: 3, h: 224, w: 224 });

/** torchvision's _make_divisible (channel rounding of MobileNet and EfficientNet). */
function makeDivisible(v: number, d = 8): number {
  let n = Math.max(d, Math.floor((v + d / 2) / d) * d);
  if (n < 0.9 * v) n += d;
  return n;
}

/** Conv2dNormActivation: conv (no bias), BN, then the activation. */
function convBnAct(g: OnnxNet, x: Img, p: string, cout: number, k: number, act: ((y: Img) => Img) | null, s = 1, groups = 1, eps = 1e-5): Img {
  const y = g.bn(g.conv(x, `${p}.0`, cout, k, { s, pad: (k - 1) >> 1, groups }), `${p}.1`, eps);
  return act ? act(y) : y;
}

function efficientnetB0(): { bytes: Uint8Array; macs: number } {
  const g = new OnnxNet();
  const silu = (y: Img) => g.silu(y);
  let x = convBnAct(g, image(), 'features.0', 32, 3, silu, 2);
  // MBConv stages (expand ratio, kernel, stride, in, out, layers): torchvision efficientnet.py, B0.
  const stages = [[1, 3, 1, 32, 16, 1], [6, 3, 2, 16, 24, 2], [6, 5, 2, 24, 40, 2], [6, 3, 2, 40, 80, 3], [6, 5, 1, 80, 112, 3], [6, 5, 2, 112, 192, 4], [6, 3, 1, 192, 320, 1]];
  stages.forEach(([e, k, s0, cin0, cout, layers], si) => {
    for (let i = 0; i < layers; i++) {
      const [cin, s] = i === 0 ? [cin0, s0] : [cout, 1];
      const p = `features.${si + 1}.${i}.block`;
      const expanded = makeDivisible(cin * e);
      let j = 0;
      let h = expanded !== cin ? convBnAct(g, x, `${p}.${j++}`, expanded, 1, silu) : x;
      h = convBnAct(g, h, `${p}.${j++}`, expanded, k, silu, s, expanded);
      const squeeze = Math.max(1, Math.floor(cin / 4));
      const fc1 = g.silu(g.conv(g.gap(h), `${p}.${j}.fc1`, squeeze, 1, { bias: true }));
      h = g.mul(h, g.act(g.conv(fc1, `${p}.${j++}.fc2`, expanded, 1, { bias: true }), 'Sigmoid'));
      h = convBnAct(g, h, `${p}.${j}`, cout, 1, null);
      x = s === 1 && cin === cout ? g.add(h, x) : h;
    }
  });
  x = convBnAct(g, x, 'features.8', 1280, 1, silu);
  g.classifier(g.gap(x), 'classifier.1', 1000);
  return { bytes: g.encode(13, INPUT), macs: g.macs };
}

/** MobileNet-V3 rows: in, kernel, expanded, out, squeeze-excite, HardSwish (else ReLU), stride. */
type V3Row = [number, number, number, number, boolean, boolean, number];
const V3_LARGE: V3Row[] = [
  [16, 3, 16, 16, false, false, 1], [16, 3, 64, 24, false, false, 2], [24, 3, 72, 24, false, false, 1],
  [24, 5, 72, 40, true, false, 2], [40, 5, 120, 40, true, false, 1], [40, 5, 120, 40, true, false, 1],
  [40, 3, 240, 80, false, true, 2], [80, 3, 200, 80, false, true, 1], [80, 3, 184, 80, false, true, 1],
  [80, 3, 184, 80, false, true, 1], [80, 3, 480, 112, true, true, 1], [112, 3, 672, 112, true, true, 1],
  [112, 5, 672, 160, true, true, 2], [160, 5, 960, 160, true, true, 1], [160, 5, 960, 160, true, true, 1],
];
const V3_SMALL: V3Row[] = [
  [16, 3, 16, 16, true, false, 2], [16, 3, 72, 24, false, false, 2], [24, 3, 88, 24, false, false, 1],
  [24, 5, 96, 40, true, true, 2], [40, 5, 240, 40, true, true, 1], [40, 5, 240, 40, true, true, 1],
  [40, 5, 120, 48, true, true, 1], [48, 5, 144, 48, true, true, 1], [48, 5, 288, 96, true, true, 2],
  [96, 5, 576, 96, true, true, 1], [96, 5, 576, 96, true, true, 1],
];

function mobilenetV3(rows: V3Row[], lastChannel: number): { bytes: Uint8Array; macs: number } {
  const g = new OnnxNet();
  const hs = (y: Img) => g.act(y, 'HardSwish');
  const re = (y: Img) => g.act(y, 'Relu');
  let x = convBnAct(g, image(), 'features.0', 16, 3, hs, 2, 1, 0.001);
  rows.forEach(([cin, k, expanded, cout, se, hard, s], i) => {
    const p = `features.${i + 1}.block`;
    const act = hard ? hs : re;
    let j = 0;
    let h = expanded !== cin ? convBnAct(g, x, `${p}.${j++}`, expanded, 1, act, 1, 1, 0.001) : x;
    h = convBnAct(g, h, `${p}.${j++}`, expanded, k, act, s, expanded, 0.001);
    if (se) {
      const fc1 = g.act(g.conv(g.gap(h), `${p}.${j}.fc1`, makeDivisible(Math.floor(expanded / 4)), 1, { bias: true }), 'Relu');
      const gate = g.act(g.conv(fc1, `${p}.${j++}.fc2`, expanded, 1, { bias: true }), 'HardSigmoid', { alpha: { float: 1 / 6 }, beta: { float: 0.5 } });
      h = g.mul(h, gate);
    }
    h = convBnAct(g, h, `${p}.${j}`, cout, 1, null, 1, 1, 0.001);
    x = s === 1 && cin === cout ? g.add(h, x) : h;
  });
  const last = 6 * rows[rows.length - 1][3];
  x = convBnAct(g, x, `features.${rows.length + 1}`, last, 1, hs, 1, 1, 0.001);
  const f = g.gemm(g.one('Flatten', [g.gap(x).t], { axis: 1 }), 'classifier.0', last, lastChannel);
  g.gemm(g.one('HardSwish', [f]), 'classifier.3', lastChannel, 1000);
  return { bytes: g.encode(14, INPUT), macs: g.macs };
}

function googlenet(): { bytes: Uint8Array; macs: number } {
  const g = new OnnxNet();
  const basic = (x: Img, p: string, cout: number, k: number, s = 1, pad = 0) => g.act(g.bn(g.conv(x, `${p}.conv`, cout, k, { s, pad }), `${p}.bn`, 0.001), 'Relu');
  // transform_input (the pretrained model): each channel x[:, i] * (std / 0.5) + (mean - 0.5) / 0.5, concatenated.
  const stats = [[0.485, 0.229], [0.456, 0.224], [0.406, 0.225]];
  const chans = stats.map(([mean, std], i) => {
    g.inits.push(f32(`scale${i}`, std / 0.5), f32(`shift${i}`, (mean - 0.5) / 0.5));
    const ch = g.one('Unsqueeze', [g.one('Gather', ['x', g.ints([i], [])], { axis: 1 }), 'c1']);
    return g.one('Add', [g.one('Mul', [ch, `scale${i}`]), `shift${i}`]);
  });
  let x: Img = { t: g.one('Concat', chans, { axis: 1 }), c: 3, h: 224, w: 224 };
  const inception = (x: Img, p: string, c1: number, c3r: number, c3: number, c5r: number, c5: number, pool: number) =>
    g.concat([
      basic(x, `${p}.branch1`, c1, 1),
      basic(basic(x, `${p}.branch2.0`, c3r, 1), `${p}.branch2.1`, c3, 3, 1, 1),
      // torchvision keeps a 3x3 kernel in the "5x5" branch (a known bug kept for its weights).
      basic(basic(x, `${p}.branch3.0`, c5r, 1), `${p}.branch3.1`, c5, 3, 1, 1),
      basic(g.pool(x, 'MaxPool', 3, 1, 1, true), `${p}.branch4.1`, pool, 1),
    ]);
  x = g.pool(basic(x, 'conv1', 64, 7, 2, 3), 'MaxPool', 3, 2, 0, true);
  x = g.pool(basic(basic(x, 'conv2', 64, 1), 'conv3', 192, 3, 1, 1), 'MaxPool', 3, 2, 0, true);
  x = inception(inception(x, 'inception3a', 64, 96, 128, 16, 32, 32), 'inception3b', 128, 128, 192, 32, 96, 64);
  x = g.pool(x, 'MaxPool', 3, 2, 0, true);
  const four: [string, number, number, number, number, number, number][] = [
    ['4a', 192, 96, 208, 16, 48, 64], ['4b', 160, 112, 224, 24, 64, 64], ['4c', 128, 128, 256, 24, 64, 64],
    ['4d', 112, 144, 288, 32, 64, 64], ['4e', 256, 160, 320, 32, 128, 128],
  ];
  for (const [n, ...c] of four) x = inception(x, `inception${n}`, ...c);
  x = g.pool(x, 'MaxPool', 2, 2, 0, true);
  x = inception(inception(x, 'inception5a', 256, 160, 320, 32, 128, 128), 'inception5b', 384, 192, 384, 48, 128, 128);
  g.classifier(g.gap(x), 'fc', 1000);
  return { bytes: g.encode(13, INPUT), macs: g.macs };
}

function densenet121(): { bytes: Uint8Array; macs: number } {
  const g = new OnnxNet();
  const normReluConv = (x: Img, p: string, cout: number, k: number, pad = 0) => g.conv(g.act(g.bn(x, `${p.replace(/conv(\d?)$/, 'norm$1')}`), 'Relu'), p, cout, k, { pad });
  let x = g.pool(g.act(g.bn(g.conv(image(), 'features.conv0', 64, 7, { s: 2, pad: 3 }), 'features.norm0'), 'Relu'), 'MaxPool', 3, 2, 1);
  [6, 12, 24, 16].forEach((layers, b) => {
    const features = [x];
    for (let l = 0; l < layers; l++) {
      const p = `features.denseblock${b + 1}.denselayer${l + 1}`;
      // torch.cat(prev_features, 1) at every layer, then BN-ReLU-Conv 1x1 (4 x growth) and BN-ReLU-Conv 3x3 (growth 32).
      features.push(normReluConv(normReluConv(g.concat(features), `${p}.conv1`, 128, 1), `${p}.conv2`, 32, 3, 1));
    }
    x = g.concat(features);
    if (b < 3) x = g.pool(normReluConv(x, `features.transition${b + 1}.conv`, x.c / 2, 1), 'AveragePool', 2, 2);
  });
  x = g.act(g.bn(x, 'features.norm5'), 'Relu');
  g.classifier(g.gap(x), 'classifier', 1000);
  return { bytes: g.encode(13, INPUT), macs: g.macs };
}

function convnextTiny(opset: number): Uint8Array {
  const g = new OnnxNet();
  const decomposed = opset < 17;
  // LayerNorm2d: permute to channels-last, layer_norm, permute back.
  const ln2d = (x: Img, p: string): Img => {
    const t = g.layerNorm(g.one('Transpose', [x.t], { perm: [0, 2, 3, 1] }), p, x.c, decomposed, 1e-6);
    return { ...x, t: g.one('Transpose', [t], { perm: [0, 3, 1, 2] }) };
  };
  let x = ln2d(g.conv(image(), 'features.0.0', 96, 4, { s: 4, bias: true }), 'features.0.1');
  const [dims, depths] = [[96, 192, 384, 768], [3, 3, 9, 3]];
  dims.forEach((d, si) => {
    const f = 2 * si + 1;
    for (let i = 0; i < depths[si]; i++) {
      const p = `features.${f}.${i}`;
      const dw = g.conv(x, `${p}.block.0`, d, 7, { pad: 3, groups: d, bias: true });
      let t = g.layerNorm(g.one('Transpose', [dw.t], { perm: [0, 2, 3, 1] }), `${p}.block.2`, d, decomposed, 1e-6);
      t = g.linear(g.gelu(g.linear(t, `${p}.block.3`, d, 4 * d)), `${p}.block.5`, 4 * d, d);
      t = g.one('Mul', [g.weight(`${p}.layer_scale`, [d, 1, 1]), g.one('Transpose', [t], { perm: [0, 3, 1, 2] })]);
      x = { ...x, t: g.one('Add', [t, x.t]) };
    }
    if (si < 3) x = g.conv(ln2d(x, `features.${f + 1}.0`), `features.${f + 1}.1`, dims[si + 1], 2, { s: 2, bias: true });
  });
  g.classifier(ln2d(g.gap(x), 'classifier.0'), 'classifier.2', 1000);
  return g.encode(opset, INPUT);
}

function vitB16(opset: number): Uint8Array {
  const [D, H, L, F, T, hd] = [768, 12, 12, 3072, 197, 64];
  const g = new OnnxNet();
  const decomposed = opset < 17;
  const patches = g.conv(image(), 'conv_proj', D, 16, { s: 16, bias: true });
  let x = g.one('Transpose', [g.reshape(patches.t, [g.dim(patches.t, 0), [D], [-1]])], { perm: [0, 2, 1] });
  // class_token.expand(n, -1, -1): the -1s replaced through Equal/Where, then Expand and Concat.
  const shape = g.one('Concat', [g.dim(x, 0), g.ints([-1]), g.ints([-1])], { axis: 0 });
  const ones = g.one('ConstantOfShape', [g.one('Shape', [shape])], { value: { name: 'one_i64', dims: [1], int64s: [1] } });
  const target = g.one('Where', [g.one('Equal', [shape, g.ints([-1])]), ones, shape]);
  x = g.one('Concat', [g.one('Expand', [g.weight('class_token', [1, 1, D]), target]), x], { axis: 1 });
  x = g.one('Add', [x, g.weight('encoder.pos_embedding', [1, T, D])]);
  g.inits.push(f32('qk_scale', 1 / Math.sqrt(Math.sqrt(hd))));
  const headsOf = (t: string) => g.reshape(g.one('Transpose', [g.reshape(t, [[T], [-1], [hd]])], { perm: [1, 0, 2] }), [[-1], [H], [T], [hd]]);
  for (let l = 0; l < L; l++) {
    const p = `encoder.layers.encoder_layer_${l}`;
    // nn.MultiheadAttention (batch_first): to [T, B, E], packed in-projection, unflatten(-1, (3, E)).unsqueeze(0).transpose(0, -2).squeeze(-2).
    const tb = g.one('Transpose', [g.layerNorm(x, `${p}.ln_1`, D, decomposed, 1e-6)], { perm: [1, 0, 2] });
    const proj = g.linear(tb, `${p}.self_attention.in_proj`, D, 3 * D);
    const unflat = g.one('Unsqueeze', [g.reshape(proj, [g.dim(proj, 0), g.dim(proj, 1), [3], [D]]), 'c_axis0']);
    const packed = g.one('Squeeze', [g.one('Transpose', [unflat], { perm: [3, 1, 2, 0, 4] }), g.ints([-2])]);
    const [q, k, v] = [0, 1, 2].map((i) => headsOf(g.one('Gather', [packed, g.ints([i], [])], { axis: 0 })));
    // scaled_dot_product_attention as exported: both operands scaled by sqrt(1/sqrt(hd)).
    const kT = g.one('Transpose', [k], { perm: [0, 1, 3, 2] });
    const scores = g.one('MatMul', [g.one('Mul', [q, 'qk_scale']), g.one('Mul', [kT, 'qk_scale'])]);
    const ctx = g.one('MatMul', [g.one('Softmax', [scores], { axis: -1 }), v]);
    const flat = g.reshape(g.one('Transpose', [ctx], { perm: [2, 0, 1, 3] }), [[-1], [D]]);
    const out = g.reshape(g.gemm(flat, `${p}.self_attention.out_proj`, D, D), [[T], [-1], [D]]);
    x = g.one('Add', [g.one('Transpose', [out], { perm: [1, 0, 2] }), x]);
    const m = g.layerNorm(x, `${p}.ln_2`, D, decomposed, 1e-6);
    x = g.one('Add', [x, g.linear(g.gelu(g.linear(m, `${p}.mlp.0`, D, F)), `${p}.mlp.3`, F, D)]);
  }
  x = g.layerNorm(x, 'encoder.ln', D, decomposed, 1e-6);
  g.gemm(g.one('Gather', [x, g.ints([0], [])], { axis: 1 }), 'heads.head', D, 1000);
  return g.encode(opset, INPUT);
}

/** Imports at the default batch (1) and returns the summary with the total torchvision counts. */
function imported(bytes: Uint8Array, file: string) {
  const s = summarize(importOnnx(bytes, file));
  return { ...s, total: s.params + s.bn_params + s.embedding_params, gmacs: (s.macs / 1e9).toFixed(2) };
}

describe('torchvision exports import with torchvision num_params and GFLOPS (GMACs)', () => {
  const cnns: [string, () => { bytes: Uint8Array; macs: number }, number, string][] = [
    ['EfficientNet-B0', efficientnetB0, 5_288_548, '0.39'],
    ['MobileNet-V3 large', () => mobilenetV3(V3_LARGE, 1280), 5_483_032, '0.22'],
    ['MobileNet-V3 small', () => mobilenetV3(V3_SMALL, 1024), 2_542_856, '0.06'],
    ['GoogLeNet (inference, no aux heads)', googlenet, 6_624_904, '1.50'],
    ['DenseNet-121', densenet121, 7_978_856, '2.83'],
  ];
  for (const [name, build, params, gmacs] of cnns) {
    it(`${name}: ${params.toLocaleString('en-US')} parameters, ${gmacs} GMACs`, () => {
      const { bytes, macs } = build();
      const s = imported(bytes, `${name}.onnx`);
      expect(s.total).toBe(params);
      expect(s.macs).toBe(macs);
      expect(s.gmacs).toBe(gmacs);
    });
  }

  it('MobileNet-V3 small has the MACs of a real torch.onnx.export of it, and its parameters less the folded BN', () => {
    // pt_mobilenet_v3_small.onnx (test/fixtures/onnx/README.md) is torchvision's model exported in eval
    // mode: each BN folded into its conv, 2 x C affine parameters becoming C biases (6,056 channels).
    const real = imported(new Uint8Array(readFileSync(join(ONNX_DIR, 'pt_mobilenet_v3_small.onnx'))), 'pt_mobilenet_v3_small.onnx');
    const ours = imported(mobilenetV3(V3_SMALL, 1024).bytes, 'mobilenet_v3_small.onnx');
    expect(ours.macs).toBe(real.macs);
    expect(ours.total - real.total).toBe(6_056);
  });

  // ConvNeXt-T closed form: stem 4x4/4 conv; per block a 7x7 depthwise conv and the 4x MLP
  // (8 d^2 per position); 2x2/2 downsampling convs between stages; the 768 -> 1000 head.
  const stages: [number, number, number][] = [[96, 56, 3], [192, 28, 3], [384, 14, 9], [768, 7, 3]];
  const convnextMacs =
    96 * 3 * 16 * 56 * 56 +
    stages.reduce((sum, [d, s, n]) => sum + n * (49 * d + 8 * d * d) * s * s, 0) +
    stages.slice(0, 3).reduce((sum, [d, s]) => sum + 2 * d * d * 4 * (s / 2) ** 2, 0) +
    768 * 1000;
  for (const opset of [13, 17]) {
    it(`ConvNeXt-T at opset ${opset} (${opset < 17 ? 'decomposed' : 'LayerNormalization'} LayerNorm): 28,589,128 parameters, 4.46 GMACs`, () => {
      const s = imported(convnextTiny(opset), 'convnext_tiny.onnx');
      expect(s.total).toBe(28_589_128);
      expect(s.macs).toBe(convnextMacs);
      expect(s.gmacs).toBe('4.46');
    });
  }

  // ViT-B/16 closed form at 197 tokens: the 16x16/16 patch conv; per layer the QKV, output and
  // two MLP projections (197 x 768 x (2304 + 768 + 2 x 3072)) and QK^T and AV (2 x 12 x 197^2 x 64).
  const vitActAct = 12 * 2 * 12 * 197 * 197 * 64;
  const vitMacs = 768 * 3 * 256 * 196 + 12 * 197 * 768 * (2304 + 768 + 2 * 3072) + vitActAct + 768 * 1000;
  for (const opset of [14, 17]) {
    it(`ViT-B/16 at opset ${opset} (${opset < 17 ? 'decomposed' : 'LayerNormalization'} LayerNorm): 86,567,656 parameters, 17.56 GMACs`, () => {
      const s = imported(vitB16(opset), 'vit_b_16.onnx');
      expect(s.total).toBe(86_567_656);
      expect(s.embedding_params).toBe(768 + 197 * 768);
      expect(s.macs).toBe(vitMacs);
      expect(s.act_act_macs).toBe(vitActAct);
      expect(s.gmacs).toBe('17.56');
    });
  }
});
