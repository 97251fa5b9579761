/**
 * ONNX import: the fixture files against test/fixtures/onnx/README.md, equality with the
 * zoo for the same architecture, and bad input (one RetileError naming file, node and operator).
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importOnnx, summarize, toLayerGraph, zooGraph } from '../../../src-main/engine/workload';
import { encodeModel, type EncModel } from '../../../src-main/engine/workload/onnx/encode';
import { RetileError } from '../../../src-main/engine/errors';
import { ONNX_DIR, retileError } from '../../helpers';

const read = (f: string) => new Uint8Array(fs.readFileSync(path.join(ONNX_DIR, f)));
const load = (f: string, batch?: number) => summarize(importOnnx(read(f), f, { batch }));

// Expected figures copied from the README's per-file sections and its pt_* table.
const README: Record<string, { params: number; bn?: number; macs?: number; macsM?: number; actAct?: number; layers: [number, number, number]; input: number[] }> = {
  'light_bvlc_alexnet.onnx': { params: 60_965_224, bn: 0, macsM: 654.56, layers: [5, 3, 0], input: [1, 3, 224, 224] },
  'light_vgg19.onnx': { params: 143_667_240, bn: 0, macsM: 19_632.06, layers: [16, 3, 0], input: [1, 3, 224, 224] },
  'light_resnet50.onnx': { params: 25_503_912, bn: 53_120, macsM: 4_089.18, layers: [53, 1, 0], input: [1, 3, 224, 224] },
  'mnist_onnx-mlir.onnx': { params: 26_506, macs: 26_368, layers: [0, 2, 0], input: [1, 1, 28, 28] },
  'pt_alexnet.onnx': { params: 61_100_840, macs: 714_188_480, actAct: 0, layers: [5, 3, 0], input: [1, 3, 224, 224] },
  'pt_vgg11.onnx': { params: 132_863_336, macs: 7_609_090_048, actAct: 0, layers: [8, 3, 0], input: [1, 3, 224, 224] },
  'pt_resnet34.onnx': { params: 21_789_160, macs: 3_663_761_408, actAct: 0, layers: [36, 1, 0], input: [1, 3, 224, 224] },
  'pt_mobilenet_v3_small.onnx': { params: 2_536_800, macs: 56_510_400, actAct: 0, layers: [52, 2, 0], input: [1, 3, 224, 224] },
  'pt_tiny_transformer.onnx': { params: 1_596_682, macs: 51_907_072, actAct: 1_048_576, layers: [0, 10, 4], input: [1, 32, 64] },
};

describe('ONNX sample files', () => {
  for (const [file, e] of Object.entries(README)) {
    it(`${file} imports with the README figures`, () => {
      const s = load(file);
      expect(s.params).toBe(e.params);
      if (e.bn !== undefined) expect(s.bn_params).toBe(e.bn);
      if (e.macs !== undefined) expect(s.macs).toBe(e.macs);
      if (e.macsM !== undefined) expect(Math.round(s.macs / 1e4) / 100).toBe(e.macsM);
      if (e.actAct !== undefined) expect(s.act_act_macs).toBe(e.actAct);
      expect([s.layers.conv, s.layers.fc, s.layers.matmul]).toEqual(e.layers);
      expect(s.input_shape).toEqual(e.input);
    });
  }

  it('imported MACs equal the zoo model of the same architecture', () => {
    expect(load('light_resnet50.onnx').macs).toBe(summarize(zooGraph('resnet50')).macs);
    expect(load('light_vgg19.onnx').macs).toBe(summarize(zooGraph('vgg19')).macs);
    expect(load('pt_alexnet.onnx').macs).toBe(summarize(zooGraph('alexnet')).macs);
    expect(load('pt_vgg11.onnx').macs).toBe(summarize(zooGraph('vgg11')).macs);
    // BN folded into conv biases changes params (README), not MACs.
    expect(load('pt_resnet34.onnx').macs).toBe(summarize(zooGraph('resnet34')).macs);
    // light_resnet50 keeps BN: params split exactly as torchvision's.
    const z = summarize(zooGraph('resnet50'));
    const l = load('light_resnet50.onnx');
    expect([l.params, l.bn_params]).toEqual([z.params, z.bn_params]);
  });

  it('a symbolic batch axis takes the tenant batch', () => {
    const s = load('pt_resnet34.onnx', 8);
    expect(s.input_shape).toEqual([8, 3, 224, 224]);
    expect(s.macs).toBe(8 * 3_663_761_408);
    expect(() => load('mnist_onnx-mlir.onnx', 4)).toThrow(/fixed batch/);
  });

  it('the transformer streams tokens through its linear layers', () => {
    const lg = toLayerGraph(importOnnx(read('pt_tiny_transformer.onnx'), 'pt_tiny_transformer.onnx'));
    const mm = lg.layers.filter((l) => l.kind === 'matmul');
    // 4 heads x 32 query tokens per act x act matmul (d = 256 / 4 = 64).
    expect(mm.map((l) => l.mvms)).toEqual([128, 128, 128, 128]);
    const emb = lg.layers[0];
    expect([emb.rows, emb.cols, emb.mvms, emb.hasBias]).toEqual([64, 256, 32, true]);
  });
});

/** A small valid model: input -> Conv(weights by dims only) -> Relu -> output. */
function tiny(over: Partial<EncModel> = {}): EncModel {
  return {
    opset: 13,
    inputs: [{ name: 'x', dims: ['N', 3, 8, 8] }],
    initializers: [{ name: 'w', dims: [4, 3, 3, 3] }],
    nodes: [
      { op: 'Conv', name: 'conv', inputs: ['x', 'w'], outputs: ['c'], attrs: { pads: [1, 1, 1, 1] } },
      { op: 'Relu', name: 'relu', inputs: ['c'], outputs: ['y'] },
    ],
    outputs: ['y'],
    ...over,
  };
}

