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
  /** GMACs to two decimals, as torchvision lists "GFLOPS". */
  gmacs?: number;
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
  // torchvision model pages: vit_l_16 304,326,632 params / 61.55 GFLOPS; swin_t 28,288,354 / 4.49;
  // convnext_tiny 28,589,128 / 4.46 (torchvision's GFLOPS count MACs).
  vit_l_16: { total: 304_326_632, gmacs: 61.55, layers: { conv: 1, fc: 97, matmul: 48 } },
  // Swin-T: 12 blocks x {qkv, proj, fc1, fc2} + 3 patch-merging reductions + head = 52 linear.
  swin_t: { total: 28_288_354, gmacs: 4.49, layers: { conv: 1, fc: 52, matmul: 24 } },
  // ConvNeXt-T: stem + 18 depthwise 7x7 + 3 downsampling convs = 22 conv; 18 x 2 + head = 37 linear.
  convnext_tiny: { total: 28_589_128, gmacs: 4.46, layers: { conv: 22, fc: 37, matmul: 0 } },
  // Hugging Face bert-large-uncased: 335,141,888 parameters (with pooler).
  bert_large: { total: 335_141_888, layers: { conv: 0, fc: 145, matmul: 48 } },
  // GPT-2 (Radford et al. 2019; Hugging Face gpt2, tied LM head): 124,439,808; medium 354,823,168.
  // MACs at seq 128 by hand: T x (layers x (D*3D + D*D + 2*D*4D) + D*50257) + layers x 2 x T^2 x D.
  gpt2: { total: 124_439_808, macs: 128 * (12 * (768 * 2304 + 768 * 768 + 2 * 768 * 3072) + 768 * 50257) + 12 * 2 * 128 * 128 * 768, layers: { conv: 0, fc: 49, matmul: 24 } },
  gpt2_medium: { total: 354_823_168, macs: 128 * (24 * (1024 * 3072 + 1024 * 1024 + 2 * 1024 * 4096) + 1024 * 50257) + 24 * 2 * 128 * 128 * 1024, layers: { conv: 0, fc: 97, matmul: 48 } },
  // One decode step over a 128-token cache: T = 1, attention over 129 keys.
  'gpt2-decode': { total: 124_439_808, macs: 12 * (768 * 2304 + 768 * 768 + 2 * 768 * 3072) + 768 * 50257 + 12 * 2 * 129 * 768, layers: { conv: 0, fc: 49, matmul: 24 } },
  'gpt2_medium-decode': { total: 354_823_168, macs: 24 * (1024 * 3072 + 1024 * 1024 + 2 * 1024 * 4096) + 1024 * 50257 + 24 * 2 * 129 * 1024, layers: { conv: 0, fc: 97, matmul: 48 } },
  // MNSIM 2.0's CIFAR networks (layer lists in mnsim-zoo.test.ts), counted by hand with biases:
  // conv (Cin k^2 + 1) Cout, MACs k^2 Cin Cout Hout Wout; fc (in + 1) out, MACs in x out.
  'mnsim-lenet': { total: 456 + 2_416 + 48_120 + 121 * 84 + 85 * 10, macs: 25 * (3 * 6 * 784 + 6 * 16 * 100 + 16 * 120) + 120 * 84 + 84 * 10, layers: { conv: 3, fc: 2, matmul: 0 } },
  'mnsim-alexnet': { total: 2_781_514, macs: 9 * (3 * 64 * 256 + 64 * 192 * 64 + 192 * 384 * 16 + 384 * 256 * 16 + 256 * 256 * 16) + 1024 * 512 + 512 * 10, layers: { conv: 5, fc: 2, matmul: 0 } },
  'mnsim-vgg8': { total: 9_306_250, macs: 9 * (3 * 128 * 1024 + 128 * 128 * 1024 + 128 * 256 * 256 + 256 * 256 * 256 + 256 * 512 * 64 + 512 * 512 * 64 + 512 * 1024 * 4) + 1024 * 10, layers: { conv: 7, fc: 1, matmul: 0 } },
  'mnsim-vgg16': { total: 14_735_178, macs: 9 * (3 * 64 * 1024 + 64 * 64 * 1024 + 64 * 128 * 256 + 128 * 128 * 256 + 128 * 256 * 64 + 2 * 256 * 256 * 64 + 256 * 512 * 16 + 2 * 512 * 512 * 16 + 3 * 512 * 512 * 4) + 2048 * 10, layers: { conv: 13, fc: 1, matmul: 0 } },
  'mnsim-resnet18': {
    total: 13_594_506,
    macs: 9 * (3 * 64 * 1024 + 4 * 64 * 64 * 256 + (2 * 64 * 128 + 3 * 128 * 128) * 64 + (2 * 128 * 256 + 3 * 256 * 256) * 16 + (2 * 256 * 512 + 3 * 512 * 512) * 4) + 2048 * 512 + 512 * 10,
    layers: { conv: 20, fc: 2, matmul: 0 },
  },
  // Whisper-tiny encoder (Hugging Face openai/whisper-tiny config: d 384, 4 layers, FFN 1536, 1500
  // positions, no k_proj bias). Params by hand: convs 92,544 + 442,752, positions 576,000,
  // 4 x 1,774,080 per layer, final LN 768. MACs: conv1 80*3*384*3000 + conv2 384*3*384*1500 +
  // 4 x 1500 x (4*384^2 + 2*384*1536) + 4 x 2 x 1500^2 x 384.
  whisper_tiny_encoder: {
    total: 92_544 + 442_752 + 576_000 + 4 * 1_774_080 + 768,
    macs: 80 * 3 * 384 * 3000 + 384 * 3 * 384 * 1500 + 4 * 1500 * (4 * 384 * 384 + 2 * 384 * 1536) + 4 * 2 * 1500 * 1500 * 384,
    layers: { conv: 2, fc: 24, matmul: 8 },
  },
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
      if (e.gmacs !== undefined) expect(Math.round(s.macs / 1e7) / 100).toBe(e.gmacs);
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

  it('image models take an input shape: CIFAR-size ResNet-18 and VGG-16 (MNSIM CIFAR inputs are 3x32x32)', () => {
    // ResNet-18 at 32x32: conv1 7x7/2 gives 16x16 (64 x 147 x 256 = 2,408,448 MACs), the fc sees 512 features.
    const r = summarize(zooGraph('resnet18', { input: [3, 32, 32] }));
    expect(r.input_shape).toEqual([1, 3, 32, 32]);
    expect([r.ops[0].out_shape, r.ops[0].macs]).toEqual([[1, 64, 16, 16], 2_408_448]);
    expect(r.ops[r.ops.length - 1].rows).toBe(512);
    // VGG-8 (DNN+NeuroSim) is a CIFAR model: its first conv keeps 32x32 (128 x 27 x 1024 MACs).
    expect(summarize(zooGraph('vgg8-cifar', { input: [3, 32, 32] })).ops[0].macs).toBe(128 * 27 * 1024);
    expect(() => zooGraph('vit_b_16', { input: [3, 32, 32] })).toThrow(/input fixed by its definition/);
    expect(() => zooGraph('resnet18', { input: [32, 32] })).toThrow(/C x H x W/);
  });

  it('sequence models take named dimensions; unknown ones are refused naming the valid ones', () => {
    const g = summarize(zooGraph('gpt2', { dims: { seq: 64 } }));
    expect(g.act_act_macs).toBe(12 * 2 * 64 * 64 * 768);
    expect(summarize(zooGraph('gpt2-decode', { dims: { kv: 511 } })).act_act_macs).toBe(12 * 2 * 512 * 768);
    expect(() => zooGraph('gpt2', { dims: { kv: 8 } })).toThrow(/gpt2 has no dimension 'kv'; its dimensions: seq/);
    expect(() => zooGraph('resnet18', { dims: { seq: 8 } })).toThrow(/has none besides batch/);
    expect(() => zooGraph('gpt2', { dims: { seq: 1025 } })).toThrow(/1\.\.1024/);
  });

  it('rejects an unknown name listing the valid ones, and bad settings', () => {
    expect(() => zooGraph('resnet9000')).toThrow(RetileError);
    expect(() => zooGraph('resnet9000')).toThrow(/valid names: lenet5, alexnet/);
    expect(() => zooGraph('resnet50', { batch: 0 })).toThrow(/batch/);
    expect(() => zooGraph('bert_base', { seqLen: 513 })).toThrow(/512/);
  });
});
