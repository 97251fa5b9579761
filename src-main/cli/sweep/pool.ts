/**
 * A pool of worker threads for the CLI's long jobs (sweeps, runs, study cases, simulations): K workers (default one per core), each evaluating one case
 * at a time; the next queued case goes to whichever worker frees first. A worker that dies takes
 * only its current case down (reported as failed) and is replaced. Cancellation sets a shared
 * flag every worker's engine polls; close() terminates the threads.
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import type { KnownSim } from '../../engine/sim/cache';
import { MEMORY_FIRST_TILES } from '../../engine/limits';
import { applyEngineV8Flags, HEAP_GROWING_PERCENT } from '../../service/engine-v8';
import type { FromWorker, SweepWorkerInit, ToWorker, WorkerJob, WorkerOutput } from './protocol';

export interface PoolCase {
  index: number;
  job: WorkerJob;
  /**
   * Cases with the same affinity share simulations (the same chip and tenants: their baselines and
   * alone runs), which a worker remembers (sim/cache.ts) but another worker would compute again;
   * a free worker takes a case of its own affinity first and avoids one another worker holds.
   */
  affinity?: string;
}

export interface PoolEvents {
  onStart?(index: number): void;
  onProgress?(index: number, stage: string, fraction: number): void;
  onResult(index: number, output: WorkerOutput): void;
  onError(index: number, code: string, message: string): void;
}

/**
 * The young generation a worker may grow to (V8's default on 64-bit is 48 MB: two 16 MB
 * semi-spaces and the new large-object space). An optimizer run allocates many objects that live
 * through a deployment's evaluation; with the default, V8 scavenges about 200 times in the
 * four-tenant example at 32x32 and copies the survivors each time. Four times the room cuts the
 * scavenges to about 65 and the run's CPU time by about a tenth (docs/performance.md).
 */
const YOUNG_GENERATION_MB = 192;

/**
 * The young generation (MB) and the old generation's growth (percent) of the workers, for jobs on
 * chips of at most `tiles` tiles. Up to 128x128 the young generation above and the engine's growth
 * (service/engine-v8.ts), for their CPU. Above, memory first: V8's default young generation (48 MB) and growth to 1.25x of what the
 * last full collection kept. The sixteen-tenant example at 256x256 peaked at 1,213 MiB resident
 * with 192 MB and 1.5x, 1,042 MiB with 48 MB, 941-979 MiB with both (docs/performance.md, "Memory at
 * 256x256").
 */
export function workerHeap(tiles: number): { youngMb: number; growingPercent: number } {
  return tiles > MEMORY_FIRST_TILES ? { youngMb: 48, growingPercent: 25 } : { youngMb: YOUNG_GENERATION_MB, growingPercent: HEAP_GROWING_PERCENT };
}

/**
 * Which queued case a free worker takes (its index, -1 when none): one of the affinity it ran
 * last, else the first (the queue is in dispatch order, longest first) whose affinity no other
 * worker holds. A case of a chip another worker holds is left to wait (-1) even if the worker then
 * idles: the holder is running that chip's first case and is still in its baseline stages; once
 * it leaves them its worker posts the baselines (a 'baselines' message, sent on to every worker),
 * the chip is no longer held (`held` lists only chips whose baselines are not out yet) and the
 * waiting worker takes the case while the holder runs its candidates. Taking the case earlier
 * would simulate the baselines again, which pays only if the holder had more than their time left
 * in its baseline stages (docs/performance.md, "The sweep's two workers").
 */
export function pickCase(queue: readonly Pick<PoolCase, 'affinity'>[], own: string | undefined, held: ReadonlySet<string>): number {
  const mine = own === undefined ? -1 : queue.findIndex((c) => c.affinity === own);
  if (mine >= 0) return mine;
  return queue.findIndex((c) => c.affinity === undefined || !held.has(c.affinity));
}

interface Slot {
  worker: Worker;
  current: number | null;
  /** The affinity of the case this worker ran last (its cache holds that case's simulations). */
  affinity: string | undefined;
}

export class SweepPool {
  private readonly cancelFlag = new SharedArrayBuffer(4);
  private readonly slots: Slot[] = [];
  private queue: PoolCase[] = [];
  private pending = 0;
  private events: PoolEvents | null = null;
  private done: (() => void) | null = null;
  private closed = false;
  /** Chips whose baselines every worker has been sent: any worker takes their cases. */
  private readonly shared = new Set<string>();
  /**
   * The simulations sent so far, by chip, while cases of the chip are queued: a worker that
   * replaces one that died is sent them when it starts.
   */
  private readonly sent = new Map<string, KnownSim[]>();

  /** The workers' heap (workerHeap), from the largest chip they are to run; the defaults when it is not known. */
  private readonly heap: { youngMb: number; growingPercent: number };

  constructor(private readonly opts: { workers: number; workerPath: string; wasmPath: string; limits?: SweepWorkerInit['limits']; memoryMb?: number; simWorkers?: number; tiles?: number }) {
    this.heap = workerHeap(opts.tiles ?? 0);
    if (!existsSync(opts.workerPath)) throw new Error(`the sweep worker ${opts.workerPath} is missing; rebuild Retile (npm run build)`);
  }

  /** Runs every case; resolves once each has reported a result or an error (or the pool is cancelled). */
  run(cases: PoolCase[], events: PoolEvents): Promise<void> {
    this.events = events;
    this.queue = [...cases];
    this.pending = cases.length;
    return new Promise<void>((resolve) => {
      this.done = resolve;
      if (this.pending === 0) return resolve();
      if (this.slots.length === 0) this.start(Math.min(this.opts.workers, cases.length));
      this.feedIdle();
    });
  }

