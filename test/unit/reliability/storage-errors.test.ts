/**
 * SQLite and file-system failures on real files end in one line that names the file and says
 * what to do: exit status 2 from the CLI, a 400 message from the app's service. A damaged
 * page (SQLITE_CORRUPT), a lock held past the busy timeout (SQLITE_BUSY), a full database
 * (SQLITE_FULL, through SQLite's own page limit), a read-only file (SQLITE_READONLY), a folder
 * named as the project (EISDIR), a file without read permission (EACCES), output to a full device.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, statSync, writeSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRun, finishRun, listRuns, openDatabase, ProjectFileError, SCHEMA_VERSION, Workspace } from '../../../src-main/store';
import { errorResponse } from '../../../src-main/service/errors';
import { createService } from '../../../src-main/service/service';
import { paths } from '../../../src-main/service/paths';
import { CLI, tempDir, thrown } from '../../helpers';
import { retile } from '../cli/cli-helpers';

const tmp = tempDir('retile-storage-errors-');
let good: string;

/** A project with three finished sweep runs, written by the store. */
function project(file: string): string {
  const db = openDatabase(file, { create: true });
  for (let i = 1; i <= 3; i++) {
    const id = createRun(db, { kind: 'sweep', settings: { i }, version: 'test' });
    finishRun(db, id, i, { sweep: [{ speedup_vs_direct: i, note: 'x'.repeat(3000) }] });
  }
  db.close();
  return file;
}

/** One line on stderr naming the file, exit status 2. */
function expectOneLine(r: { status: number | null; stderr: string }, file: string, what: RegExp): void {
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stderr).toContain(file);
  expect(r.stderr).toMatch(what);
}

beforeAll(() => {
  chmodSync(tmp.dir, 0o755);
  good = project(join(tmp.dir, 'good.retile'));
});
afterAll(() => tmp.cleanup());

describe('SQLite failures', () => {
  it('a damaged page: runs is refused naming the file, "damaged" (SQLITE_CORRUPT)', () => {
    const bad = join(tmp.dir, 'corrupt.retile');
    copyFileSync(good, bad);
    // Keep page 1 (header and schema), overwrite every later page: the tables' b-trees are garbage.
    const page = readFileSync(bad).readUInt16BE(16);
    const fd = openSync(bad, 'r+');
    writeSync(fd, Buffer.alloc(statSync(bad).size - page, 0xa5), 0, undefined, page);
    closeSync(fd);
    const r = retile(['runs', bad, '--json']);
    expectOneLine(r, bad, /damaged: SQLite reports the database image is malformed; restore the file from a backup.*\(SQLITE_(CORRUPT|NOTADB)\w*\)/);
    expect(r.stdout).toBe('');
  });

  it('a lock held past the busy timeout: busy (SQLITE_BUSY)', () => {
    const file = project(join(tmp.dir, 'locked.retile'));
    const a = openDatabase(file);
    const b = openDatabase(file, { busyTimeoutMs: 20 });
    a.exec('BEGIN IMMEDIATE');
    try {
      const e = thrown(() => createRun(b, { kind: 'sweep', settings: {}, version: 'test' }));
      expect(e).toBeInstanceOf(ProjectFileError);
      expect((e as Error).message).toBe(`${file}: busy: another Retile process (the app or the CLI) is writing to this project; try again when it has finished`);
      expect(errorResponse(e).status).toBe(400);
    } finally {
      a.exec('ROLLBACK');
      a.close();
      b.close();
    }
  });

  it('a full database: disk full, and the failed write changed nothing (SQLITE_FULL)', () => {
    const file = project(join(tmp.dir, 'full.retile'));
    const db = openDatabase(file);
    try {
      // SQLite's own limit on the file's pages: the next page it needs fails as a full disk does.
      db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
      const id = createRun(db, { kind: 'sweep', settings: {}, version: 'test' });
      const e = thrown(() => finishRun(db, id, 4, { sweep: { blob: 'y'.repeat(200_000) } }));
      expect((e as Error).message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: disk full: there is no space left to write the project; free some space and run again \\(the failed write changed nothing\\) \\(SQLITE_FULL\\)$`));
      expect(errorResponse(e).status).toBe(400);
      expect(listRuns(db).map((r) => r.status)).toEqual(['finished', 'finished', 'finished', 'running']);
    } finally {
      db.close();
    }
  });
});

describe('file-system failures', () => {
  it('a folder named as the project (EISDIR)', () => {
    const dir = join(tmp.dir, 'folder.retile');
    mkdirSync(dir);
    expectOneLine(retile(['runs', dir]), dir, /is a folder, not a file; name a file \(EISDIR\)/);
  });

  it('a file the user may not read (EACCES), and one in a read-only folder refused for writing (SQLITE_READONLY)', () => {
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const run = (args: string[]) => {
      const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', ...asNobody, env: { ...process.env, HOME: '/tmp' } });
      return { status: r.status, stderr: r.stderr };
    };
    const secret = project(join(tmp.dir, 'secret.retile'));
    chmodSync(secret, 0o000);
    expectOneLine(run(['runs', secret]), secret, /permission denied; check the permissions of the file and its folder \(EACCES\)/);

    const dir = join(tmp.dir, 'ro');
    mkdirSync(dir);
    const archived = project(join(dir, 'archived.retile'));
    chmodSync(archived, 0o444);
    chmodSync(dir, 0o555);
    try {
      expectOneLine(run(['run', archived]), archived, /read-only: Retile cannot write this file or its folder.*`retile runs`, `show` and `export` still read it.*\(SQLITE_READONLY\w*\)/);
    } finally {
      chmodSync(dir, 0o755);
    }
  });

  it('output to a full device (ENOSPC) is one line, exit 2', () => {
    const out = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [CLI, 'runs', good, '--json'], { encoding: 'utf8', stdio: ['ignore', out, 'pipe'] });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/disk full: no space left on the device; free some space and try again \(ENOSPC\)/);
    } finally {
      closeSync(out);
    }
  });
});

describe('the app', () => {
  it('a damaged project is listed with its problem and refused with a 400 message; the others still open', async () => {
    const ws = join(tmp.dir, 'ws');
    mkdirSync(ws);
    copyFileSync(good, join(ws, 'fine.retile'));
    copyFileSync(join(tmp.dir, 'corrupt.retile'), join(ws, 'broken.retile'));
    const service = createService({ host: 'browser', workspaceDir: ws, workerUrl: paths.worker, wasmPath: paths.wasm, configDir: join(tmp.dir, 'config') });
    try {
      const list = await service.listProjects();
      const fine = list.find((p) => p.file === 'fine.retile')!;
      expect([fine.schemaVersion, fine.error]).toEqual([SCHEMA_VERSION, undefined]);
      expect(list.find((p) => p.file === 'broken.retile')?.error).toMatch(/broken\.retile: damaged: SQLite reports the database image is malformed/);
      const e = await service.listRuns({ project: 'broken.retile' }).catch((x: unknown) => x);
      expect(errorResponse(e)).toEqual({ status: 400, error: { code: 'bad-input', message: expect.stringMatching(/broken\.retile: damaged: SQLite reports the database image is malformed/) } });
      expect((await service.listRuns({ project: 'fine.retile' })).length).toBe(3);
    } finally {
      await service.close();
    }
    expect(new Workspace(ws).list().map((p) => p.file)).toEqual(['broken.retile', 'fine.retile']);
  });
});
