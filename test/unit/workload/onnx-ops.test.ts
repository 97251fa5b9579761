/**
 * ONNX operators exporters emit today, each on a small graph made with the project's encoder.
 * Expected MACs and parameters are hand calculations from the operator definitions (ONNX
 * operator specs; PyTorch's output-size formulas), written out next to each assertion.
 */
import { describe, expect, it } from 'vitest';
import { importOnnx, summarize, toLayerGraph } from '../../../src-main/engine/workload';
import { encodeModel, type EncModel, type EncNode, type EncTensor } from '../../../src-main/engine/workload/onnx/encode';
import { RetileError } from '../../../src-main/engine/errors';
import { digitalOpsOf } from '../../../src-main/engine/workload/digital-ops';
import { retileError } from '../../helpers';

const INT8 = 3;
const UINT8 = 2;
const INT4 = 22;
const i64 = (name: string, values: number[], dims = [values.length]): EncTensor => ({ name, dims, int64s: values });
const f32 = (name: string, values: number[], dims = [values.length]): EncTensor => ({ name, dims, raw: new Uint8Array(new Float32Array(values).buffer) });
const model = (inputs: EncModel['inputs'], nodes: EncNode[], initializers: EncTensor[] = [], opset = 17): Uint8Array =>
  encodeModel({ opset, inputs, nodes, initializers, outputs: [nodes[nodes.length - 1].outputs[0]] });
const load = (bytes: Uint8Array, opts = {}) => summarize(importOnnx(bytes, 't.onnx', opts));
const err = (f: () => unknown): RetileError => retileError(f);

describe('convolutions', () => {
  it('a 1-D Conv maps as a 2-D one over a height-1 map (8 x 4 x 3 weights at 100 positions = 9,600 MACs)', () => {
    const s = load(model([{ name: 'x', dims: [1, 4, 100] }], [{ op: 'Conv', name: 'c1', inputs: ['x', 'w', 'b'], outputs: ['y'], attrs: { pads: [1, 1] } }], [{ name: 'w', dims: [8, 4, 3] }, { name: 'b', dims: [8] }]));
    expect([s.macs, s.params]).toEqual([9_600, 96 + 8]);
    expect(s.ops[0].out_shape).toEqual([1, 8, 1, 100]);
  });

  it('ConvTranspose: 2*(8-1) + 4 - 2 = 16 output, 64 input positions x 16 x (8*16) = 131,072 MACs', () => {
    const g = importOnnx(
      model([{ name: 'x', dims: [1, 16, 8, 8] }], [{ op: 'ConvTranspose', name: 'up', inputs: ['x', 'w'], outputs: ['y'], attrs: { strides: [2, 2], pads: [1, 1, 1, 1] } }], [{ name: 'w', dims: [16, 8, 4, 4] }]),
      't.onnx',
    );
    const s = summarize(g);
    expect(s.ops[0].out_shape).toEqual([1, 8, 16, 16]);
    expect([s.macs, s.params, s.ops[0].rows, s.ops[0].cols, s.ops[0].mvms]).toEqual([131_072, 2_048, 16, 128, 64]);
    expect(toLayerGraph(g).layers[0].macs).toBe(131_072);
  });

  it('refuses a 3-D Conv in one line naming the file, node and operator', () => {
    const e = err(() => load(model([{ name: 'x', dims: [1, 2, 4, 4, 4] }], [{ op: 'Conv', name: 'c3d', inputs: ['x', 'w'], outputs: ['y'] }], [{ name: 'w', dims: [4, 2, 3, 3, 3] }])));
    expect(e.message).toMatch(/^t\.onnx, node 'c3d' \(Conv\): 3-D convolution .* not mapped/);
    expect(e.code).toBe('unsupported');
  });

  it('Pad before a valid Conv gives the same MACs as a padded Conv (4 x 27 x 64 = 6,912)', () => {
    const s = load(
      model(
        [{ name: 'x', dims: [1, 3, 8, 8] }],
        [
          { op: 'Pad', name: 'pad', inputs: ['x', 'pads'], outputs: ['p'] },
          { op: 'Conv', name: 'c', inputs: ['p', 'w'], outputs: ['y'] },
        ],
        [i64('pads', [0, 0, 1, 1, 0, 0, 1, 1]), { name: 'w', dims: [4, 3, 3, 3] }],
      ),
    );
    expect(s.macs).toBe(6_912);
  });

  it('Resize by scales (opset 11+) and Upsample (opset 9) double the map before a 1x1 conv (2 x 4 x 256 = 2,048 MACs)', () => {
    const resize = model(
      [{ name: 'x', dims: [1, 4, 8, 8] }],
      [
        { op: 'Resize', name: 'r', inputs: ['x', '', 'scales'], outputs: ['u'], attrs: { mode: 'nearest' } },
        { op: 'Conv', name: 'c', inputs: ['u', 'w'], outputs: ['y'] },
      ],
      [f32('scales', [1, 1, 2, 2]), { name: 'w', dims: [2, 4, 1, 1] }],
    );
    expect(load(resize).macs).toBe(2_048);
    const up = model(
      [{ name: 'x', dims: [1, 4, 8, 8] }],
      [
        { op: 'Upsample', name: 'r', inputs: ['x', 'scales'], outputs: ['u'] },
        { op: 'Conv', name: 'c', inputs: ['u', 'w'], outputs: ['y'] },
      ],
      [f32('scales', [1, 1, 2, 2]), { name: 'w', dims: [2, 4, 1, 1] }],
      9,
    );
    expect(load(up).macs).toBe(2_048);
  });
});

