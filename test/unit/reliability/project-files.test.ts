/**
 * Project files and files that only look like them: another application's SQLite database is
 * identified by its tables and refused before anything is written (no WAL switch, no sidecars,
 * same bytes), whatever its user_version; every saved run is checkpointed into the main file, so
 * losing the `-wal` sidecar after a crash loses no finished run.
 */
import { describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createRun, finishRun, listRuns, openDatabase, ProjectFileError, SCHEMA_VERSION } from '../../../src-main/store';
import { tempDir } from '../../helpers';

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

describe('foreign SQLite files', () => {
  it.each([1, 2, 3, 4, 5, 6, 7])('a database of another application at user_version %i is refused and left byte-identical, without sidecars', (version) => {
    const tmp = tempDir('retile-foreign-');
    try {
      const file = join(tmp.dir, `other-${version}.retile`);
      const other = new Database(file);
      other.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES (\'keep me\')');
      other.pragma(`user_version = ${version}`);
      other.close();
      const before = sha(file);
      let err: unknown;
      try {
        openDatabase(file).close();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ProjectFileError);
      // Versions above this Retile's schema are refused as "newer" first; either way before any write.
      const expected = version > SCHEMA_VERSION ? /newer than this Retile/ : new RegExp(`not a Retile project file \\(an SQLite database at user_version ${version} without the tables project_meta, runs`);
      expect((err as Error).message).toMatch(expected);
      expect(sha(file)).toBe(before);
      expect(existsSync(`${file}-wal`) || existsSync(`${file}-shm`) || existsSync(`${file}-journal`)).toBe(false);
      const check = new Database(file, { readonly: true });
      expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
      check.close();
    } finally {
      tmp.cleanup();
    }
  });
});

describe('checkpoint after each saved run', () => {
  it('finished runs are in the main file: a copy without the -wal sidecar still has them', () => {
    const tmp = tempDir('retile-ckpt-');
    try {
      const file = join(tmp.dir, 'p.retile');
      const db = openDatabase(file, { create: true });
      for (let i = 0; i < 3; i++) {
        const id = createRun(db, { kind: 'sweep', settings: { i }, version: 'test' });
        finishRun(db, id, i, { sweep: { i } });
      }
      // The connection stays open (a host mid-sweep); copy the main file alone, as if the -wal were lost.
      const copy = join(tmp.dir, 'copy.retile');
      copyFileSync(file, copy);
      db.close();
      const reopened = openDatabase(copy);
      expect(listRuns(reopened).map((r) => [r.status, r.headline])).toEqual([
        ['finished', 0],
        ['finished', 1],
        ['finished', 2],
      ]);
      reopened.close();
    } finally {
      tmp.cleanup();
    }
  });
});
