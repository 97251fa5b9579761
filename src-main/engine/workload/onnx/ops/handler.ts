/**
 * One entry of the operator table: where the operator's work lands and how a node of it is
 * lowered onto the GraphBuilder (the builder applies the shape rule; cost.ts costs the IR node
 * it produces). `fold` evaluates the node when all its inputs are constants (shape sub-graphs).
 */
import type { NodeCtx } from '../context';

/**
 * crossbar: weight MVMs programmed into crossbars (Conv, Gemm, MatMul with a constant weight;
 *           MatMul of two activations is costed on digital units by cost.ts);
 * digital:  element-wise, pooling, normalization and softmax work on digital units;
 * layout:   data movement only (reshape, transpose, concat, slice), no arithmetic;
 * folded:   evaluated at import time into a constant (shape arithmetic, constant producers).
 */
export type Placement = 'crossbar' | 'digital' | 'layout' | 'folded';

export interface OpHandler {
  placement: Placement;
  lower(c: NodeCtx): void;
  fold?(c: NodeCtx): void;
}

/** The same handler for several operator names. */
export function entries(names: string[], h: OpHandler): Record<string, OpHandler> {
  return Object.fromEntries(names.map((n) => [n, h]));
}
