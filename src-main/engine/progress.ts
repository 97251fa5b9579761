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

/**
 * One steady fraction for a job made of stages: each step of the plan owns a slice of [0, 1] (its
 * weight, in order) shared by the stage names it lists; a stage's own fraction is placed inside
 * its slice, and the reported fraction never goes backwards. Stages not in the plan (a strategy's
 * inner loop) advance inside what is left of the running step's slice. The parent sink receives
 * (stage, overall fraction).
 */
export function stagedProgress(parent: ProgressSink, plan: [stages: string[], weight: number][]): ProgressSink {
  const total = plan.reduce((s, [, w]) => s + w, 0) || 1;
  const slices = new Map<string, [number, number]>();
  let at = 0;
  for (const [stages, w] of plan) {
    for (const stage of stages) slices.set(stage, [at / total, (at + w) / total]);
    at += w;
  }
  let step: [number, number] = [0, plan.length ? plan[0][1] / total : 1];
  let inner: { stage: string; from: number } | null = null;
  let shown = 0;
  return {
    report(stage, fraction) {
      const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
      const slice = slices.get(stage);
      let a: number;
      let b: number;
      if (slice) {
        step = slice;
        inner = null;
        [a, b] = slice;
      } else {
        if (inner?.stage !== stage) inner = { stage, from: Math.max(step[0], shown) };
        [a, b] = [inner.from, step[1]];
      }
      shown = Math.max(shown, a + (b - a) * f);
      parent.report(stage, shown);
    },
    cancelled: () => parent.cancelled(),
  };
}