describe('resampling', () => {
  // 1 x 8 x 16 x 16 doubled on H and W: 8 x 32 x 32 = 8,192 outputs.
  const resized = (mode: string) => {
    const g = importOnnx(
      model(
        [{ name: 'x', dims: [1, 8, 16, 16] }],
        [
          { op: 'Resize', name: 'r', inputs: ['x', '', 'scales'], outputs: ['u'], attrs: { mode } },
          { op: 'Conv', name: 'c', inputs: ['u', 'w'], outputs: ['y'] },
        ],
        [f32('scales', [1, 1, 2, 2]), { name: 'w', dims: [2, 8, 1, 1] }],
      ),
      't.onnx',
    );
    const r = g.nodes.find((n) => n.name === 'r')!;
    return digitalOpsOf(r, [g.nodes.find((n) => n.name === r.inputs[0])!]);
  };

  it('Resize counts its interpolation on digital units: nearest 0, bilinear 3 two-tap and bicubic 5 four-tap interpolations per output', () => {
    expect(resized('nearest')).toEqual({ add: 0, mul: 0, div: 0, exp: 0 });
    // bilinear: two along W, one along H; each w0 a + w1 b = 2 mul + 1 add.
    expect(resized('linear')).toEqual({ add: 3 * 8_192, mul: 6 * 8_192, div: 0, exp: 0 });
    // bicubic: four along W, one along H; each 4 mul + 3 add.
    expect(resized('cubic')).toEqual({ add: 15 * 8_192, mul: 20 * 8_192, div: 0, exp: 0 });
  });
});

