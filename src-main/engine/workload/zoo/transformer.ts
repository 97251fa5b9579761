/**
 * Transformers of the zoo, each following its reference implementation:
 *  - ViT-B/16 and ViT-L/16: torchvision/models/vision_transformer.py (vit_b_16, vit_l_16);
 *  - BERT-base and BERT-large (uncased, with pooler): Devlin et al. 2018 §3 and Hugging Face
 *    transformers models/bert/modeling_bert.py (vocab 30522, 512 positions, 2 token types);
 *  - GPT-2 small and medium: Radford et al. 2019 Table 2 and Hugging Face models/gpt2/modeling_gpt2.py
 *    (vocab 50257, 1024 positions, LM head tied to the token embedding), as prefill over `seq`
 *    tokens or as one decode step over a KV cache of `kv` earlier tokens;
 *  - Whisper-tiny encoder: Radford et al. 2022 and Hugging Face models/whisper/modeling_whisper.py
 *    (80 mel bins x 3000 frames, two 1-D convs, 4 layers of width 384, 6 heads, FFN 1536).
 * Tensors are [batch, tokens, features]; linear layers apply per token. Attention's QK^T and AV
 * are activation x activation matmuls (digital units, not crossbars).
 */
import { GraphBuilder } from '../builder';
import type { Graph } from '../ir';
import { badInput } from '../../errors';

/**
 * Multi-head self-attention core: q [B, T, D], k and v [B, S, D] -> context [B, T, D] through the
 * two activation x activation matmuls QK^T and AV. `bias` adds to the scores (Swin's relative
 * position bias) before the softmax.
 */
export function attentionCore(b: GraphBuilder, p: string, q: string, k: string, v: string, heads: number, bias?: (scores: string) => string): string {
  const [batch, t, d] = b.shape(q);
  const s = b.shape(k)[1];
  const hd = d / heads;
  const split = (name: string, x: string, len: number, perm: number[]) => b.transpose(`${p}.${name}.t`, b.reshape(`${p}.${name}.heads`, x, [batch, len, heads, hd]), perm);
  const qh = split('q', q, t, [0, 2, 1, 3]); // [B, h, T, hd]
  const kt = split('k', k, s, [0, 2, 3, 1]); // [B, h, hd, S]
  const vh = split('v', v, s, [0, 2, 1, 3]); // [B, h, S, hd]
  let scores = b.matmul(`${p}.qk`, qh, kt); // [B, h, T, S]
  if (bias) scores = bias(scores);
  const probs = b.softmax(`${p}.softmax`, scores, -1);
  const ctx = b.matmul(`${p}.av`, probs, vh); // [B, h, T, hd]
  const merged = b.transpose(`${p}.ctx.t`, ctx, [0, 2, 1, 3]);
  return b.reshape(`${p}.ctx`, merged, [batch, t, d]);
}

function checkTokens(name: string, field: string, n: number, max: number, min = 1): number {
  if (!Number.isSafeInteger(n) || n < min || n > max) throw badInput(`${name}: ${field} ${n} must be an integer in ${min}..${max} (${name} has ${max} positions)`, { field: `dims.${field}` });
  return n;
}

interface VitConfig {
  name: string;
  dim: number;
  layers: number;
  heads: number;
  mlp: number;
}

/** torchvision ViT at 224x224, patch 16: 196 patches + class token = 197 tokens. */
export function vit(cfg: VitConfig, batch: number): Graph {
  const D = cfg.dim;
  const b = new GraphBuilder(cfg.name, cfg.name);
  let x = b.input([batch, 3, 224, 224]);
  x = b.conv('conv_proj', x, { out: D, k: 16, s: 16, p: 0 });
  x = b.reshape('patches', x, [batch, D, 196]);
  x = b.transpose('patches.t', x, [0, 2, 1]);
  const cls = b.embedding('class_token', null, 1, D, [batch, 1, D], 'Parameter');
  x = b.concat('tokens', [cls, x], 1);
  const pos = b.embedding('encoder.pos_embedding', null, 197, D, [1, 197, D], 'Parameter');
  x = b.binary('add', 'encoder.pos_add', [x, pos]);
  for (let l = 0; l < cfg.layers; l++) {
    const p = `encoder.layers.encoder_layer_${l}`;
    const h = b.ln(`${p}.ln_1`, x);
    const qkv = b.fc(`${p}.self_attention.in_proj`, h, 3 * D);
    const [q, k, v] = b.split(`${p}.self_attention.qkv`, qkv, 2, [D, D, D]);
    const ctx = attentionCore(b, `${p}.self_attention`, q, k, v, cfg.heads);
    const att = b.fc(`${p}.self_attention.out_proj`, ctx, D);
    x = b.binary('add', `${p}.add_1`, [x, att]);
    let m = b.ln(`${p}.ln_2`, x);
    m = b.act(`${p}.mlp.gelu`, b.fc(`${p}.mlp.0`, m, cfg.mlp), 'Gelu');
    m = b.fc(`${p}.mlp.3`, m, D);
    x = b.binary('add', `${p}.add_2`, [x, m]);
  }
  x = b.ln('encoder.ln', x);
  x = b.part('class_token_out', x, 1, 1, 'Gather', false); // x[:, 0]
  b.fc('heads.head', x, 1000);
  return b.build();
}

