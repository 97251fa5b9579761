/**
 * LayerGraph: which operators become layers, and the row maps / byte counts on the edges.
 * Expected values are hand-derived from the layer definitions (comments give the arithmetic).
 */
import { describe, expect, it } from 'vitest';
import { GraphBuilder, toLayerGraph, zooGraph } from '../../../src-main/engine/workload';

const edge = (lg: ReturnType<typeof toLayerGraph>, from: string, to: string) => {
  const f = lg.layers.findIndex((l) => l.name === from);
  const t = lg.layers.findIndex((l) => l.name === to);
  return lg.edges.find((e) => e.from === f && e.to === t);
};

describe('toLayerGraph', () => {
  it('vgg16: chain of 13 convs and 3 fcs with conv/pool row maps', () => {
    const lg = toLayerGraph(zooGraph('vgg16'));
    expect(lg.layers.length).toBe(16);
    expect(lg.edges.length).toBe(15);
    // conv 3x3 pad 1 stride 1: row r needs producer row 1*r + (3-1) - 1 = r + 1.
    expect(edge(lg, 'features.0', 'features.2')!.rowMap).toEqual({ scale: 1, offset: 1 });
    // conv 3x3/1 pad 1 after maxpool 2/2: r -> pool row r+1 -> conv rows 2(r+1) + 1 = 2r + 3.
    expect(edge(lg, 'features.2', 'features.5')!.rowMap).toEqual({ scale: 2, offset: 3 });
    // flatten -> fc needs every row of the 14-row conv5_3 map: scale 0, offset 13.
    expect(edge(lg, 'features.28', 'classifier.0')!.rowMap).toEqual({ scale: 0, offset: 13 });
    // elements per producer row: 64 channels x 224 columns (bytes come from a chip's precision).
    expect(edge(lg, 'features.0', 'features.2')!.elemsPerRow).toBe(64 * 224);
    expect(lg.sources).toEqual([0]);
    expect(lg.sourceRowMaps).toEqual([{ scale: 1, offset: 1 }]);
    expect(lg.inputRows).toBe(224);
    const conv = lg.layers[0];
    expect([conv.outRows, conv.mvms, conv.mvmsPerRow, conv.outElemsPerRow]).toEqual([224, 224 * 224, 224, 64 * 224]);
    const fc = lg.layers[13];
    expect([fc.kind, fc.rows, fc.cols, fc.mvms, fc.outRows]).toEqual(['fc', 25088, 4096, 1, 1]);
  });

  it('resnet18: residual adds fuse into the main-branch conv; the shortcut feeds it row for row', () => {
    const lg = toLayerGraph(zooGraph('resnet18'));
    // layer1.0.conv1 (3x3 p1) <- maxpool (3x3/2 p1) <- conv1: r -> r+1 -> 2(r+1) + 2 - 1 = 2r + 3.
    expect(edge(lg, 'conv1', 'layer1.0.conv1')!.rowMap).toEqual({ scale: 2, offset: 3 });
    // conv2 of the block forms the sum: its row r needs shortcut (maxpool) row r -> conv1 row 2r + 1.
    expect(edge(lg, 'conv1', 'layer1.0.conv2')!.rowMap).toEqual({ scale: 2, offset: 1 });
    // The next block reads the sum from layer1.0.conv2 only, not from conv1 again.
    expect(edge(lg, 'conv1', 'layer1.1.conv1')).toBeUndefined();
    expect(edge(lg, 'layer1.0.conv2', 'layer1.1.conv1')!.rowMap).toEqual({ scale: 1, offset: 1 });
    for (const e of lg.edges) expect(e.from).toBeLessThan(e.to);
  });

  it('transformer: per-token linear layers stream tokens; attention matmuls need all tokens', () => {
    const lg = toLayerGraph(zooGraph('bert_base'));
    const q = lg.layers.find((l) => l.name === 'encoder.layer.0.attention.self.query')!;
    expect([q.outRows, q.mvms, q.mvmsPerRow, q.rows, q.cols]).toEqual([128, 128, 1, 768, 768]);
    const qk = lg.layers.find((l) => l.name === 'encoder.layer.0.attention.self.qk')!;
    // 12 heads x 128 query tokens vector products of length 64 against a 64 x 128 K^T.
    expect([qk.kind, qk.mvms, qk.rows, qk.cols, qk.outRows]).toEqual(['matmul', 12 * 128, 64, 128, 128]);
    expect(edge(lg, 'encoder.layer.0.attention.self.query', 'encoder.layer.0.attention.self.qk')!.rowMap).toEqual({ scale: 0, offset: 127 });
    expect(edge(lg, 'encoder.layer.0.attention.self.av', 'encoder.layer.0.attention.output.dense')!.rowMap).toEqual({ scale: 1, offset: 0 });
    expect(edge(lg, 'encoder.layer.0.intermediate.dense', 'encoder.layer.0.output.dense')!.elemsPerRow).toBe(3072);
  });

  it('grouped conv and asymmetric pads from a hand-built graph', () => {
    const b = new GraphBuilder('t', 't');
    let x = b.input([1, 8, 10, 10]);
    x = b.conv('a', x, { out: 8, k: 3, p: [0, 0, 1, 1], groups: 4 });
    // asymmetric pads: top 0, bottom 1 -> out H = floor((10 + 0 + 1 - 3) / 1) + 1 = 9.
    expect(b.shape(x)).toEqual([1, 8, 9, 9]);
    x = b.conv('b', x, { out: 4, k: 3, s: 2, p: [1, 1, 1, 1] });
    const lg = toLayerGraph(b.build());
    expect(lg.layers[0]).toMatchObject({ rows: 2 * 3 * 3, cols: 2, groups: 4, mvms: 81, macs: 81 * 4 * 18 * 2 });
    // stride 2, k 3, top pad 1: r -> 2r + 2 - 1 = 2r + 1.
    expect(lg.edges[0].rowMap).toEqual({ scale: 2, offset: 1 });
  });
});
