/**
 * Hugging Face style exports of BERT-base and GPT-2, made with the project's encoder and
 * reproducing the op patterns torch.onnx.export emits for transformers' BertModel and
 * GPT2LMHeadModel (opset 17): symbolic `batch` and `sequence` axes, position ids sliced from a
 * buffer (BERT) or made by Range (GPT-2), Shape/Gather/Unsqueeze/Concat chains feeding every
 * Reshape, linear layers as MatMul + Add (BERT) or Reshape/Gemm/Reshape (GPT-2's Conv1D), the
 * extended attention mask (Unsqueeze, Cast, Sub, Mul), a causal mask by Slice of a constant and
 * Where, Erf GELU (BERT) and the tanh GELU (GPT-2), LayerNormalization, and the LM head as
 * MatMul with the transposed token embedding. Weights have dims only, as external data would.
 * Expected: Hugging Face's parameter counts (bert-base-uncased with pooler 109,482,240;
 * gpt2 124,439,808 with the tied head) and MACs by hand at 128 tokens.
 */
import { describe, expect, it } from 'vitest';
import { importOnnx, summarize } from '../../../src-main/engine/workload';
import { encodeModel } from '../../../src-main/engine/workload/onnx/encode';
import { f32, i64, OnnxNet } from '../../onnx-net';

function bertBase(): Uint8Array {
  const [D, H, L, F] = [768, 12, 12, 3072];
  const g = new OnnxNet();
  const ids = 'input_ids';
  const seq = g.dim(ids, 1);
  const pos = g.one('Slice', [g.weight('embeddings.position_ids', [1, 512]), 'c0', seq, 'c1']);
  let x = g.one('Add', [g.one('Gather', [g.weight('embeddings.word_embeddings.weight', [30522, D]), ids]), g.one('Gather', [g.weight('embeddings.token_type_embeddings.weight', [2, D]), 'token_type_ids'])]);
  x = g.one('Add', [x, g.one('Gather', [g.weight('embeddings.position_embeddings.weight', [512, D]), pos])]);
  x = g.layerNorm(x, 'embeddings.LayerNorm', D);
  g.inits.push(i64('axes12', [1, 2]), f32('neg', -3.4e38));
  const mask = g.one('Mul', [g.one('Sub', ['one', g.one('Cast', [g.one('Unsqueeze', ['attention_mask', 'axes12'])], { to: 1 })]), 'neg']);
  g.inits.push(f32('scale', 8));
  for (let l = 0; l < L; l++) {
    const p = `encoder.layer.${l}`;
    const q = g.heads(g.linear(x, `${p}.attention.self.query`, D, D), H, [0, 2, 1, 3]);
    const k = g.heads(g.linear(x, `${p}.attention.self.key`, D, D), H, [0, 2, 3, 1]);
    const v = g.heads(g.linear(x, `${p}.attention.self.value`, D, D), H, [0, 2, 1, 3]);
    const scores = g.one('Add', [g.one('Div', [g.one('MatMul', [q, k]), 'scale']), mask]);
    const ctx = g.merge(g.one('MatMul', [g.one('Softmax', [scores], { axis: -1 }), v]), D);
    x = g.layerNorm(g.one('Add', [g.linear(ctx, `${p}.attention.output.dense`, D, D), x]), `${p}.attention.output.LayerNorm`, D);
    const h = g.linear(x, `${p}.intermediate.dense`, D, F);
    const gelu = g.gelu(h);
    x = g.layerNorm(g.one('Add', [g.linear(gelu, `${p}.output.dense`, F, D), x]), `${p}.output.LayerNorm`, D);
  }
  g.inits.push(i64('first', [0], []));
  const cls = g.one('Gather', [x, 'first'], { axis: 1 });
  g.one('Tanh', [g.one('Gemm', [cls, g.weight('pooler.dense.weight', [D, D]), g.weight('pooler.dense.bias', [D])], { transB: 1 })]);
  const sym = ['batch', 'sequence'];
  return encodeModel({ opset: 17, inputs: [{ name: 'input_ids', dims: sym }, { name: 'attention_mask', dims: sym }, { name: 'token_type_ids', dims: sym }], nodes: g.nodes, initializers: g.inits, outputs: [g.nodes.at(-1)!.outputs[0]] });
}