export const VIT_B_16: VitConfig = { name: 'vit_b_16', dim: 768, layers: 12, heads: 12, mlp: 3072 };
export const VIT_L_16: VitConfig = { name: 'vit_l_16', dim: 1024, layers: 24, heads: 16, mlp: 4096 };

interface EncoderConfig {
  name: string;
  dim: number;
  layers: number;
  heads: number;
  ffn: number;
}

export const BERT_BASE: EncoderConfig = { name: 'bert_base', dim: 768, layers: 12, heads: 12, ffn: 3072 };
export const BERT_LARGE: EncoderConfig = { name: 'bert_large', dim: 1024, layers: 24, heads: 16, ffn: 4096 };

/** BERT (uncased) with pooler at a sequence length (default 128, at most 512 positions). */
export function bert(cfg: EncoderConfig, batch: number, seqLen = 128): Graph {
  const D = cfg.dim;
  checkTokens(cfg.name, 'seq', seqLen, 512);
  const b = new GraphBuilder(cfg.name, cfg.name);
  const ids = b.input([batch, seqLen], 'input_ids');
  const word = b.embedding('embeddings.word_embeddings', ids, 30522, D);
  const pos = b.embedding('embeddings.position_embeddings', ids, 512, D, undefined, 'Embedding(positions)');
  const typ = b.embedding('embeddings.token_type_embeddings', ids, 2, D, undefined, 'Embedding(token types)');
  let x = b.binary('add', 'embeddings.add', [word, pos, typ]);
  x = b.ln('embeddings.LayerNorm', x);
  for (let l = 0; l < cfg.layers; l++) {
    const p = `encoder.layer.${l}`;
    const q = b.fc(`${p}.attention.self.query`, x, D);
    const k = b.fc(`${p}.attention.self.key`, x, D);
    const v = b.fc(`${p}.attention.self.value`, x, D);
    const ctx = attentionCore(b, `${p}.attention.self`, q, k, v, cfg.heads);
    const o = b.fc(`${p}.attention.output.dense`, ctx, D);
    x = b.ln(`${p}.attention.output.LayerNorm`, b.binary('add', `${p}.attention.output.add`, [o, x]));
    let m = b.act(`${p}.intermediate.gelu`, b.fc(`${p}.intermediate.dense`, x, cfg.ffn), 'Gelu');
    m = b.fc(`${p}.output.dense`, m, D);
    x = b.ln(`${p}.output.LayerNorm`, b.binary('add', `${p}.output.add`, [m, x]));
  }
  x = b.part('pooler.first_token', x, 1, 1, 'Gather', false); // hidden_states[:, 0]
  b.act('pooler.activation', b.fc('pooler.dense', x, D), 'Tanh');
  return b.build();
}

export const GPT2: EncoderConfig = { name: 'gpt2', dim: 768, layers: 12, heads: 12, ffn: 3072 };
export const GPT2_MEDIUM: EncoderConfig = { name: 'gpt2_medium', dim: 1024, layers: 24, heads: 16, ffn: 4096 };
const GPT2_VOCAB = 50257;
const GPT2_POSITIONS = 1024;

/**
 * GPT-2 language model. Prefill: `tokens` new tokens attend to each other (the causal mask does not
 * remove the MACs of the full QK^T an implementation computes). Decode (`kv` given): one new token
 * attends to `kv` cached keys and values plus its own; the cache is state read from memory (no parameters).
 */
