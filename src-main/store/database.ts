/**
 * Opening a project file: better-sqlite3 with WAL, foreign keys and a busy timeout, migrated
 * forward to the current schema. Under Electron the host passes an Electron-ABI binary through
 * `nativeBinding` (see `npm run rebuild:electron`); under Node the default build is used.
 */
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
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
    super(`${file}: ${detail}`);
    this.name = 'ProjectFileError';
  }
}

export function openDatabase(file: string, options: OpenOptions = {}): Database {
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
  try {
    db.pragma('foreign_keys = ON');
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