describe('attention patterns', () => {
  it("Einsum 'bhid,bhjd->bhij' and 'bhij,bhjd->bhid' are act x act matmuls (2*5*7 x 8 = 560 MACs each)", () => {
    const s = load(
      model(
        [
          { name: 'q', dims: [1, 2, 5, 8] },
          { name: 'k', dims: [1, 2, 7, 8] },
          { name: 'v', dims: [1, 2, 7, 8] },
        ],
        [
          { op: 'Einsum', name: 'qk', inputs: ['q', 'k'], outputs: ['s'], attrs: { equation: 'bhid,bhjd->bhij' } },
          { op: 'Softmax', name: 'sm', inputs: ['s'], outputs: ['p'], attrs: { axis: -1 } },
          { op: 'Einsum', name: 'av', inputs: ['p', 'v'], outputs: ['y'], attrs: { equation: 'bhij,bhjd->bhid' } },
        ],
      ),
    );
    expect([s.macs, s.act_act_macs, s.layers.matmul]).toEqual([1_120, 1_120, 2]);
    expect(s.ops.map((o) => o.out_shape)).toEqual([
      [1, 2, 5, 7],
      [1, 2, 5, 8],
    ]);
  });

  it("Einsum 'bsd,dh->bsh' with a constant is a linear layer (5 tokens x 8 x 6 = 240 MACs, 48 weights)", () => {
    const s = load(model([{ name: 'x', dims: [1, 5, 8] }], [{ op: 'Einsum', name: 'proj', inputs: ['x', 'w'], outputs: ['y'], attrs: { equation: 'bsd,dh->bsh' } }], [{ name: 'w', dims: [8, 6] }]));
    expect([s.macs, s.params, s.layers.fc, s.act_act_macs]).toEqual([240, 48, 1, 0]);
  });

  it('LayerNormalization counts 2 x D affine parameters; its decomposed form imports too', () => {
    const ln = load(
      model(
        [{ name: 'x', dims: [1, 5, 8] }],
        [
          { op: 'LayerNormalization', name: 'ln', inputs: ['x', 'g', 'b'], outputs: ['n'], attrs: { axis: -1, epsilon: { float: 1e-5 } } },
          { op: 'MatMul', name: 'fc', inputs: ['n', 'w'], outputs: ['y'] },
        ],
        [{ name: 'g', dims: [8] }, { name: 'b', dims: [8] }, { name: 'w', dims: [8, 8] }],
      ),
    );
    expect([ln.bn_params, ln.macs]).toEqual([16, 5 * 64]);
    const dec = load(
      model(
        [{ name: 'x', dims: [1, 5, 8] }],
        [
          { op: 'ReduceMean', name: 'mean', inputs: ['x'], outputs: ['m'], attrs: { axes: [-1] } },
          { op: 'Sub', name: 'sub', inputs: ['x', 'm'], outputs: ['d'] },
          { op: 'Pow', name: 'pow', inputs: ['d', 'two'], outputs: ['d2'] },
          { op: 'ReduceMean', name: 'var', inputs: ['d2'], outputs: ['v'], attrs: { axes: [-1] } },
          { op: 'Add', name: 'eps', inputs: ['v', 'e'], outputs: ['ve'] },
          { op: 'Sqrt', name: 'sqrt', inputs: ['ve'], outputs: ['sd'] },
          { op: 'Div', name: 'div', inputs: ['d', 'sd'], outputs: ['n0'] },
          { op: 'Mul', name: 'gamma', inputs: ['n0', 'g'], outputs: ['n1'] },
          { op: 'Add', name: 'beta', inputs: ['n1', 'b'], outputs: ['n'] },
          { op: 'Erf', name: 'erf', inputs: ['n'], outputs: ['er'] },
          { op: 'MatMul', name: 'fc', inputs: ['er', 'w'], outputs: ['y'] },
        ],
        [f32('two', [2], []), f32('e', [1e-5], []), { name: 'g', dims: [8] }, { name: 'b', dims: [8] }, { name: 'w', dims: [8, 8] }],
        13,
      ),
    );
    // torch's decomposed form: the Mul and Add initializers are the same 2 x 8 learned parameters;
    // the scalars (2, epsilon) are not parameters.
    expect([dec.bn_params, dec.params, dec.macs]).toEqual([16, 64, 5 * 64]);
  });

  it('learned element-wise operands count once: a per-channel scale with the norms, a position table with the embeddings; masks and scalars do not', () => {
    const s = load(
      model(
        [{ name: 'x', dims: [1, 5, 8] }],
        [
          { op: 'Add', name: 'pos', inputs: ['x', 'pos_embedding'], outputs: ['p'] },
          { op: 'Mul', name: 'scale1', inputs: ['p', 'g'], outputs: ['a'] },
          { op: 'Mul', name: 'scale2', inputs: ['a', 'g'], outputs: ['b'] },
          { op: 'Mul', name: 'half', inputs: ['b', 'h'], outputs: ['c'] },
          { op: 'Where', name: 'mask', inputs: ['m', 'c', 'h'], outputs: ['d'] },
          { op: 'Add', name: 'ids', inputs: ['d', 'k'], outputs: ['e'] },
          { op: 'MatMul', name: 'fc', inputs: ['e', 'w'], outputs: ['y'] },
        ],
        [
          { name: 'pos_embedding', dims: [1, 5, 8] }, { name: 'g', dims: [8] }, f32('h', [0.5], []),
          { name: 'm', dims: [1, 5, 8], dataType: 9 }, i64('k', [0, 1, 2, 3, 4, 5, 6, 7]), { name: 'w', dims: [8, 4] },
        ],
      ),
    );
    // 40 position-table values, 8 scale values (used twice, counted once), 32 fc weights.
    expect([s.embedding_params, s.bn_params, s.params]).toEqual([40, 8, 32]);
  });

  it('a Hugging Face style mask (Equal, Where, Expand of a ConstantOfShape) and shape arithmetic (Shape, Gather, Range, Tile) fold', () => {
    // x [1, 6, 4]; the reshape target [1, 6, 4] is computed from Shape(x), a Range over the
    // sequence (length 6) and a Tile of [1] (repeats 1); the mask is Where(Equal(m, 0), -inf, 0).
    const s = load(
      model(
        [{ name: 'x', dims: ['batch', 'seq', 4] }],
        [
          { op: 'Shape', name: 'shape', inputs: ['x'], outputs: ['sh'] },
          { op: 'Gather', name: 'g1', inputs: ['sh', 'one'], outputs: ['t'], attrs: { axis: 0 } },
          { op: 'Range', name: 'range', inputs: ['zero', 't', 'one'], outputs: ['pos'] },
          { op: 'Shape', name: 'shape2', inputs: ['pos'], outputs: ['tl'] },
          { op: 'Tile', name: 'tile', inputs: ['onev', 'onev'], outputs: ['b1'] },
          { op: 'Concat', name: 'cat', inputs: ['b1', 'tl', 'four'], outputs: ['target'], attrs: { axis: 0 } },
          { op: 'ConstantOfShape', name: 'cos', inputs: ['target'], outputs: ['ones'], attrs: { value: f32('v', [1], [1]) } },
          { op: 'Equal', name: 'eq', inputs: ['ones', 'zerof'], outputs: ['isz'] },
          { op: 'Where', name: 'where', inputs: ['isz', 'ninf', 'zerof'], outputs: ['mask'] },
          { op: 'Expand', name: 'expand', inputs: ['mask', 'target'], outputs: ['maskx'] },
          { op: 'Reshape', name: 'reshape', inputs: ['x', 'target'], outputs: ['xr'] },
          { op: 'Add', name: 'masked', inputs: ['xr', 'maskx'], outputs: ['xm'] },
          { op: 'MatMul', name: 'fc', inputs: ['xm', 'w'], outputs: ['y'] },
        ],
        [i64('one', [1], []), i64('zero', [0], []), i64('onev', [1]), i64('four', [4]), f32('zerof', [0], []), f32('ninf', [-1e9], []), { name: 'w', dims: [4, 3] }],
      ),
      { dims: { seq: 6 } },
    );
    expect([s.macs, s.ops[0].out_shape]).toEqual([6 * 4 * 3, [1, 6, 3]]);
  });
});

