/**
 * Graph -> LayerGraph: keeps the time-costing operators (conv, fc, act x act matmul) and links
 * them through the cheap operators in between (pools, activations, norms, reshapes, adds,
 * concats), composing row maps on the way (docs/cost-model.md#analytic-profile, "inter-layer pipeline").
 *
 * Rows. Every tensor gets a "row axis": H for NCHW maps (axis 2), tokens for [B, T, D]
 * sequences (axis 1, or rank-2 after a head split), none for flat [N, F] vectors (one row).
 * A row map says which input rows an output row needs: need(r) = scale * r + offset.
 *  - conv / pool with kernel k, stride s, dilation d, top pad p: need(r) = s*r + d*(k-1) - p
 *    (the last input row the window of output row r touches);
 *  - per-row ops (activations, norms, adds, concats/splits off the row axis, per-token linear
 *    layers, reshapes/transposes that keep the row axis): need(r) = r;
 *  - anything that mixes rows (flatten, global pool, attention matmuls, softmax over rows):
 *    needs all rows, scale 0 and offset rows - 1.
 * Maps compose along a path: (s1, c1) after (s2, c2) = (s1*s2, s1*c2 + c1). Parallel paths to
 * the same producer (branches) merge by taking the larger scale and offset, an upper bound of
 * both. The result is clamped to the producer's rows by the RowMap definition.
 *
 * Residual adds are fused into the layer that produces their last-computed operand (ISAAC-style:
 * the sum is formed where the main branch's output is written). So a consumer of `relu(conv2 + x)`
 * gets one edge from conv2, and conv2 gets an edge from x's producer (row r needs row r). Without
 * this, identity shortcuts would chain every earlier block into every later one. Fusion applies
 * only when the fused layer's output reaches the add row for row, with the add's full shape.
 */
import { opCost, isLayerOp } from './cost';
import type { Graph, GraphNode, Layer, LayerEdge, LayerGraph, RowMap } from './ir';
import { numel } from './shapes';
import { maxOf } from '../arrays';
import { addOps, digitalOpsOf, totalOps, zeroOps } from './digital-ops';

interface RowInfo {
  /** Row axis of the node's output, or null for a single-row tensor. */
  axis: number | null;
  /** For each input: true when output row r maps to that input's row r (same axis tracked). */
  tracked: boolean[];
}

const rowsOf = (n: GraphNode, axis: number | null): number => (axis === null ? 1 : n.outShape[axis]);

/** Follows the row axis through a reshape: kept when the dims before it and the axis itself survive. */
function reshapeAxis(inShape: number[], axis: number, outShape: number[]): number | null {
  const pre = numel(inShape.slice(0, axis));
  let acc = 1;
  for (let j = 0; j < outShape.length; j++) {
    if (acc === pre && outShape[j] === inShape[axis]) return j;
    acc *= outShape[j];
    if (acc > pre) return null;
  }
  return null;
}

