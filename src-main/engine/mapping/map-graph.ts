/** Mapping every layer of a tenant once (one copy each), with the tenant's utilization. */
import type { LayerGraph } from '../workload/ir';
import type { ChipSpec } from '../hardware/spec';
import { mapLayer, utilizationOf, type LayerMapping } from './map-layer';

export interface GraphMapping {
  model: string;
  layers: LayerMapping[];
  /** Crossbars of one copy of every layer. */
  crossbars: number;
  mappedCells: number;
  allocatedCells: number;
  utilization: number;
}

export function mapGraph(graph: LayerGraph, chip: ChipSpec): GraphMapping {
  const layers = graph.layers.map((l) => mapLayer(l, chip));
  const u = utilizationOf(layers);
  return { model: graph.model, layers, ...u };
}
