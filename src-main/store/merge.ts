/**
 * Merging project files: the shards of a sweep run on a cluster (`retile sweep --shard i/n`, one
 * file each) become one project. Written for the CLI over the schema of migrations.ts.
 *
 * A merge refuses shards of different studies (chip, tenants or sweep axes differ), the same
 * file twice, and the same sweep case in two shards. Runs are copied with their results and
 * statuses unchanged (finished runs stay immutable: a copy is written `running`, gets its result
 * rows, then takes the original status); sweep runs come out in case order, so merging the shards
 * of a sweep gives the runs of the unsharded sweep in the same order.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Database } from 'better-sqlite3';
import { openDatabase, ProjectFileError } from './database';
import { getSweepMeta, projectIdentity } from './export';
import { setMeta } from './project';

export interface MergeReport {
  file: string;
  shards: string[];
  runs: number;
  /** Cases in the sweep's whole cross product (null when the shards carry no sweep definition). */
  sweep_cases: number | null;
  /** Case indices of the cross product no shard holds a run for. */
  missing_cases: number[];
  /** Runs that did not finish (`interrupted`, `failed`, `cancelled`), by sweep case where they have one. */
  unfinished_runs: { case: number | null; status: string; shard: string }[];
  /** True when every case is present and every run finished. */
  complete: boolean;
}

interface SweepMetaLike {
  axes?: unknown;
  cases?: number;
  shard?: unknown;
}

interface RunRef {
  shard: number;
  id: number;
  caseIndex: number | null;
  key: string | null;
}

const RESULT_TABLES = ['run_results', 'run_tenants', 'run_layers'] as const;

function columns(db: Database, table: string): string[] {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
}

