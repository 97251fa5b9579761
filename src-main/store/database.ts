/**
 * Opening a project file: better-sqlite3 with WAL, foreign keys and a busy timeout, migrated
 * forward to the current schema. Under Electron the host passes an Electron-ABI binary through
 * `nativeBinding` (see `npm run rebuild:electron`); under Node the default build is used.
 */
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { ProjectFileError, storageProblem } from './storage-errors';

const SQLITE_HEADER = 'SQLite format 3\0';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';

export interface OpenOptions {
  /** Create the file when it does not exist (otherwise opening a missing file is an error). */
  create?: boolean;
  readonly?: boolean;
  nativeBinding?: string;
  /** Milliseconds to wait for another connection's lock before failing with SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

/** Refuses, before SQLite touches it, an existing file that is not an SQLite database (it would be migrated in place). */
function assertSqliteFile(file: string): void {
  if (!existsSync(file)) return;
  const header = Buffer.alloc(16);
  let size: number;
  try {
    size = statSync(file).size;
    const fd = openSync(file, 'r');
    try {
      readSync(fd, header, 0, 16, 0);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw storageProblem(e, file) ?? e;
  }
  if (size === 0) throw new ProjectFileError(file, 'not a Retile project file (the file is empty)');
  if (size < 100 || header.toString('latin1') !== SQLITE_HEADER) throw new ProjectFileError(file, 'not a Retile project file (not an SQLite database)');
}

/**
 * Turns SQLite's failures (a lock held past the busy timeout, a damaged page, a full disk, a
 * read-only file) into a ProjectFileError naming the project, for every statement, exec, pragma
 * and transaction of this connection.
 */
function translateErrors(db: Database, file: string): Database {
  const guard =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): R => {
      try {
        return fn(...args);
      } catch (e) {
        throw storageProblem(e, file) ?? e;
      }
    };
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    const st = guard(prepare)(sql);
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

export { ProjectFileError };

export function openDatabase(file: string, options: OpenOptions = {}): Database {
  assertSqliteFile(file);
  if (options.readonly) return openReadonly(file, options);
  const db = connect(file, options);
  try {
    db.pragma('foreign_keys = ON');
    assertRetileSchema(db, file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    migrate(db, file);
    return db;
  } catch (e) {
    db.close();
    throw asProjectFileError(e, file);
  }
}

function connect(file: string, options: OpenOptions): Database {
  if (!options.create && !existsSync(file)) throw new ProjectFileError(file, 'cannot open project file (no such file)');
  try {
    return translateErrors(
      new BetterSqlite3(file, {
        fileMustExist: !options.create,
        readonly: options.readonly ?? false,
        nativeBinding: options.nativeBinding,
        timeout: options.busyTimeoutMs ?? 5000,
      }),
      file,
    );
  } catch (e) {
    throw storageProblem(e, file) ?? new ProjectFileError(file, `cannot open project file (${(e as Error).message})`);
  }
}

function asProjectFileError(e: unknown, file: string): ProjectFileError {
  return storageProblem(e, file) ?? new ProjectFileError(file, `not a Retile project file (${(e as Error).message})`);
}

/** What SQLite says when a WAL file it may only read cannot get its `-shm` index (read-only folder or media). */
const CANNOT_READ_IN_PLACE = /^SQLITE_(READONLY|CANTOPEN)/;

/**
 * Opens a project for reading only: nothing is written, not even the WAL switch or a migration,
 * so archived projects on read-only media list and show. A WAL file in a folder Retile cannot
 * write (SQLite needs its `-shm` index there) and a file of an older schema are read from an
 * in-memory copy, the older one migrated in memory; the file stays byte-identical.
 */
function openReadonly(file: string, options: OpenOptions): Database {
  let db: Database | null = null;
  let version: number;
  try {
    db = connect(file, { ...options, readonly: true });
    db.pragma('foreign_keys = ON');
    version = assertRetileSchema(db, file);
    if (version === SCHEMA_VERSION) return db;
    const copy = inMemory(db.serialize(), file, options);
    db.close();
    db = copy;
  } catch (e) {
    db?.close();
    if (!CANNOT_READ_IN_PLACE.test((e as { storageCode?: string }).storageCode ?? '')) throw asProjectFileError(e, file);
    db = inMemory(readFileSync(file), file, options);
    try {
      version = assertRetileSchema(db, file);
    } catch (e2) {
      db.close();
      throw asProjectFileError(e2, file);
    }
    if (version === SCHEMA_VERSION) return db;
  }
  try {
    migrate(db, file);
    return db;
  } catch (e) {
    db.close();
    throw asProjectFileError(e, file);
  }
}

/** The project file an in-memory copy was read from (its `db.name` is ':memory:'). */
const inMemoryFiles = new WeakMap<Database, string>();

/** The file a connection reads, for messages. */
export function projectFileOf(db: Database): string {
  return inMemoryFiles.get(db) ?? db.name;
}

/** An in-memory database from a file image, still named after the file in messages. */
function inMemory(image: Buffer, file: string, options: OpenOptions): Database {
  const bytes = Buffer.from(image);
  // Bytes 18-19 of the header say "WAL"; an in-memory image must use the rollback journal.
  bytes[18] = 1;
  bytes[19] = 1;
  let db: Database;
  try {
    db = new BetterSqlite3(bytes, { nativeBinding: options.nativeBinding });
  } catch (e) {
    throw storageProblem(e, file) ?? new ProjectFileError(file, `cannot read project file (${(e as Error).message})`);
  }
  inMemoryFiles.set(db, file);
  translateErrors(db, file);
  db.pragma('foreign_keys = ON');
  return db;
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
function assertRetileSchema(db: Database, file: string): number {
  const version = schemaVersion(db, file); // a newer Retile's file: "upgrade Retile", before the table check
  const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
  if (version === 0) {
    if (tables.size > 0) throw new ProjectFileError(file, 'not a Retile project file (an SQLite database with other tables)');
    return 0;
  }
  const missing = Object.entries(TABLES_SINCE)
    .filter(([since]) => Number(since) <= version)
    .flatMap(([, names]) => names)
    .filter((t) => !tables.has(t));
  if (missing.length > 0)
    throw new ProjectFileError(file, `not a Retile project file (an SQLite database at user_version ${version} without the tables ${missing.join(', ')}); it was left unchanged`);
  return version;
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
    throw new ProjectFileError(projectFileOf(db), `damaged ${what} (not valid JSON)`);
  }
}
