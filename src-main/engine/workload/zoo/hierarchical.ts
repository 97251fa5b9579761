/**
 * Hierarchical vision models of the zoo, following torchvision's definition files:
 *  - swin_t (torchvision/models/swin_transformer.py; Liu et al. 2021): patch 4, embed 96, depths
 *    2/2/6/2, heads 3/6/12/24, window 7, MLP ratio 4, relative position bias tables of
 *    (2*7-1)^2 x heads, patch merging LN(4C) + Linear(4C, 2C, bias=False);
 *  - convnext_tiny (torchvision/models/convnext.py; Liu et al. 2022): stem 4x4/4 conv + LN, depths
 *    3/3/9/3, widths 96/192/384/768, block = depthwise 7x7 -> LN -> Linear(C, 4C) -> GELU ->
 *    Linear(4C, C) -> layer scale, downsampling LN + 2x2/2 conv, head LN + Linear(768, 1000).
 * Feature maps between blocks are channels-last [B, H, W, C], as in torchvision.
 */
import { GraphBuilder } from '../builder';
import type { Graph } from '../ir';
import { attentionCore } from './transformer';

const WINDOW = 7;

/** One Swin block on [B, H, W, C]: (shifted) window attention and the MLP, both residual. */
function swinBlock(b: GraphBuilder, p: string, x: string, heads: number): string {
  const [batch, h, w, c] = b.shape(x);
  const windows = (h / WINDOW) * (w / WINDOW);
  const tokens = WINDOW * WINDOW;
  // The cyclic shift of odd blocks (torch.roll) and its mask move data only; windows are the same size.
  let y = b.ln(`${p}.norm1`, x);
  y = b.reshape(`${p}.attn.windows`, y, [batch * windows, tokens, c]);
  const qkv = b.fc(`${p}.attn.qkv`, y, 3 * c);
  const [q, k, v] = b.split(`${p}.attn.qkv.split`, qkv, 2, [c, c, c]);
  const table = (s: string) => {
    const bias = b.embedding(`${p}.attn.relative_position_bias_table`, null, (2 * WINDOW - 1) ** 2, heads, [1, heads, tokens, tokens], 'Parameter');
    return b.binary('add', `${p}.attn.bias_add`, [s, bias]);
  };
  y = attentionCore(b, `${p}.attn`, q, k, v, heads, table);
  y = b.fc(`${p}.attn.proj`, y, c);
  y = b.reshape(`${p}.attn.merge`, y, [batch, h, w, c]);
  x = b.binary('add', `${p}.add_1`, [x, y]);
  let m = b.ln(`${p}.norm2`, x);
  m = b.act(`${p}.mlp.gelu`, b.fc(`${p}.mlp.0`, m, 4 * c), 'Gelu');
  m = b.fc(`${p}.mlp.3`, m, c);
  return b.binary('add', `${p}.add_2`, [x, m]);
}

export function swinT(batch: number): Graph {
  const b = new GraphBuilder('swin_t', 'swin_t');
  let x = b.input([batch, 3, 224, 224]);
  x = b.conv('features.0.0', x, { out: 96, k: 4, s: 4, p: 0 });
  x = b.transpose('features.0.1', x, [0, 2, 3, 1]);
  x = b.ln('features.0.2', x);
  const depths = [2, 2, 6, 2];
  const heads = [3, 6, 12, 24];
  depths.forEach((depth, stage) => {
    const f = 1 + 2 * stage;
    for (let i = 0; i < depth; i++) x = swinBlock(b, `features.${f}.${i}`, x, heads[stage]);
    if (stage < depths.length - 1) {
      // PatchMerging: the four 2x2 neighbours side by side, LN(4C), Linear(4C -> 2C) without bias.
      const [n, h, w, c] = b.shape(x);
      x = b.reshape(`features.${f + 1}.gather`, x, [n, h / 2, w / 2, 4 * c]);
      x = b.ln(`features.${f + 1}.norm`, x);
      x = b.fc(`features.${f + 1}.reduction`, x, 2 * c, false);
    }
  });
  x = b.ln('norm', x);
  x = b.transpose('permute', x, [0, 3, 1, 2]);
  x = b.flatten('flatten', b.globalPool('avgpool', x));
  b.fc('head', x, 1000);
  return b.build();
}

export function convnextTiny(batch: number): Graph {
  const b = new GraphBuilder('convnext_tiny', 'convnext_tiny');
  let x = b.input([batch, 3, 224, 224]);
  // LayerNorm2d normalizes over channels: channels-last around it.
  const ln2d = (name: string, y: string) => b.transpose(`${name}.nchw`, b.ln(name, b.transpose(`${name}.nhwc`, y, [0, 2, 3, 1])), [0, 3, 1, 2]);
  x = b.conv('features.0.0', x, { out: 96, k: 4, s: 4, p: 0 });
  x = ln2d('features.0.1', x);
  const depths = [3, 3, 9, 3];
  const dims = [96, 192, 384, 768];
  depths.forEach((depth, stage) => {
    const f = 1 + 2 * stage;
    const c = dims[stage];
    for (let i = 0; i < depth; i++) {
      const p = `features.${f}.${i}.block`;
      let y = b.conv(`${p}.0`, x, { out: c, k: 7, p: 3, groups: c });
      y = b.transpose(`${p}.1`, y, [0, 2, 3, 1]);
      y = b.ln(`${p}.2`, y);
      y = b.act(`${p}.4`, b.fc(`${p}.3`, y, 4 * c), 'Gelu');
      y = b.scale(`${p}.layer_scale`, b.fc(`${p}.5`, y, c));
      y = b.transpose(`${p}.6`, y, [0, 3, 1, 2]);
      x = b.binary('add', `features.${f}.${i}.add`, [x, y]);
    }
    if (stage < depths.length - 1) x = b.conv(`features.${f + 1}.1`, ln2d(`features.${f + 1}.0`, x), { out: dims[stage + 1], k: 2, s: 2, p: 0 });
  });
  x = b.globalPool('avgpool', x);
  x = b.flatten('classifier.1', ln2d('classifier.0', x));
  b.fc('classifier.2', x, 1000);
  return b.build();
}
