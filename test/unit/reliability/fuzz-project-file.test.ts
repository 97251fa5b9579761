/**
 * Random bytes and damaged real project files opened through the store: opening either works or
 * throws ProjectFileError (a one-line message naming the file); reading a damaged file that did
 * open gives data or an Error, never a process crash (better-sqlite3 is native code: a crash
 * would take the test worker down and fail the run). The workspace lists garbage files instead of
 * failing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { openDatabase, ProjectFileError, Workspace, createRun, finishRun, setChip, addTenant, listRuns, listTenants, getChip, getRunResults } from '../../../src-main/store';
import { tempDir } from '../../helpers';
import { FUZZ_TEST_TIMEOUT_MS, fuzz, Outcomes } from './fuzz-harness';

let tmp: ReturnType<typeof tempDir>;
let seedBytes: Uint8Array;
const SQLITE_MAGIC = new TextEncoder().encode('SQLite format 3\0');

beforeAll(() => {
  tmp = tempDir('retile-fuzz-project-');
  const ws = new Workspace(join(tmp.dir, 'ws'));
  ws.create('seed', (db) => {
    setChip(db, { preset: 'isaac', spec: { name: 'isaac', topology: { rows: 4, cols: 4 } } });
    addTenant(db, { name: 'lenet5', source: 'zoo', model: 'lenet5', batch: 2 });
  });
  ws.with('seed.retile', (db) => {
    for (let i = 0; i < 3; i++) {
      const id = createRun(db, { kind: 'deploy', strategy: 'direct', seed: i, settings: { i }, inputs: { chip: 'isaac' }, version: 'test' });
      finishRun(db, id, 0.001 * (i + 1), { result: { makespan_s: 0.001 * (i + 1), padding: 'x'.repeat(3000) } });
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
  });
  seedBytes = new Uint8Array(readFileSync(join(tmp.dir, 'ws', 'seed.retile')));
});
afterAll(() => tmp.cleanup());

let n = 0;
function writeCase(bytes: Uint8Array): string {
  const file = join(tmp.dir, `case-${n++}.retile`);
  writeFileSync(file, bytes);
  return file;
}

/**
 * Opens and reads everything; returns the outcome's name. `oneLine`: also require one-line
 * messages (false in the suite until ProjectFileError escapes SQLite's text, see the skipped test).
 */
function openAndRead(file: string, oneLine = false): string {
  let db;
  try {
    db = openDatabase(file);
  } catch (e) {
    // Opening fails only with ProjectFileError naming the file.
    expect(e).toBeInstanceOf(ProjectFileError);
    expect((e as Error).message.startsWith(file)).toBe(true);
    if (oneLine) expect((e as Error).message).not.toMatch(/[\n\r]/);
    return 'ProjectFileError';
  }
  try {
    listTenants(db);
    getChip(db);
    for (const r of listRuns(db)) getRunResults(db, r.id);
    return 'read';
  } catch (e) {
    // A file damaged past its header opens and then fails on read: an Error with a message.
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).message.length).toBeGreaterThan(0);
    return `read-error:${(e as Error).name}`;
  } finally {
    db.close();
  }
}

describe('fuzz: project files', () => {
  it(
    'random bytes never open as a project: ProjectFileError, never a crash',
    () => {
      const outcomes = new Outcomes();
      fuzz(
        'project-random-bytes',
        outcomes,
        fc.property(fc.uint8Array({ maxLength: 8192 }), fc.boolean(), (body, magic) => {
          const bytes = magic ? new Uint8Array([...SQLITE_MAGIC, ...body]) : body;
          const outcome = openAndRead(writeCase(bytes));
          outcomes.add(outcome);
          // SQLite treats a file shorter than its 100-byte header as a new, empty database, so the store
          // migrates it into a project (see the skipped test below); anything longer must be refused.
          if (bytes.length >= 100) expect(outcome).toBe('ProjectFileError');
        }),
        20260809,
        300,
      );
      expect(outcomes.counts.ProjectFileError ?? 0).toBeGreaterThan(0);
    },
    FUZZ_TEST_TIMEOUT_MS,
  );

  it(
    'damaged real project files open with ProjectFileError or read as data or an Error',
    () => {
      const outcomes = new Outcomes();
      fuzz(
        'project-damaged',
        outcomes,
        fc.property(
          fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 16 }),
          (cut, flips) => {
            const bytes = new Uint8Array(seedBytes.subarray(0, cut === undefined ? seedBytes.length : Math.floor(cut * seedBytes.length)));
            for (const [pos, val] of flips) if (bytes.length) bytes[pos % bytes.length] = val;
            outcomes.add(openAndRead(writeCase(bytes)));
          },
        ),
        20260810,
        300,
      );
      expect(Object.keys(outcomes.counts).length).toBeGreaterThan(1);
    },
    FUZZ_TEST_TIMEOUT_MS,
  );

  // Skipped until store/database.ts refuses what is not a Retile project (described in docs/reliability.md,
  // "Known gaps"): today a tiny file or an unrelated SQLite database opened by path is migrated in place.
  it('a file that is not a Retile project is refused, never migrated in place', () => {
    const tiny = writeCase(new Uint8Array([0]));
    expect(() => openDatabase(tiny)).toThrow(ProjectFileError);
    expect(readFileSync(tiny).length).toBe(1);
    const other = join(tmp.dir, 'other.sqlite');
    const db = openDatabase(other, { create: true });
    db.exec('DROP TABLE project_meta');
    db.pragma('user_version = 0');
    db.close();
    expect(() => openDatabase(other)).toThrow(/not a Retile project/);
  });

  // Skipped until ProjectFileError escapes control characters (store/database.ts; docs/reliability.md
  // "Known gaps"): SQLite's "malformed database schema" message quotes the damaged schema text,
  // newlines and any bytes the file holds included, into the one-line error.
  it('ProjectFileError messages are one line even when SQLite quotes the damaged file', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 16 }), (flips) => {
        const bytes = new Uint8Array(seedBytes);
        for (const [pos, val] of flips) bytes[pos % bytes.length] = val;
        openAndRead(writeCase(bytes), true);
      }),
      { seed: 378755376, numRuns: 500 },
    );
  });

  it('a workspace lists garbage project files instead of failing', () => {
    const ws = new Workspace(join(tmp.dir, 'garbage-ws'));
    writeFileSync(join(ws.dir, 'junk.retile'), 'not a database at all');
    writeFileSync(join(ws.dir, 'half.retile'), seedBytes.subarray(0, 1000));
    const listed = ws.list();
    expect(listed.map((p) => p.file).sort()).toEqual(['half.retile', 'junk.retile']);
    for (const p of listed) expect(p.schemaVersion).toBe(-1);
  });
});
