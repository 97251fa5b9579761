/**
 * Runs engine jobs on a worker thread, one at a time per worker, and turns worker messages into
 * promises plus progress callbacks. Cancellation sets the job's shared flag; if the engine has
 * not stopped within the grace period the worker is terminated and replaced, so a cancel always
 * takes effect.
 */
import { Worker } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import { EngineProcess, type SpawnEngine } from './engine-process';
import type { JobRequest, WorkerMessage, WorkerInit } from './worker-protocol';
import type { ApiError } from '../api/errors';

export class JobError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** The structured error the engine refused the job with (its field, its limit's setting). */
    readonly error?: ApiError,
  ) {
    super(message);
    this.name = 'JobError';
  }
}

export interface JobHandle<T> {
  jobId: string;
  result: Promise<T>;
  cancel(): void;
}

interface PendingJob {
  request: JobRequest;
  onProgress: (stage: string, fraction: number) => void;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  cancelRequested: boolean;
}

export interface JobRunnerOptions {
  workerUrl: URL;
  wasmPath: string;
  /** Engine limits for the worker (the host's own, see service/limits-env.ts). */
  limits?: WorkerInit['limits'];
  /** Old-generation heap cap of the worker in MB: a runaway job fails instead of exhausting memory. */
  memoryMb?: number;
  /** Threads of the worker's simulation pool (service/sim-pool.ts). */
  simWorkers?: number;
  /** How long a cancelled job may take to notice before its worker is terminated. */
  cancelGraceMs?: number;
  /**
   * The job-host script (out/main/job-host.js): run the worker inside a process of its own, so a
   * heap exhaustion V8 treats as fatal ends that process, not the host. Unset: a thread in the host.
   */
  jobHost?: URL;
  /** How the job host is started (default: Node's fork; the Electron shell passes utilityProcess). */
  spawnEngine?: SpawnEngine;
}

export class JobRunner {
  private worker: Worker | EngineProcess | null = null;
  /** Settles when the current worker is ready (or ended before it was: see wasmAbi). */
  private ready: Promise<void> | null = null;
  private abi: number | null = null;
  private current: PendingJob | null = null;
  private readonly queue: PendingJob[] = [];
  private closed = false;

  constructor(private readonly options: JobRunnerOptions) {}

  /** The Wasm ABI version reported by the worker once its module loaded. */
  async wasmAbi(): Promise<number> {
    // A worker stopped before it was ready (a cancel's restart) hands the question to its replacement.
    while (this.abi === null) {
      if (this.closed) throw new Error('job runner is closed');
      this.ensureWorker();
      await this.ready;
    }
    return this.abi;
  }

  submit<T>(kind: string, args: unknown, onProgress: (stage: string, fraction: number) => void = () => {}): JobHandle<T> {
    if (this.closed) throw new Error('job runner is closed');
    const jobId = randomUUID();
    const cancelFlag = new SharedArrayBuffer(4);
    let job!: PendingJob;
    const result = new Promise<unknown>((resolve, reject) => {
      job = { request: { type: 'run', jobId, kind, args, cancelFlag }, onProgress, resolve, reject, cancelRequested: false };
    });
    this.queue.push(job);
    this.pump();
    return { jobId, result: result as Promise<T>, cancel: () => this.cancel(jobId) };
  }

  cancel(jobId: string): boolean {
    const queued = this.queue.findIndex((j) => j.request.jobId === jobId);
    if (queued >= 0) {
      const [job] = this.queue.splice(queued, 1);
      job.reject(new JobError('cancelled', 'cancelled by the user'));
      return true;
    }
    const job = this.current;
    if (!job || job.request.jobId !== jobId) return false;
    job.cancelRequested = true;
    Atomics.store(new Int32Array(job.request.cancelFlag), 0, 1);
    if (this.worker instanceof EngineProcess) this.worker.cancel(jobId);
    const grace = this.options.cancelGraceMs ?? 400;
    setTimeout(() => {
      if (this.current === job) {
        // The engine did not reach a cancellation point in time: stop the thread itself.
        this.restartWorker();
        this.finish(job, () => job.reject(new JobError('cancelled', 'cancelled by the user')));
      }
    }, grace).unref();
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new JobError('interrupted', 'Retile is shutting down'));
    if (this.current) this.current.reject(new JobError('interrupted', 'Retile is shutting down'));
    this.current = null;
    await this.worker?.terminate();
    this.worker = null;
  }

  private ensureWorker(): Worker | EngineProcess {
    if (this.worker) return this.worker;
    const init: WorkerInit = { wasmPath: this.options.wasmPath, limits: this.options.limits, simWorkers: this.options.simWorkers, memoryMb: this.options.memoryMb };
    const { jobHost, memoryMb, spawnEngine } = this.options;
    const worker = jobHost
      ? new EngineProcess(jobHost, this.options.workerUrl, init, memoryMb, spawnEngine)
      : new Worker(this.options.workerUrl, { workerData: init, resourceLimits: memoryMb ? { maxOldGenerationSizeMb: memoryMb } : undefined });
    worker.unref();
    this.ready = new Promise<void>((resolve, reject) => {
      const onMessage = (m: WorkerMessage) => {
        if (m.type === 'ready') {
          worker.off('message', onMessage);
          this.abi = m.wasmAbi;
          resolve();
        }
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      // Replaced by us (a cancel's restart): resolve, and wasmAbi asks the next worker. Ended on its own: say why.
      worker.once('exit', (code) => (this.worker === worker ? reject(new Error(`the engine stopped with exit code ${code} before it was ready`)) : resolve()));
    });
    this.ready.catch(() => {});
    worker.on('message', (m: WorkerMessage) => this.onMessage(m));
    // A replaced worker's late errors are not the current job's.
    worker.on('error', (e) => this.worker === worker && this.onWorkerDied(e));
    worker.on('exit', (code) => {
      if (this.worker === worker) {
        this.worker = null;
        if (this.current) this.onWorkerDied(new Error(exitReason(code, this.options.memoryMb)));
      }
    });
    this.worker = worker;
    return worker;
  }

  private restartWorker(): void {
    const w = this.worker;
    this.worker = null;
    void w?.terminate();
  }

  private pump(): void {
    if (this.current || this.closed) return;
    const next = this.queue.shift();
    if (!next) return;
    this.current = next;
    this.ensureWorker().postMessage(next.request);
  }

  private finish(job: PendingJob, settle: () => void): void {
    if (this.current !== job) return;
    this.current = null;
    settle();
    this.pump();
  }

  private onMessage(m: WorkerMessage): void {
    const job = this.current;
    if (m.type === 'ready' || !job || m.jobId !== job.request.jobId) return;
    if (m.type === 'progress') job.onProgress(m.stage, m.fraction);
    else if (m.type === 'result') this.finish(job, () => job.resolve(m.result));
    else if (m.type === 'error') this.finish(job, () => job.reject(new JobError(m.code, m.message, m.error)));
  }

  private onWorkerDied(e: Error): void {
    const job = this.current;
    this.worker = null;
    if (job) this.finish(job, () => job.reject(new JobError(job.cancelRequested ? 'cancelled' : 'internal', e.message)));
  }
}

/** Why the engine stopped, in the user's terms: most non-zero exits of a busy engine are memory. */
function exitReason(code: number, memoryMb: number | undefined): string {
  const limit = memoryMb ? ` (${memoryMb} MB, setting RETILE_WORKER_MEMORY_MB)` : '';
  return `the engine stopped with exit code ${code} during the job, most likely out of memory${limit}; a smaller model, batch or chip would fit`;
}
