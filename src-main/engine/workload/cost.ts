/**
 * Work of one time-costing operator (conv, fc, act x act matmul), as crossbars see it.
 * Conventions: docs/workloads.md#conventions, docs/cost-model.md#mapping and docs/cost-model.md#analytic-profile.
 *  - conv: rows = kH*kW*Cin/groups, cols = Cout/groups (per group); MVMs = N*Hout*Wout;
 *    MACs = MVMs * groups * rows * cols = Cout*(Cin/g)*kH*kW*Hout*Wout per image.
 *  - fc: rows = in, cols = out; MVMs = number of input vectors (batch x tokens); MACs = MVMs*in*out.
 *  - transposed conv: rows = Cin/groups, cols = Cout/groups*kH*kW; MVMs = N*Hin*Win (each input
 *    position's vector times the weight, scattered into the output; no zero-inserted positions).
 *  - matmul [.., M, K] x [.., K, N]: rows = K, cols = N; MVMs = batch*heads*M; MACs = MVMs*K*N.
 * Batch is included (the graph's batch dimension), so at batch 1 these are per-inference figures.
 */
import type { GraphNode, LayerKind } from './ir';
import { numel } from './shapes';

export interface OpCost {
  kind: LayerKind;
  rows: number;
  cols: number;
  groups: number;
  mvms: number;
  macs: number;
  /** Crossbar weights + biases (0 for matmul). */
  params: number;
}

export function isLayerOp(n: GraphNode): boolean {
  return n.op === 'conv' || n.op === 'fc' || n.op === 'matmul';
}

/** Cost of a conv / fc / matmul node; undefined for cheap operators. */
export function opCost(n: GraphNode): OpCost | undefined {
  const out = n.outShape;
  if (n.op === 'conv' && n.weight && n.transposed) {
    // Transposed conv (Cout, Cin/g stored as for conv): one MVM per input position, its vector
    // times the [Cin/g] x [Cout/g * kH * kW] weight matrix, results scattered into the output.
    const [cout, cinPerGroup, kH, kW] = n.weight;
    const groups = n.groups ?? 1;
    const rows = cinPerGroup;
    const cols = (cout / groups) * kH * kW;
    const mvms = n.transposed.inputPositions;
    return { kind: 'conv', rows, cols, groups, mvms, macs: mvms * groups * rows * cols, params: numel(n.weight) + (n.hasBias ? cout : 0) };
  }
  if (n.op === 'conv' && n.weight) {
    const [cout, cinPerGroup, kH, kW] = n.weight;
    const groups = n.groups ?? 1;
    const rows = cinPerGroup * kH * kW;
    const cols = cout / groups;
    const mvms = numel(out) / out[1]; // N * Hout * Wout
    return { kind: 'conv', rows, cols, groups, mvms, macs: mvms * groups * rows * cols, params: numel(n.weight) + (n.hasBias ? cout : 0) };
  }
  if (n.op === 'fc' && n.weight) {
    const [o, i] = n.weight;
    const mvms = numel(out) / o;
    // A tied weight is counted once, with the embedding table it shares (it still needs crossbars).
    const params = n.tiedWeight ? 0 : o * i + (n.hasBias ? o : 0);
    return { kind: 'fc', rows: i, cols: o, groups: 1, mvms, macs: mvms * i * o, params };
  }
  if (n.op === 'matmul') {
    const k = Number(n.attrs?.k);
    const cols = out[out.length - 1];
    const mvms = numel(out) / cols;
    return { kind: 'matmul', rows: k, cols, groups: 1, mvms, macs: mvms * k * cols, params: 0 };
  }
  return undefined;
}
