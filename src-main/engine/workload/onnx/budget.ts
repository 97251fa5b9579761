/**
 * Resource budgets of the ONNX importer, checked before anything model-sized is allocated.
 *
 * A file of a few hundred bytes can ask the constant folder for billions of values (a Concat of
 * a thousand copies of a large constant, a Slice with a step of 1e-30, a Split with 10^8
 * outputs). Every folding site asks `fits` before computing values, counts what it keeps with
 * `charge`, and sizes Slice and Range from their arguments before iterating, so a hostile file
 * ends in a one-line 'limit' or 'bad-input' error instead of exhausting memory or hanging.
 * The settings are in engine/limits.ts (maxFoldedElements, maxFoldedModelElements, maxNodeOutputs).
 */
import { badInput, listPreview, type ErrorWhere } from '../../errors';
import { checkLimit, LIMITS, limitError, MAX_TENSOR_ELEMENTS } from '../../limits';

/** The folded values one import holds; one per `importOnnx` call. */
export class FoldBudget {
  private held = 0;

  /** Whether a folded constant of `count` elements may have its values computed (else only its dims are known). */
  fits(count: number): boolean {
    return Number.isSafeInteger(count) && count >= 0 && count <= LIMITS.maxFoldedElements;
  }

  /** Counts computed values against the model's total; throws past maxFoldedModelElements. Returns `values`. */
  charge<T extends ArrayLike<unknown> | undefined>(values: T, where: ErrorWhere = {}): T {
    if (values === undefined) return values;
    this.held += values.length;
    if (this.held > LIMITS.maxFoldedModelElements) throw limitError('the count of folded constant elements of the model', this.held, 'maxFoldedModelElements', where);
    return values;
  }
}

/** A node's number of outputs (output names, Split's `num_outputs` or split sizes), before any per-output work. */
export function checkNodeOutputs(count: number, where: ErrorWhere = {}): void {
  if (!Number.isSafeInteger(count) || count < 0) throw badInput(`output count ${count} must be a non-negative integer`, where);
  checkLimit('the output count of the node', count, 'maxNodeOutputs', where);
}

/** A Slice step must be a non-zero integer: a fractional step (1e-30) would never advance. */
export function checkSliceStep(step: number): void {
  if (!Number.isSafeInteger(step) || step === 0) throw new Error(`Slice step ${step} must be a non-zero integer`);
}

/** Elements of a Slice along one axis from its clamped start, end and step, without iterating. */
export function sliceCount(start: number, end: number, step: number): number {
  checkSliceStep(step);
  return Math.max(0, Math.ceil((end - start) / step));
}

/**
 * Element count of ONNX Range(start, limit, delta): max(ceil((limit - start) / delta), 0),
 * computed and bounded (2^40, the tensor limit) before a value is produced.
 */
export function rangeCount(start: number, limit: number, delta: number): number {
  if (![start, limit, delta].every(Number.isFinite)) throw new Error(`Range start, limit and delta must be finite numbers (got ${listPreview([start, limit, delta])})`);
  if (delta === 0) throw new Error('Range delta must not be 0');
  const n = Math.max(Math.ceil((limit - start) / delta), 0);
  if (n > MAX_TENSOR_ELEMENTS) throw new Error(`Range of ${n} elements exceeds the limit of 2^40 elements`);
  return n;
}