function rowInfo(n: GraphNode, ins: GraphNode[], info: Map<string, RowInfo>, feedsEmbedding: boolean): RowInfo {
  const rank = n.outShape.length;
  const inAxes = ins.map((i) => info.get(i.name)!.axis);
  const a0 = inAxes[0] ?? null;
  const notTracked = { tracked: ins.map(() => false) };
  switch (n.op) {
    case 'input':
      return { axis: rank === 4 ? 2 : rank === 3 ? 1 : rank === 2 && feedsEmbedding ? 1 : null, tracked: [] };
    case 'conv':
    case 'maxpool':
    case 'avgpool':
      // A transposed conv's output row needs input rows near r / stride: counted as needing all of them.
      if (n.transposed) return { axis: rank === 4 ? 2 : null, ...notTracked };
      // Windowed ops map H rows linearly (handled in inputMap); they need the input rows on axis 2.
      return { axis: rank === 4 ? 2 : null, tracked: ins.map((_, j) => inAxes[j] === 2) };
    case 'fc':
      // Per-token linear layer over [.., T, F]: rows are tokens; on [N, F] one row.
      // A tracked row axis other than the features passes through (e.g. [T*B, D] Gemm in PyTorch attention).
      if (a0 !== null && ins[0].outShape.length === rank && a0 !== rank - 1) return { axis: a0, tracked: [true] };
      return rank >= 3 ? { axis: rank - 2, ...notTracked } : { axis: null, ...notTracked };
    case 'matmul':
      return { axis: rank - 2, ...notTracked };
    case 'globalpool':
      return { axis: rank === 4 ? 2 : null, ...notTracked };
    case 'embedding':
      if (ins.length === 0) return { axis: rank === 3 ? 1 : null, tracked: [] };
      return { axis: a0, tracked: [a0 !== null] };
    case 'transpose': {
      const perm = n.attrs?.perm as number[] | undefined;
      if (a0 === null || !perm) return { axis: null, ...notTracked };
      return { axis: perm.indexOf(a0), tracked: [true] };
    }
    case 'reshape': {
      if (a0 === null) return { axis: null, ...notTracked };
      const axis = reshapeAxis(ins[0].outShape, a0, n.outShape);
      return { axis, tracked: [axis !== null] };
    }
    default: {
      // Element-wise, norms, softmax, concat, split, reduce: the row axis survives unless the op acts along it.
      const opAxis = n.attrs?.axis;
      const axes = (n.attrs?.axes as number[] | undefined) ?? [];
      let axis: number | null = null;
      for (let j = 0; j < ins.length; j++) {
        const a = inAxes[j];
        if (a === null || ins[j].outShape.length !== rank) continue;
        if (ins[j].outShape[a] !== n.outShape[a]) continue;
        axis = a;
        break;
      }
      if (axis !== null) {
        const norm = (v: number) => (v < 0 ? v + rank : v);
        const actsAlong =
          (typeof opAxis === 'number' && norm(opAxis) === axis && n.op !== 'layernorm') ||
          (n.op === 'reduce' && (axes.length === 0 || axes.some((v) => norm(v) === axis)));
        if (actsAlong) axis = null;
      }
      return {
        axis,
        tracked: ins.map((i, j) => axis !== null && inAxes[j] === axis && i.outShape.length === rank && i.outShape[axis] === n.outShape[axis]),
      };
    }
  }
}

/** Row map from `n`'s output rows to its j-th input's rows. */
function inputMap(n: GraphNode, j: number, input: GraphNode, info: Map<string, RowInfo>): RowMap {
  const ri = info.get(n.name)!;
  const all: RowMap = { scale: 0, offset: rowsOf(input, info.get(input.name)!.axis) - 1 };
  if (!ri.tracked[j]) return all;
  if (n.op === 'conv' || n.op === 'maxpool' || n.op === 'avgpool') {
    const k = n.kernel?.[0] ?? 1;
    const s = n.strides?.[0] ?? 1;
    const d = n.dilations?.[0] ?? 1;
    const p = n.pads?.[0] ?? 0;
    return { scale: s, offset: d * (k - 1) - p };
  }
  return { scale: 1, offset: 0 };
}

const compose = (outer: RowMap, inner: RowMap): RowMap => ({ scale: outer.scale * inner.scale, offset: outer.scale * inner.offset + outer.offset });
const merge = (a: RowMap | undefined, b: RowMap): RowMap => (a ? { scale: Math.max(a.scale, b.scale), offset: Math.max(a.offset, b.offset) } : b);

function clampMap(m: RowMap, rows: number): RowMap {
  const offset = Math.max(0, m.offset);
  if (m.scale === 0) return { scale: 0, offset: Math.min(offset, rows - 1) };
  return { scale: m.scale, offset };
}

