/**
 * The browser-mode host in-process, as the tests that talk HTTP to it need it: one service over a
 * scratch workspace, a server on an ephemeral port with a per-test token, and the HTTP calls a
 * browser tab makes (`raw` for status and headers, `reply` for the API's `{ ok, result, error }`,
 * `call` for the result itself).
 */
import { request } from 'node:http';
import { join } from 'node:path';
import { createService, type Service } from '../src-main/service/service';
import { startServer, type RunningServer } from '../src-main/server/http-server';
import { paths } from '../src-main/service/paths';
import { tempDir } from './helpers';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface ApiReply {
  ok: boolean;
  result?: unknown;
  error?: unknown;
}

export interface BrowserHost {
  token: string;
  /** The scratch folder; the workspace is its `ws` folder. */
  dir: string;
  workspace: string;
  service: Service;
  server: RunningServer;
  /** Another server over the same service (for example with a smaller body limit). */
  extraServer(options: { maxBodyBytes?: number }): Promise<RunningServer>;
  /** One HTTP request (POST unless told); an event stream resolves at its status line. */
  raw(path: string, init?: RawRequest, server?: RunningServer): Promise<Reply>;
  /** Headers of an authorised API call. */
  authed(extra?: Record<string, string>): Record<string, string>;
  /** An API call with the token: the whole `{ ok, result, error }` reply. */
  reply(method: string, args?: unknown): Promise<ApiReply>;
  /** An API call with the token: its result; a refusal throws its error. */
  call<T = unknown>(method: string, args?: unknown): Promise<T>;
  close(): Promise<void>;
}

function rawRequest(server: RunningServer, path: string, init: RawRequest = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: init.method ?? 'POST', headers: init.headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      // The event stream never ends: the status line is enough.
      if (res.headers['content-type'] === 'text/event-stream') {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
        req.destroy();
      }
    });
    req.on('error', reject);
    req.end(init.body ?? '');
  });
}

export async function browserHost(options: { prefix?: string; configDir?: boolean } = {}): Promise<BrowserHost> {
  const tmp = tempDir(options.prefix ?? 'retile-host-');
  const token = `test-token-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const workspace = join(tmp.dir, 'ws');
  const service = createService({
    host: 'browser',
    workspaceDir: workspace,
    workerUrl: paths.worker,
    wasmPath: paths.wasm,
    ...(options.configDir ? { configDir: join(tmp.dir, '.config') } : {}),
  });
  const server = await startServer({ service, rendererDir: paths.renderer, token, port: 0 });
  const extras: RunningServer[] = [];
  const authed = (extra: Record<string, string> = {}) => ({ 'x-retile-token': token, 'content-type': 'application/json', ...extra });
  const reply = async (method: string, args?: unknown): Promise<ApiReply> =>
    JSON.parse((await rawRequest(server, `/api/${method}`, { headers: authed(), body: args === undefined ? '' : JSON.stringify(args) })).body) as ApiReply;
  return {
    token,
    dir: tmp.dir,
    workspace,
    service,
    server,
    async extraServer({ maxBodyBytes }) {
      const s = await startServer({ service, rendererDir: paths.renderer, token, port: 0, maxBodyBytes });
      extras.push(s);
      return s;
    },
    raw: (path, init, srv = server) => rawRequest(srv, path, init),
    authed,
    reply,
    async call<T>(method: string, args?: unknown): Promise<T> {
      const r = await reply(method, args);
      if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
      return r.result as T;
    },
    async close() {
      for (const s of extras) await s.close();
      await server.close();
      await service.close();
      tmp.cleanup();
    },
  };
}