describe('control flow', () => {
  const branch = (op: EncNode): EncModel => ({ nodes: [op], inputs: [], outputs: [op.outputs[0]] });
  const ifModel = (cond: EncNode) =>
    model(
      [{ name: 'x', dims: [1, 8] }],
      [
        cond,
        {
          op: 'If',
          name: 'choose',
          inputs: ['cond'],
          outputs: ['h'],
          attrs: {
            then_branch: { graph: branch({ op: 'MatMul', name: 'big', inputs: ['x', 'w16'], outputs: ['t_out'] }) },
            else_branch: { graph: branch({ op: 'MatMul', name: 'small', inputs: ['x', 'w4'], outputs: ['e_out'] }) },
          },
        },
        { op: 'Relu', name: 'relu', inputs: ['h'], outputs: ['y'] },
      ],
      [{ name: 'w16', dims: [8, 16] }, { name: 'w4', dims: [8, 4] }],
    );

  it('If with a constant condition takes its branch (then: 8 x 16 = 128 MACs; else: 8 x 4 = 32)', () => {
    expect(load(ifModel({ op: 'Constant', name: 'k', inputs: [], outputs: ['cond'], attrs: { value: { name: 'c', dims: [], dataType: 9, raw: new Uint8Array([1]) } } })).macs).toBe(128);
    expect(load(ifModel({ op: 'Constant', name: 'k', inputs: [], outputs: ['cond'], attrs: { value: { name: 'c', dims: [], dataType: 9, raw: new Uint8Array([0]) } } })).macs).toBe(32);
  });

  it('If on a data-dependent condition is refused naming the node', () => {
    const e = err(() => load(ifModel({ op: 'ReduceMax', name: 'k', inputs: ['x'], outputs: ['cond'], attrs: { keepdims: 0 } })));
    expect(e.message).toMatch(/^t\.onnx, node 'choose' \(If\): the If condition depends on the input/);
  });

  it('Loop with a constant trip count unrolls (3 iterations of an 8 x 8 linear layer = 192 MACs)', () => {
    const body: EncModel = {
      inputs: [
        { name: 'i', dims: [] },
        { name: 'c_in', dims: [] },
        { name: 'v', dims: [1, 8] },
      ],
      nodes: [
        { op: 'Identity', name: 'keep', inputs: ['c_in'], outputs: ['c_out'] },
        { op: 'MatMul', name: 'step', inputs: ['v', 'w'], outputs: ['v_out'] },
      ],
      outputs: ['c_out', 'v_out'],
    };
    const s = load(
      model(
        [{ name: 'x', dims: [1, 8] }],
        [{ op: 'Loop', name: 'repeat', inputs: ['trips', '', 'x'], outputs: ['y'], attrs: { body: { graph: body } } }],
        [i64('trips', [3], []), { name: 'w', dims: [8, 8] }],
      ),
    );
    expect([s.macs, s.layers.fc]).toEqual([192, 3]);
  });
});

