/**
 * The crossbar mapping of every layer of every deployed tenant, computed once per Deployment and
 * shared by every reader (the analytic evaluation, the link loads, the buffer fit, the simulator's
 * scenario, the result document) instead of each mapping the graphs again. Deployments are not
 * changed after they are built (a changed placement is a new object), so the memo stays true.
 */
import { mapLayer, type LayerMapping } from '../mapping/map-layer';
import type { Deployment } from './types';

const memo = new WeakMap<Deployment, LayerMapping[][]>();

/** Per tenant, per layer of its deployed graph: the layer's mapping on the deployment's chip. */
export function deploymentMappings(dep: Deployment): LayerMapping[][] {
  let m = memo.get(dep);
  if (!m) {
    m = dep.tenants.map((t) => t.graph.layers.map((l) => mapLayer(l, dep.chip)));
    memo.set(dep, m);
  }
  return m;
}
