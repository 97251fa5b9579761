/** A topological order of a layer graph's layers. */
import type { LayerGraph } from './ir';

/** Kahn's order over the layer edges (layers are usually already in order; this makes sure). */
export function topoOrder(graph: LayerGraph): number[] {
  const n = graph.layers.length;
  const indeg = new Array<number>(n).fill(0);
  const out: number[][] = Array.from({ length: n }, () => []);
  for (const e of graph.edges) {
    indeg[e.to]!++;
    out[e.from]!.push(e.to);
  }
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (indeg[i] === 0) queue.push(i);
  const order: number[] = [];
  for (let h = 0; h < queue.length; h++) {
    const i = queue[h]!;
    order.push(i);
    for (const j of out[i]!) if (--indeg[j]! === 0) queue.push(j);
  }
  // A cycle would be a workload bug; profile the rest in index order rather than loop.
  if (order.length < n) for (let i = 0; i < n; i++) if (!order.includes(i)) order.push(i);
  return order;
}
