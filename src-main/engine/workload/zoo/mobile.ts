/**
 * Branching and efficient CNNs of the zoo, each following torchvision's definition file:
 * mobilenet_v2 (torchvision/models/mobilenetv2.py), googlenet (torchvision/models/googlenet.py),
 * squeezenet1_1 (torchvision/models/squeezenet.py), densenet121 (torchvision/models/densenet.py).
 */
import { GraphBuilder } from '../builder';
import type { Graph, Shape } from '../ir';

/** torchvision Conv2dNormActivation / BasicConv2d: conv (no bias) + BN + activation. */
function cba(b: GraphBuilder, name: string, x: string, out: number, k: number, s = 1, groups = 1, act: string | null = 'Relu'): string {
  let y = b.conv(name, x, { out, k, s, p: Math.floor(k / 2), groups, bias: false });
  y = b.bn(`${name}.bn`, y);
  return act ? b.act(`${name}.act`, y, act) : y;
}

/** MobileNetV2 1.0 / 224 (Sandler et al. 2018, Table 2; torchvision mobilenet_v2). */
export function mobilenetV2(input: Shape): Graph {
  const b = new GraphBuilder('mobilenet_v2', 'mobilenet_v2');
  let x = b.input(input);
  x = cba(b, 'features.0', x, 32, 3, 2, 1, 'Relu6');
  // (t expansion, c out, n repeats, s first stride): torchvision inverted_residual_setting.
  const settings = [
    [1, 16, 1, 1],
    [6, 24, 2, 2],
    [6, 32, 3, 2],
    [6, 64, 4, 2],
    [6, 96, 3, 1],
    [6, 160, 3, 2],
    [6, 320, 1, 1],
  ];
  let cin = 32;
  let idx = 1;
  for (const [t, c, n, s] of settings) {
    for (let i = 0; i < n; i++) {
      const p = `features.${idx++}`;
      const stride = i === 0 ? s : 1;
      const hidden = cin * t;
      let y = x;
      if (t !== 1) y = cba(b, `${p}.expand`, y, hidden, 1, 1, 1, 'Relu6');
      y = cba(b, `${p}.dw`, y, hidden, 3, stride, hidden, 'Relu6');
      y = cba(b, `${p}.project`, y, c, 1, 1, 1, null);
      x = stride === 1 && cin === c ? b.binary('add', `${p}.add`, [x, y]) : y;
      cin = c;
    }
  }
  x = cba(b, `features.${idx}`, x, 1280, 1, 1, 1, 'Relu6');
  x = b.globalPool('avgpool', x, 'AdaptiveAvgPool2d');
  x = b.flatten('flatten', x);
  x = b.unary('identity', 'classifier.0', x, 'Dropout');
  b.fc('classifier.1', x, 1000);
  return b.build();
}

/**
 * torchvision googlenet without aux heads: BN after every conv, no LRN, and the "5x5" branch
 * uses a 3x3 kernel (torchvision keeps this legacy bug for its weights; see the TODO in googlenet.py).
 */
export function googlenet(input: Shape): Graph {
  const b = new GraphBuilder('googlenet', 'googlenet');
  let x = b.input(input);
  x = cba(b, 'conv1', x, 64, 7, 2);
  x = b.pool('maxpool', 'maxpool1', x, { k: 3, s: 2, ceil: true });
  x = cba(b, 'conv2', x, 64, 1);
  x = cba(b, 'conv3', x, 192, 3);
  x = b.pool('maxpool', 'maxpool2', x, { k: 3, s: 2, ceil: true });
  // Inception(ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj), torchvision GoogLeNet.__init__.
  const inception = (name: string, inp: string, c: number[]): string => {
    const b1 = cba(b, `${name}.branch1`, inp, c[0], 1);
    const b2 = cba(b, `${name}.branch2.1`, cba(b, `${name}.branch2.0`, inp, c[1], 1), c[2], 3);
    const b3 = cba(b, `${name}.branch3.1`, cba(b, `${name}.branch3.0`, inp, c[3], 1), c[4], 3);
    const pool = b.pool('maxpool', `${name}.branch4.0`, inp, { k: 3, s: 1, p: 1, ceil: true });
    const b4 = cba(b, `${name}.branch4.1`, pool, c[5], 1);
    return b.concat(`${name}.cat`, [b1, b2, b3, b4], 1);
  };
  x = inception('inception3a', x, [64, 96, 128, 16, 32, 32]);
  x = inception('inception3b', x, [128, 128, 192, 32, 96, 64]);
  x = b.pool('maxpool', 'maxpool3', x, { k: 3, s: 2, ceil: true });
  x = inception('inception4a', x, [192, 96, 208, 16, 48, 64]);
  x = inception('inception4b', x, [160, 112, 224, 24, 64, 64]);
  x = inception('inception4c', x, [128, 128, 256, 24, 64, 64]);
  x = inception('inception4d', x, [112, 144, 288, 32, 64, 64]);
  x = inception('inception4e', x, [256, 160, 320, 32, 128, 128]);
  x = b.pool('maxpool', 'maxpool4', x, { k: 2, s: 2, ceil: true });
  x = inception('inception5a', x, [256, 160, 320, 32, 128, 128]);
  x = inception('inception5b', x, [384, 192, 384, 48, 128, 128]);
  x = b.globalPool('avgpool', x, 'AdaptiveAvgPool2d');
  x = b.flatten('flatten', x);
  x = b.unary('identity', 'dropout', x, 'Dropout');
  b.fc('fc', x, 1000);
  return b.build();
}

