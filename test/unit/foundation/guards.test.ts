import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { checkHost, checkOrigin, checkToken } from '../../../src-main/server/guard';
import { resolveInside } from '../../../src-main/service/static-path';
import { API_METHODS } from '../../../src-main/api/contract';
import { API_SCHEMAS, validateArgs } from '../../../src-main/api/schemas';

const cfg = { port: 4000, token: 'secret-token' };

describe('browser-mode guards', () => {
  it('accepts only this server as Host', () => {
    expect(checkHost('127.0.0.1:4000', cfg).ok).toBe(true);
    expect(checkHost('localhost:4000', cfg).ok).toBe(true);
    for (const h of ['evil.example', '127.0.0.1:4001', 'evil.example:4000', '', undefined]) expect(checkHost(h, cfg).ok, String(h)).toBe(false);
  });
  it('accepts no Origin or this server only', () => {
    expect(checkOrigin(undefined, cfg).ok).toBe(true);
    expect(checkOrigin('http://127.0.0.1:4000', cfg).ok).toBe(true);
    expect(checkOrigin('http://evil.example', cfg).ok).toBe(false);
    expect(checkOrigin('null', cfg).ok).toBe(false);
  });
  it('needs the exact token', () => {
    expect(checkToken('secret-token', cfg).ok).toBe(true);
    for (const t of ['', 'secret-tokeN', 'secret-token ', undefined, null]) expect(checkToken(t, cfg).ok).toBe(false);
  });
});

describe('static path guard (app:// and browser mode)', () => {
  const root = resolve('/srv/renderer');
  it('serves files inside the root', () => {
    expect(resolveInside(root, '/')).toBe(resolve(root, 'index.html'));
    expect(resolveInside(root, '/assets/a.js')).toBe(resolve(root, 'assets/a.js'));
  });
  it('refuses traversal, encoded traversal and NUL bytes', () => {
    for (const p of ['/../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/../../x', '/..%2f..%2fx', '/a%00.js', '/%E0%A4%A']) {
      expect(resolveInside(root, p), p).toBeNull();
    }
  });
});

describe('API argument validation', () => {
  it('has a schema for every method of the contract', () => {
    expect(Object.keys(API_SCHEMAS).sort()).toEqual([...API_METHODS].sort());
  });
  it('names the field and what was expected', () => {
    expect(() => validateArgs('listRuns', { project: '../../etc/passwd' })).toThrow(/listRuns: project: a file name/);
    expect(() => validateArgs('startSweep', { project: 'a.retile', strategy: 'direct', objective: 'makespan', seed: 1, sides: [0] })).toThrow(/sides/);
    expect(() => validateArgs('createProject', { name: 'x', extra: 1 })).toThrow(/invalid arguments for createProject/);
    expect(() => validateArgs('constructor', {})).toThrow(/unknown method/);
    expect(validateArgs('listRuns', { project: 'a.retile' })).toEqual({ project: 'a.retile' });
  });
});
