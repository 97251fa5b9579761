export { mapLayer, utilizationOf, type LayerMapping } from './map-layer';
export { mapGraph, type GraphMapping } from './map-graph';
