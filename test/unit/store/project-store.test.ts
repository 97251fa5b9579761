/**
 * The project file format (docs/file-format.md): migrations from every earlier schema version,
 * two connections at once, rolled-back writes, immutability of finished runs, and the workspace
 * operations (duplicate, rename, delete, explicitly opened external files).
 */
import { afterEach, describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  SCHEMA_VERSION,
  Workspace,
  addTenant,
  createRun,
  getChip,
  getOnnxModel,
  getRun,
  listRuns,
  listTenants,
  loadRunResult,
  openDatabase,
  putOnnxModel,
  removeTenant,
  saveRunResult,
  setChip,
  updateTenant,
} from '../../../src-main/store';
import type { RunResult } from '../../../src-main/engine/report/result';
import { tempDir } from '../../helpers';

let tmp: ReturnType<typeof tempDir>;
afterEach(() => tmp?.cleanup());

/** Schema version 1 exactly as the first release wrote it (written out here, not taken from migrations.ts). */
const V1_SQL = `
  CREATE TABLE schema_history (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL);
  CREATE TABLE project_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('running','finished','failed','cancelled','interrupted')),
    settings TEXT NOT NULL, created_at TEXT NOT NULL, finished_at TEXT, message TEXT);
  INSERT INTO schema_history VALUES (1, 'project metadata and runs', '2026-01-01T00:00:00Z');
  INSERT INTO project_meta VALUES ('name', 'Old study');
  INSERT INTO runs (kind, status, settings, created_at, finished_at) VALUES ('sweep', 'finished', '{"sides":[3]}', '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z');
  PRAGMA user_version = 1;
`;

/** Version 2 as released: version 1 plus run provenance, results and the immutability triggers. */
const V2_SQL = `
  ${V1_SQL.replace('PRAGMA user_version = 1;', '')}
  ALTER TABLE runs ADD COLUMN strategy TEXT;
  ALTER TABLE runs ADD COLUMN retile_version TEXT NOT NULL DEFAULT '0.0.0';
  ALTER TABLE runs ADD COLUMN headline REAL;
  CREATE TABLE run_results (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, name TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (run_id, name));
  INSERT INTO run_results VALUES (1, 'sweep', '[{"speedup_vs_direct":6}]');
  CREATE TRIGGER runs_finished_immutable BEFORE UPDATE ON runs WHEN OLD.status = 'finished'
    BEGIN SELECT RAISE(ABORT, 'finished runs are immutable'); END;
  CREATE TRIGGER run_results_immutable BEFORE INSERT ON run_results
    WHEN (SELECT status FROM runs WHERE id = NEW.run_id) <> 'running'
    BEGIN SELECT RAISE(ABORT, 'results can only be added to a running run'); END;
  INSERT INTO schema_history VALUES (2, 'run provenance and results; finished runs immutable', '2026-02-01T00:00:00Z');
  PRAGMA user_version = 2;
`;

function handMade(sql: string): string {
  const file = join(tmp.dir, `old-${Math.random().toString(36).slice(2)}.retile`);
  const raw = new BetterSqlite3(file);
  raw.exec(sql);
  raw.close();
  return file;
}