function gpt2(): Uint8Array {
  const [D, H, L, V] = [768, 12, 12, 50257];
  const g = new OnnxNet();
  const ids = 'input_ids';
  const seqScalar = g.one('Gather', [g.one('Shape', [ids]), 'idx1s'], { axis: 0 });
  g.inits.push(i64('idx1s', [1], []), i64('zero', [0], []), i64('step', [1], []), i64('axes0', [0]));
  const pos = g.one('Unsqueeze', [g.one('Range', ['zero', seqScalar, 'step']), 'axes0']);
  const wte = g.weight('transformer.wte.weight', [V, D]);
  let x = g.one('Add', [g.one('Gather', [wte, ids]), g.one('Gather', [g.weight('transformer.wpe.weight', [1024, D]), pos])]);
  g.inits.push({ name: 'causal', dims: [1, 1, 1024, 1024], dataType: 9 }, f32('scale', 8), f32('masked', -3.4e38), i64('c2', [2]), i64('c3', [3]), f32('c044715', 0.044715), f32('sqrt2pi', Math.sqrt(2 / Math.PI)), f32('three', 3));
  const seq = g.dim(ids, 1);
  const causal = g.one('Slice', [g.one('Slice', ['causal', 'c0', seq, 'c2']), 'c0', seq, 'c3']);
  for (let l = 0; l < L; l++) {
    const p = `transformer.h.${l}`;
    const qkv = g.conv1d(g.layerNorm(x, `${p}.ln_1`, D), `${p}.attn.c_attn`, D, 3 * D);
    g.inits.push(i64(`split${l}`, [D, D, D]));
    const [q0, k0, v0] = g.op('Split', [qkv, `split${l}`], { axis: 2 }, 3);
    const [q, k, v] = [g.heads(q0, H, [0, 2, 1, 3]), g.heads(k0, H, [0, 2, 3, 1]), g.heads(v0, H, [0, 2, 1, 3])];
    const scores = g.one('Where', [causal, g.one('Div', [g.one('MatMul', [q, k]), 'scale']), 'masked']);
    const ctx = g.merge(g.one('MatMul', [g.one('Softmax', [scores], { axis: -1 }), v]), D);
    x = g.one('Add', [x, g.conv1d(ctx, `${p}.attn.c_proj`, D, D)]);
    const h = g.conv1d(g.layerNorm(x, `${p}.ln_2`, D), `${p}.mlp.c_fc`, D, 4 * D);
    // NewGELU: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
    const inner = g.one('Mul', [g.one('Add', [h, g.one('Mul', [g.one('Pow', [h, 'three']), 'c044715'])]), 'sqrt2pi']);
    const gelu = g.one('Mul', [g.one('Mul', [h, 'half']), g.one('Add', [g.one('Tanh', [inner]), 'one'])]);
    x = g.one('Add', [x, g.conv1d(gelu, `${p}.mlp.c_proj`, 4 * D, D)]);
  }
  x = g.layerNorm(x, 'transformer.ln_f', D);
  g.one('MatMul', [x, g.one('Transpose', [wte], { perm: [1, 0] })]);
  return encodeModel({ opset: 17, inputs: [{ name: 'input_ids', dims: ['batch', 'sequence'] }], nodes: g.nodes, initializers: g.inits, outputs: [g.nodes.at(-1)!.outputs[0]] });
}

describe('Hugging Face style transformer exports with symbolic batch and sequence axes', () => {
  it('BERT-base imports at --dim sequence=128 with Hugging Face parameters and the hand MACs', () => {
    const bytes = bertBase();
    expect(() => importOnnx(bytes, 'bert.onnx')).toThrow(/unbound symbolic axes: 'input_ids' axis 1 'sequence'/);
    const s = summarize(importOnnx(bytes, 'bert.onnx', { dims: { sequence: 128 } }));
    expect(s.params + s.bn_params + s.embedding_params).toBe(109_482_240);
    expect(s.embedding_params).toBe(30522 * 768 + 512 * 768 + 2 * 768);
    // Per layer at T = 128: 4 x T x 768^2 + 2 x T x 768 x 3072 weight MACs, 2 x T^2 x 768 act x act; pooler 768^2.
    const T = 128;
    expect(s.act_act_macs).toBe(12 * 2 * T * T * 768);
    expect(s.macs).toBe(12 * (4 * T * 768 * 768 + 2 * T * 768 * 3072) + 12 * 2 * T * T * 768 + 768 * 768);
    expect(s.layers).toEqual({ conv: 0, fc: 73, matmul: 24 });
  });

  it('GPT-2 imports at --input input_ids=1x128 with the tied head counted once', () => {
    const s = summarize(importOnnx(gpt2(), 'gpt2.onnx', { input: { name: 'input_ids', dims: [1, 128] } }));
    expect(s.params + s.bn_params + s.embedding_params).toBe(124_439_808);
    const T = 128;
    expect(s.macs).toBe(T * (12 * (768 * 2304 + 768 * 768 + 2 * 768 * 3072) + 768 * 50257) + 12 * 2 * T * T * 768);
    expect(s.layers).toEqual({ conv: 0, fc: 49, matmul: 24 });
  });
});
