/** Public API of the workload area: graph IR, zoo, summaries, layer graphs and ONNX import. */
export type * from './ir';
export { GraphBuilder } from './builder';
export { ZOO_NAMES, zooGraph, isZooName } from './zoo';
export type { ZooOptions } from './zoo';
export { summarize } from './summary';
export { opCost, isLayerOp } from './cost';
export type { OpCost } from './cost';
export { toLayerGraph } from './layers';
export { importOnnx, isSupportedOp } from './onnx/import';
export type { OnnxImportOptions } from './onnx/import';
export { checkDimBindings, describeBindings, parseDimBindings, parseInputBinding } from './bindings';
export type { InputBinding, ShapeBindings } from './bindings';
export { importNeurosimCsv } from './neurosim';
