/**
 * MNSIM 2.0's CIFAR networks in the zoo, checked layer by layer against MNSIM's own mapper output
 * (MNSIM-2.0 on its default SimConfig.ini, CIFAR-10 input 3x32x32): each weighted layer's input and
 * output channels, kernel, stride, padding and output size, MNSIM's layer indices, and the PE
 * counts MNSIM's rule gives them. MNSIM's rule (tileinfo.py / the mapper, default configuration:
 * 256 x 256 1-bit arrays, 8 magnitude slices, 2 x 2 PEs per tile): mx = 8 ceil(Cout / 256) column
 * blocks by my = ceil(Cin / floor(256 / k^2)) row blocks (fc: ceil(in / 256)); a layer takes
 * ceil(PEs / 4) tiles and every pooling layer one tile. MNSIM reports VGG-8: 1272 PEs on 322 tiles;
 * ResNet-18: 1968 PEs on 493 tiles (per-layer PEs in its tables, reproduced below).
 */
import { describe, expect, it } from 'vitest';
import { zooGraph } from '../../../src-main/engine/workload/zoo';
import type { Graph } from '../../../src-main/engine/workload/ir';

/** MNSIM's weighted layers as [index, Cin, Cout, k, stride, pad, Hout] (fc: k = 1, Hout = 1). */
type Row = [number, number, number, number, number, number, number];

function weighted(g: Graph): Row[] {
  const shape = new Map(g.nodes.map((n) => [n.name, n.outShape]));
  return g.nodes
    .filter((n) => n.op === 'conv' || n.op === 'fc')
    .map((n) => {
      const index = Number(/\d+$/.exec(n.name)![0]);
      const inShape = shape.get(n.inputs[0]!)!;
      if (n.op === 'fc') return [index, inShape[1]!, n.outShape[1]!, 1, 1, 0, 1];
      return [index, inShape[1]!, n.outShape[1]!, n.kernel![0], n.strides?.[0] ?? 1, n.pads?.[0] ?? 0, n.outShape[2]!];
    });
}

const pes = ([, cin, cout, k]: Row): number => 8 * Math.ceil(cout / 256) * Math.ceil(cin / Math.floor(256 / (k * k)));
const pools = (g: Graph): number => g.nodes.filter((n) => n.op === 'maxpool').length;
const tiles = (g: Graph): number => weighted(g).reduce((t, r) => t + Math.ceil(pes(r) / 4), 0) + pools(g);

describe('MNSIM networks in the zoo', () => {
  it('VGG-8: the layers of MNSIM\'s per-layer table, 1272 PEs on 322 tiles', () => {
    const g = zooGraph('mnsim-vgg8');
    // MNSIM VGG-8 table: # type Cin->Cout in->out k/s/p and PEs (mx x my).
    expect(weighted(g)).toEqual([
      [0, 3, 128, 3, 1, 1, 32],
      [1, 128, 128, 3, 1, 1, 32],
      [3, 128, 256, 3, 1, 1, 16],
      [4, 256, 256, 3, 1, 1, 16],
      [6, 256, 512, 3, 1, 1, 8],
      [7, 512, 512, 3, 1, 1, 8],
      [9, 512, 1024, 3, 1, 0, 2],
      [11, 1024, 10, 1, 1, 0, 1],
    ]);
    expect(weighted(g).map(pes)).toEqual([8, 40, 40, 80, 160, 304, 608, 32]);
    expect(weighted(g).map(pes).reduce((a, b) => a + b)).toBe(1272);
    expect(pools(g)).toBe(4); // layers 2, 5, 8, 10
    expect(tiles(g)).toBe(322);
  });

  it('ResNet-18: 3x3 stride-2 shortcuts, no global pool, 1968 PEs on 493 tiles', () => {
    const g = zooGraph('mnsim-resnet18');
    const rows = weighted(g);
    expect(rows.map((r) => r[0])).toEqual([0, 2, 3, 5, 6, 8, 9, 10, 12, 13, 15, 16, 17, 19, 20, 22, 23, 24, 26, 27, 29, 30]);
    // MNSIM ResNet-18 table, PEs per weighted layer in index order.
    expect(rows.map(pes)).toEqual([8, 24, 24, 24, 24, 24, 40, 24, 40, 40, 40, 80, 40, 80, 80, 160, 304, 160, 304, 304, 128, 16]);
    expect(rows.map(pes).reduce((a, b) => a + b)).toBe(1968);
    expect(rows.find((r) => r[0] === 10)).toEqual([10, 64, 128, 3, 2, 1, 8]); // the stride-2 3x3 shortcut
    expect(rows.find((r) => r[0] === 29)).toEqual([29, 2048, 512, 1, 1, 0, 1]);
    // The residual sums (MNSIM element_sum) at MNSIM's indices, and one pooling layer.
    expect(g.nodes.filter((n) => n.op === 'add').map((n) => n.name)).toEqual(['sum4', 'sum7', 'sum11', 'sum14', 'sum18', 'sum21', 'sum25', 'sum28']);
    expect(pools(g)).toBe(1);
    expect(tiles(g)).toBe(493);
  });

  it('LeNet, AlexNet and VGG-16: MNSIM\'s definitions', () => {
    expect(weighted(zooGraph('mnsim-lenet'))).toEqual([
      [0, 3, 6, 5, 1, 0, 28],
      [2, 6, 16, 5, 1, 0, 10],
      [4, 16, 120, 5, 1, 0, 1],
      [5, 120, 84, 1, 1, 0, 1],
      [6, 84, 10, 1, 1, 0, 1],
    ]);
    expect(weighted(zooGraph('mnsim-alexnet'))).toEqual([
      [0, 3, 64, 3, 2, 1, 16],
      [2, 64, 192, 3, 1, 1, 8],
      [4, 192, 384, 3, 1, 1, 4],
      [5, 384, 256, 3, 1, 1, 4],
      [6, 256, 256, 3, 1, 1, 4],
      [8, 1024, 512, 1, 1, 0, 1],
      [9, 512, 10, 1, 1, 0, 1],
    ]);
    const vgg16 = weighted(zooGraph('mnsim-vgg16'));
    expect(vgg16.map((r) => r[0])).toEqual([0, 1, 3, 4, 6, 7, 8, 10, 11, 12, 14, 15, 16, 17]);
    expect(vgg16.map((r) => [r[1], r[2], r[6]])).toEqual([
      [3, 64, 32],
      [64, 64, 32],
      [64, 128, 16],
      [128, 128, 16],
      [128, 256, 8],
      [256, 256, 8],
      [256, 256, 8],
      [256, 512, 4],
      [512, 512, 4],
      [512, 512, 4],
      [512, 512, 2],
      [512, 512, 2],
      [512, 512, 2],
      [2048, 10, 1],
    ]);
  });
});
