/**
 * The engine worker in a process of its own, with the Worker-like surface JobRunner uses
 * (postMessage, terminate, unref, 'message' / 'error' / 'exit'). Node hosts (the browser-mode
 * server) use it so that a job exhausting the heap fails as a job: V8 aborts the whole process
 * on some out-of-memory paths (large array fills, Map growth) whatever the worker's
 * resourceLimits, and here that process is not the host. The only child process Retile starts:
 * `fork` of its own bundled script, never a shell.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { JobHostConfig } from './job-host';
import type { JobRequest, WorkerInit } from './worker-protocol';

export class EngineProcess extends EventEmitter {
  private readonly child: ChildProcess;

  constructor(jobHost: URL, workerUrl: URL, init: WorkerInit, memoryMb?: number) {
    super();
    const config: JobHostConfig = { workerUrl: workerUrl.href, init, memoryMb };
    // The process heap a little above the worker's, so the worker's own limit usually trips first (a clean error).
    const execArgv = memoryMb ? [`--max-old-space-size=${memoryMb + 256}`] : [];
    this.child = fork(fileURLToPath(jobHost), [], {
      execArgv,
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, RETILE_JOB_HOST: JSON.stringify(config) },
    });
    this.child.on('message', (m) => this.emit('message', m));
    this.child.on('error', (e) => this.emit('error', e));
    this.child.on('exit', (code, signal) => this.emit('exit', code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0)));
  }

  postMessage(request: JobRequest): void {
    const { cancelFlag: _flag, ...rest } = request;
    this.child.send(rest);
  }

  /** Raises the job's cancel flag inside the engine process. */
  cancel(jobId: string): void {
    if (this.child.connected) this.child.send({ type: 'cancel', jobId });
  }

  terminate(): Promise<number> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    return Promise.resolve(0);
  }

  unref(): void {
    this.child.unref();
    (this.child.channel as { unref?: () => void } | undefined)?.unref?.();
  }
}
