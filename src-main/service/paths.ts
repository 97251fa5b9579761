/**
 * Where Retile's files are at run time. The hosts are bundled into out/main/ (and its chunks/)
 * while tests run the sources from src-main/service/, so the app root is found by walking up to
 * the folder holding Retile's package.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findAppRoot(start: string): string {
  let dir = start;
  for (let i = 0; i < 6; i++) {
    const pkg = resolve(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'retile') return dir;
    dir = dirname(dir);
  }
  throw new Error(`cannot find Retile's package.json above ${start}`);
}

export const APP_ROOT = findAppRoot(dirname(fileURLToPath(import.meta.url)));

export const paths = {
  root: APP_ROOT,
  wasm: resolve(APP_ROOT, 'build/wasm/retile.wasm'),
  renderer: resolve(APP_ROOT, 'out/renderer'),
  worker: new URL(`file://${resolve(APP_ROOT, 'out/main/worker.js')}`),
  /** The engine's own process (service/job-host.ts), which runs the worker for the browser-mode server. */
  jobHost: new URL(`file://${resolve(APP_ROOT, 'out/main/job-host.js')}`),
  /** The CLI's worker thread (cli/sweep/worker.ts), which runs the engine for `run`, `sweep`, `study`, `simulate` and `serve`. */
  sweepWorker: resolve(APP_ROOT, 'out/main/sweep-worker.js'),
  /** A thread of a run's simulation pool (service/sim-worker.ts, run by service/sim-pool.ts). */
  simWorker: resolve(APP_ROOT, 'out/main/sim-worker.js'),
  defaultWorkspace: resolve(APP_ROOT, 'projects'),
  /** Readable deployment specs that new projects can start from. */
  examples: resolve(APP_ROOT, 'projects/examples'),
  /** Electron-ABI better-sqlite3 written by `npm run rebuild:electron`. */
  electronSqlite: resolve(APP_ROOT, 'native/electron/better_sqlite3.node'),
};

/** The workspace folder: RETILE_WORKSPACE when set, else projects/ in the app root. */
export function workspaceDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.RETILE_WORKSPACE ? resolve(env.RETILE_WORKSPACE) : paths.defaultWorkspace;
}
