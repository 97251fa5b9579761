/**
 * Read-only views of a project file for the command line: the run list with each run's headline
 * figures (read with SQLite's JSON functions, each row's result checked against its checksum), and the
 * project's identity (chip and tenants) that sweeps and merges compare. Written for the CLI
 * over the schema of migrations.ts; owned by the CLI, not by the app's store.
 */
import type { Database } from 'better-sqlite3';
import { getChip, getMeta, listTenants } from './project';
import { INTERRUPTED_MESSAGE, ownerIsGone, resultDamage, type StoredRunStatus } from './runs';
import { parseStored } from './database';

/** One line of `retile runs --json` (field names are the CLI's stable JSON names). */
export interface RunListRow {
  id: number;
  kind: string;
  status: StoredRunStatus;
  strategy: string | null;
  objective: string | null;
  seed: number | null;
  /** The chip's tile mesh as "RxC" (from the run's inputs), null when unknown. */
  mesh: string | null;
  /** Simulated makespan of a finished deployment run, else null. */
  makespan_s: number | null;
  energy_j: number | null;
  speedup_vs_direct: number | null;
  energy_gain_vs_direct: number | null;
  /** Sweep case index (0-based, over the whole cross product) when the run came from `retile sweep`. */
  sweep_case: number | null;
  created_at: string;
  finished_at: string | null;
  message: string | null;
  version: string;
  /** Why the run's stored result cannot be trusted (checksum or JSON), else null: its figures are then null. */
  damaged: string | null;
}

export function listRunRows(db: Database): RunListRow[] {
  const rows = db
    .prepare(
      `SELECT r.id, r.kind, r.status, r.owner, r.strategy, r.objective, r.seed, r.created_at, r.finished_at, r.message, r.retile_version,
              json_extract(r.inputs, '$.chip.spec.topology.rows') AS rows_, json_extract(r.inputs, '$.chip.spec.topology.cols') AS cols_,
              json_extract(r.settings, '$.sweep.case') AS sweep_case,
              res.body AS body_, res.sha256 AS sha256_,
              CASE WHEN json_valid(res.body) THEN json_extract(res.body, '$.makespan_s') END AS makespan_s,
              CASE WHEN json_valid(res.body) THEN json_extract(res.body, '$.energy_j') END AS energy_j,
              CASE WHEN json_valid(res.body) THEN json_extract(res.body, '$.speedup_vs_direct') END AS speedup_vs_direct,
              CASE WHEN json_valid(res.body) THEN json_extract(res.body, '$.energy_gain_vs_direct') END AS energy_gain_vs_direct
         FROM runs r LEFT JOIN run_results res ON res.run_id = r.id AND res.name = 'result'
        ORDER BY r.id`,
    )
    .all() as Record<string, unknown>[];
  const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
  return rows.map((r) => {
    // A run whose process died (killed, crashed) reads as interrupted even where the file cannot be written.
    const dead = r.status === 'running' && ownerIsGone((r.owner as string | null) ?? null, r.created_at as string);
    // Each row checked on its own: one damaged result is flagged, its figures withheld, the others listed.
    const damaged = typeof r.body_ === 'string' ? resultDamage(r.body_, (r.sha256_ as string | null) ?? null) : null;
    const figure = (v: unknown) => (damaged ? null : num(v));
    return {
      id: r.id as number,
      kind: r.kind as string,
      status: dead ? 'interrupted' : (r.status as StoredRunStatus),
      strategy: (r.strategy as string | null) ?? null,
      objective: (r.objective as string | null) ?? null,
      seed: num(r.seed),
      mesh: typeof r.rows_ === 'number' && typeof r.cols_ === 'number' ? `${r.rows_}x${r.cols_}` : null,
      makespan_s: figure(r.makespan_s),
      energy_j: figure(r.energy_j),
      speedup_vs_direct: figure(r.speedup_vs_direct),
      energy_gain_vs_direct: figure(r.energy_gain_vs_direct),
      sweep_case: num(r.sweep_case),
      created_at: r.created_at as string,
      finished_at: (r.finished_at as string | null) ?? null,
      message: dead ? INTERRUPTED_MESSAGE : ((r.message as string | null) ?? null),
      version: r.retile_version as string,
      damaged: damaged ? `the stored result is damaged (${damaged})` : null,
    };
  });
}

/** What makes two project files "the same study": the chip and the tenants (not names of files or dates). */
export interface ProjectIdentity {
  chip: { preset: string | null; spec: unknown } | null;
  tenants: { name: string; source: string; model: string; sha256: string | null; batch: number; priority: number; slaMs: number | null }[];
}

export function projectIdentity(db: Database): ProjectIdentity {
  const chip = getChip(db);
  return {
    chip: chip ? { preset: chip.preset, spec: chip.spec } : null,
    tenants: listTenants(db).map((t) => ({ name: t.name, source: t.source, model: t.model, sha256: t.onnxSha256, batch: t.batch, priority: t.priority, slaMs: t.slaMs })),
  };
}

/** The sweep definition a project was filled by (project_meta 'sweep'), if any. */
export function getSweepMeta<T = unknown>(db: Database): T | null {
  const v = getMeta(db, 'sweep');
  return v === undefined ? null : parseStored<T>(db, v, "project setting 'sweep'");
}

/** The ids of runs whose settings carry the given sweep case index. */
export function sweepCaseRuns(db: Database): { id: number; status: StoredRunStatus; sweep_case: number }[] {
  return db
    .prepare("SELECT id, status, json_extract(settings, '$.sweep.case') AS sweep_case FROM runs WHERE json_extract(settings, '$.sweep.case') IS NOT NULL ORDER BY id")
    .all() as { id: number; status: StoredRunStatus; sweep_case: number }[];
}
