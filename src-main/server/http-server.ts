/**
 * Browser mode: the same API as the Electron IPC, as JSON over POST /api/<method>, with events
 * as Server-Sent Events on GET /api/events, plus the built renderer as static files.
 * Binds 127.0.0.1 only; every request passes the Host/Origin/token guards in ./guard.ts.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_METHODS, TOKEN_HEADER, type ApiEvent } from '../api/contract';
import { validateArgs } from '../api/schemas';
import type { Service } from '../service/service';
import { errorResponse } from '../service/errors';
import type { ApiError, ApiReply } from '../api/errors';
import { checkHost, checkOrigin, checkToken, type GuardConfig, type GuardVerdict } from './guard';
import { readStatic } from './static-files';
import { CSP } from '../service/static-path';

export interface ServerOptions {
  service: Service;
  rendererDir: string;
  token: string;
  /** 0 picks a free port. */
  port?: number;
  /** Largest accepted request body (ONNX uploads travel as base64 inside JSON). */
  maxBodyBytes?: number;
  /** Most open connections at once (event streams included); past it new connections are dropped. */
  maxConnections?: number;
}

/** Connection limits: a local process opening thousands of half-open sockets must not exhaust descriptors. */
export const SERVER_LIMITS = {
  maxConnections: 256,
  /** A request's headers must arrive within this time (slow-header clients are cut off). */
  headersTimeoutMs: 10_000,
  /** A whole request (a 64 MiB upload included) must arrive within this time. */
  requestTimeoutMs: 120_000,
} as const;

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const METHODS = new Set<string>(API_METHODS);

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(text);
}

/** An error answer: the ApiReply shape (src-main/api/errors.ts) for every refusal and failure. */
function sendError(res: ServerResponse, status: number, error: ApiError): void {
  send(res, status, { ok: false, error } satisfies ApiReply);
}

function refuse(res: ServerResponse, v: Extract<GuardVerdict, { ok: false }>): void {
  sendError(res, v.status, { code: 'refused', message: v.reason });
}

class BodyTooLarge extends Error {}

/** Reads the body up to `limit` bytes; past it, stops buffering and rejects (answered 413). */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return reject(new BodyTooLarge(`request body of ${declared} bytes is larger than the limit of ${limit} bytes`));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.pause();
        reject(new BodyTooLarge(`request body larger than the limit of ${limit} bytes`));
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The request target as a URL, or null when it does not parse (`//%`, `//[`, `http://[`, `//a:99999` ...). */
export function requestUrl(target: string | undefined): URL | null {
  try {
    const url = new URL(target ?? '/', 'http://127.0.0.1');
    decodeURIComponent(url.pathname);
    return url;
  } catch {
    return null;
  }
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { service, rendererDir } = options;
  const maxBody = options.maxBodyBytes ?? 64 * 1024 * 1024;
  const cfg: GuardConfig = { port: 0, token: options.token };
  const sseClients = new Set<ServerResponse>();
  const unsubscribe = service.onEvent((e: ApiEvent) => {
    const frame = `data: ${JSON.stringify(e)}\n\n`;
    for (const c of sseClients) {
      if (c.destroyed || c.writableEnded) sseClients.delete(c);
      else c.write(frame);
    }
  });

  // Every request ends in an answer, whatever it carries: a malformed target is a 400, an
  // unexpected failure a 500; nothing a request does can reject past this handler.
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      process.stderr.write(`retile server: ${req.method} request failed: ${(e as Error)?.stack ?? String(e)}\n`);
      sendError(res, 500, { code: 'internal', message: 'internal error' });
      if (!res.writableEnded) res.end();
    });
  });
  server.maxConnections = options.maxConnections ?? SERVER_LIMITS.maxConnections;
  server.headersTimeout = SERVER_LIMITS.headersTimeoutMs;
  server.requestTimeout = SERVER_LIMITS.requestTimeoutMs;
  server.on('clientError', (_e, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.on('error', () => {});
    res.on('error', () => {});
    const url = requestUrl(req.url);
    if (!url) return sendError(res, 400, { code: 'bad-input', message: 'malformed request target' });
    const host = checkHost(req.headers.host, cfg);
    if (!host.ok) return refuse(res, host);
    const origin = checkOrigin(req.headers.origin, cfg);
    if (!origin.ok) return refuse(res, origin);

    if (url.pathname.startsWith('/api/')) {
      const presented = url.pathname === '/api/events' ? url.searchParams.get('token') : (req.headers[TOKEN_HEADER] as string | undefined);
      const token = checkToken(presented, cfg);
      if (!token.ok) return refuse(res, token);

      if (url.pathname === '/api/events' && req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
        res.write(': connected\n\n');
        sseClients.add(res);
        req.on('close', () => sseClients.delete(res));
        return;
      }
      const method = url.pathname.slice('/api/'.length);
      if (req.method !== 'POST' || !METHODS.has(method)) return sendError(res, 404, { code: 'not-found', message: `no API method '${method}'` });
      try {
        const text = await readBody(req, maxBody);
        const args = validateArgs(method, text ? JSON.parse(text) : undefined);
        const fn = service[method as keyof Service] as (a: unknown) => Promise<unknown>;
        const result = await fn.call(service, args);
        return send(res, 200, { ok: true, result } satisfies ApiReply);
      } catch (e) {
        if (e instanceof BodyTooLarge) {
          // Answer, then drop the connection rather than read the rest of the body.
          res.setHeader('connection', 'close');
          sendError(res, 413, { code: 'limit', message: e.message });
          res.on('finish', () => req.destroy());
          return;
        }
        const { status, error } = errorResponse(e);
        return sendError(res, status, error);
      }
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, { code: 'not-found', message: 'method not allowed' });
    const file = await readStatic(rendererDir, url.pathname);
    if (!file) return sendError(res, 404, { code: 'not-found', message: 'not found' });
    res.writeHead(200, {
      'content-type': file.type,
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': file.type.startsWith('text/html') ? 'no-store' : 'max-age=3600',
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  cfg.port = port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    async close() {
      unsubscribe();
      for (const c of sseClients) c.end();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
