/**
 * `retile runs`, `show` and `export` only read: a project on read-only media (here a folder and
 * file without write permission, read by an unprivileged user: root ignores permissions) lists
 * and shows the same figures as a writable copy, and the file stays byte-identical with no
 * `-wal`/`-shm` sidecar created. The command that writes (`retile run`) is refused with the
 * one-line, file-naming, exit-2 error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { CLI, tempDir } from '../../helpers';
import { retile, writeSpec, type CliResult } from './cli-helpers';

/** The CLI as a user who cannot write the read-only copy (nobody when the tests run as root). */
function retileReader(args: string[]): CliResult {
  const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', ...asNobody, env: { ...process.env, HOME: '/tmp' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

const tmp = tempDir('retile-cli-readonly-');
let writable: string;
let archived: string;
let archiveDir: string;

beforeAll(() => {
  chmodSync(tmp.dir, 0o755);
  const spec = writeSpec(tmp.dir);
  writable = join(tmp.dir, 'study.retile');
  const r = retile(['sweep', spec, '--mesh', '4x4', '--strategy', 'direct', '--workers', '1', '--out', writable, '--json']);
  expect(r.status, r.stderr).toBe(0);
  archiveDir = join(tmp.dir, 'archive');
  mkdirSync(archiveDir);
  archived = join(archiveDir, 'study.retile');
  copyFileSync(writable, archived);
  chmodSync(archived, 0o444);
  chmodSync(archiveDir, 0o555);
});
afterAll(() => {
  chmodSync(archiveDir, 0o755);
  tmp.cleanup();
});

describe('read-only projects', () => {
  it('runs, show and export read a project in a read-only folder; the file is untouched', () => {
    const before = sha(archived);
    for (const args of [['runs', '--json'], ['show', '--run', '1', '--json'], ['export', '--run', '1', '--format', 'json']]) {
      const [cmd, ...rest] = args;
      const ro = retileReader([cmd!, archived, ...rest]);
      expect(ro.status, ro.stderr).toBe(0);
      const rw = retile([cmd!, writable, ...rest]);
      expect(JSON.parse(ro.stdout), cmd).toEqual(JSON.parse(rw.stdout));
    }
    expect(retileReader(['runs', archived]).stdout).toMatch(/direct/);
    expect(sha(archived)).toBe(before);
    expect(readdirSync(archiveDir)).toEqual(['study.retile']);
  });

  it('a command that writes is refused in one line naming the file (exit 2)', () => {
    const r = retileReader(['run', archived]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(archived);
    expect(r.stderr).toMatch(/read-only/);
  });
});