/** A small RunResult written by hand (two tenants, three layers); values are arbitrary but distinct. */
function sampleResult(): RunResult {
  const tenant = (name: string, latency: number) => ({
    name, model: name, batch: 1, priority: 1, latency_s: latency, p50_s: latency, p99_s: latency * 1.5, finish_s: latency * 2,
    throughput_ips: 1 / latency, energy_j: 1e-3, tiles: 4, crossbars: 96, copies: 5, pieces: 7, phases: 1, ntt: 1.25, sla_ms: null, sla_met: null,
  });
  const layer = (tenantName: string, name: string) => ({
    tenant: tenantName, name, kind: 'conv', rows: 27, cols: 64, copies: 2, pieces: 1, crossbars: 16, mvms: 1024,
    latency_s: 1e-5, energy_j: 2e-6, utilization: 0.42, class: 'compute' as const,
  });
  return {
    strategy: 'collaborative', objective: 'makespan', seed: 7, definition: 'test', direct_definition: 'test',
    chip: { name: 'isaac', mesh: [2, 2], tiles: 4, crossbars: 384 },
    makespan_s: 0.002, energy_j: 0.004, edp_js: 8e-6, lower_bound_s: 0.001, gap_to_bound: 1, speedup_vs_direct: 2, energy_gain_vs_direct: 1.5,
    seconds: 0.1, events: 100,
    tenants: [tenant('lenet5', 0.001), tenant('alexnet', 0.002)],
    metrics: { antt: 1.2, stp: 1.8, fairness: 0.9, jain: 0.95, sla_rate: null, temporal_utilization: 0.5, spatial_utilization: 0.6, allocated_fraction: 0.7 },
    analytic: { makespan_s: 0.002, energy_j: 0.004, tenants: [] },
    trace: [{ iteration: 0, shares: [1, 3], latencies_s: [0.001, 0.002], learning_rate: 0.5, objective: 0.002 }],
    layers: [layer('lenet5', 'conv1'), layer('lenet5', 'conv2'), layer('alexnet', 'conv1')],
    placement: { mesh: [2, 2], reops: [{ tenant: 0, layer: 0, layer_name: 'conv1', copy: 0, piece: 0, tile: 0, crossbars: 16 }] },
    energy_breakdown_j: { adc: 0.001, crossbar: 0.002, leakage: 0.001 },
    tile_busy_s: [0.001, 0.002, 0, 0.0005],
    timeline: [{ reop: 0, tenant: 0, start_s: 0, end_s: 0.001 }],
  };
}