function firstDifference(a: unknown, b: unknown, path: string): string | null {
  if (JSON.stringify(a) === JSON.stringify(b)) return null;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return path;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}.${i}`);
      if (d) return d;
    }
    return path;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
  }
  return path;
}

/**
 * Merges `shards` into `out`. With `replace`, an existing `out` (an earlier merge, before a shard
 * was re-run) is replaced only once the new merge is complete: the merge is written to a
 * temporary file beside it and renamed over it, so a failed merge leaves the old file as it was.
 */
export function mergeProjectFiles(out: string, shards: string[], { replace = false } = {}): MergeReport {
  if (shards.length === 0) throw new ProjectFileError(out, 'no shard files to merge');
  if (existsSync(out) && !replace) throw new ProjectFileError(out, 'already exists; merge into a new file, or pass --replace to replace an earlier merge');
  if (!replace || !existsSync(out)) return mergeInto(out, out, shards);
  const tmp = `${out}.merging-${process.pid}`;
  const report = mergeInto(tmp, out, shards);
  for (const f of [`${out}-wal`, `${out}-shm`]) rmSync(f, { force: true });
  renameSync(tmp, out);
  return report;
}

/** Writes the merge of `shards` into `file` (`out` itself, or a temporary file that replaces it). */
function mergeInto(file: string, out: string, shards: string[]): MergeReport {
  const seen = new Map<string, string>();
  for (const s of shards) {
    const abs = resolve(s);
    if (abs === resolve(out)) throw new ProjectFileError(s, 'is also the output file');
    if (seen.has(abs)) throw new ProjectFileError(s, `given twice (duplicate of ${seen.get(abs)})`);
    seen.set(abs, s);
  }

  const dbs: Database[] = [];
  let target: Database | null = null;
  try {
    for (const s of shards) {
      if (!existsSync(s)) throw new ProjectFileError(s, 'no such project file');
      dbs.push(openDatabase(s));
    }
    // Same study: chip, tenants and sweep axes equal to the first shard's.
    const identity = projectIdentity(dbs[0]!);
    const sweep = getSweepMeta<SweepMetaLike>(dbs[0]!);
    for (let i = 1; i < dbs.length; i++) {
      const d = firstDifference(identity, projectIdentity(dbs[i]!), '');
      if (d) throw new ProjectFileError(shards[i]!, `field '${d.slice(1)}' differs from ${shards[0]}: not a shard of the same study`);
      const other = getSweepMeta<SweepMetaLike>(dbs[i]!);
      if (sweep && other) {
        const a = firstDifference(sweep.axes, other.axes, 'sweep');
        if (a) throw new ProjectFileError(shards[i]!, `field '${a}' differs from ${shards[0]}: not a shard of the same sweep`);
      }
    }

    // Runs, refusing a sweep case held by two shards.
    const refs: RunRef[] = [];
    const byKey = new Map<string, number>();
    dbs.forEach((db, shard) => {
      const rows = db
        .prepare("SELECT id, json_extract(settings, '$.sweep.case') AS c, json_extract(settings, '$.sweep.key') AS k FROM runs ORDER BY id")
        .all() as { id: number; c: number | null; k: string | null }[];
      for (const r of rows) {
        if (r.k !== null) {
          const prev = byKey.get(r.k);
          if (prev !== undefined) {
            throw new ProjectFileError(shards[shard]!, `run #${r.id} duplicates sweep case ${r.c} (${r.k}) already in ${shards[prev]}; merge each case once`);
          }
          byKey.set(r.k, shard);
        }
        refs.push({ shard, id: r.id, caseIndex: r.c, key: r.k });
      }
    });
    // Sweep runs in case order, then any other runs in file order.
    refs.sort((a, b) => (a.caseIndex ?? Infinity) - (b.caseIndex ?? Infinity) || a.shard - b.shard || a.id - b.id);

    const unfinished: MergeReport['unfinished_runs'] = [];
    target = openDatabase(file, { create: true });
    const t = target;
    t.transaction(() => {
      const first = dbs[0]!;
      copyTable(first, t, 'project_meta');
      copyTable(first, t, 'chip');
      copyTable(first, t, 'tenants');
      for (const db of dbs) copyTable(db, t, 'onnx_models', 'INSERT OR IGNORE');
      if (sweep) setMeta(t, 'sweep', JSON.stringify({ ...sweep, shard: null, merged_from: shards.length }));
      setMeta(t, 'modified_at', new Date().toISOString());

      const runCols = columns(t, 'runs').filter((c) => c !== 'id');
      const insertRun = t.prepare(`INSERT INTO runs (${runCols.join(', ')}) VALUES (${runCols.map(() => '?').join(', ')})`);
      const settle = t.prepare('UPDATE runs SET status = ?, finished_at = ?, headline = ?, message = ? WHERE id = ?');
      const resultCols = Object.fromEntries(RESULT_TABLES.map((tb) => [tb, columns(t, tb)]));
      const inserts = Object.fromEntries(
        RESULT_TABLES.map((tb) => [tb, t.prepare(`INSERT INTO ${tb} (${resultCols[tb]!.join(', ')}) VALUES (${resultCols[tb]!.map(() => '?').join(', ')})`)]),
      );
      const reads = dbs.map((db) => ({
        run: db.prepare('SELECT * FROM runs WHERE id = ?'),
        ...Object.fromEntries(RESULT_TABLES.map((tb) => [tb, db.prepare(`SELECT * FROM ${tb} WHERE run_id = ?`)])),
      })) as unknown as ({ run: import('better-sqlite3').Statement } & Record<(typeof RESULT_TABLES)[number], import('better-sqlite3').Statement>)[];

      for (const ref of refs) {
        const row = reads[ref.shard]!.run.get(ref.id) as Record<string, unknown>;
        // Written `running` first: the triggers accept result rows only for a running run.
        const copy: Record<string, unknown> = { ...row, status: 'running', finished_at: null };
        const id = Number(insertRun.run(...runCols.map((c) => copy[c] ?? null)).lastInsertRowid);
        for (const tb of RESULT_TABLES) {
          for (const r of reads[ref.shard]![tb].all(ref.id) as Record<string, unknown>[]) {
            inserts[tb]!.run(...resultCols[tb]!.map((c) => (c === 'run_id' ? id : (r[c] ?? null))));
          }
        }
        const status = row.status === 'running' ? 'interrupted' : row.status;
        if (status !== 'finished') unfinished.push({ case: ref.caseIndex, status: String(status), shard: shards[ref.shard]! });
        const message = row.status === 'running' ? `still running in ${shards[ref.shard]} when merged` : row.message;
        settle.run(status, row.finished_at ?? new Date().toISOString(), row.headline ?? null, message ?? null, id);
      }
    })();

    const cases = typeof sweep?.cases === 'number' ? sweep.cases : null;
    const held = new Set(refs.filter((r) => r.caseIndex !== null).map((r) => r.caseIndex));
    const missing = cases === null ? [] : Array.from({ length: cases }, (_, i) => i).filter((i) => !held.has(i));
    return { file: out, shards, runs: refs.length, sweep_cases: cases, missing_cases: missing, unfinished_runs: unfinished, complete: missing.length === 0 && unfinished.length === 0 };
  } catch (e) {
    if (target) {
      target.close();
      target = null;
      for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    }
    throw e;
  } finally {
    target?.close();
    for (const db of dbs) db.close();
  }
}

function copyTable(from: Database, to: Database, table: string, verb = 'INSERT'): void {
  const cols = columns(to, table);
  const insert = to.prepare(`${verb} INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
  for (const r of from.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[]) insert.run(...cols.map((c) => r[c] ?? null));
}