/** SqueezeNet 1.1 (torchvision squeezenet1_1; Iandola et al. 2016, v1.1 from the SqueezeNet repo). */
export function squeezenet11(input: Shape): Graph {
  const b = new GraphBuilder('squeezenet1_1', 'squeezenet1_1');
  let x = b.input(input);
  x = b.act('features.1', b.conv('features.0', x, { out: 64, k: 3, s: 2, p: 0 }));
  x = b.pool('maxpool', 'features.2', x, { k: 3, s: 2, ceil: true });
  // Fire(inplanes, squeeze, expand1x1, expand3x3)
  const fire = (name: string, inp: string, s: number, e1: number, e3: number): string => {
    const sq = b.act(`${name}.squeeze_activation`, b.conv(`${name}.squeeze`, inp, { out: s, k: 1 }));
    const a = b.act(`${name}.expand1x1_activation`, b.conv(`${name}.expand1x1`, sq, { out: e1, k: 1 }));
    const c = b.act(`${name}.expand3x3_activation`, b.conv(`${name}.expand3x3`, sq, { out: e3, k: 3, p: 1 }));
    return b.concat(`${name}.cat`, [a, c], 1);
  };
  x = fire('features.3', x, 16, 64, 64);
  x = fire('features.4', x, 16, 64, 64);
  x = b.pool('maxpool', 'features.5', x, { k: 3, s: 2, ceil: true });
  x = fire('features.6', x, 32, 128, 128);
  x = fire('features.7', x, 32, 128, 128);
  x = b.pool('maxpool', 'features.8', x, { k: 3, s: 2, ceil: true });
  x = fire('features.9', x, 48, 192, 192);
  x = fire('features.10', x, 48, 192, 192);
  x = fire('features.11', x, 64, 256, 256);
  x = fire('features.12', x, 64, 256, 256);
  x = b.unary('identity', 'classifier.0', x, 'Dropout');
  x = b.act('classifier.2', b.conv('classifier.1', x, { out: 1000, k: 1 }));
  x = b.globalPool('classifier.3', x, 'AdaptiveAvgPool2d');
  b.flatten('flatten', x);
  return b.build();
}

/** DenseNet-121 (growth 32, blocks 6/12/24/16, bn_size 4; torchvision densenet121). */
export function densenet121(input: Shape): Graph {
  const b = new GraphBuilder('densenet121', 'densenet121');
  let x = b.input(input);
  x = b.conv('features.conv0', x, { out: 64, k: 7, s: 2, p: 3, bias: false });
  x = b.act('features.relu0', b.bn('features.norm0', x));
  x = b.pool('maxpool', 'features.pool0', x, { k: 3, s: 2, p: 1 });
  const growth = 32;
  let channels = 64;
  [6, 12, 24, 16].forEach((layers, bi) => {
    const feats = [x];
    for (let l = 0; l < layers; l++) {
      const p = `features.denseblock${bi + 1}.denselayer${l + 1}`;
      const inp = feats.length === 1 ? feats[0] : b.concat(`${p}.cat`, [...feats], 1);
      let y = b.act(`${p}.relu1`, b.bn(`${p}.norm1`, inp));
      y = b.conv(`${p}.conv1`, y, { out: 4 * growth, k: 1, bias: false });
      y = b.act(`${p}.relu2`, b.bn(`${p}.norm2`, y));
      y = b.conv(`${p}.conv2`, y, { out: growth, k: 3, p: 1, bias: false });
      feats.push(y);
    }
    x = b.concat(`features.denseblock${bi + 1}.cat`, feats, 1);
    channels += layers * growth;
    if (bi < 3) {
      const p = `features.transition${bi + 1}`;
      x = b.act(`${p}.relu`, b.bn(`${p}.norm`, x));
      channels = Math.floor(channels / 2);
      x = b.conv(`${p}.conv`, x, { out: channels, k: 1, bias: false });
      x = b.pool('avgpool', `${p}.pool`, x, { k: 2, s: 2 });
    }
  });
  x = b.act('features.relu5', b.bn('features.norm5', x));
  x = b.globalPool('avgpool', x, 'AdaptiveAvgPool2d');
  x = b.flatten('flatten', x);
  b.fc('classifier', x, 1000);
  return b.build();
}
