import { afterEach, describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { MIGRATIONS, SCHEMA_VERSION, Workspace, createRun, finishRun, getRun, getRunResults, listRuns, markInterrupted, openDatabase } from '../../../src-main/store';
import { tempDir } from '../../helpers';

let tmp: ReturnType<typeof tempDir>;
afterEach(() => tmp?.cleanup());

describe('project store', () => {
  it('creates a project file with WAL, foreign keys and the current schema', () => {
    tmp = tempDir();
    const ws = new Workspace(tmp.dir);
    const p = ws.create('My Study');
    expect(p.file).toBe('My-Study.retile');
    expect(p.schemaVersion).toBe(SCHEMA_VERSION);
    ws.with(p.file, (db) => {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      const history = db.prepare('SELECT version FROM schema_history ORDER BY version').all() as { version: number }[];
      expect(history.map((h) => h.version)).toEqual(MIGRATIONS.map((m) => m.to));
    });
  });

  it('migrates a file made by schema version 1 forward, keeping its runs', () => {
    tmp = tempDir();
    const file = join(tmp.dir, 'old.retile');
    // Build a version-1 file by hand, exactly as the first release wrote it.
    const raw = new BetterSqlite3(file);
    MIGRATIONS[0].up(raw);
    raw.prepare("INSERT INTO runs (kind, status, settings, created_at) VALUES ('sweep', 'finished', '{}', '2026-01-01T00:00:00Z')").run();
    raw.pragma('user_version = 1');
    raw.close();
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const runs = listRuns(db);
    expect(runs).toHaveLength(1);
    expect(runs[0].retileVersion).toBe('0.0.0');
    db.close();
  });

  it('refuses a file from a newer Retile and a file that is not a project', () => {
    tmp = tempDir();
    const newer = join(tmp.dir, 'newer.retile');
    const raw = new BetterSqlite3(newer);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openDatabase(newer)).toThrow(/newer than this Retile/);
    expect(() => openDatabase(join(tmp.dir, 'missing.retile'))).toThrow(/cannot open project file/);
  });

  it('keeps finished runs immutable and rolls back a failed write', () => {
    tmp = tempDir();
    const ws = new Workspace(tmp.dir);
    const { file } = ws.create('immutable');
    ws.with(file, (db) => {
      const id = createRun(db, { kind: 'sweep', settings: { n: 3 }, version: 'test' });
      finishRun(db, id, 6, { sweep: [{ speedup_vs_direct: 6 }] });
      expect(() => db.prepare("UPDATE runs SET headline = 7 WHERE id = ?").run(id)).toThrow(/immutable/);
      expect(() => db.prepare("INSERT INTO run_results (run_id, name, body) VALUES (?, 'x', '{}')").run(id)).toThrow(/running run/);
      // A transaction that fails half-way leaves nothing behind.
      const id2 = createRun(db, { kind: 'sweep', settings: {}, version: 'test' });
      expect(() => finishRun(db, id2, 1, { a: 1, b: BigInt(1) as unknown })).toThrow();
      expect(getRun(db, id2)?.status).toBe('running');
      expect(getRunResults(db, id2)).toEqual({});
      expect(getRunResults(db, id)).toEqual({ sweep: [{ speedup_vs_direct: 6 }] });
    });
  });

  it('lets a second connection read committed runs while the first is open', () => {
    tmp = tempDir();
    const ws = new Workspace(tmp.dir);
    const { file } = ws.create('two');
    const a = ws.open(file);
    const b = ws.open(file);
    const id = createRun(a, { kind: 'sweep', settings: {}, version: 'test' });
    expect(getRun(b, id)?.status).toBe('running');
    // This process is alive: its run is left alone.
    expect(markInterrupted(b)).toBe(0);
    // A run owned by a process that has exited is marked interrupted.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const orphan = createRun(a, { kind: 'sweep', settings: {}, version: 'test' });
    a.prepare('UPDATE runs SET owner = ? WHERE id = ?').run(`${hostname()}:${dead}`, orphan);
    expect(markInterrupted(b)).toBe(1);
    expect(getRun(a, orphan)?.status).toBe('interrupted');
    expect(getRun(a, id)?.status).toBe('running');
    a.close();
    b.close();
  });

  it('addresses projects by plain file name only', () => {
    tmp = tempDir();
    const ws = new Workspace(tmp.dir);
    for (const bad of ['../x.retile', '/etc/passwd', 'a/b.retile', 'x.db', '.retile']) {
      expect(() => ws.path(bad), bad).toThrow(/project file name/);
    }
  });
});
