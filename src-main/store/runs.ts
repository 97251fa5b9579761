/**
 * Runs inside a project file. A run is created `running`, gets its results attached, and is
 * finished in one transaction; afterwards the database triggers keep it immutable.
 */
import type { Database } from 'better-sqlite3';
import { hostname } from 'node:os';
import type { RunResult } from '../engine/report/result';
import { parseStored, projectFileOf, ProjectFileError } from './database';
import { resultChecksum } from './checksum';

export type StoredRunStatus = 'running' | 'finished' | 'failed' | 'cancelled' | 'interrupted';

export interface StoredRun {
  id: number;
  kind: string;
  status: StoredRunStatus;
  strategy: string | null;
  objective: string | null;
  seed: number | null;
  settings: unknown;
  /** Snapshot of the inputs the run used (chip spec and tenants), so any figure can be re-derived. */
  inputs: unknown;
  retileVersion: string;
  createdAt: string;
  finishedAt: string | null;
  headline: number | null;
  message: string | null;
}

interface RunRow {
  id: number;
  kind: string;
  status: StoredRunStatus;
  strategy: string | null;
  objective?: string | null;
  seed?: number | null;
  inputs?: string | null;
  settings: string;
  retile_version: string;
  created_at: string;
  finished_at: string | null;
  headline: number | null;
  message: string | null;
}

function fromRow(db: Database, r: RunRow): StoredRun {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    strategy: r.strategy,
    objective: r.objective ?? null,
    seed: r.seed ?? null,
    settings: parseStored(db, r.settings, `settings of run ${r.id}`),
    inputs: r.inputs ? parseStored(db, r.inputs, `inputs of run ${r.id}`) : null,
    retileVersion: r.retile_version,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    headline: r.headline,
    message: r.message,
  };
}

export interface NewRun {
  kind: string;
  strategy?: string;
  objective?: string;
  seed?: number;
  settings: unknown;
  inputs?: unknown;
  version: string;
}

export function createRun(db: Database, run: NewRun): number {
  const info = db
    .prepare(
      "INSERT INTO runs (kind, status, strategy, objective, seed, settings, inputs, retile_version, created_at, owner) VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .run(
      run.kind,
      run.strategy ?? null,
      run.objective ?? null,
      run.seed ?? null,
      JSON.stringify(run.settings),
      run.inputs === undefined ? null : JSON.stringify(run.inputs),
      run.version,
      new Date().toISOString(),
      runOwner(),
    );
  return Number(info.lastInsertRowid);
}

/**
 * Finishes a deployment run with its RunResult, atomically: the per-tenant and per-layer rows go
 * to their own tables (queryable with plain SQL), and the whole result document to run_results
 * under 'result', which is what loadRunResult hands back unchanged.
 */
export function saveRunResult(db: Database, id: number, result: RunResult): void {
  db.transaction(() => {
    const t = db.prepare(
      'INSERT INTO run_tenants (run_id, idx, name, model, latency_s, p99_s, finish_s, throughput_ips, energy_j, tiles, crossbars, copies, pieces, ntt, sla_met) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    result.tenants.forEach((r, i) =>
      t.run(id, i, r.name, r.model, r.latency_s, r.p99_s, r.finish_s, r.throughput_ips, r.energy_j, r.tiles, r.crossbars, r.copies, r.pieces, r.ntt, r.sla_met === null ? null : r.sla_met ? 1 : 0),
    );
    const l = db.prepare(
      'INSERT INTO run_layers (run_id, tenant, idx, name, kind, copies, pieces, crossbars, latency_s, energy_j, utilization, class) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    result.layers.forEach((r, i) => l.run(id, r.tenant, i, r.name, r.kind, r.copies, r.pieces, r.crossbars, r.latency_s, r.energy_j, r.utilization, r.class));
    finishRun(db, id, result.makespan_s, { result });
  })();
  checkpoint(db);
}

/**
 * Copies committed pages from the WAL into the project file after each saved run (a sweep saves
 * one per case), so a deleted `-wal` sidecar plus a crash cannot lose finished runs. PASSIVE: never
 * waits for readers; a busy checkpoint is simply retried after the next run.
 */
function checkpoint(db: Database): void {
  if (db.inTransaction || db.readonly) return;
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Not in WAL mode or busy: the commit itself is durable; the next save checkpoints.
  }
}

/** Why a stored result document cannot be served, or null when its checksum and JSON are sound. */
export function resultDamage(body: string, sha256: string | null): string | null {
  if (sha256 !== null && resultChecksum(body) !== sha256) return 'its SHA-256 checksum does not match';
  try {
    JSON.parse(body);
    return null;
  } catch {
    return 'it is not valid JSON';
  }
}

/**
 * A stored result document, checked before it is served: a damaged one is a ProjectFileError
 * naming the project, the run and what to do; the project's other runs stay readable.
 */
