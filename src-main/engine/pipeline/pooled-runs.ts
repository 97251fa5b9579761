/**
 * The simulations one run sends to a pool of threads (sim/pool.ts), in the order it sends them:
 * the baselines first, then the alone runs. They are awaited where their results are needed; a
 * cancel is noticed while waiting; a failed one stops the run at this thread's next cancel check;
 * and a run that fails names the error the in-thread run would have named (a baseline's before
 * the optimizer's own, the optimizer's before an alone run's). The rest are dropped once the run
 * has failed.
 */
import { isRetileError, RetileError } from '../errors';
import type { ProgressSink } from '../progress';
import type { Simulated } from '../sim/referee';
import type { SimulatorPool } from '../sim/pool';

interface Sent {
  run: Promise<Simulated>;
  /** Simulated before the optimizer by the in-thread run (the baselines), not after it (the alone runs). */
  beforeOptimizer: boolean;
  failure?: { error: unknown };
}

export class PooledRuns {
  private readonly abort = new AbortController();
  private readonly sent: Sent[] = [];
  /** The run's progress sink: reports a stop once a pooled simulation has failed. */
  readonly progress: ProgressSink;

  constructor(
    readonly pool: SimulatorPool,
    private readonly outer: ProgressSink,
  ) {
    this.progress = { report: (stage, f) => outer.report(stage, f), cancelled: () => this.anyFailed() || outer.cancelled() };
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** Keeps a sent simulation in order; its failure is noted at once (and never left unhandled). */
  send(run: Promise<Simulated>, beforeOptimizer: boolean): Promise<Simulated> {
    const sent: Sent = { run, beforeOptimizer };
    this.sent.push(sent);
    run.catch((error: unknown) => {
      if (!this.abort.signal.aborted) sent.failure = { error };
    });
    return run;
  }

  /**
   * Waits for a sent simulation, checking for a stop every 50 ms meanwhile (this thread polls the
   * flag only between its own work units, and here it has none).
   */
  wait<T>(p: Promise<T>, stop = () => this.progress.cancelled()): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setInterval(() => {
        if (!stop()) return;
        clearInterval(timer);
        reject(new RetileError('cancelled', 'cancelled by the user'));
      }, 50);
      p.then(resolve, reject).finally(() => clearInterval(timer));
    });
  }

  /** The error the run ends with, given the one that stopped this thread; drops what is still under way. */
  async failed(e: unknown): Promise<unknown> {
    if (this.outer.cancelled()) {
      this.abort.abort();
      return e;
    }
    // A stop caused by the pool: the failure itself, or the cancel check that noticed it.
    const causedByPool = this.sent.some((s) => s.failure?.error === e) || (this.anyFailed() && isRetileError(e) && e.code === 'cancelled');
    const firstFailure = async (sent: Sent[]): Promise<unknown> => {
      await this.wait(Promise.allSettled(sent.map((s) => s.run)), () => this.outer.cancelled()).catch(() => undefined);
      return this.outer.cancelled() ? undefined : sent.find((s) => s.failure)?.failure?.error;
    };
    const baseline = await firstFailure(this.sent.filter((s) => s.beforeOptimizer));
    let error: unknown = baseline ?? (causedByPool ? undefined : e);
    if (error === undefined && !this.outer.cancelled()) {
      // An alone run failed: the earliest of them (each sent before it has ended by now or soon).
      const i = this.sent.findIndex((s) => s.failure);
      error = await firstFailure(this.sent.slice(0, i + 1));
    }
    this.abort.abort();
    return error ?? e;
  }

  private anyFailed(): boolean {
    return this.sent.some((s) => s.failure);
  }
}
