/**
 * Opening a project file: better-sqlite3 with WAL, foreign keys and a busy timeout, migrated
 * forward to the current schema. Under Electron the host passes an Electron-ABI binary through
 * `nativeBinding` (see `npm run rebuild:electron`); under Node the default build is used.
 */
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { oneLine } from '../engine/errors';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';

export interface OpenOptions {
  /** Create the file when it does not exist (otherwise opening a missing file is an error). */
  create?: boolean;
  readonly?: boolean;
  nativeBinding?: string;
  /** Milliseconds to wait for another connection's lock before failing with SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

export class ProjectFileError extends Error {
  constructor(file: string, detail: string) {
    // One line even when SQLite quotes a damaged schema (control characters escaped).
    super(oneLine(`${file}: ${detail}`));
    this.name = 'ProjectFileError';
  }
}

const SQLITE_HEADER = 'SQLite format 3\0';
const BUSY_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY', 'SQLITE_BUSY_TIMEOUT', 'SQLITE_LOCKED']);

/** What the user sees when another connection holds the write lock past the busy timeout. */
export function busyError(file: string): ProjectFileError {
  return new ProjectFileError(file, 'busy: another Retile process (the app or the CLI) is writing to this project; try again when it has finished');
}

/** Refuses, before SQLite touches it, an existing file that is not an SQLite database (it would be migrated in place). */
function assertSqliteFile(file: string): void {
  if (!existsSync(file)) return;
  const size = statSync(file).size;
  if (size === 0) throw new ProjectFileError(file, 'not a Retile project file (the file is empty)');
  const header = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (size < 100 || header.toString('latin1') !== SQLITE_HEADER) throw new ProjectFileError(file, 'not a Retile project file (not an SQLite database)');
}

/**
 * Turns SQLITE_BUSY (a lock held past the busy timeout) into a ProjectFileError naming the
 * project, for every statement, exec, pragma and transaction of this connection.
 */
function translateBusy(db: Database, file: string): Database {
  const guard =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): R => {
      try {
        return fn(...args);
      } catch (e) {
        if (BUSY_CODES.has((e as { code?: string }).code ?? '')) throw busyError(file);
        throw e;
      }
    };
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    const st = prepare(sql);
    st.run = guard(st.run.bind(st)) as typeof st.run;
    st.get = guard(st.get.bind(st)) as typeof st.get;
    st.all = guard(st.all.bind(st)) as typeof st.all;
    return st;
  }) as typeof db.prepare;
  db.exec = guard(db.exec.bind(db)) as typeof db.exec;
  db.pragma = guard(db.pragma.bind(db)) as typeof db.pragma;
  const transaction = db.transaction.bind(db);
  db.transaction = ((fn: (...a: unknown[]) => unknown) => {
    const tx = transaction(fn);
    return Object.assign(guard(tx), { deferred: guard(tx.deferred), immediate: guard(tx.immediate), exclusive: guard(tx.exclusive), default: guard(tx.default) });
  }) as typeof db.transaction;
  return db;
}

export function openDatabase(file: string, options: OpenOptions = {}): Database {
  assertSqliteFile(file);
  let db: Database;
  try {
    db = new BetterSqlite3(file, {
      fileMustExist: !options.create,
      readonly: options.readonly ?? false,
      nativeBinding: options.nativeBinding,
      timeout: options.busyTimeoutMs ?? 5000,
    });
  } catch (e) {
    throw new ProjectFileError(file, `cannot open project file (${(e as Error).message})`);
  }
  translateBusy(db, file);
  try {
    db.pragma('foreign_keys = ON');
    assertRetileSchema(db, file);
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      migrate(db, file);
    } else {
      schemaVersion(db, file);
    }
    return db;
  } catch (e) {
    db.close();
    if (e instanceof ProjectFileError) throw e;
    throw new ProjectFileError(file, `not a Retile project file (${(e as Error).message})`);
  }
}

/** The tables a Retile project has from each schema version on (migrations.ts). */
const TABLES_SINCE: Record<number, string[]> = {
  1: ['project_meta', 'runs'],
  2: ['run_results'],
  3: ['chip', 'onnx_models', 'tenants', 'run_tenants', 'run_layers'],
};

/**
 * Identifies a Retile project by its tables, with reads only, before anything is written (the
 * WAL switch, a migration): another application's SQLite file, whatever its user_version, is
 * refused untouched. Version 0 must be an empty database (a new project).
 */
function assertRetileSchema(db: Database, file: string): void {
  const version = schemaVersion(db, file); // a newer Retile's file: "upgrade Retile", before the table check
  const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
  if (version === 0) {
    if (tables.size > 0) throw new ProjectFileError(file, 'not a Retile project file (an SQLite database with other tables)');
    return;
  }
  const missing = Object.entries(TABLES_SINCE)
    .filter(([since]) => Number(since) <= version)
    .flatMap(([, names]) => names)
    .filter((t) => !tables.has(t));
  if (missing.length > 0)
    throw new ProjectFileError(file, `not a Retile project file (an SQLite database at user_version ${version} without the tables ${missing.join(', ')}); it was left unchanged`);
}

/** The file's schema version (0 for a fresh, empty database). */
export function schemaVersion(db: Database, file = 'project'): number {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new ProjectFileError(file, `schema version ${version} is newer than this Retile (${SCHEMA_VERSION}); upgrade Retile`);
  }
  return version;
}

/** Applies every pending migration, each in its own transaction with the version bump. */
export function migrate(db: Database, file = 'project'): number {
  let version = schemaVersion(db, file);
  for (const m of MIGRATIONS) {
    if (m.to <= version) continue;
    db.transaction(() => {
      // The history table records when each version was applied; user_version is the authority.
      db.exec('CREATE TABLE IF NOT EXISTS schema_history (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)');
      m.up(db);
      db.prepare('INSERT INTO schema_history (version, description, applied_at) VALUES (?, ?, ?)').run(m.to, m.description, new Date().toISOString());
      db.pragma(`user_version = ${m.to}`);
    })();
    version = m.to;
  }
  return version;
}

/** Parses a JSON column; a damaged value becomes a ProjectFileError naming the project and what was being read. */
export function parseStored<T = unknown>(db: Database, text: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ProjectFileError(db.name, `damaged ${what} (not valid JSON)`);
  }
}