describe('quantized models', () => {
  const qdqConv = (wType: number, opset = 13) =>
    model(
      [{ name: 'x', dims: [1, 3, 8, 8] }],
      [
        { op: 'QuantizeLinear', name: 'q', inputs: ['x', 's', 'zp_u8'], outputs: ['xq'] },
        { op: 'DequantizeLinear', name: 'dq', inputs: ['xq', 's', 'zp_u8'], outputs: ['xd'] },
        { op: 'DequantizeLinear', name: 'dqw', inputs: ['wq', 's'], outputs: ['w'] },
        { op: 'Conv', name: 'conv', inputs: ['xd', 'w'], outputs: ['y'], attrs: { pads: [1, 1, 1, 1] } },
      ],
      [f32('s', [0.1], []), { name: 'zp_u8', dims: [], dataType: UINT8, raw: new Uint8Array([128]) }, { name: 'wq', dims: [4, 3, 3, 3], dataType: wType }],
      opset,
    );

  it('QDQ: widths come from the zero point (uint8 activations) and the weight type (int8, int4)', () => {
    const g = importOnnx(qdqConv(INT8), 'q.onnx');
    const s = summarize(g);
    expect([s.macs, s.params]).toEqual([6_912, 108]);
    expect([s.ops[0].weight_bits, s.ops[0].activation_bits]).toEqual([8, 8]);
    const l = toLayerGraph(g).layers[0];
    expect([l.weightBits, l.activationBits]).toEqual([8, 8]);
    expect(summarize(importOnnx(qdqConv(INT4, 21), 'q4.onnx')).ops[0].weight_bits).toBe(4);
  });

  it('QLinearConv and MatMulInteger import with 8-bit widths', () => {
    const s = load(
      model(
        [{ name: 'x', dims: [1, 3, 8, 8] }],
        [
          { op: 'QLinearConv', name: 'qc', inputs: ['x', 's', 'zp', 'w', 's', 'zpw', 's', 'zp'], outputs: ['c'], attrs: { pads: [1, 1, 1, 1] } },
          { op: 'Flatten', name: 'f', inputs: ['c'], outputs: ['fl'] },
          { op: 'MatMulInteger', name: 'mi', inputs: ['fl', 'w2', 'zp'], outputs: ['y'] },
        ],
        [f32('s', [0.1], []), { name: 'zp', dims: [], dataType: UINT8, raw: new Uint8Array([0]) }, { name: 'zpw', dims: [], dataType: INT8, raw: new Uint8Array([0]) }, { name: 'w', dims: [4, 3, 3, 3], dataType: INT8 }, { name: 'w2', dims: [256, 10], dataType: INT8 }],
      ),
    );
    expect([s.macs, s.layers.conv, s.layers.fc]).toEqual([6_912 + 2_560, 1, 1]);
    expect(s.ops.map((o) => [o.weight_bits, o.activation_bits])).toEqual([
      [8, 8],
      [8, 8],
    ]);
  });
});

