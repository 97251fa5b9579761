/** Hand-built layers and layer graphs for the hardware tests (independent of the zoo). */
import type { Layer, LayerEdge, LayerGraph } from '../../../src-main/engine/workload/ir';

export function convLayer(index: number, o: { k: number; cin: number; cout: number; h: number; w: number; groups?: number; name?: string }): Layer {
  const g = o.groups ?? 1;
  const rows = o.k * o.k * (o.cin / g);
  const cols = o.cout / g;
  const mvms = o.h * o.w;
  return {
    index,
    name: o.name ?? `conv${index}`,
    kind: 'conv',
    rows,
    rowsPerChannel: o.k * o.k,
    cols,
    groups: g,
    mvms,
    macs: mvms * rows * cols * g,
    hasBias: false,
    outRows: o.h,
    mvmsPerRow: o.w,
    outShape: [1, o.cout, o.h, o.w],
    outElemsPerRow: o.cout * o.w,
    // k input rows of width w (stride 1, same padding) and all input channels
    inputWindowElems: o.k * o.w * o.cin,
  };
}

export function fcLayer(index: number, inF: number, outF: number, name?: string): Layer {
  return {
    index,
    name: name ?? `fc${index}`,
    kind: 'fc',
    rows: inF,
    rowsPerChannel: 1,
    cols: outF,
    groups: 1,
    mvms: 1,
    macs: inF * outF,
    hasBias: false,
    outRows: 1,
    mvmsPerRow: 1,
    outShape: [1, outF],
    outElemsPerRow: outF,
    inputWindowElems: inF,
  };
}

/** A chain of layers; each edge with the given row map. */
export function chain(model: string, layers: Layer[], rowMaps?: { scale: number; offset: number }[]): LayerGraph {
  const edges: LayerEdge[] = [];
  for (let i = 1; i < layers.length; i++) {
    const prod = layers[i - 1]!;
    edges.push({ from: i - 1, to: i, rowMap: rowMaps?.[i - 1] ?? { scale: 0, offset: prod.outRows - 1 }, elemsPerRow: prod.outElemsPerRow });
  }
  return { model, layers, edges, sources: [0], inputRows: layers[0]?.outRows ?? 1 };
}
