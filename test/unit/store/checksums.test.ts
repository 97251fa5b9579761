/**
 * Schema 5: a SHA-256 checksum per stored result, and each run checked on its own. The file
 * migrated here was written by Retile at schema 4 (test/fixtures/projects/schema-4.retile, with
 * the `retile runs --json` it listed then). Damage is made in the file's bytes, as a flipped bit
 * on disk would be: a digit of a stored figure changed in place.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { openDatabase, SCHEMA_VERSION, listRuns, loadRunResult, ProjectFileError } from '../../../src-main/store';
import { listRunRows } from '../../../src-main/store/export';
import { createService } from '../../../src-main/service/service';
import { errorResponse } from '../../../src-main/service/errors';
import { paths } from '../../../src-main/service/paths';
import { FIXTURES_DIR, tempDir, thrown } from '../../helpers';
import { retile } from '../cli/cli-helpers';

const FIXTURE = join(FIXTURES_DIR, 'projects/schema-4.retile');
const LISTED_AT_SCHEMA_4 = JSON.parse(readFileSync(join(FIXTURES_DIR, 'projects/schema-4.runs.json'), 'utf8')) as Record<string, unknown>[];
const tmp = tempDir('retile-checksums-');
afterAll(() => tmp.cleanup());

const sha = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

function copyOfFixture(name: string): string {
  const file = join(tmp.dir, name);
  copyFileSync(FIXTURE, file);
  return file;
}

/**
 * Changes one digit of run `runId`'s stored result in the file's bytes: the file is vacuumed first
 * (no stale copies in free pages), then a stretch of the result's text found exactly once in the
 * file gets its first digit replaced (`to` a letter, or the next digit, which keeps the JSON valid).
 */
function damageResult(file: string, runId: number, to: 'digit' | 'letter'): void {
  const raw = new Database(file);
  raw.exec('VACUUM');
  const { body } = raw.prepare("SELECT body FROM run_results WHERE run_id = ? AND name = 'result'").get(runId) as { body: string };
  raw.close();
  const bytes = readFileSync(file);
  for (let i = 0; i + 48 <= body.length; i += 48) {
    const window = body.slice(i, i + 48);
    const first = bytes.indexOf(window);
    if (!/\d/.test(window) || first < 0 || bytes.indexOf(window, first + 1) >= 0) continue;
    const d = first + window.search(/\d/);
    bytes[d] = to === 'letter' ? 0x78 : bytes[d] === 0x39 ? 0x38 : bytes[d]! + 1;
    writeFileSync(file, bytes);
    return;
  }
  throw new Error(`no unique stretch of run ${runId}'s result in ${file}`);
}

describe('migration to schema 5', () => {
  it('a schema-4 file made by Retile migrates: checksums of every result, the same runs listed', () => {
    expect(SCHEMA_VERSION).toBe(5);
    const file = copyOfFixture('migrated.retile');
    const db = openDatabase(file);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(5);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const history = db.prepare('SELECT version FROM schema_history ORDER BY version').all() as { version: number }[];
      expect(history.map((h) => h.version)).toEqual([1, 2, 3, 4, 5]);
      const results = db.prepare('SELECT run_id, body, sha256 FROM run_results ORDER BY run_id').all() as { run_id: number; body: string; sha256: string }[];
      expect(results.map((r) => r.run_id)).toEqual([1, 2]);
      for (const r of results) expect(r.sha256).toBe(sha(Buffer.from(r.body, 'utf8')));
      expect(listRunRows(db)).toEqual(LISTED_AT_SCHEMA_4.map((r) => ({ ...r, damaged: null })));
      // Results stay immutable after the migration lifted and restored the trigger.
      expect(() => db.prepare('UPDATE run_results SET sha256 = NULL').run()).toThrow(/immutable/);
    } finally {
      db.close();
    }
  });

  it('read-only: the schema-4 file is read through an in-memory migration and left byte-identical', () => {
    const file = copyOfFixture('read-only.retile');
    const before = sha(readFileSync(file));
    const db = openDatabase(file, { readonly: true });
    try {
      expect(listRunRows(db)).toEqual(LISTED_AT_SCHEMA_4.map((r) => ({ ...r, damaged: null })));
    } finally {
      db.close();
    }
    expect(sha(readFileSync(file))).toBe(before);
  });
});

