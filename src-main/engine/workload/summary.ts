/** Per-model summary: the figures `retile model --json` prints (field names are the CLI's JSON). */
import { RetileError } from '../errors';
import { opCost } from './cost';
import type { Graph, ModelSummary, OpSummary } from './ir';
import { MAX_MACS } from '../limits';
import { numel } from './shapes';

export function summarize(graph: Graph): ModelSummary {
  let params = 0;
  let bnParams = 0;
  let embeddingParams = 0;
  let macs = 0;
  let actActMacs = 0;
  const layers = { conv: 0, fc: 0, matmul: 0 };
  const ops: OpSummary[] = [];
  for (const n of graph.nodes) {
    bnParams += n.normParams ?? 0;
    if (n.op === 'embedding' && n.weight) embeddingParams += numel(n.weight);
    const c = opCost(n);
    if (!c) continue;
    layers[c.kind] += 1;
    params += c.params;
    macs += c.macs;
    if (c.kind === 'matmul') actActMacs += c.macs;
    ops.push({ name: n.name, kind: c.kind, rows: c.rows, cols: c.cols, groups: c.groups, mvms: c.mvms, macs: c.macs, out_shape: [...n.outShape], ...(n.weightBits ? { weight_bits: n.weightBits } : {}), ...(n.activationBits ? { activation_bits: n.activationBits } : {}) });
  }
  if (macs > MAX_MACS)
    throw new RetileError('limit', `model has more than 2^53 MACs; counts would no longer be exact`, { file: graph.source });
  return {
    name: graph.name,
    source: graph.source,
    input_shape: [...graph.inputShape],
    params,
    bn_params: bnParams,
    embedding_params: embeddingParams,
    macs,
    flops: 2 * macs, // FLOPs = 2 x MACs (docs/workloads.md#conventions)
    act_act_macs: actActMacs,
    layers,
    ops,
  };
}
