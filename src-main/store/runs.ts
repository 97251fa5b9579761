/**
 * Runs inside a project file. A run is created `running`, gets its results attached, and is
 * finished in one transaction; afterwards the database triggers keep it immutable.
 */
import type { Database } from 'better-sqlite3';

export type StoredRunStatus = 'running' | 'finished' | 'failed' | 'cancelled' | 'interrupted';

export interface StoredRun {
  id: number;
  kind: string;
  status: StoredRunStatus;
  strategy: string | null;
  settings: unknown;
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
  settings: string;
  retile_version: string;
  created_at: string;
  finished_at: string | null;
  headline: number | null;
  message: string | null;
}

function fromRow(r: RunRow): StoredRun {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    strategy: r.strategy,
    settings: JSON.parse(r.settings),
    retileVersion: r.retile_version,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    headline: r.headline,
    message: r.message,
  };
}

export function createRun(db: Database, run: { kind: string; strategy?: string; settings: unknown; version: string }): number {
  const info = db
    .prepare("INSERT INTO runs (kind, status, strategy, settings, retile_version, created_at) VALUES (?, 'running', ?, ?, ?, ?)")
    .run(run.kind, run.strategy ?? null, JSON.stringify(run.settings), run.version, new Date().toISOString());
  return Number(info.lastInsertRowid);
}

/** Attaches the results and marks the run finished, atomically. */
export function finishRun(db: Database, id: number, headline: number | null, results: Record<string, unknown>): void {
  db.transaction(() => {
    const insert = db.prepare('INSERT INTO run_results (run_id, name, body) VALUES (?, ?, ?)');
    for (const [name, body] of Object.entries(results)) insert.run(id, name, JSON.stringify(body));
    db.prepare("UPDATE runs SET status = 'finished', finished_at = ?, headline = ? WHERE id = ? AND status = 'running'").run(
      new Date().toISOString(),
      headline,
      id,
    );
  })();
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

/** Marks runs left `running` by a crashed or closed process as interrupted (called on open by hosts). */
export function markInterrupted(db: Database): number {
  return db
    .prepare("UPDATE runs SET status = 'interrupted', finished_at = ?, message = 'Retile stopped before the run finished' WHERE status = 'running'")
    .run(new Date().toISOString()).changes;
}

export function listRuns(db: Database): StoredRun[] {
  return (db.prepare('SELECT * FROM runs ORDER BY id').all() as RunRow[]).map(fromRow);
}

export function getRun(db: Database, id: number): StoredRun | undefined {
  const row = db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
  return row && fromRow(row);
}

export function getRunResults(db: Database, id: number): Record<string, unknown> {
  const rows = db.prepare('SELECT name, body FROM run_results WHERE run_id = ?').all(id) as { name: string; body: string }[];
  return Object.fromEntries(rows.map((r) => [r.name, JSON.parse(r.body)]));
}
