/**
 * Forward migrations of the project file. Migration i takes a file from schema version i to
 * i + 1 inside one transaction; a file is never left between versions. Never edit a released
 * migration: append a new one.
 */
import type { Database } from 'better-sqlite3';
import { resultChecksum } from './checksum';

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
  {
    to: 3,
    description: 'chip spec, tenants, imported ONNX graphs; run inputs, per-tenant and per-layer results',
    up(db) {
      db.exec(`
        CREATE TABLE chip (
          id          INTEGER PRIMARY KEY CHECK (id = 1),
          preset      TEXT,
          spec        TEXT NOT NULL,
          updated_at  TEXT NOT NULL
        );
        CREATE TABLE onnx_models (
          sha256      TEXT PRIMARY KEY CHECK (length(sha256) = 64),
          file_name   TEXT NOT NULL,
          bytes       INTEGER NOT NULL CHECK (bytes > 0),
          graph       TEXT NOT NULL,
          imported_at TEXT NOT NULL
        );
        CREATE TABLE tenants (
          id          INTEGER PRIMARY KEY AUTOINCREMENT,
          position    INTEGER NOT NULL,
          name        TEXT NOT NULL UNIQUE,
          source      TEXT NOT NULL CHECK (source IN ('zoo', 'onnx')),
          model       TEXT NOT NULL,
          onnx_sha256 TEXT REFERENCES onnx_models(sha256),
          batch       INTEGER NOT NULL DEFAULT 1 CHECK (batch >= 1),
          priority    REAL NOT NULL DEFAULT 1 CHECK (priority > 0),
          sla_ms      REAL CHECK (sla_ms IS NULL OR sla_ms > 0),
          created_at  TEXT NOT NULL,
          CHECK ((source = 'onnx') = (onnx_sha256 IS NOT NULL))
        );
        ALTER TABLE runs ADD COLUMN objective TEXT;
        ALTER TABLE runs ADD COLUMN seed INTEGER;
        ALTER TABLE runs ADD COLUMN inputs TEXT;
        CREATE TABLE run_tenants (
          run_id         INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          idx            INTEGER NOT NULL,
          name           TEXT NOT NULL,
          model          TEXT NOT NULL,
          latency_s      REAL NOT NULL,
          p99_s          REAL NOT NULL,
          finish_s       REAL NOT NULL,
          throughput_ips REAL NOT NULL,
          energy_j       REAL NOT NULL,
          tiles          INTEGER NOT NULL,
          crossbars      INTEGER NOT NULL,
          copies         INTEGER NOT NULL,
          pieces         INTEGER NOT NULL,
          ntt            REAL NOT NULL,
          sla_met        INTEGER,
          PRIMARY KEY (run_id, idx)
        );
        CREATE TABLE run_layers (
          run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          tenant      TEXT NOT NULL,
          idx         INTEGER NOT NULL,
          name        TEXT NOT NULL,
          kind        TEXT NOT NULL,
          copies      INTEGER NOT NULL,
          pieces      INTEGER NOT NULL,
          crossbars   INTEGER NOT NULL,
          latency_s   REAL NOT NULL,
          energy_j    REAL NOT NULL,
          utilization REAL NOT NULL,
          class       TEXT NOT NULL,
          PRIMARY KEY (run_id, idx)
        );
        CREATE TRIGGER run_tenants_immutable BEFORE INSERT ON run_tenants
          WHEN (SELECT status FROM runs WHERE id = NEW.run_id) <> 'running'
          BEGIN SELECT RAISE(ABORT, 'results can only be added to a running run'); END;
        CREATE TRIGGER run_layers_immutable BEFORE INSERT ON run_layers
          WHEN (SELECT status FROM runs WHERE id = NEW.run_id) <> 'running'
          BEGIN SELECT RAISE(ABORT, 'results can only be added to a running run'); END;
        CREATE TRIGGER run_results_no_update BEFORE UPDATE ON run_results
          BEGIN SELECT RAISE(ABORT, 'run results are immutable'); END;
        CREATE TRIGGER run_tenants_no_update BEFORE UPDATE ON run_tenants
          BEGIN SELECT RAISE(ABORT, 'run results are immutable'); END;
        CREATE TRIGGER run_layers_no_update BEFORE UPDATE ON run_layers
          BEGIN SELECT RAISE(ABORT, 'run results are immutable'); END;
        CREATE INDEX tenants_position ON tenants(position);
      `);
    },
  },
  {
    to: 4,
    description: 'run owners: which process runs a run, so start-up marks only dead processes\' runs interrupted',
    up(db) {
      db.exec(`ALTER TABLE runs ADD COLUMN owner TEXT;`);
    },
  },
  {
    to: 5,
    description: 'a SHA-256 checksum per stored result document, so a damaged result is reported instead of served',
    up(db) {
      db.exec('ALTER TABLE run_results ADD COLUMN sha256 TEXT;');
      // Checksums of the documents as they are now; a body that is no longer valid JSON keeps none
      // (it is reported as damaged by its JSON check). Results are immutable: the trigger is lifted
      // for this one step, inside the migration's transaction.
      db.exec('DROP TRIGGER run_results_no_update;');
      const set = db.prepare('UPDATE run_results SET sha256 = ? WHERE run_id = ? AND name = ?');
      const rows = db.prepare('SELECT run_id, name, body FROM run_results WHERE json_valid(body)').all() as { run_id: number; name: string; body: string }[];
      for (const r of rows) set.run(resultChecksum(r.body), r.run_id, r.name);
      db.exec(`CREATE TRIGGER run_results_no_update BEFORE UPDATE ON run_results
          BEGIN SELECT RAISE(ABORT, 'run results are immutable'); END;`);
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].to;
