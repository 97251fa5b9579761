/**
 * Opening a project file named by any path on the command line. Apart from project-file.ts
 * (creating one from a spec) so the commands that only read or write runs (runs, show, export,
 * merge) do not load the chip presets, the zoo and the spec loader.
 */
import { existsSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { markInterrupted, openDatabase, ProjectFileError } from '../store';
import { UsageError } from './io';

export function assertProjectPath(file: string): void {
  if (!/\.retile$/i.test(file)) throw new UsageError(`${file}: a project file name ends in .retile`);
}

/**
 * Opens an existing project file (never creates one). `readonly` for commands that only read
 * (runs, show, export): nothing is written, so a project on read-only media works.
 */
export function openProject(file: string, options: { readonly?: boolean } = {}): Database {
  assertProjectPath(file);
  if (!existsSync(file)) throw new ProjectFileError(file, 'no such project file');
  const db = openDatabase(file, { readonly: options.readonly });
  // Runs left `running` by a Retile process that was killed are marked interrupted, as the app does at start-up
  // (read-only opens report them so, store/export.ts).
  if (!options.readonly) markInterrupted(db);
  return db;
}

export function withProject<T>(file: string, fn: (db: Database) => T, options: { readonly?: boolean } = {}): T {
  const db = openProject(file, options);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
