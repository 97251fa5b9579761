/**
 * Zoo figures against published values: torchvision's model documentation (num_params, and
 * GFLOPS, which are MACs), the original papers' layer definitions counted by hand, and
 * test/fixtures/onnx/README.md for the exact MACs of vgg11 and resnet34 (PyTorch exports).
 */
import { describe, expect, it } from 'vitest';
import { ZOO_NAMES, summarize, zooGraph } from '../../../src-main/engine/workload';
import { RetileError } from '../../../src-main/engine/errors';

interface Expected {
  /** Published total: conv/fc weights + biases + BN/LN affine + embeddings (torchvision num_params). */
  total: number;
  /** conv/fc weights + biases alone, where the reference splits it out. */
  params?: number;
  /** Exact MACs, where the reference gives them exactly. */
  macs?: number;
  /** Otherwise MACs in millions to the published 2 decimals. */
  macsM?: number;
  layers: { conv: number; fc: number; matmul: number };
}

const EXPECTED: Record<string, Expected> = {
  // Hand count: params 156 + 2,416 + 48,120 + 10,164 + 850 = 61,706;
  // MACs 6*25*28*28 + 16*150*10*10 + 400*120 + 120*84 + 84*10 = 416,520 (0.42 M).
  lenet5: { total: 61_706, params: 61_706, macs: 416_520, layers: { conv: 2, fc: 3, matmul: 0 } },
  alexnet: { total: 61_100_840, macs: 714_188_480, layers: { conv: 5, fc: 3, matmul: 0 } }, // A.5 table
  'vgg8-cifar': { total: 12_973_440, macsM: 615.92, layers: { conv: 6, fc: 2, matmul: 0 } },
  vgg11: { total: 132_863_336, macs: 7_609_090_048, layers: { conv: 8, fc: 3, matmul: 0 } }, // test/fixtures/onnx/README.md pt_vgg11
  vgg16: { total: 138_357_544, macs: 15_470_264_320, layers: { conv: 13, fc: 3, matmul: 0 } }, // A.5 table
  vgg19: { total: 143_667_240, macs: 19_632_062_464, layers: { conv: 16, fc: 3, matmul: 0 } }, // A.3 item 1
  resnet18: { total: 11_689_512, params: 11_679_912, macs: 1_814_073_344, layers: { conv: 20, fc: 1, matmul: 0 } },
  resnet34: { total: 21_797_672, macs: 3_663_761_408, layers: { conv: 36, fc: 1, matmul: 0 } }, // test/fixtures/onnx/README.md pt_resnet34
  resnet50: { total: 25_557_032, params: 25_503_912, macs: 4_089_184_256, layers: { conv: 53, fc: 1, matmul: 0 } },
  resnet101: { total: 44_549_160, macsM: 7_801.41, layers: { conv: 104, fc: 1, matmul: 0 } },
  'resnet20-cifar': { total: 269_722, params: 268_346, macsM: 40.55, layers: { conv: 19, fc: 1, matmul: 0 } },
  'resnet56-cifar': { total: 853_018, macsM: 125.49, layers: { conv: 55, fc: 1, matmul: 0 } },
  mobilenet_v2: { total: 3_504_872, params: 3_470_760, macsM: 300.77, layers: { conv: 52, fc: 1, matmul: 0 } },
  googlenet: { total: 6_624_904, macsM: 1_498.38, layers: { conv: 57, fc: 1, matmul: 0 } },
  squeezenet1_1: { total: 1_235_496, macsM: 349.15, layers: { conv: 26, fc: 0, matmul: 0 } },
  densenet121: { total: 7_978_856, params: 7_895_208, macsM: 2_834.16, layers: { conv: 120, fc: 1, matmul: 0 } },
  // ViT: 1 conv + 12 x {qkv, proj, fc1, fc2} + head = 49 linear; 12 x {QK^T, AV} = 24 act x act.
  vit_b_16: { total: 86_567_656, macsM: 17_563.83, layers: { conv: 0 + 1, fc: 49, matmul: 24 } },
  // BERT: 12 x {Q, K, V, O, FFN1, FFN2} + pooler = 73 linear.
  bert_base: { total: 109_482_240, macsM: 11_174.22, layers: { conv: 0, fc: 73, matmul: 24 } },
};

