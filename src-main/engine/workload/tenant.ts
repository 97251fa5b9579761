import type { LayerGraph } from './ir';

/** A tenant's workload: the graph of one inference, and how many inferences a run makes. */
export interface TenantWorkload {
  name: string;
  /** Zoo name or ONNX file name. */
  model: string;
  graph: LayerGraph;
  /** Inferences per run (batch mode). */
  batch: number;
  priority: number;
  slaMs?: number;
}