function storedResult<T>(db: Database, id: number, row: { name: string; body: string; sha256: string | null }): T {
  const damage = resultDamage(row.body, row.sha256);
  if (damage) {
    throw new ProjectFileError(
      projectFileOf(db),
      `the stored ${row.name} of run ${id} is damaged (${damage}); the other runs are not affected: delete run ${id} or restore the file from a backup`,
    );
  }
  return JSON.parse(row.body) as T;
}

/** The RunResult of a finished deployment run (undefined for other kinds or unfinished runs). */
export function loadRunResult(db: Database, id: number): RunResult | undefined {
  const row = db.prepare("SELECT name, body, sha256 FROM run_results WHERE run_id = ? AND name = 'result'").get(id) as
    | { name: string; body: string; sha256: string | null }
    | undefined;
  return row ? storedResult<RunResult>(db, id, row) : undefined;
}

/** Deletes a run and its results (runs are immutable, not undeletable). */
export function deleteRun(db: Database, id: number): boolean {
  return db.prepare('DELETE FROM runs WHERE id = ?').run(id).changes > 0;
}

/** Attaches the results and marks the run finished, atomically. */
export function finishRun(db: Database, id: number, headline: number | null, results: Record<string, unknown>): void {
  db.transaction(() => {
    const insert = db.prepare('INSERT INTO run_results (run_id, name, body, sha256) VALUES (?, ?, ?, ?)');
    for (const [name, body] of Object.entries(results)) {
      const text = JSON.stringify(body);
      insert.run(id, name, text, resultChecksum(text));
    }
    db.prepare("UPDATE runs SET status = 'finished', finished_at = ?, headline = ? WHERE id = ? AND status = 'running'").run(
      new Date().toISOString(),
      headline,
      id,
    );
  })();
  checkpoint(db);
}

export function endRun(db: Database, id: number, status: Exclude<StoredRunStatus, 'running' | 'finished'>, message: string): void {
  db.prepare('UPDATE runs SET status = ?, finished_at = ?, message = ? WHERE id = ? AND status = ?').run(
    status,
    new Date().toISOString(),
    message,
    id,
    'running',
  );
}

/** This process as a run owner: "host:pid". */
export function runOwner(): string {
  return `${hostname()}:${process.pid}`;
}

/** A run created more than this long ago by a process on another machine is taken as abandoned. */
export const FOREIGN_RUN_STALE_MS = 24 * 3600 * 1000;

/**
 * Whether the process that owns a `running` run is gone. On this machine: its pid no longer
 * exists (a reused pid keeps the run `running`, the safe side). On another machine (a project on
 * a shared disk): only after FOREIGN_RUN_STALE_MS, since its liveness cannot be checked. Runs
 * without an owner (files from before schema 4) are taken as abandoned.
 */
export function ownerIsGone(owner: string | null, createdAt: string, now = Date.now()): boolean {
  if (!owner) return true;
  const sep = owner.lastIndexOf(':');
  const host = owner.slice(0, sep);
  const pid = Number(owner.slice(sep + 1));
  if (host !== hostname()) return now - Date.parse(createdAt) > FOREIGN_RUN_STALE_MS;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Why a run left `running` by a process that is gone is interrupted. */
export const INTERRUPTED_MESSAGE = 'Retile stopped before the run finished';

/** Marks runs left `running` by a process that crashed or was killed as interrupted; live processes' runs are left alone. */
export function markInterrupted(db: Database): number {
  const running = db.prepare("SELECT id, owner, created_at FROM runs WHERE status = 'running'").all() as { id: number; owner: string | null; created_at: string }[];
  const mark = db.prepare("UPDATE runs SET status = 'interrupted', finished_at = ?, message = ? WHERE id = ? AND status = 'running'");
  let changed = 0;
  const now = new Date().toISOString();
  for (const r of running) if (ownerIsGone(r.owner, r.created_at)) changed += mark.run(now, INTERRUPTED_MESSAGE, r.id).changes;
  return changed;
}

/** Every run; one with damaged settings or inputs is listed with the damage as its message, never hiding the others. */
export function listRuns(db: Database): StoredRun[] {
  return (db.prepare('SELECT * FROM runs ORDER BY id').all() as RunRow[]).map((r) => {
    try {
      return fromRow(db, r);
    } catch (e) {
      if (!(e instanceof ProjectFileError)) throw e;
      return fromRow(db, { ...r, settings: 'null', inputs: null, message: e.message });
    }
  });
}

export function getRun(db: Database, id: number): StoredRun | undefined {
  const row = db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
  return row && fromRow(db, row);
}

export function getRunResults(db: Database, id: number): Record<string, unknown> {
  const rows = db.prepare('SELECT name, body, sha256 FROM run_results WHERE run_id = ?').all(id) as { name: string; body: string; sha256: string | null }[];
  return Object.fromEntries(rows.map((r) => [r.name, storedResult(db, id, r)]));
}
