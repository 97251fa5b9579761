/**
 * MNSIM 2.0's own CIFAR-10 networks (Zhu et al., TCAD 2023; MNSIM-2.0 `MNSIM/Interface/network.py`
 * `get_net`), layer for layer as MNSIM's mapper builds them, for same-work validation against
 * MNSIM's published results (docs/validation.md). Input 3x32x32, 10 classes. Layers are named by
 * MNSIM's layer index (`conv0`, `pool1`, ..., `sum4`, `fc29`) so the per-layer tables line up.
 * BN follows every conv in MNSIM and is folded into the conv here (MNSIM costs it nothing);
 * ReLU follows every conv and every residual sum. These differ from the torchvision and NeuroSim
 * networks of the same names: VGG-16 and ResNet-18 are CIFAR variants (see each function).
 */
import { GraphBuilder } from '../builder';
import type { Graph, Shape } from '../ir';

type Item = number | { out: number; k?: number; s?: number; p?: number } | 'M';

/** A chain of 3x3 convs (pad 1 unless given) and 2x2 max pools, then the fully connected layers. */
function chain(name: string, input: Shape, items: Item[], fcs: number[]): Graph {
  const b = new GraphBuilder(name, name);
  let x = b.input(input);
  let i = 0;
  for (const it of items) {
    if (it === 'M') x = b.pool('maxpool', `pool${i++}`, x, { k: 2, s: 2 });
    else {
      const c = typeof it === 'number' ? { out: it } : it;
      const n = i++;
      x = b.act(`relu${n}`, b.conv(`conv${n}`, x, { out: c.out, k: c.k ?? 3, s: c.s ?? 1, p: c.p ?? 1 }));
    }
  }
  x = b.flatten('flatten', x);
  fcs.forEach((out, j) => {
    const y = b.fc(`fc${i++}`, x, out);
    x = j < fcs.length - 1 ? b.act(`relu${i - 1}`, y) : y;
  });
  return b.build();
}

/** LeNet: 5x5 valid convs 3 -> 6 -> 16 -> 120 with 2x2 pools, then fc 120 -> 84 -> 10. */
export function mnsimLenet(input: Shape): Graph {
  return chain('mnsim-lenet', input, [{ out: 6, k: 5, p: 0 }, 'M', { out: 16, k: 5, p: 0 }, 'M', { out: 120, k: 5, p: 0 }], [84, 10]);
}

/** AlexNet (CIFAR): conv 3x3 stride 2 -> 64, pool, 192, pool, 384, 256, 256, pool, fc 1024 -> 512 -> 10. */
export function mnsimAlexnet(input: Shape): Graph {
  return chain('mnsim-alexnet', input, [{ out: 64, s: 2 }, 'M', 192, 'M', 384, 256, 256, 'M'], [512, 10]);
}

/** VGG-8: 128, 128, pool, 256, 256, pool, 512, 512, pool, conv 3x3 pad 0 -> 1024 (4x4 -> 2x2), pool, fc 1024 -> 10. */
export function mnsimVgg8(input: Shape): Graph {
  return chain('mnsim-vgg8', input, [128, 128, 'M', 256, 256, 'M', 512, 512, 'M', { out: 1024, p: 0 }, 'M'], [10]);
}

/** VGG-16 (CIFAR): 13 convs with only 4 pools (the last three convs at 2x2), then fc 2048 -> 10. */
export function mnsimVgg16(input: Shape): Graph {
  return chain('mnsim-vgg16', input, [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512], [10]);
}

/**
 * ResNet-18 (CIFAR): conv 3x3 -> 64, 2x2 max pool to 16x16, four stages of two basic blocks
 * (64, 128, 256, 512); a stage's first block has stride 2 and a 3x3 stride-2 conv shortcut (not
 * 1x1); no global pool: fc 2048 -> 512 -> 10.
 */
export function mnsimResnet18(input: Shape): Graph {
  const b = new GraphBuilder('mnsim-resnet18', 'mnsim-resnet18');
  let i = 0;
  const conv = (x: string, out: number, s = 1): string => {
    const n = i++;
    return b.conv(`conv${n}`, x, { out, k: 3, s, p: 1 });
  };
  let x = b.act('relu0', conv(b.input(input), 64));
  x = b.pool('maxpool', `pool${i++}`, x, { k: 2, s: 2 });
  for (const [stage, planes] of [64, 128, 256, 512].entries()) {
    for (let block = 0; block < 2; block++) {
      const down = stage > 0 && block === 0;
      const y = conv(b.act(`relu${i}`, conv(x, planes, down ? 2 : 1)), planes);
      const shortcut = down ? conv(x, planes, 2) : x;
      const n = i++;
      x = b.act(`relu${n}`, b.binary('add', `sum${n}`, [y, shortcut]));
    }
  }
  x = b.flatten('flatten', x);
  x = b.act(`relu${i}`, b.fc(`fc${i++}`, x, 512));
  b.fc(`fc${i++}`, x, 10);
  return b.build();
}
