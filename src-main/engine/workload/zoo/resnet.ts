/**
 * ResNets: torchvision resnet18/34/50/101 (torchvision/models/resnet.py, "v1.5": the bottleneck's
 * stride sits on the 3x3 conv) and the CIFAR ResNet-20/56 of He et al. 2016 (arXiv 1512.03385 §4.2,
 * option-A identity shortcuts: subsample + zero channel padding, no parameters).
 */
import { GraphBuilder } from '../builder';
import type { Graph, Shape } from '../ir';

/** conv (no bias) + BN (+ ReLU), torchvision's conv-bn-relu pattern. */
function convBn(b: GraphBuilder, name: string, x: string, out: number, k: number, s: number, relu: boolean, bnName = `${name}.bn`): string {
  let y = b.conv(name, x, { out, k, s, p: Math.floor(k / 2), bias: false });
  y = b.bn(bnName, y);
  return relu ? b.act(`${name}.relu`, y) : y;
}

const RESNET: Record<string, { block: 'basic' | 'bottleneck'; layers: number[] }> = {
  resnet18: { block: 'basic', layers: [2, 2, 2, 2] },
  resnet34: { block: 'basic', layers: [3, 4, 6, 3] },
  resnet50: { block: 'bottleneck', layers: [3, 4, 6, 3] },
  resnet101: { block: 'bottleneck', layers: [3, 4, 23, 3] },
};

export function resnet(name: 'resnet18' | 'resnet34' | 'resnet50' | 'resnet101', input: Shape): Graph {
  const { block, layers } = RESNET[name];
  const expansion = block === 'basic' ? 1 : 4;
  const b = new GraphBuilder(name, name);
  let x = b.input(input);
  x = convBn(b, 'conv1', x, 64, 7, 2, true, 'bn1');
  x = b.pool('maxpool', 'maxpool', x, { k: 3, s: 2, p: 1 });
  let inplanes = 64;
  layers.forEach((blocks, li) => {
    const planes = 64 * 2 ** li;
    for (let bi = 0; bi < blocks; bi++) {
      const p = `layer${li + 1}.${bi}`;
      const stride = bi === 0 && li > 0 ? 2 : 1;
      let y: string;
      if (block === 'basic') {
        y = convBn(b, `${p}.conv1`, x, planes, 3, stride, true, `${p}.bn1`);
        y = convBn(b, `${p}.conv2`, y, planes, 3, 1, false, `${p}.bn2`);
      } else {
        y = convBn(b, `${p}.conv1`, x, planes, 1, 1, true, `${p}.bn1`);
        y = convBn(b, `${p}.conv2`, y, planes, 3, stride, true, `${p}.bn2`);
        y = convBn(b, `${p}.conv3`, y, planes * 4, 1, 1, false, `${p}.bn3`);
      }
      let shortcut = x;
      if (stride !== 1 || inplanes !== planes * expansion)
        shortcut = convBn(b, `${p}.downsample.0`, x, planes * expansion, 1, stride, false, `${p}.downsample.1`);
      x = b.act(`${p}.relu`, b.binary('add', `${p}.add`, [y, shortcut]));
      inplanes = planes * expansion;
    }
  });
  x = b.globalPool('avgpool', x, 'AdaptiveAvgPool2d');
  x = b.flatten('flatten', x);
  b.fc('fc', x, 1000);
  return b.build();
}

/**
 * CIFAR ResNet-(6n+2), n = 3 (ResNet-20) or 9 (ResNet-56): conv3x3 16 + BN, three stages of n
 * basic blocks at widths 16/32/64 on 32/16/8 maps, global average pool, fc 64->10 (paper §4.2;
 * reference implementation: akamaster/pytorch_resnet_cifar10 resnet.py, LambdaLayer option A).
 */
export function resnetCifar(name: 'resnet20-cifar' | 'resnet56-cifar', input: Shape): Graph {
  const n = name === 'resnet20-cifar' ? 3 : 9;
  const b = new GraphBuilder(name, name);
  let x = b.input(input);
  x = convBn(b, 'conv1', x, 16, 3, 1, true, 'bn1');
  let inplanes = 16;
  [16, 32, 64].forEach((planes, li) => {
    for (let bi = 0; bi < n; bi++) {
      const p = `layer${li + 1}.${bi}`;
      const stride = bi === 0 && li > 0 ? 2 : 1;
      let y = convBn(b, `${p}.conv1`, x, planes, 3, stride, true, `${p}.bn1`);
      y = convBn(b, `${p}.conv2`, y, planes, 3, 1, false, `${p}.bn2`);
      let shortcut = x;
      if (stride !== 1 || inplanes !== planes) {
        // Option A: x[:, :, ::2, ::2] then zero-pad channels to `planes`: a 1x1 stride-2 window, no weights.
        const sub = b.pool('maxpool', `${p}.shortcut`, x, { k: 1, s: 2, sourceOp: 'Subsample' });
        const s = b.shape(sub);
        shortcut = b.add({ name: `${p}.shortcut.pad`, op: 'concat', sourceOp: 'ZeroPadChannels', inputs: [sub], outShape: [s[0], planes, s[2], s[3]], attrs: { axis: 1 } });
      }
      x = b.act(`${p}.relu`, b.binary('add', `${p}.add`, [y, shortcut]));
      inplanes = planes;
    }
  });
  x = b.globalPool('avgpool', x, 'AvgPool2d');
  x = b.flatten('flatten', x);
  b.fc('linear', x, 10);
  return b.build();
}
