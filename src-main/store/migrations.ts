/**
 * Forward migrations of the project file. Migration i takes a file from schema version i to
 * i + 1 inside one transaction; a file is never left between versions. Never edit a released
 * migration: append a new one.
 */
import type { Database } from 'better-sqlite3';

export interface Migration {
  to: number;
  description: string;
  up(db: Database): void;
}

export const MIGRATIONS: Migration[] = [
  {
    to: 1,
    description: 'project metadata and runs',
    up(db) {
      db.exec(`
        CREATE TABLE project_meta (
          key   TEXT PRIMARY KEY,
          value TEXT NOT NULL
        );
        CREATE TABLE runs (
          id          INTEGER PRIMARY KEY AUTOINCREMENT,
          kind        TEXT NOT NULL,
          status      TEXT NOT NULL CHECK (status IN ('running','finished','failed','cancelled','interrupted')),
          settings    TEXT NOT NULL,
          created_at  TEXT NOT NULL,
          finished_at TEXT,
          message     TEXT
        );
      `);
    },
  },
  {
    to: 2,
    description: 'run provenance and results; finished runs immutable',
    up(db) {
      db.exec(`
        ALTER TABLE runs ADD COLUMN strategy TEXT;
        ALTER TABLE runs ADD COLUMN retile_version TEXT NOT NULL DEFAULT '0.0.0';
        ALTER TABLE runs ADD COLUMN headline REAL;
        CREATE TABLE run_results (
          run_id  INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          name    TEXT NOT NULL,
          body    TEXT NOT NULL,
          PRIMARY KEY (run_id, name)
        );
        CREATE TRIGGER runs_finished_immutable BEFORE UPDATE ON runs
          WHEN OLD.status = 'finished'
          BEGIN SELECT RAISE(ABORT, 'finished runs are immutable'); END;
        CREATE TRIGGER run_results_immutable BEFORE INSERT ON run_results
          WHEN (SELECT status FROM runs WHERE id = NEW.run_id) <> 'running'
          BEGIN SELECT RAISE(ABORT, 'results can only be added to a running run'); END;
      `);
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].to;