describe('refusals', () => {
  const x = [{ name: 'x', dims: [1, 4, 8, 8] }];
  const cases: [string, Uint8Array, RegExp][] = [
    ['Gemm with transA', model([{ name: 'x', dims: [4, 8] }], [{ op: 'Gemm', name: 'g', inputs: ['x', 'w'], outputs: ['y'], attrs: { transA: 1 } }], [{ name: 'w', dims: [4, 2] }]), /node 'g' \(Gemm\): transA = 1 is not supported; export the layer/],
    ['Conv whose weight disagrees with the input', model(x, [{ op: 'Conv', name: 'c', inputs: ['x', 'w'], outputs: ['y'] }], [{ name: 'w', dims: [2, 3, 1, 1] }]), /node 'c' \(Conv\): weight \[2, 3, 1, 1\] with group 1 expects 3 input channels, input has 4; the file is inconsistent here: check it with onnx.checker/],
    ['Reshape to a shape computed from the input', model(x, [{ op: 'Reshape', name: 'r', inputs: ['x', 'x'], outputs: ['y'] }]), /node 'r' \(Reshape\): shape \(input 1\) must be a constant with known values; bind the symbolic axes with --dim/],
    ['Gather with activation indices from an activation', model(x, [{ op: 'Gather', name: 'g', inputs: ['x', 'x'], outputs: ['y'] }]), /node 'g' \(Gather\): gathering with activation indices .*; only table lookups/],
  ];
  for (const [what, bytes, message] of cases) {
    it(`${what}: one line naming the file, node and operator, and what to do`, () => {
      const e = err(() => importOnnx(bytes, 't.onnx'));
      expect(e.message).toMatch(/^t\.onnx, /);
      expect(e.message).toMatch(message);
      expect(e.message).not.toContain('\n');
    });
  }
});

describe('symbolic axes and external data', () => {
  const seqModel = () =>
    model([{ name: 'input_ids', dims: ['batch', 'sequence'] }], [{ op: 'Gather', name: 'embed', inputs: ['table', 'input_ids'], outputs: ['h'] }, { op: 'MatMul', name: 'fc', inputs: ['h', 'w'], outputs: ['y'] }], [
      { name: 'table', dims: [100, 8] },
      { name: 'w', dims: [8, 8] },
    ]);

  it('an unbound sequence axis is refused listing it and the flag that binds it', () => {
    const e = err(() => load(seqModel()));
    expect(e.message).toBe(
      "t.onnx, field 'graph.input': unbound symbolic axes: 'input_ids' axis 1 'sequence'; bind them with --dim sequence=<n> (or give a whole shape with --input <name>=<dims>)",
    );
  });

  it('--dim, --input name=dims and an unknown --dim name', () => {
    expect(load(seqModel(), { dims: { sequence: 16 } }).macs).toBe(16 * 64);
    expect(load(seqModel(), { input: { name: 'input_ids', dims: [2, 16] } }).macs).toBe(2 * 16 * 64);
    expect(load(seqModel(), { input: { dims: [16] } }).macs).toBe(16 * 64); // batch prepended
    expect(err(() => load(seqModel(), { dims: { sequence: 16, seq_len: 4 } })).message).toMatch(/--dim seq_len: the model has no symbolic axis of that name \(its symbolic axes: batch, sequence\)/);
    expect(err(() => load(seqModel(), { input: { name: 'ids', dims: [1, 16] } })).message).toMatch(/'ids', which is not an input of the model \(inputs: input_ids\)/);
  });

  it('initializers stored as external data are read by dims alone', () => {
    const s = load(model([{ name: 'x', dims: [1, 3, 8, 8] }], [{ op: 'Conv', name: 'c', inputs: ['x', 'w'], outputs: ['y'], attrs: { pads: [1, 1, 1, 1] } }], [{ name: 'w', dims: [4, 3, 3, 3], external: 'weights.bin' }]));
    expect([s.macs, s.params]).toEqual([6_912, 108]);
  });
});
