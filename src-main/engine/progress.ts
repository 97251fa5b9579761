/**
 * How long-running engine work reports progress and notices cancellation, without knowing its
 * host: the worker passes a sink backed by a shared flag; tests and the CLI pass their own.
 */
import { RetileError } from './errors';

export interface ProgressSink {
  /** `fraction` in [0, 1] of the named stage. Cheap to call often: hosts throttle. */
  report(stage: string, fraction: number): void;
  /** True once the user asked to cancel. */
  cancelled(): boolean;
}

export const NO_PROGRESS: ProgressSink = { report() {}, cancelled: () => false };

/** Throws a 'cancelled' RetileError when cancellation was requested (call between work units). */
export function checkCancelled(sink: ProgressSink): void {
  if (sink.cancelled()) throw new RetileError('cancelled', 'cancelled by the user');
}
