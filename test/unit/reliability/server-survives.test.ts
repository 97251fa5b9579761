/**
 * The browser-mode server stays up whatever a request or a run's end does to it. Any page on
 * another site can make a browser send a request with a malformed target (an <img> whose src is
 * `http://127.0.0.1:PORT//%25zz`): each must be answered (400) by the real server process, which
 * keeps serving afterwards. A run whose project is locked or deleted when its result is saved is
 * recorded as failed where possible, its result kept in a file, and the host keeps serving.
 */
import { describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { hostFixture, until, type HostProcess } from './host-process';
import { createService } from '../../../src-main/service/service';
import { paths } from '../../../src-main/service/paths';
import type { ApiEvent } from '../../../src-main/api/contract';
import { requestUrl } from '../../../src-main/server/http-server';
import { directRun, serviceCall, tinyProject } from '../../jobs';

const fx = hostFixture('retile-survive-');

/** Sends one raw request line (no client-side URL parsing) and returns the status line, or '' if the socket closed unanswered. */
function rawRequest(port: number, target: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    });
    let data = '';
    socket.on('data', (c) => (data += c));
    socket.on('close', () => resolve(data.split('\r\n')[0] ?? ''));
    socket.on('error', () => resolve(''));
  });
}

// The 17 targets of the attack: the first ten ended the process when `new URL` threw outside any catch.
const TARGETS = [
  '//%', '//[', 'http://[', '//a:99999', '//%zz', '//%25zz', 'http://a:b@[::1', '//[::1', 'http://%', '//a b',
  '/%', '/%zz', '/..%2f..%2fetc/passwd', '*', '/api/%', '/api/events?token=%', '/?%',
];

async function alive(h: HostProcess): Promise<void> {
  expect(h.proc.exitCode).toBeNull();
  expect(((await h.call('appInfo')) as { name: string }).name).toBe('Retile');
}

describe('the server survives hostile requests', () => {
  it('answers every malformed request target and keeps serving', async () => {
    const h = await fx.host(join(fx.dir(), 'ws1'));
    for (const target of TARGETS) {
      const status = await rawRequest(h.port, target);
      expect(status, target).toMatch(/^HTTP\/1\.1 [24]\d\d /);
    }
    await alive(h);
    expect(h.stderr()).not.toMatch(/TypeError|ERR_INVALID_URL/);
  }, 120_000);

  it('parses a request target or returns null, never throws', () => {
    for (const t of TARGETS) expect(() => requestUrl(t)).not.toThrow();
    expect(requestUrl('//%')).toBeNull();
    expect(requestUrl('/api/listProjects')?.pathname).toBe('/api/listProjects');
  });
});

describe('a run whose project goes away at save', () => {
  function service(ws: string) {
    return createService({ host: 'browser', workspaceDir: ws, workerUrl: paths.worker, wasmPath: paths.wasm, configDir: join(ws, '.config') });
  }
  function settled(s: ReturnType<typeof service>, runId: number): Promise<ApiEvent> {
    return new Promise((resolve) => {
      const off = s.onEvent((e) => {
        if ('runId' in e && e.runId === runId && (e.type === 'finished' || e.type === 'failed' || e.type === 'cancelled')) {
          off();
          resolve(e);
        }
      });
    });
  }

  it('deleted: the run fails naming the cause, its result is kept in a file, the host serves the next call', async () => {
    const ws = join(fx.dir(), 'ws2');
    const s = service(ws);
    try {
      const project = await tinyProject(serviceCall(s), 'gone');
      const { runId } = await s.startRun(directRun(project));
      const done = settled(s, runId);
      rmSync(join(ws, 'gone.retile'));
      const e = await done;
      expect(e.type).toBe('failed');
      const kept = join(ws, `gone.run-${runId}.unsaved.json`);
      expect((e as { message: string }).message).toContain(`the result was kept in ${kept}`);
      // The whole result document: the direct placement of lenet5 with its simulated figures.
      expect(JSON.parse(readFileSync(kept, 'utf8')).result).toMatchObject({ strategy: 'direct', tenants: [{ model: 'lenet5' }] });
      expect((await s.listProjects()).map((p) => p.file)).toEqual([]);
    } finally {
      await s.close();
    }
  }, 120_000);

  it('locked: the save waits for the lock and fails with the result kept; the failure is recorded once the lock is gone', async () => {
    const ws = join(fx.dir(), 'ws3');
    const s = service(ws);
    try {
      const project = await tinyProject(serviceCall(s), 'locked');
      const { runId } = await s.startRun(directRun(project));
      const done = settled(s, runId);
      const other = new Database(join(ws, 'locked.retile'));
      other.exec('BEGIN EXCLUSIVE');
      const e = await done;
      other.exec('ROLLBACK');
      other.close();
      expect(e.type).toBe('failed');
      expect((e as { message: string }).message).toMatch(/saving the results failed: .*(locked|busy)/i);
      expect(readdirSync(ws).filter((f) => f.endsWith('.unsaved.json'))).toEqual([`locked.run-${runId}.unsaved.json`]);
      await until(
        () => s.listRuns({ project: 'locked.retile' }),
        (runs) => runs[0]?.status === 'failed',
      );
    } finally {
      await s.close();
    }
  }, 120_000);
});
