/**
 * The workspace: a folder of `*.retile` project files. Project files are addressed by their
 * file name only, so no API caller can reach a path outside the workspace.
 */
import { readdirSync, statSync, existsSync, copyFileSync, renameSync, rmSync } from 'node:fs';
import { join, basename, isAbsolute, resolve } from 'node:path';
import type { Database } from 'better-sqlite3';
import { openDatabase, ProjectFileError, type OpenOptions } from './database';
import { makeDirs } from './make-dirs';

export interface ProjectInfo {
  /** File name inside the workspace, or the absolute path of a project opened from elsewhere. */
  file: string;
  name: string;
  schemaVersion: number;
  runs: number;
  modifiedAt: string;
}

const PROJECT_FILE = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,120}\.retile$/;

/**
 * The file name a project called `name` gets: spaces become dashes, accents are dropped
 * ("Étude" -> "Etude"), and any other letter outside ASCII becomes a dash plus a short hash of the
 * whole name, so "研究" and "实验" get distinct, portable file names while the project keeps its
 * name inside the file.
 */
export function projectFileName(name: string): string {
  const trimmed = name.trim();
  const folded = trimmed.normalize('NFKD').replace(/\p{M}/gu, '').replace(/\s+/g, '-');
  const lossy = /[^A-Za-z0-9_.-]/.test(folded);
  let base = folded.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[-_.]+|-+$/g, '');
  if (lossy || base === '') base = `${base || 'project'}-${fnv1a(trimmed)}`;
  return `${base.slice(0, 100)}.retile`;
}

/** FNV-1a, 32 bits, as 8 hex digits (a short stable tag, not a security hash). */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

export class Workspace {
  constructor(
    readonly dir: string,
    private readonly openOptions: Pick<OpenOptions, 'nativeBinding' | 'busyTimeoutMs'> = {},
  ) {
    makeDirs(dir, 'workspace folder');
  }

  /** Project files outside the workspace the user opened explicitly (absolute paths). */
  private readonly external = new Set<string>();

  /** Allows an absolute path the user chose (file dialog, Open by path) to be addressed by that path. */
  allowExternal(path: string): string {
    const abs = resolve(path);
    if (!/\.retile$/.test(abs)) throw new ProjectFileError(path, 'a project file ends in .retile');
    if (!existsSync(abs)) throw new ProjectFileError(path, 'no such file');
    this.external.add(abs);
    return abs;
  }

  isExternal(file: string): boolean {
    return isAbsolute(file) && this.external.has(resolve(file));
  }

  /** Absolute path of a project file, refusing anything that is not a plain file name (or an explicitly opened path). */
  path(file: string): string {
    if (this.isExternal(file)) return resolve(file);
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

  /** Runs `fn` with the project open for reading only (nothing written: read-only media work). */
  read<T>(file: string, fn: (db: Database) => T): T {
    const db = openDatabase(this.path(file), { ...this.openOptions, readonly: true });
    try {
      return fn(db);
    } finally {
      db.close();
    }
  }

  create(name: string, init?: (db: Database) => void): ProjectInfo {
    const file = projectFileName(name);
    if (this.exists(file)) throw new ProjectFileError(file, 'a project with this name already exists; pick another name');
    try {
      this.with(file, (db) => {
        db.transaction(() => {
          db.prepare('INSERT INTO project_meta (key, value) VALUES (?, ?)').run('name', name.trim());
          db.prepare('INSERT INTO project_meta (key, value) VALUES (?, ?)').run('created_at', new Date().toISOString());
          init?.(db);
        })();
      }, { create: true });
    } catch (e) {
      // A project whose initial content failed is not left half-made.
      this.removeFiles(this.path(file));
      throw e;
    }
    return this.info(file);
  }

  /** Copies a project (a consistent snapshot via SQLite's backup) under a new name in the workspace. */
  async duplicate(file: string, name: string): Promise<ProjectInfo> {
    const target = projectFileName(name);
    if (this.exists(target)) throw new ProjectFileError(target, 'a project with this name already exists; pick another name');
    const db = this.open(file);
    try {
      await db.backup(join(this.dir, target));
    } finally {
      db.close();
    }
    this.with(target, (copy) => {
      copy.prepare("INSERT INTO project_meta (key, value) VALUES ('name', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(name.trim());
      copy.prepare("INSERT INTO project_meta (key, value) VALUES ('created_at', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(new Date().toISOString());
    });
    return this.info(target);
  }

  /** Renames a workspace project (file and display name). Callers make sure no run is writing to it. */
  rename(file: string, name: string): ProjectInfo {
    const source = this.path(file);
    const external = this.isExternal(file);
    const target = external ? source : join(this.dir, projectFileName(name));
    if (target !== source && existsSync(target)) throw new ProjectFileError(projectFileName(name), 'a project with this name already exists; pick another name');
    // Checkpoint the WAL into the main file first so the rename moves one self-contained file.
    this.with(file, (db) => {
      db.prepare("INSERT INTO project_meta (key, value) VALUES ('name', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(name.trim());
      db.pragma('wal_checkpoint(TRUNCATE)');
    });
    if (target !== source) {
      renameSync(source, target);
      this.removeFiles(source, { sidecarsOnly: true });
    }
    return this.info(external ? source : basename(target));
  }

  /** Deletes a project file and its WAL sidecars. */
  remove(file: string): void {
    const path = this.path(file);
    if (!existsSync(path)) throw new ProjectFileError(file, 'no such project');
    this.removeFiles(path);
    this.external.delete(path);
  }

  private removeFiles(path: string, opts: { sidecarsOnly?: boolean } = {}): void {
    for (const f of opts.sidecarsOnly ? [`${path}-wal`, `${path}-shm`] : [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
  }

  /** Copies an external file into the workspace (used when opening a copy). */
  importFile(path: string, name: string): ProjectInfo {
    const target = projectFileName(name);
    if (this.exists(target)) throw new ProjectFileError(target, 'a project with this name already exists; pick another name');
    copyFileSync(path, join(this.dir, target));
    return this.info(target);
  }

  info(file: string): ProjectInfo {
    const stat = statSync(this.path(file));
    return this.read(file, (db) => {
      const name = (db.prepare("SELECT value FROM project_meta WHERE key = 'name'").get() as { value: string } | undefined)?.value;
      const runs = (db.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n;
      return {
        file,
        name: name ?? basename(file).replace(/\.retile$/, ''),
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
