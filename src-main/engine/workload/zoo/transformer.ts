/**
 * Transformers of the zoo: torchvision vit_b_16 (torchvision/models/vision_transformer.py) and
 * BERT-base uncased (Devlin et al. 2018 §3; HuggingFace transformers models/bert/modeling_bert.py,
 * config hidden 768, 12 layers, 12 heads, intermediate 3072, vocab 30522, max positions 512).
 * Tensors are [batch, tokens, features]; linear layers apply per token.
 */
import { GraphBuilder } from '../builder';
import type { Graph } from '../ir';
import { badInput } from '../../errors';

/**
 * Multi-head self-attention core: q, k, v [B, T, D] -> context [B, T, D] through the two
 * activation x activation matmuls QK^T and AV (not crossbar-mappable).
 */
function attentionCore(b: GraphBuilder, p: string, q: string, k: string, v: string, heads: number): string {
  const [batch, t, d] = b.shape(q);
  const hd = d / heads;
  const split = (name: string, x: string, perm: number[]) =>
    b.transpose(`${p}.${name}.t`, b.reshape(`${p}.${name}.heads`, x, [batch, t, heads, hd]), perm);
  const qh = split('q', q, [0, 2, 1, 3]); // [B, h, T, hd]
  const kt = split('k', k, [0, 2, 3, 1]); // [B, h, hd, T]
  const vh = split('v', v, [0, 2, 1, 3]); // [B, h, T, hd]
  const scores = b.matmul(`${p}.qk`, qh, kt); // [B, h, T, T]
  const probs = b.softmax(`${p}.softmax`, scores, -1);
  const ctx = b.matmul(`${p}.av`, probs, vh); // [B, h, T, hd]
  const merged = b.transpose(`${p}.ctx.t`, ctx, [0, 2, 1, 3]);
  return b.reshape(`${p}.ctx`, merged, [batch, t, d]);
}

/** ViT-B/16 at 224x224: 196 patches + class token = 197 tokens, 12 layers, 12 heads, MLP 3072. */
export function vitB16(batch: number): Graph {
  const D = 768;
  const b = new GraphBuilder('vit_b_16', 'vit_b_16');
  let x = b.input([batch, 3, 224, 224]);
  x = b.conv('conv_proj', x, { out: D, k: 16, s: 16, p: 0 });
  x = b.reshape('patches', x, [batch, D, 196]);
  x = b.transpose('patches.t', x, [0, 2, 1]);
  const cls = b.embedding('class_token', null, 1, D, [batch, 1, D], 'Parameter');
  x = b.concat('tokens', [cls, x], 1);
  const pos = b.embedding('encoder.pos_embedding', null, 197, D, [1, 197, D], 'Parameter');
  x = b.binary('add', 'encoder.pos_add', [x, pos]);
  for (let l = 0; l < 12; l++) {
    const p = `encoder.layers.encoder_layer_${l}`;
    const h = b.ln(`${p}.ln_1`, x);
    const qkv = b.fc(`${p}.self_attention.in_proj`, h, 3 * D);
    const [q, k, v] = b.split(`${p}.self_attention.qkv`, qkv, 2, [D, D, D]);
    const ctx = attentionCore(b, `${p}.self_attention`, q, k, v, 12);
    const att = b.fc(`${p}.self_attention.out_proj`, ctx, D);
    x = b.binary('add', `${p}.add_1`, [x, att]);
    let m = b.ln(`${p}.ln_2`, x);
    m = b.act(`${p}.mlp.gelu`, b.fc(`${p}.mlp.0`, m, 3072), 'Gelu');
    m = b.fc(`${p}.mlp.3`, m, D);
    x = b.binary('add', `${p}.add_2`, [x, m]);
  }
  x = b.ln('encoder.ln', x);
  x = b.part('class_token_out', x, 1, 1, 'Gather', false); // x[:, 0]
  b.fc('heads.head', x, 1000);
  return b.build();
}

/** BERT-base uncased with pooler, at a sequence length (default 128, at most 512 positions). */
export function bertBase(batch: number, seqLen = 128): Graph {
  const D = 768;
  if (!Number.isSafeInteger(seqLen) || seqLen < 1 || seqLen > 512)
    throw badInput(`sequence length ${seqLen} must be an integer in 1..512 (BERT has 512 positions)`, { field: 'seqLen' });
  const b = new GraphBuilder('bert_base', 'bert_base');
  const ids = b.input([batch, seqLen], 'input_ids');
  const word = b.embedding('embeddings.word_embeddings', ids, 30522, D);
  const pos = b.embedding('embeddings.position_embeddings', ids, 512, D, undefined, 'Embedding(positions)');
  const typ = b.embedding('embeddings.token_type_embeddings', ids, 2, D, undefined, 'Embedding(token types)');
  let x = b.binary('add', 'embeddings.add', [word, pos, typ]);
  x = b.ln('embeddings.LayerNorm', x);
  for (let l = 0; l < 12; l++) {
    const p = `encoder.layer.${l}`;
    const q = b.fc(`${p}.attention.self.query`, x, D);
    const k = b.fc(`${p}.attention.self.key`, x, D);
    const v = b.fc(`${p}.attention.self.value`, x, D);
    const ctx = attentionCore(b, `${p}.attention.self`, q, k, v, 12);
    const o = b.fc(`${p}.attention.output.dense`, ctx, D);
    x = b.ln(`${p}.attention.output.LayerNorm`, b.binary('add', `${p}.attention.output.add`, [o, x]));
    let m = b.act(`${p}.intermediate.gelu`, b.fc(`${p}.intermediate.dense`, x, 3072), 'Gelu');
    m = b.fc(`${p}.output.dense`, m, D);
    x = b.ln(`${p}.output.LayerNorm`, b.binary('add', `${p}.output.add`, [m, x]));
  }
  x = b.part('pooler.first_token', x, 1, 1, 'Gather', false); // hidden_states[:, 0]
  b.act('pooler.activation', b.fc('pooler.dense', x, D), 'Tanh');
  return b.build();
}
