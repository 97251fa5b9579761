/**
 * The operator table of the ONNX importer (default domain): one handler per operator. An
 * operator absent from this table is refused before any lowering starts.
 */
import { CONSTANT_OPS } from './constants';
import { CONTROL_OPS } from './control';
import { EINSUM_OPS } from './einsum';
import { ELEMENTWISE_OPS } from './elementwise';
import type { OpHandler } from './handler';
import { LAYOUT_OPS } from './layout';
import { LINEAR_OPS } from './linear';
import { NORM_OPS } from './norm';
import { QUANT_OPS } from './quant';
import { RESAMPLE_OPS } from './resample';
import { WINDOW_OPS } from './window';

export type { OpHandler, Placement } from './handler';

export const OPERATORS: Readonly<Record<string, OpHandler>> = {
  ...CONSTANT_OPS,
  ...LINEAR_OPS,
  ...WINDOW_OPS,
  ...NORM_OPS,
  ...ELEMENTWISE_OPS,
  ...LAYOUT_OPS,
  ...RESAMPLE_OPS,
  ...EINSUM_OPS,
  ...QUANT_OPS,
  ...CONTROL_OPS,
};

export function operatorHandler(op: string): OpHandler | undefined {
  return Object.prototype.hasOwnProperty.call(OPERATORS, op) ? OPERATORS[op] : undefined;
}