describe('schema migrations', () => {
  it('brings a version-1 file to the current schema, keeping its project and runs', () => {
    tmp = tempDir();
    const db = openDatabase(handMade(V1_SQL));
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const runs = listRuns(db);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ kind: 'sweep', status: 'finished', retileVersion: '0.0.0', objective: null, seed: null, inputs: null });
    expect(getChip(db)).toBeNull();
    expect(listTenants(db)).toEqual([]);
    const history = (db.prepare('SELECT version FROM schema_history ORDER BY version').all() as { version: number }[]).map((r) => r.version);
    expect(history).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
    db.close();
  });

  it('brings a version-2 file to the current schema; its finished run stays immutable', () => {
    tmp = tempDir();
    const db = openDatabase(handMade(V2_SQL));
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(() => db.prepare('UPDATE runs SET headline = 1 WHERE id = 1').run()).toThrow(/immutable/);
    expect((db.prepare("SELECT body FROM run_results WHERE run_id = 1").get() as { body: string }).body).toBe('[{"speedup_vs_direct":6}]');
    db.close();
  });

  it('creates a fresh file (version 0) at the current schema', () => {
    tmp = tempDir();
    const db = openDatabase(join(tmp.dir, 'fresh.retile'), { create: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('leaves a file at its old version when a migration fails half-way', () => {
    tmp = tempDir();
    // A version-2 file that already has a table named like one migration 3 creates: migration 3 fails.
    const file = handMade(V2_SQL.replace('PRAGMA user_version = 2;', 'CREATE TABLE tenants (x); PRAGMA user_version = 2;'));
    expect(() => openDatabase(file)).toThrow(/not a Retile project file|already exists/);
    const raw = new BetterSqlite3(file, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(2);
    expect(raw.prepare("SELECT name FROM sqlite_master WHERE name = 'chip'").get()).toBeUndefined();
    raw.close();
  });
});

describe('project inputs', () => {
  it('keeps the chip, tenants and imported graphs, content-addressed by SHA-256', () => {
    tmp = tempDir();
    const ws = new Workspace(tmp.dir);
    const { file } = ws.create('inputs');
    ws.with(file, (db) => {
      setChip(db, { preset: 'isaac', spec: { name: 'isaac', topology: { rows: 4, cols: 4 } } });
      expect(getChip(db)).toMatchObject({ preset: 'isaac', spec: { topology: { rows: 4 } } });
      const sha = 'a'.repeat(64);
      putOnnxModel(db, { sha256: sha, fileName: 'net.onnx', bytes: 10, graph: { name: 'net', nodes: [] } });
      putOnnxModel(db, { sha256: sha, fileName: 'copy-of-net.onnx', bytes: 10, graph: { name: 'net', nodes: [] } });
      expect(getOnnxModel(db, sha)?.fileName).toBe('net.onnx');
      const a = addTenant(db, { name: 'lenet5', source: 'zoo', model: 'lenet5' });
      const b = addTenant(db, { name: 'net', source: 'onnx', model: 'net.onnx', onnxSha256: sha, batch: 4, priority: 2, slaMs: 5 });
      expect(() => addTenant(db, { name: 'lenet5', source: 'zoo', model: 'lenet5' })).toThrow(/UNIQUE/);
      expect(() => addTenant(db, { name: 'x', source: 'onnx', model: 'x.onnx' })).toThrow(/CHECK/);
      expect(() => addTenant(db, { name: 'y', source: 'onnx', model: 'y.onnx', onnxSha256: 'b'.repeat(64) })).toThrow(/FOREIGN KEY/);
      updateTenant(db, a, { batch: 8, slaMs: null });
      expect(listTenants(db).map((t) => [t.name, t.batch, t.priority, t.slaMs])).toEqual([
        ['lenet5', 8, 1, null],
        ['net', 4, 2, 5],
      ]);
      expect(removeTenant(db, b)).toBe(true);
      // The graph outlives its tenant: runs refer to it by hash.
      expect(getOnnxModel(db, sha)).toBeDefined();
    });
  });
});

describe('runs', () => {
  it('round-trips a RunResult unchanged and fills the per-tenant and per-layer tables', () => {
    tmp = tempDir();
    const ws = new Workspace(tmp.dir);
    const { file } = ws.create('runs');
    const result = sampleResult();
    ws.with(file, (db) => {
      const id = createRun(db, { kind: 'deploy', strategy: 'collaborative', objective: 'makespan', seed: 7, settings: {}, inputs: { chip: 'isaac' }, version: '9.9.9' });
      saveRunResult(db, id, result);
      expect(getRun(db, id)).toMatchObject({ status: 'finished', strategy: 'collaborative', objective: 'makespan', seed: 7, headline: 0.002, inputs: { chip: 'isaac' } });
      expect((db.prepare('SELECT COUNT(*) AS n FROM run_layers WHERE run_id = ?').get(id) as { n: number }).n).toBe(3);
      expect(db.prepare('SELECT name, latency_s FROM run_tenants WHERE run_id = ? ORDER BY idx').all(id)).toEqual([
        { name: 'lenet5', latency_s: 0.001 },
        { name: 'alexnet', latency_s: 0.002 },
      ]);
      // Finished runs are immutable, rows included.
      expect(() => db.prepare('UPDATE run_tenants SET latency_s = 0 WHERE run_id = ?').run(id)).toThrow(/immutable/);
      expect(() => db.prepare("INSERT INTO run_layers (run_id, tenant, idx, name, kind, copies, pieces, crossbars, latency_s, energy_j, utilization, class) VALUES (?, 't', 99, 'x', 'conv', 1, 1, 1, 0, 0, 0, 'area')").run(id)).toThrow(/running run/);
    });
    // Closed and reopened: identical.
    ws.with(file, (db) => expect(loadRunResult(db, listRuns(db)[0].id)).toEqual(result));
  });

  it('rolls back a failed result write: no rows, run still running', () => {
    tmp = tempDir();
    const ws = new Workspace(tmp.dir);
    const { file } = ws.create('rollback');
    ws.with(file, (db) => {
      const id = createRun(db, { kind: 'deploy', settings: {}, version: 't' });
      const bad = sampleResult();
      // The third layer lacks a NOT NULL column: the write fails after two tenant and two layer rows.
      (bad.layers[2] as { name: unknown }).name = null;
      expect(() => saveRunResult(db, id, bad)).toThrow(/NOT NULL/);
      expect(getRun(db, id)?.status).toBe('running');
      expect((db.prepare('SELECT COUNT(*) AS n FROM run_tenants').get() as { n: number }).n).toBe(0);
      expect((db.prepare('SELECT COUNT(*) AS n FROM run_layers').get() as { n: number }).n).toBe(0);
      expect(loadRunResult(db, id)).toBeUndefined();
    });
  });

  it('serves two connections at once: a reader sees committed writes, writers wait for each other', () => {
    tmp = tempDir();
    const ws = new Workspace(tmp.dir);
    const { file } = ws.create('two');
    const a = ws.open(file);
    const b = ws.open(file);
    try {
      const id = createRun(a, { kind: 'deploy', settings: {}, version: 't' });
      // b reads inside its own transaction while a writes: WAL gives b a stable snapshot.
      b.exec('BEGIN');
      expect(listRuns(b)).toHaveLength(1);
      saveRunResult(a, id, sampleResult());
      expect(getRun(b, id)?.status).toBe('running');
      b.exec('COMMIT');
      expect(getRun(b, id)?.status).toBe('finished');
      expect(loadRunResult(b, id)?.makespan_s).toBe(0.002);
      // A second writer while the first holds the write lock times out instead of corrupting.
      const c = openDatabase(ws.path(file), { busyTimeoutMs: 50 });
      a.exec('BEGIN IMMEDIATE');
      expect(() => addTenant(c, { name: 'z', source: 'zoo', model: 'lenet5' })).toThrow(/locked|busy/i);
      a.exec('ROLLBACK');
      addTenant(c, { name: 'z', source: 'zoo', model: 'lenet5' });
      expect(listTenants(b).map((t) => t.name)).toEqual(['z']);
      c.close();
    } finally {
      a.close();
      b.close();
    }
  });
});

describe('workspace', () => {
  it('duplicates, renames and deletes projects', async () => {
    tmp = tempDir();
    const ws = new Workspace(tmp.dir);
    const { file } = ws.create('base');
    ws.with(file, (db) => addTenant(db, { name: 'lenet5', source: 'zoo', model: 'lenet5' }));
    const copy = await ws.duplicate(file, 'base copy');
    expect(copy).toMatchObject({ file: 'base-copy.retile', name: 'base copy' });
    ws.with(copy.file, (db) => expect(listTenants(db)).toHaveLength(1));
    expect(() => ws.rename(copy.file, 'base')).toThrow(/already exists/);
    const renamed = ws.rename(copy.file, 'other study');
    expect(renamed).toMatchObject({ file: 'other-study.retile', name: 'other study' });
    expect(existsSync(join(tmp.dir, 'base-copy.retile'))).toBe(false);
    ws.remove(renamed.file);
    expect(ws.list().map((p) => p.file)).toEqual(['base.retile']);
  });

  it('addresses an outside file by path only after it was explicitly opened', () => {
    tmp = tempDir();
    const other = tempDir('retile-outside-');
    try {
      const outside = new Workspace(other.dir).create('outside');
      const path = join(other.dir, outside.file);
      const ws = new Workspace(tmp.dir);
      expect(() => ws.path(path)).toThrow(/project file name/);
      expect(ws.allowExternal(path)).toBe(path);
      expect(ws.info(path)).toMatchObject({ name: 'outside', file: path });
    } finally {
      other.cleanup();
    }
  });
});
