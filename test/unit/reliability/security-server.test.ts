/**
 * Browser mode's attack surface, with raw HTTP requests against the real server (a browser
 * cannot forge Host, so these are what a rebinding page or another local user could send):
 * DNS-rebinding Host variants, foreign and look-alike Origins, the token (header for calls,
 * query for the event stream only), no CORS grant, oversized bodies, the 127.0.0.1 bind, and
 * imported file names that never become paths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { readdirSync, readFileSync } from 'node:fs';
import type { RunningServer } from '../../../src-main/server/http-server';
import { browserHost, type BrowserHost, type RawRequest } from '../../browser-host';
import { ONNX_DIR } from '../../helpers';
import { dirname, join } from 'node:path';

let host: BrowserHost;
let server: RunningServer;
/** A second server over the same service with a 2 KiB body limit. */
let small: RunningServer;
let token: string;
const raw = (srv: RunningServer, path: string, init?: RawRequest) => host.raw(path, init, srv);
const authed = (extra: Record<string, string> = {}) => host.authed(extra);

beforeAll(async () => {
  host = await browserHost({ prefix: 'retile-sec-' });
  ({ server, token } = host);
  small = await host.extraServer({ maxBodyBytes: 2048 });
}, 120_000);

afterAll(() => host.close());

describe('Host header (DNS rebinding)', () => {
  it('only 127.0.0.1:<port> and localhost:<port> are accepted', async () => {
    const p = server.port;
    for (const hostHeader of [`127.0.0.1:${p}`, `localhost:${p}`, `LOCALHOST:${p}`]) {
      expect((await raw(server, '/api/appInfo', { headers: authed({ host: hostHeader }) })).status, hostHeader).toBe(200);
    }
    const foreign = [
      `evil.example:${p}`,
      `localhost.evil.example:${p}`,
      `127.0.0.1.nip.io:${p}`,
      `127.0.0.1:${p}.evil.example`,
      `localhost.:${p}`,
      `127.0.0.1`,
      `localhost`,
      `127.0.0.1:${p + 1}`,
      `[::1]:${p}`,
      `0.0.0.0:${p}`,
      `127.1:${p}`,
      `2130706433:${p}`,
      `user@127.0.0.1:${p}`,
    ];
    for (const hostHeader of foreign) {
      const r = await raw(server, '/api/appInfo', { headers: authed({ host: hostHeader }) });
      expect(r.status, hostHeader).toBe(421);
      // Static files too: a rebinding page must not read the UI either.
      expect((await raw(server, '/', { method: 'GET', headers: { host: hostHeader } })).status, hostHeader).toBe(421);
    }
  });
});