  /**
   * Starts `n` workers (at least one) before the cases are known, so that they load their bundle
   * and the Wasm module while the caller prepares; `run` then uses them. Once only.
   */
  start(n = this.opts.workers): void {
    if (this.slots.length > 0 || this.closed) return;
    const workers = Math.max(1, n);
    applyEngineV8Flags(this.heap.growingPercent);
    for (let i = 0; i < workers; i++) this.slots.push(this.spawn());
  }

  /** Asks every running case to stop (the engine checks between work units) and starts no more. */
  cancel(): void {
    Atomics.store(new Int32Array(this.cancelFlag), 0, 1);
    this.queue = [];
  }

  get cancelled(): boolean {
    return Atomics.load(new Int32Array(this.cancelFlag), 0) !== 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots.length = 0;
  }

  private spawn(): Slot {
    const init: SweepWorkerInit = { wasmPath: this.opts.wasmPath, cancelFlag: this.cancelFlag, limits: this.opts.limits, simWorkers: this.opts.simWorkers, memoryMb: this.opts.memoryMb, share: this.opts.workers > 1 };
    // A runaway case fails on its own heap limit instead of exhausting the machine's memory.
    const resourceLimits = { maxYoungGenerationSizeMb: this.heap.youngMb, ...(this.opts.memoryMb ? { maxOldGenerationSizeMb: this.opts.memoryMb } : {}) };
    const worker = new Worker(this.opts.workerPath, { workerData: init, resourceLimits });
    const slot: Slot = { worker, current: null, affinity: undefined };
    worker.on('message', (m: FromWorker) => this.onMessage(slot, m));
    const lost = (why: string) => {
      if (this.closed) return;
      const i = this.slots.indexOf(slot);
      if (i < 0) return;
      this.slots.splice(i, 1);
      if (slot.current !== null) this.settle(slot.current, (ev) => ev.onError(slot.current!, 'internal', `the worker thread stopped: ${why}`));
      slot.current = null;
      // Its chip is no longer held: the others may take its cases.
      if (this.queue.length > 0) {
        const fresh = this.spawn();
        // The baselines the others have (their chips' cases queued), which the new worker lacks.
        const known = [...this.sent.values()].flat();
        if (known.length) fresh.worker.postMessage({ type: 'baselines', known } satisfies ToWorker);
        this.slots.push(fresh);
        this.feedIdle();
      }
    };
    worker.on('error', (e) => lost(e.message));
    worker.on('exit', (code) => lost(`exit code ${code}`));
    return slot;
  }

  private feed(slot: Slot): void {
    const next = this.next(slot);
    if (!next) return;
    slot.current = next.index;
    slot.affinity = next.affinity;
    this.events?.onStart?.(next.index);
    const msg: ToWorker = { type: 'case', index: next.index, job: next.job };
    slot.worker.postMessage(msg);
  }

  /** Gives a case to every worker without one that may take one now. */
  private feedIdle(): void {
    for (const s of this.slots) if (s.current === null) this.feed(s);
  }

  private next(slot: Slot): PoolCase | undefined {
    const held = new Set(this.slots.filter((s) => s !== slot && s.current !== null && s.affinity !== undefined && !this.shared.has(s.affinity)).map((s) => s.affinity!));
    const i = pickCase(this.queue, slot.affinity, held);
    if (i < 0) return undefined;
    const [c] = this.queue.splice(i, 1);
    // Its chip's last queued case: no worker started later needs its baselines.
    if (c!.affinity !== undefined && !this.queue.some((q) => q.affinity === c!.affinity)) this.sent.delete(c!.affinity);
    return c;
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    if (m.type === 'ready') return;
    if (m.type === 'progress') return this.events?.onProgress?.(m.index, m.stage, m.fraction);
    if (m.type === 'baselines') return this.share(slot, m.known);
    slot.current = null;
    if (m.type === 'result') {
      // The worker's next case (its own chip's first) starts before this one's result is saved.
      this.feed(slot);
      this.settle(m.index, (ev) => ev.onResult(m.index, m.output));
    } else {
      this.settle(m.index, (ev) => ev.onError(m.index, m.code, m.message));
      this.feed(slot);
    }
    // Then any worker that waited for this chip.
    this.feedIdle();
  }

  /**
   * Sends a chip's baselines, simulated by `from`, to every other worker; its cases are then
   * anyone's, and a worker waiting for them takes one now. A worker posts them when its run leaves
   * the baseline stages (the alone runs in a second message after its candidates), while its case
   * goes on; a worker running a case takes them in at its next stage (worker.ts).
   */
  private share(from: Slot, known: KnownSim[]): void {
    const msg: ToWorker = { type: 'baselines', known };
    for (const s of this.slots) if (s !== from) s.worker.postMessage(msg);
    const chip = from.affinity;
    if (chip === undefined) return;
    this.shared.add(chip);
    if (this.queue.some((q) => q.affinity === chip)) this.sent.set(chip, [...(this.sent.get(chip) ?? []), ...known]);
    this.feedIdle();
  }

  private settle(_index: number, report: (ev: PoolEvents) => void): void {
    if (this.events) report(this.events);
    this.pending--;
    if (this.pending <= 0 || (this.cancelled && this.slots.every((s) => s.current === null))) this.done?.();
  }
}
