/**
 * The engine worker in a process of its own, with the Worker-like surface JobRunner uses
 * (postMessage, terminate, unref, 'message' / 'error' / 'exit'). A job exhausting the heap then
 * fails as a job: V8 aborts the whole process on some out-of-memory paths (large array fills, Map
 * growth) whatever the worker's resourceLimits, and here that process is not the host.
 *
 * The process is started by a `SpawnEngine`: Node's `fork` of Retile's own bundled script for the
 * browser-mode server (never a shell), Electron's `utilityProcess.fork` for the desktop app
 * (src-main/app/utility-engine.ts), which needs no `ELECTRON_RUN_AS_NODE` (that fuse is off).
 */
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { JobHostConfig } from './job-host';
import { engineV8Flags } from './engine-v8';
import type { JobRequest, WorkerInit } from './worker-protocol';

/** A started engine process as the two hosts' process APIs both provide it. */
export interface EngineChild {
  send(message: unknown): void;
  kill(): void;
  unref(): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Exit code, or 128 + signal number. */
  onExit(listener: (code: number) => void): void;
  onError(listener: (e: Error) => void): void;
}

/** Starts `script` (a file path) with `execArgv` and `env` and an IPC channel. */
export type SpawnEngine = (script: string, execArgv: string[], env: NodeJS.ProcessEnv) => EngineChild;

/** Node's child_process.fork (browser mode, tests). */
export const forkNode: SpawnEngine = (script, execArgv, env) => {
  const child = fork(script, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env });
  return {
    send: (m) => {
      if (child.connected) child.send(m as object);
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
    unref: () => {
      child.unref();
      (child.channel as { unref?: () => void } | undefined)?.unref?.();
    },
    onMessage: (l) => child.on('message', l),
    onExit: (l) => child.on('exit', (code, signal) => l(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0))),
    onError: (l) => child.on('error', l),
  };
};

export class EngineProcess extends EventEmitter {
  private readonly child: EngineChild;

  constructor(jobHost: URL, workerUrl: URL, init: WorkerInit, memoryMb?: number, start: SpawnEngine = forkNode) {
    super();
    const config: JobHostConfig = { workerUrl: workerUrl.href, init, memoryMb };
    // The process heap a little above the worker's, so the worker's own limit usually trips first (a clean error).
    const execArgv = [...engineV8Flags(), ...(memoryMb ? [`--max-old-space-size=${memoryMb + 256}`] : [])];
    this.child = start(fileURLToPath(jobHost), execArgv, { ...process.env, RETILE_JOB_HOST: JSON.stringify(config) });
    this.child.onMessage((m) => this.emit('message', m));
    this.child.onError((e) => this.emit('error', e));
    this.child.onExit((code) => this.emit('exit', code));
  }

  postMessage(request: JobRequest): void {
    const { cancelFlag: _flag, ...rest } = request;
    this.child.send(rest);
  }

  /** Raises the job's cancel flag inside the engine process. */
  cancel(jobId: string): void {
    this.child.send({ type: 'cancel', jobId });
  }

  terminate(): Promise<number> {
    this.child.kill();
    return Promise.resolve(0);
  }

  unref(): void {
    this.child.unref();
  }
}