describe('Origin header', () => {
  it('refuses foreign, look-alike and opaque origins, even with the token', async () => {
    const p = server.port;
    for (const origin of ['http://evil.example', 'null', `https://127.0.0.1:${p}`, `http://127.0.0.1:${p + 1}`, `http://localhost:${p}.evil.example`, `http://127.0.0.1:${p}/`, 'file://', `app://retile`]) {
      expect((await raw(server, '/api/appInfo', { headers: authed({ origin }) })).status, origin).toBe(403);
    }
    expect((await raw(server, '/api/appInfo', { headers: authed({ origin: `http://127.0.0.1:${p}` }) })).status).toBe(200);
  });

  it('never grants CORS', async () => {
    const r = await raw(server, '/api/appInfo', { headers: authed({ origin: `http://127.0.0.1:${server.port}` }) });
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    const pre = await raw(server, '/api/appInfo', { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(403);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('token', () => {
  it('API calls need the header; a token in the query string does not count for them', async () => {
    expect((await raw(server, '/api/appInfo')).status).toBe(401);
    expect((await raw(server, `/api/appInfo?token=${token}`)).status).toBe(401);
    expect((await raw(server, '/api/appInfo', { headers: { 'x-retile-token': token.slice(0, -1) } })).status).toBe(401);
    expect((await raw(server, '/api/appInfo', { headers: { 'x-retile-token': `${token}x` } })).status).toBe(401);
    expect((await raw(server, '/api/appInfo', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it('the event stream needs the token in its query string', async () => {
    expect((await raw(server, '/api/events', { method: 'GET' })).status).toBe(401);
    expect((await raw(server, '/api/events?token=wrong', { method: 'GET' })).status).toBe(401);
    expect((await raw(server, '/api/events', { method: 'GET', headers: { 'x-retile-token': token } })).status).toBe(401);
    const ok = await raw(server, `/api/events?token=${encodeURIComponent(token)}`, { method: 'GET' });
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('text/event-stream');
  });

  it('refusals say why without echoing the token', async () => {
    const r = await raw(server, '/api/appInfo', { headers: { 'x-retile-token': 'guess' } });
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'refused', message: 'missing or wrong token' } });
  });
});

describe('request bodies', () => {
  it('an oversized body is refused and the server keeps serving', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(10_000) });
    const r = await raw(small, '/api/createProject', { headers: authed(), body: big }).catch((e: Error) => ({ status: -1, body: e.message, headers: {} }));
    // 413 with a message (or, if the client was still sending, a closed connection): never a 200, never a crash.
    if (r.status !== -1) {
      expect(r.status).toBe(413);
      expect(JSON.parse(r.body).error).toMatchObject({ code: 'limit', message: expect.stringMatching(/larger than the limit/) });
    }
    expect((await raw(small, '/api/appInfo', { headers: authed() })).status).toBe(200);
    expect(readdirSync(host.workspace).filter((f) => f.endsWith('.retile'))).toEqual([]);
  });

  it('malformed JSON and wrong argument types are 400 with a message', async () => {
    const bad = await raw(server, '/api/createProject', { headers: authed(), body: '{"name": ' });
    expect(bad.status).toBe(400);
    const wrong = await raw(server, '/api/createProject', { headers: authed(), body: JSON.stringify({ name: 42 }) });
    expect(wrong.status).toBe(400);
    expect(JSON.parse(wrong.body).error).toMatchObject({ code: 'bad-input', field: 'name' });
    const proto = await raw(server, '/api/createProject', { headers: authed(), body: '{"__proto__": {"polluted": 1}, "name": "p"}' });
    expect(proto.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('only POST reaches the API; unknown and inherited method names are 404', async () => {
    expect((await raw(server, '/api/appInfo', { method: 'GET', headers: authed() })).status).toBe(404);
    for (const m of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'close', 'onEvent']) {
      expect((await raw(server, `/api/${m}`, { headers: authed() })).status, m).toBe(404);
    }
  });
});

describe('bind address', () => {
  it('listens on 127.0.0.1 only: other local addresses refuse the connection', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a): a is NonNullable<typeof a> => !!a && !a.internal && a.family === 'IPv4')
      .map((a) => a.address);
    for (const address of [...others, '::1']) {
      const refused = await new Promise<boolean>((resolve) => {
        const s = connect({ host: address, port: server.port });
        s.once('connect', () => {
          s.destroy();
          resolve(false);
        });
        s.once('error', () => resolve(true));
      });
      expect(refused, address).toBe(true);
    }
  });
});

describe('imported file names', () => {
  it('are labels only: a traversal name creates no file outside the workspace', async () => {
    const ws = host.workspace;
    const before = readdirSync(dirname(ws)).sort();
    expect((await raw(server, '/api/createProject', { headers: authed(), body: JSON.stringify({ name: 'names' }) })).status).toBe(200);
    const data = readFileSync(join(ONNX_DIR, 'pt_alexnet.onnx')).toString('base64');
    for (const fileName of ['../../../../tmp/escape.onnx', '/etc/cron.d/x.onnx', '$(touch pwned).onnx', 'a;rm -rf ~.onnx', '..\\..\\win.onnx']) {
      const r = await raw(server, '/api/importOnnx', { headers: authed(), body: JSON.stringify({ project: 'names.retile', fileName, dataBase64: data }) });
      expect(r.status, `${fileName}: ${r.body.slice(0, 200)}`).toBe(200);
    }
    expect(readdirSync(dirname(ws)).sort()).toEqual(before);
    expect(readdirSync(ws).sort()).toEqual(['names.retile', ...readdirSync(ws).filter((f) => f !== 'names.retile')].sort());
    expect(readdirSync(ws).filter((f) => !/^names\.retile(-wal|-shm)?$/.test(f) && !f.startsWith('.'))).toEqual([]);
  }, 120_000);
});