describe('model zoo', () => {
  it('has every documented model name', () => {
    expect([...ZOO_NAMES].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [name, e] of Object.entries(EXPECTED)) {
    it(`${name} matches its published parameters, MACs and layer counts`, () => {
      const s = summarize(zooGraph(name));
      expect(s.params + s.bn_params + s.embedding_params).toBe(e.total);
      if (e.params !== undefined) expect(s.params).toBe(e.params);
      if (e.macs !== undefined) expect(s.macs).toBe(e.macs);
      if (e.macsM !== undefined) expect(Math.round(s.macs / 1e4) / 100).toBe(e.macsM);
      expect(s.flops).toBe(2 * s.macs);
      expect(s.layers).toEqual(e.layers);
      expect(s.ops.length).toBe(e.layers.conv + e.layers.fc + e.layers.matmul);
    });
  }

  it('reports attention act x act MACs apart (ViT 715.3 M, BERT 302.0 M: 2 x layers x seq^2 x d)', () => {
    expect(Math.round(summarize(zooGraph('vit_b_16')).act_act_macs / 1e5) / 10).toBe(715.3);
    expect(Math.round(summarize(zooGraph('bert_base')).act_act_macs / 1e5) / 10).toBe(302.0);
  });

  it('BN affine params are kept apart (2 x BN channels: resnet18 9,600; resnet50 53,120)', () => {
    expect(summarize(zooGraph('resnet18')).bn_params).toBe(9_600);
    expect(summarize(zooGraph('resnet50')).bn_params).toBe(53_120);
  });

  it('BERT embeddings are lookups: 30522x768 + 512x768 + 2x768 = 23,835,648 params, no MACs', () => {
    expect(summarize(zooGraph('bert_base')).embedding_params).toBe(23_835_648);
  });

  it('BERT per-layer figures at seq 128 (by hand: 905.97 M weight MACs, 25.17 M act x act per layer)', () => {
    const s = summarize(zooGraph('bert_base'));
    const layer0 = s.ops.filter((o) => o.name.startsWith('encoder.layer.0.'));
    const w = layer0.filter((o) => o.kind === 'fc').reduce((a, o) => a + o.macs, 0);
    const aa = layer0.filter((o) => o.kind === 'matmul').reduce((a, o) => a + o.macs, 0);
    expect(Math.round(w / 1e4) / 100).toBe(905.97);
    expect(Math.round(aa / 1e4) / 100).toBe(25.17);
  });

  it('scales with batch and sequence length', () => {
    // Hand: MACs are linear in batch; BERT attention act x act is quadratic in tokens.
    expect(summarize(zooGraph('resnet50', { batch: 4 })).macs).toBe(4 * 4_089_184_256);
    expect(summarize(zooGraph('resnet50', { batch: 4 })).input_shape).toEqual([4, 3, 224, 224]);
    const a = summarize(zooGraph('bert_base', { seqLen: 64 }));
    expect(a.act_act_macs).toBe(12 * 2 * 12 * 64 * 64 * 64); // layers x {QK, AV} x heads x T x T x 64
  });

  it('per-operator rows/cols are the crossbar matrix per group (docs/cost-model.md#mapping)', () => {
    const ops = summarize(zooGraph('mobilenet_v2')).ops;
    const dw = ops.find((o) => o.name === 'features.2.dw')!; // depthwise 3x3 over 96 channels, stride 2
    expect([dw.rows, dw.cols, dw.groups, dw.mvms, dw.out_shape]).toEqual([9, 1, 96, 56 * 56, [1, 96, 56, 56]]);
    const conv1 = summarize(zooGraph('resnet18')).ops[0];
    expect([conv1.rows, conv1.cols, conv1.mvms, conv1.macs]).toEqual([7 * 7 * 3, 64, 112 * 112, 118_013_952]);
  });

  it('rejects an unknown name listing the valid ones, and bad settings', () => {
    expect(() => zooGraph('resnet9000')).toThrow(RetileError);
    expect(() => zooGraph('resnet9000')).toThrow(/valid names: lenet5, alexnet/);
    expect(() => zooGraph('resnet50', { batch: 0 })).toThrow(/batch/);
    expect(() => zooGraph('bert_base', { seqLen: 513 })).toThrow(/512/);
  });
});
