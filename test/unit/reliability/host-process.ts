/**
 * The real browser-mode host as a child process (`node out/main/server.js`), for tests that kill
 * it or run two at once. RETILE_WORKSPACE / RETILE_TOKEN / RETILE_PORT select its workspace,
 * token and port (src-main/server/main.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { REPO_ROOT, tempDir } from '../../helpers';

export const SERVER_JS = join(REPO_ROOT, 'out/main/server.js');
const TOKEN = 'crash-test-token-000111222';

export interface HostProcess {
  proc: ChildProcess;
  port: number;
  call<T = unknown>(method: string, args?: unknown): Promise<T>;
  /** Resolves once the process has exited. */
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
  stderr(): string;
}

export async function startHost(workspace: string): Promise<HostProcess> {
  const proc = spawn(process.execPath, [SERVER_JS], {
    env: { ...process.env, RETILE_WORKSPACE: workspace, RETILE_TOKEN: TOKEN, RETILE_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (c) => (err += c));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 20_000);
    proc.stdout!.on('data', (c) => {
      out += c;
      const m = /serving at http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.once('exit', (code) => reject(new Error(`server exited with ${code}: ${err}`)));
  });
  const call = async <T>(method: string, args?: unknown): Promise<T> => {
    const res = await fetch(`http://127.0.0.1:${port}/api/${method}`, {
      method: 'POST',
      headers: { 'x-retile-token': TOKEN, 'content-type': 'application/json' },
      body: args === undefined ? '' : JSON.stringify(args),
    });
    const body = (await res.json()) as { ok: boolean; result?: T; error?: { message: string } };
    if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
    return body.result as T;
  };
  return {
    proc,
    port,
    call,
    exited,
    async kill(signal = 'SIGKILL') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
    stderr: () => err,
  };
}

export interface RunRow {
  id: number;
  status: string;
  kind: string;
  seed: number | null;
  headline: number | null;
}

/** Polls until `pred` holds; `ms` only guards against a hang (generous: a loaded 2-core machine is slow), it is no speed check. */
export async function until<T>(f: () => Promise<T>, pred: (v: T) => boolean, ms = 90_000, every = 50): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await f();
    if (pred(v)) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting; last value ${JSON.stringify(v).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/**
 * The per-file fixture of the host-process tests: a temporary folder, and `host(ws)` starting a
 * real browser-mode server on a workspace inside it; every host still running is killed after the file.
 */
export function hostFixture(prefix: string): { dir: () => string; host: (workspace: string) => Promise<HostProcess> } {
  let tmp: ReturnType<typeof tempDir>;
  const live: HostProcess[] = [];
  beforeAll(() => {
    tmp = tempDir(prefix);
  });
  afterAll(async () => {
    for (const h of live) await h.kill('SIGKILL');
    tmp.cleanup();
  });
  return {
    dir: () => tmp.dir,
    host: async (workspace: string) => {
      const h = await startHost(workspace);
      live.push(h);
      return h;
    },
  };
}