describe('a damaged stored result', () => {
  it('is reported for its run only: listed with its figures withheld, refused by show and the app, the others served', async () => {
    const file = copyOfFixture('flipped.retile');
    openDatabase(file).close(); // migrate: checksums written
    // One digit of run 2's stored result changes; the JSON stays valid.
    damageResult(file, 2, 'digit');
    const listed = retile(['runs', file, '--json']);
    expect(listed.status, listed.stderr).toBe(0);
    const rows = JSON.parse(listed.stdout) as { id: number; makespan_s: number | null; damaged: string | null }[];
    expect(rows.map((r) => [r.id, r.damaged])).toEqual([
      [1, null],
      [2, 'the stored result is damaged (its SHA-256 checksum does not match)'],
    ]);
    expect(rows[0]!.makespan_s).toBe(LISTED_AT_SCHEMA_4[0]!.makespan_s);
    expect(rows[1]!.makespan_s).toBeNull();
    expect(retile(['runs', file]).stdout).toMatch(/finished \(damaged\)[\s\S]*run\(s\) 2: the stored result is damaged/);

    const show = retile(['show', file, '--run', '2', '--json']);
    expect(show.status).toBe(2);
    expect(show.stderr.trim().split('\n')).toHaveLength(1);
    expect(show.stderr).toContain(`${file}: the stored result of run 2 is damaged (its SHA-256 checksum does not match); the other runs are not affected: delete run 2 or restore the file from a backup`);
    expect(retile(['show', file, '--run', '1', '--json']).status).toBe(0);

    // The app refuses the damaged run with the same message (HTTP 400) and serves the other.
    const ws = join(tmp.dir, 'ws');
    mkdirSync(ws);
    copyFileSync(file, join(ws, 'flipped.retile'));
    const service = createService({ host: 'browser', workspaceDir: ws, workerUrl: paths.worker, wasmPath: paths.wasm, configDir: join(tmp.dir, 'config') });
    try {
      const e = await service.getRun({ project: 'flipped.retile', runId: 2 }).catch((x: unknown) => x);
      expect(errorResponse(e)).toEqual({ status: 400, error: { code: 'bad-input', message: expect.stringContaining('the stored result of run 2 is damaged (its SHA-256 checksum does not match)') } });
      expect((await service.getRun({ project: 'flipped.retile', runId: 1 })).result?.makespan_s).toBe(LISTED_AT_SCHEMA_4[0]!.makespan_s);
    } finally {
      await service.close();
    }

    const db = openDatabase(file);
    try {
      expect(loadRunResult(db, 1)?.makespan_s).toBe(LISTED_AT_SCHEMA_4[0]!.makespan_s);
      expect(thrown(() => loadRunResult(db, 2))).toBeInstanceOf(ProjectFileError);
      expect(listRuns(db).map((r) => r.status)).toEqual(['finished', 'finished']);
    } finally {
      db.close();
    }
  });

  it('a result already broken before the migration keeps no checksum and is reported as invalid JSON', () => {
    const file = copyOfFixture('broken-before.retile');
    // A digit of run 1's stored result becomes a letter, in the schema-4 file: not JSON any more.
    damageResult(file, 1, 'letter');
    const listed = retile(['runs', file, '--json']);
    expect(listed.status, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { damaged: string | null }[]).map((r) => r.damaged)).toEqual(['the stored result is damaged (it is not valid JSON)', null]);
    const db = openDatabase(file);
    try {
      expect((db.prepare('SELECT sha256 FROM run_results ORDER BY run_id').all() as { sha256: string | null }[]).map((r) => r.sha256 === null)).toEqual([true, false]);
    } finally {
      db.close();
    }
  });
});