const err = (f: () => unknown): RetileError => retileError(f);

describe('ONNX bad input', () => {
  it('accepts the tiny fixture (4 x 27 weights, 64 positions: 4*27*64 = 6,912 MACs)', () => {
    const s = summarize(importOnnx(encodeModel(tiny()), 'tiny.onnx'));
    expect([s.params, s.macs]).toEqual([108, 6_912]);
  });

  it('rejects bytes that are not ONNX', () => {
    const e = err(() => importOnnx(new TextEncoder().encode('hello, this is not a model'), 'hello.onnx'));
    expect(e.message).toMatch(/^hello\.onnx: not (a valid ONNX file|an ONNX model)/);
    expect(err(() => importOnnx(new Uint8Array(0), 'empty.onnx')).message).toMatch(/empty file/);
  });

  it('rejects a truncated file', () => {
    const bytes = read('light_bvlc_alexnet.onnx');
    const e = err(() => importOnnx(bytes.subarray(0, bytes.length - 100), 'cut.onnx'));
    expect(e.message).toMatch(/cut\.onnx: not a valid ONNX file/);
  });

  it('says what to do about a file it cannot read', () => {
    const cut = read('light_bvlc_alexnet.onnx').subarray(0, 1000);
    const messages = [
      err(() => importOnnx(new Uint8Array(0), 'empty.onnx')).message,
      err(() => importOnnx(cut, 'cut.onnx')).message,
      err(() => importOnnx(new TextEncoder().encode('hello, this is not a model'), 'hello.onnx')).message,
      err(() => importOnnx(encodeModel(tiny({ nodes: [] })), 'e.onnx')).message,
    ];
    for (const m of messages) expect(m).toMatch(/; (export|the file is cut short)/);
  });

  it('rejects an empty graph', () => {
    expect(err(() => importOnnx(encodeModel(tiny({ nodes: [] })), 'e.onnx')).message).toMatch(/empty graph/);
  });

  it('rejects a cycle, naming a node in it', () => {
    const m = tiny({
      nodes: [
        { op: 'Relu', name: 'a', inputs: ['b_out'], outputs: ['a_out'] },
        { op: 'Relu', name: 'b', inputs: ['a_out'], outputs: ['b_out'] },
      ],
    });
    const e = err(() => importOnnx(encodeModel(m), 'cyc.onnx'));
    expect(e.message).toMatch(/cycle/);
    expect(e.where.node).toMatch(/^[ab]$/);
  });

  it('lists every unsupported operator at once', () => {
    const m = tiny({
      nodes: [
        { op: 'Conv', name: 'conv', inputs: ['x', 'w'], outputs: ['c'] },
        { op: 'FancyOp', name: 'f1', inputs: ['c'], outputs: ['d'] },
        { op: 'RoiAlign', name: 'r1', inputs: ['d'], outputs: ['e'] },
        { op: 'FancyOp', name: 'f2', inputs: ['e'], outputs: ['y'] },
      ],
    });
    const e = err(() => importOnnx(encodeModel(m), 'u.onnx'));
    expect(e.code).toBe('unsupported');
    expect(e.message).toMatch(/FancyOp \(2 nodes, first 'f1'\)/);
    expect(e.message).toMatch(/RoiAlign \(1 node, first 'r1'\)/);
  });

  it('rejects absurd dimensions without overflow', () => {
    const m = tiny({ initializers: [{ name: 'w', dims: [2 ** 40, 2 ** 20, 3, 3] }] });
    const e = err(() => importOnnx(encodeModel(m), 'big.onnx'));
    expect(e.code).toBe('limit');
    const m2 = tiny({ inputs: [{ name: 'x', dims: [1, 3, 2 ** 30, 2 ** 30] }] });
    const e2 = err(() => importOnnx(encodeModel(m2), 'big2.onnx'));
    expect(e2.message).toMatch(/2\^40|limit/);
    expect(e2.where.node).toBe('x');
  });

  it('rejects a missing input, naming the node and operator', () => {
    const m = tiny({ nodes: [{ op: 'Conv', name: 'conv', inputs: ['x', 'nowhere'], outputs: ['y'] }] });
    const e = err(() => importOnnx(encodeModel(m), 'm.onnx'));
    expect(e.message).toBe(
      "m.onnx, node 'conv' (Conv): input 'nowhere' is not produced by any operator, initializer or graph input; the file is inconsistent here: check it with onnx.checker.check_model(model, full_check=True) and export it again",
    );
  });

  it('rejects a shape mismatch naming the node', () => {
    const m = tiny({ initializers: [{ name: 'w', dims: [4, 5, 3, 3] }] });
    const e = err(() => importOnnx(encodeModel(m), 's.onnx'));
    expect([e.where.file, e.where.node, e.where.op]).toEqual(['s.onnx', 'conv', 'Conv']);
  });

  it('rejects an opset outside 7..21', () => {
    expect(err(() => importOnnx(encodeModel(tiny({ opset: 6 })), 'o.onnx')).message).toMatch(/opset 6/);
  });

  it('never hangs or crashes on mutated or truncated real files (fast-check, seeded)', () => {
    const files = ['light_bvlc_alexnet.onnx', 'mnist_onnx-mlir.onnx', 'pt_resnet34.onnx', 'pt_alexnet.onnx'].map(read);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: files.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.option(fc.nat(), { nil: undefined }),
        (fi, flips, cut) => {
          const src = files[fi];
          const bytes = new Uint8Array(src.subarray(0, cut === undefined ? src.length : cut % (src.length + 1)));
          for (const [pos, val] of flips) if (bytes.length) bytes[pos % bytes.length] = val;
          try {
            const g = importOnnx(bytes, 'mutated.onnx');
            summarize(g);
            toLayerGraph(g);
          } catch (e) {
            if (!(e instanceof RetileError)) throw e;
            expect(e.message.startsWith('mutated.onnx')).toBe(true);
            expect(e.message).not.toMatch(/\n/);
          }
        },
      ),
      { seed: 20240806, numRuns: 200 },
    );
  });
});
