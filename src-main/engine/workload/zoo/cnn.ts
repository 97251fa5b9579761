/**
 * Plain CNNs of the zoo: LeNet-5, AlexNet, VGG-8 (CIFAR) and VGG-11/16/19.
 * Figures to match: torchvision's published parameter and GFLOPS tables and docs/validation.md#workloads-parameters-and-macs.
 */
import { GraphBuilder } from '../builder';
import type { Graph, Shape } from '../ir';

/**
 * LeNet-5, the "modern" full-C3 variant most code calls LeNet-5: conv 5x5->6
 * (valid, 32x32), pool 2/2, conv 5x5->16, pool 2/2, fc 400->120->84->10, ReLU, max pooling.
 * Definition: e.g. the PyTorch tutorial "Neural Networks" Net (pytorch.org/tutorials/beginner/blitz/neural_networks_tutorial.html).
 */
export function lenet5(input: Shape): Graph {
  const b = new GraphBuilder('lenet5', 'lenet5');
  let x = b.input(input);
  x = b.act('relu1', b.conv('conv1', x, { out: 6, k: 5, p: 0 }));
  x = b.pool('maxpool', 'pool1', x, { k: 2 });
  x = b.act('relu2', b.conv('conv2', x, { out: 16, k: 5, p: 0 }));
  x = b.pool('maxpool', 'pool2', x, { k: 2 });
  x = b.flatten('flatten', x);
  x = b.act('relu3', b.fc('fc1', x, 120));
  x = b.act('relu4', b.fc('fc2', x, 84));
  b.fc('fc3', x, 10);
  return b.build();
}

/**
 * torchvision alexnet ("one weird trick" single tower 64/192/384/256/256), torchvision/models/alexnet.py.
 */
export function alexnet(input: Shape): Graph {
  const b = new GraphBuilder('alexnet', 'alexnet');
  let x = b.input(input);
  x = b.act('features.1', b.conv('features.0', x, { out: 64, k: 11, s: 4, p: 2 }));
  x = b.pool('maxpool', 'features.2', x, { k: 3, s: 2 });
  x = b.act('features.4', b.conv('features.3', x, { out: 192, k: 5, p: 2 }));
  x = b.pool('maxpool', 'features.5', x, { k: 3, s: 2 });
  x = b.act('features.7', b.conv('features.6', x, { out: 384, k: 3, p: 1 }));
  x = b.act('features.9', b.conv('features.8', x, { out: 256, k: 3, p: 1 }));
  x = b.act('features.11', b.conv('features.10', x, { out: 256, k: 3, p: 1 }));
  x = b.pool('maxpool', 'features.12', x, { k: 3, s: 2 });
  x = b.adaptiveAvgPool('avgpool', x, [6, 6]);
  x = b.flatten('flatten', x);
  x = b.unary('identity', 'classifier.0', x, 'Dropout');
  x = b.act('classifier.2', b.fc('classifier.1', x, 4096));
  x = b.unary('identity', 'classifier.3', x, 'Dropout');
  x = b.act('classifier.5', b.fc('classifier.4', x, 4096));
  b.fc('classifier.6', x, 1000);
  return b.build();
}

/** VGG configurations, torchvision/models/vgg.py `cfgs` (A = vgg11, D = vgg16, E = vgg19). */
const VGG_CFGS: Record<string, (number | 'M')[]> = {
  vgg11: [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  vgg16: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'],
  vgg19: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 256, 'M', 512, 512, 512, 512, 'M', 512, 512, 512, 512, 'M'],
};

/** torchvision vgg11/vgg16/vgg19 (no BN): 3x3 convs with bias, 2x2 max pools, adaptive pool 7x7, fc 25088->4096->4096->1000. */
export function vgg(name: 'vgg11' | 'vgg16' | 'vgg19', input: Shape): Graph {
  const b = new GraphBuilder(name, name);
  let x = b.input(input);
  let i = 0;
  for (const v of VGG_CFGS[name]) {
    if (v === 'M') x = b.pool('maxpool', `features.${i++}`, x, { k: 2, s: 2 });
    else {
      x = b.conv(`features.${i++}`, x, { out: v, k: 3, p: 1 });
      x = b.act(`features.${i++}`, x);
    }
  }
  x = b.adaptiveAvgPool('avgpool', x, [7, 7]);
  x = b.flatten('flatten', x);
  x = b.act('classifier.1', b.fc('classifier.0', x, 4096));
  x = b.unary('identity', 'classifier.2', x, 'Dropout');
  x = b.act('classifier.4', b.fc('classifier.3', x, 4096));
  x = b.unary('identity', 'classifier.5', x, 'Dropout');
  b.fc('classifier.6', x, 1000);
  return b.build();
}

/**
 * VGG-8 for CIFAR-10 as in DNN+NeuroSim (neurosim/DNN_NeuroSim_V1.3, Inference_pytorch/models/VGG.py,
 * cfg `('C', 128, 3, 'same', 2.0), ('C', 128, ...), ('M', 2, 2), ... ('L', 8192, 1024), ('L', 1024, 10)`):
 * conv3x3 128, 128, pool, 256, 256, pool, 512, 512, pool, fc 8192->1024->10, no biases.
 */
export function vgg8Cifar(input: Shape): Graph {
  const b = new GraphBuilder('vgg8-cifar', 'vgg8-cifar');
  let x = b.input(input);
  let i = 0;
  for (const v of [128, 128, 'M', 256, 256, 'M', 512, 512, 'M'] as (number | 'M')[]) {
    if (v === 'M') x = b.pool('maxpool', `pool${i}`, x, { k: 2, s: 2 });
    else {
      i++;
      x = b.act(`relu${i}`, b.conv(`conv${i}`, x, { out: v, k: 3, p: 1, bias: false }));
    }
  }
  x = b.flatten('flatten', x);
  x = b.act('relu7', b.fc('fc1', x, 1024, false));
  b.fc('fc2', x, 10, false);
  return b.build();
}