/** The graph in elements: bytes follow from the chip's activation precision where a chip is known. */
export function toLayerGraph(graph: Graph): LayerGraph {
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const feedsEmbedding = new Set<string>();
  for (const n of graph.nodes) if (n.op === 'embedding') for (const i of n.inputs) feedsEmbedding.add(i);

  const info = new Map<string, RowInfo>();
  for (const n of graph.nodes) {
    const ins = n.inputs.map((i) => byName.get(i)!);
    info.set(n.name, rowInfo(n, ins, info, feedsEmbedding.has(n.name)));
  }

  const layers: Layer[] = [];
  const layerIndex = new Map<string, number>();
  for (const n of graph.nodes) {
    const c = isLayerOp(n) ? opCost(n) : undefined;
    if (!c) continue;
    const outRows = rowsOf(n, info.get(n.name)!.axis);
    const index = layers.length;
    layerIndex.set(n.name, index);
    // Sliding window of every operand: rows this layer's output row reads at once (inputMap window).
    const inputWindowElems = n.inputs.reduce((sum, iname, j) => {
      const inp = byName.get(iname)!;
      const inRows = rowsOf(inp, info.get(inp.name)!.axis);
      const m = inputMap(n, j, inp, info);
      const window = m.scale === 0 ? inRows : Math.min(inRows, n.op === 'conv' ? (n.dilations?.[0] ?? 1) * ((n.kernel?.[0] ?? 1) - 1) + 1 : 1);
      return sum + window * (numel(inp.outShape) / inRows);
    }, 0);
    layers.push({
      index,
      name: n.name,
      kind: c.kind,
      rows: c.rows,
      // A transposed conv's rows are its input channels (cost.ts), one row each.
      rowsPerChannel: n.op === 'conv' && !n.transposed && n.kernel ? n.kernel[0] * n.kernel[1] : 1,
      ...(n.op === 'conv' && !n.transposed && n.kernel && (n.strides?.[1] ?? 1) < n.kernel[1] ? { slideShare: (n.strides?.[1] ?? 1) / n.kernel[1] } : {}),
      cols: c.cols,
      groups: c.groups,
      mvms: c.mvms,
      macs: c.macs,
      hasBias: !!n.hasBias,
      ...(n.weightBits ? { weightBits: n.weightBits } : {}),
      ...(n.activationBits ? { activationBits: n.activationBits } : {}),
      outRows,
      mvmsPerRow: c.mvms / outRows,
      outShape: [...n.outShape],
      outElemsPerRow: numel(n.outShape) / outRows,
      inputWindowElems,
    });
  }

  // Owner of a tensor: the layer whose output reaches it row for row (-1: the network input).
  // maxAncestor: the latest layer any of its operands depends on (-1: none).
  const owner = new Map<string, number | null>();
  const maxAncestor = new Map<string, number>();
  /** Fused adds: node name -> index of the input operand whose layer performs the add. */
  const fusedInput = new Map<string, number>();
  for (const n of graph.nodes) {
    const li = layerIndex.get(n.name);
    maxAncestor.set(n.name, li ?? Math.max(-1, maxOf(n.inputs.map((i) => maxAncestor.get(i)!))));
    if (li !== undefined) owner.set(n.name, li);
    else if (n.op === 'input') owner.set(n.name, -1);
    else if (n.inputs.length === 1 && n.op !== 'maxpool' && n.op !== 'avgpool' && info.get(n.name)!.tracked[0])
      owner.set(n.name, owner.get(n.inputs[0]) ?? null);
    else if ((n.op === 'add' || n.op === 'mul') && n.inputs.length > 1) {
      // Candidate operands: owned by a layer, row for row, with the add's full shape.
      let best = -1;
      n.inputs.forEach((iname, j) => {
        const o = owner.get(iname) ?? null;
        const full = byName.get(iname)!.outShape.join() === n.outShape.join();
        if (o !== null && o >= 0 && full && info.get(n.name)!.tracked[j] && (best < 0 || o > owner.get(n.inputs[best])!)) best = j;
      });
      const l = best >= 0 ? owner.get(n.inputs[best])! : -1;
      // The other operands must be complete before that layer runs (no edge may point backwards).
      const ok = best >= 0 && n.inputs.every((iname, j) => j === best || maxAncestor.get(iname)! <= l);
      if (ok) fusedInput.set(n.name, best);
      owner.set(n.name, ok ? l : null);
    } else owner.set(n.name, null);
  }

  // Cheap operators run on the digital unit of the latest layer their operands depend on (where
  // their last input is produced); those before any layer, on the first layer's.
  for (const n of graph.nodes) {
    if (layerIndex.has(n.name) || n.op === 'input' || layers.length === 0) continue;
    const ops = digitalOpsOf(n, n.inputs.map((i) => byName.get(i)!));
    if (totalOps(ops) === 0) continue;
    const l = layers[Math.max(0, maxAncestor.get(n.name)!)]!;
    l.digitalOps = addOps(l.digitalOps ?? zeroOps(), ops);
  }

  const inputNode = graph.nodes.find((n) => n.op === 'input');
  const inputRowsCount = inputNode ? rowsOf(inputNode, info.get(inputNode.name)!.axis) : 1;
  const found = layers.map(() => new Map<number, RowMap>());
  const fromInput = new Map<number, RowMap>();
  /** Walks back from tensor x (whose rows `to` needs through map m) to the layers that produce it. */
  const walkFrom = (to: number, start: GraphNode, m0: RowMap): void => {
    const seen = new Set<string>();
    const walk = (x: GraphNode, m: RowMap): void => {
      const key = `${x.name}|${m.scale}|${m.offset}`;
      if (seen.has(key)) return;
      seen.add(key);
      const li = layerIndex.get(x.name);
      if (li !== undefined) {
        if (li !== to) found[to].set(li, merge(found[to].get(li), m));
        return;
      }
      if (x.op === 'input') {
        fromInput.set(to, merge(fromInput.get(to), m));
        return;
      }
      const fused = fusedInput.get(x.name);
      x.inputs.forEach((iname, j) => {
        if (fused !== undefined && j !== fused) return; // the other operands feed the fused layer instead
        const inp = byName.get(iname)!;
        walk(inp, compose(inputMap(x, j, inp, info), m));
      });
    };
    walk(start, m0);
  };
  for (const n of graph.nodes) {
    const to = layerIndex.get(n.name);
    if (to !== undefined)
      n.inputs.forEach((iname, j) => {
        const inp = byName.get(iname)!;
        walkFrom(to, inp, inputMap(n, j, inp, info));
      });
    const fused = fusedInput.get(n.name);
    if (fused !== undefined) {
      // The fused layer's output row r is the add's row r; it needs row r of every other operand.
      const l = owner.get(n.name)!;
      n.inputs.forEach((iname, j) => {
        if (j === fused) return;
        const inp = byName.get(iname)!;
        walkFrom(l, inp, inputMap(n, j, inp, info));
      });
    }
  }

  const edges: LayerEdge[] = [];
  const sourceMaps = new Map<number, RowMap>();
  found.forEach((f, to) => {
    for (const [from, m] of [...f].sort((a, b) => a[0] - b[0])) {
      const p = layers[from];
      edges.push({ from, to, rowMap: clampMap(m, p.outRows), elemsPerRow: p.outElemsPerRow });
    }
    const mi = fromInput.get(to);
    if (mi) sourceMaps.set(to, clampMap(mi, inputRowsCount));
  });

  const inputRows = inputRowsCount;
  const sources = [...sourceMaps.keys()].sort((a, b) => a - b);
  return {
    model: graph.name,
    layers,
    edges,
    sources,
    inputRows,
    sourceRowMaps: sources.map((s) => sourceMaps.get(s)!),
  };
}
