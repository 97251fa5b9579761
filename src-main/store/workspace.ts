/**
 * The workspace: a folder of `*.retile` project files. Project files are addressed by their
 * file name only, so no API caller can reach a path outside the workspace.
 */
import { mkdirSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, basename } from 'node:path';
import type { Database } from 'better-sqlite3';
import { openDatabase, ProjectFileError, type OpenOptions } from './database';

export interface ProjectInfo {
  file: string;
  name: string;
  schemaVersion: number;
  runs: number;
  modifiedAt: string;
}

const PROJECT_FILE = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,120}\.retile$/;

export class Workspace {
  constructor(
    readonly dir: string,
    private readonly openOptions: Pick<OpenOptions, 'nativeBinding' | 'busyTimeoutMs'> = {},
  ) {
    mkdirSync(dir, { recursive: true });
  }

  /** Absolute path of a project file, refusing anything that is not a plain file name. */
  path(file: string): string {
    if (!PROJECT_FILE.test(file) || basename(file) !== file) {
      throw new ProjectFileError(file, 'expected a project file name like "study.retile" inside the workspace');
    }
    return join(this.dir, file);
  }

  exists(file: string): boolean {
    return existsSync(this.path(file));
  }

  open(file: string, options: { create?: boolean } = {}): Database {
    return openDatabase(this.path(file), { ...this.openOptions, create: options.create });
  }

  /** Runs `fn` with the project open, closing it afterwards. */
  with<T>(file: string, fn: (db: Database) => T, options: { create?: boolean } = {}): T {
    const db = this.open(file, options);
    try {
      return fn(db);
    } finally {
      db.close();
    }
  }

  create(name: string): ProjectInfo {
    const file = `${name.trim().replace(/\s+/g, '-')}.retile`;
    if (this.exists(file)) throw new ProjectFileError(file, 'a project with this name already exists');
    this.with(file, (db) => {
      db.prepare('INSERT INTO project_meta (key, value) VALUES (?, ?)').run('name', name.trim());
      db.prepare('INSERT INTO project_meta (key, value) VALUES (?, ?)').run('created_at', new Date().toISOString());
    }, { create: true });
    return this.info(file);
  }

  info(file: string): ProjectInfo {
    const stat = statSync(this.path(file));
    return this.with(file, (db) => {
      const name = (db.prepare("SELECT value FROM project_meta WHERE key = 'name'").get() as { value: string } | undefined)?.value;
      const runs = (db.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n;
      return {
        file,
        name: name ?? file.replace(/\.retile$/, ''),
        schemaVersion: db.pragma('user_version', { simple: true }) as number,
        runs,
        modifiedAt: stat.mtime.toISOString(),
      };
    });
  }

  list(): ProjectInfo[] {
    const files = readdirSync(this.dir).filter((f) => PROJECT_FILE.test(f)).sort();
    const out: ProjectInfo[] = [];
    for (const f of files) {
      try {
        out.push(this.info(f));
      } catch {
        // An unreadable file is listed by the UI's error path, not silently dropped from disk.
        out.push({ file: f, name: f, schemaVersion: -1, runs: 0, modifiedAt: new Date(0).toISOString() });
      }
    }
    return out;
  }
}