export function gpt2(cfg: EncoderConfig, batch: number, o: { seq?: number; kv?: number }): Graph {
  const D = cfg.dim;
  const decode = o.kv !== undefined;
  const name = decode ? `${cfg.name}-decode` : cfg.name;
  const t = decode ? 1 : checkTokens(name, 'seq', o.seq ?? 128, GPT2_POSITIONS);
  const kv = decode ? checkTokens(name, 'kv', o.kv!, GPT2_POSITIONS - 1, 0) : 0;
  const b = new GraphBuilder(name, name);
  const ids = b.input([batch, t], 'input_ids');
  const wte = b.embedding('transformer.wte', ids, GPT2_VOCAB, D);
  const wpe = b.embedding('transformer.wpe', ids, GPT2_POSITIONS, D, undefined, 'Embedding(positions)');
  let x = b.binary('add', 'transformer.add', [wte, wpe]);
  for (let l = 0; l < cfg.layers; l++) {
    const p = `transformer.h.${l}`;
    const h = b.ln(`${p}.ln_1`, x);
    const qkv = b.fc(`${p}.attn.c_attn`, h, 3 * D);
    const [q, k0, v0] = b.split(`${p}.attn.qkv`, qkv, 2, [D, D, D]);
    let [k, v] = [k0, v0];
    if (decode && kv > 0) {
      // The cache is state read from memory: a tensor with no producer and no parameters.
      const cache = (what: string) => b.add({ name: `past_key_values.${l}.${what}`, op: 'embedding', sourceOp: 'KVCache', inputs: [], outShape: [batch, kv, D] });
      const [pastK, pastV] = [cache('key'), cache('value')];
      k = b.concat(`${p}.attn.key_cache`, [pastK, k0], 1);
      v = b.concat(`${p}.attn.value_cache`, [pastV, v0], 1);
    }
    const ctx = attentionCore(b, `${p}.attn`, q, k, v, cfg.heads);
    x = b.binary('add', `${p}.add_1`, [x, b.fc(`${p}.attn.c_proj`, ctx, D)]);
    let m = b.ln(`${p}.ln_2`, x);
    m = b.act(`${p}.mlp.act`, b.fc(`${p}.mlp.c_fc`, m, cfg.ffn), 'Gelu');
    x = b.binary('add', `${p}.add_2`, [x, b.fc(`${p}.mlp.c_proj`, m, D)]);
  }
  x = b.ln('transformer.ln_f', x);
  const head = b.fc('lm_head', x, GPT2_VOCAB, false);
  b.node(head)!.tiedWeight = 'transformer.wte';
  return b.build();
}

/** Whisper-tiny encoder on a 30 s log-mel input (80 x 3000): 1500 frames after the stride-2 conv. */
export function whisperTinyEncoder(batch: number): Graph {
  const D = 384;
  const b = new GraphBuilder('whisper_tiny_encoder', 'whisper_tiny_encoder');
  // Conv1d runs as a 2-D conv over a height-1 map: [B, 80, 1, 3000].
  let x = b.input([batch, 80, 1, 3000], 'input_features');
  x = b.act('conv1.gelu', b.conv('conv1', x, { out: D, k: [1, 3], p: [0, 1] }), 'Gelu');
  x = b.act('conv2.gelu', b.conv('conv2', x, { out: D, k: [1, 3], s: [1, 2], p: [0, 1] }), 'Gelu');
  x = b.transpose('frames', b.reshape('frames.flat', x, [batch, D, 1500]), [0, 2, 1]);
  const pos = b.embedding('embed_positions', null, 1500, D, [1, 1500, D], 'Parameter');
  x = b.binary('add', 'pos_add', [x, pos]);
  for (let l = 0; l < 4; l++) {
    const p = `layers.${l}`;
    const h = b.ln(`${p}.self_attn_layer_norm`, x);
    const q = b.fc(`${p}.self_attn.q_proj`, h, D);
    const k = b.fc(`${p}.self_attn.k_proj`, h, D, false); // Whisper's key projection has no bias
    const v = b.fc(`${p}.self_attn.v_proj`, h, D);
    const ctx = attentionCore(b, `${p}.self_attn`, q, k, v, 6);
    x = b.binary('add', `${p}.add_1`, [x, b.fc(`${p}.self_attn.out_proj`, ctx, D)]);
    let m = b.ln(`${p}.final_layer_norm`, x);
    m = b.act(`${p}.gelu`, b.fc(`${p}.fc1`, m, 1536), 'Gelu');
    x = b.binary('add', `${p}.add_2`, [x, b.fc(`${p}.fc2`, m, D)]);
  }
  b.ln('layer_norm', x);
  return b.build();
}
