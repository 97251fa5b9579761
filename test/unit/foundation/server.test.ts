/**
 * The browser-mode host end to end in Node: the real HTTP server, service, worker thread, Wasm
 * module and SQLite store. Guards are checked with raw requests (no browser can fake Host).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../../src-main/api/contract';
import { browserHost, type BrowserHost } from '../../browser-host';
import { collaborativeRun, directRun, longProject, tinyProject, type ApiCall } from '../../jobs';

let host: BrowserHost;
const raw: BrowserHost['raw'] = (path, init) => host.raw(path, init);
const call = (method: string, args?: unknown) => host.reply(method, args);
/** The HTTP API as an ApiCall (a refusal throws its message). */
const http: ApiCall = (method, args) => host.call(method, args);

function nextEvent(pred: (e: ApiEvent) => boolean): Promise<ApiEvent> {
  return new Promise((resolve) => {
    const off = host.service.onEvent((e) => {
      if (pred(e)) {
        off();
        resolve(e);
      }
    });
  });
}

beforeAll(async () => {
  host = await browserHost();
});

afterAll(() => host.close());

describe('browser-mode server', () => {
  it('binds 127.0.0.1 only', () => {
    expect(host.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('refuses API calls without the token, with a foreign Host, or from a foreign Origin', async () => {
    expect((await raw('/api/appInfo')).status).toBe(401);
    expect((await raw('/api/appInfo', { headers: { 'x-retile-token': 'wrong' } })).status).toBe(401);
    expect((await raw('/api/appInfo', { headers: { 'x-retile-token': host.token, host: 'evil.example' } })).status).toBe(421);
    expect((await raw('/', { method: 'GET', headers: { host: 'evil.example' } })).status).toBe(421);
    expect((await raw('/api/appInfo', { headers: { 'x-retile-token': host.token, origin: 'http://evil.example' } })).status).toBe(403);
    expect((await raw('/api/events', { method: 'GET' })).status).toBe(401);
  });

  it('serves the UI with a strict CSP and refuses traversal', async () => {
    const index = await raw('/', { method: 'GET' });
    expect(index.status).toBe(200);
    expect(index.body).toContain('<div id="app">');
    expect((await raw('/%2e%2e/%2e%2e/package.json', { method: 'GET' })).status).toBe(404);
  });

  it('answers appInfo with the Wasm ABI the worker loaded', async () => {
    const r = await call('appInfo');
    expect(r.ok).toBe(true);
    expect(r.result).toMatchObject({ name: 'Retile', host: 'browser' });
    expect((r.result as { wasmAbi: number }).wasmAbi).toBeGreaterThan(0);
  });

  it('rejects bad arguments with a structured error naming the field', async () => {
    const r = await call('listRuns', { project: '../secret.retile' });
    expect(r.ok).toBe(false);
    expect(r.error).toMatchObject({ code: 'bad-input', field: 'project' });
    expect((r.error as { message: string }).message).toMatch(/inside the workspace/);
    const unknown = await call('noSuchMethod');
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('round-trips API -> worker -> Wasm -> store with progress events', async () => {
    const project = await tinyProject(http, 'roundtrip');
    const progress: number[] = [];
    const off = host.service.onEvent((e) => e.type === 'progress' && progress.push(e.fraction));
    const done = nextEvent((e) => e.type === 'finished' || e.type === 'failed');
    const started = await call('startRun', directRun(project));
    expect(started.ok).toBe(true);
    const end = await done;
    off();
    expect(end.type).toBe('finished');
    // The engine's stages, then the save's slice: never a full bar before the run is stored.
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.at(-1)).toBeGreaterThan(0.9);
    expect(progress.at(-1)).toBeLessThan(1);
    const runs = (await http('listRuns', { project })) as { id: number; status: string; headline: number }[];
    expect(runs[0]).toMatchObject({ status: 'finished', strategy: 'direct' });
    // The listed headline is the stored document's simulated makespan.
    const detail = (await http('getRun', { project, runId: runs[0]!.id })) as { result: { makespan_s: number } };
    expect(runs[0]!.headline).toBe(detail.result.makespan_s);
    expect(detail.result.makespan_s).toBeGreaterThan(0);
  });

  it('cancels a running job before it finishes and records it', async () => {
    const project = await longProject(http, 'cancel');
    const started = (await call('startRun', collaborativeRun(project))).result as { jobId: string };
    await nextEvent((e) => e.type === 'progress');
    const cancelled = nextEvent((e) => e.type === 'cancelled');
    expect((await call('cancelJob', { jobId: started.jobId })).result).toEqual({ cancelled: true });
    // The run takes seconds; the cancel ends it at the next work unit the engine reaches.
    await cancelled;
    const runs = (await call('listRuns', { project })).result as { status: string }[];
    expect(runs[0].status).toBe('cancelled');
  });
});
