/**
 * The engine's own process (`out/main/job-host.js`, started by service/engine-process.ts: a Node
 * fork in browser mode, an Electron utility process in the desktop app). It runs
 * the engine worker thread and relays its messages, so a job that exhausts the heap in a way
 * worker resource limits cannot contain (V8's "Reached heap limit" is fatal to the whole process)
 * ends this process only: the host sees it exit and records the run as failed.
 * Cancellation: the host sends `{ type: 'cancel', jobId }`; the flag the engine polls lives here.
 */
import { Worker } from 'node:worker_threads';
import type { JobRequest, WorkerInit } from './worker-protocol';

export interface JobHostConfig {
  workerUrl: string;
  init: WorkerInit;
  memoryMb?: number;
}

type HostMessage = Omit<JobRequest, 'cancelFlag'> | { type: 'cancel'; jobId: string };

/** Electron's utility process talks through process.parentPort; a forked Node child through process.send. */
interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
const send = parentPort ? (m: unknown) => parentPort.postMessage(m) : process.send?.bind(process);
if (!send) throw new Error('job-host.ts must be started with an IPC channel (forked by engine-process.ts)');
const onHostMessage = (listener: (m: HostMessage) => void) =>
  parentPort ? parentPort.on('message', (e) => listener(e.data as HostMessage)) : process.on('message', listener);
const config = JSON.parse(process.env.RETILE_JOB_HOST ?? '{}') as JobHostConfig;
const worker = new Worker(new URL(config.workerUrl), {
  workerData: config.init,
  resourceLimits: config.memoryMb ? { maxOldGenerationSizeMb: config.memoryMb } : undefined,
});
const flags = new Map<string, Int32Array>();

worker.on('message', (m: { type: string; jobId?: string }) => {
  if ((m.type === 'result' || m.type === 'error') && m.jobId) flags.delete(m.jobId);
  send(m);
});
worker.on('error', (e) => {
  process.stderr.write(`retile engine: ${e.message}\n`);
  process.exit(70);
});
worker.on('exit', (code) => process.exit(code || 70));
onHostMessage((m) => {
  if (m.type === 'run') {
    const cancelFlag = new SharedArrayBuffer(4);
    flags.set(m.jobId, new Int32Array(cancelFlag));
    worker.postMessage({ ...m, cancelFlag });
  } else if (m.type === 'cancel') {
    const flag = flags.get(m.jobId);
    if (flag) Atomics.store(flag, 0, 1);
  }
});
// The host went away: nothing left to serve (Electron ends a utility process with its app).
process.on('disconnect', () => process.exit(0));
