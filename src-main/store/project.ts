/**
 * The inputs of a project file: its metadata, the chip spec and the tenants (zoo references or
 * imported ONNX graphs, content-addressed by the original file's SHA-256). Plain functions over a
 * better-sqlite3 connection, free of any host, so the CLI and the app share them.
 *
 * The store does not validate chip specs or graphs (the engine does, before they get here); it
 * keeps what it is given as JSON and hands it back unchanged.
 */
import type { Database } from 'better-sqlite3';
import { parseStored } from './database';

export interface StoredChip {
  /** The preset the spec started from (null for a custom chip written from scratch). */
  preset: string | null;
  /** The validated chip spec (engine ChipSpec) as plain data. */
  spec: unknown;
  updatedAt: string;
}

export interface StoredTenant {
  id: number;
  position: number;
  name: string;
  source: 'zoo' | 'onnx';
  /** Zoo name, or the imported ONNX file's original name. */
  model: string;
  onnxSha256: string | null;
  batch: number;
  priority: number;
  slaMs: number | null;
  createdAt: string;
}

export interface TenantInput {
  name: string;
  source: 'zoo' | 'onnx';
  model: string;
  onnxSha256?: string | null;
  batch?: number;
  priority?: number;
  slaMs?: number | null;
}

export interface StoredOnnxModel {
  sha256: string;
  fileName: string;
  bytes: number;
  /** The imported graph IR (engine Graph) as plain data. */
  graph: unknown;
  importedAt: string;
}

// ------------------------------------------------------------------ metadata

export function getMeta(db: Database, key: string): string | undefined {
  return (db.prepare('SELECT value FROM project_meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
}

export function setMeta(db: Database, key: string, value: string): void {
  db.prepare('INSERT INTO project_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}

export function touch(db: Database): void {
  setMeta(db, 'modified_at', new Date().toISOString());
}

// ------------------------------------------------------------------ chip

export function getChip(db: Database): StoredChip | null {
  const row = db.prepare('SELECT preset, spec, updated_at FROM chip WHERE id = 1').get() as
    | { preset: string | null; spec: string; updated_at: string }
    | undefined;
  return row ? { preset: row.preset, spec: parseStored(db, row.spec, 'chip spec'), updatedAt: row.updated_at } : null;
}

export function setChip(db: Database, chip: { preset: string | null; spec: unknown }): void {
  db.prepare(
    'INSERT INTO chip (id, preset, spec, updated_at) VALUES (1, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET preset = excluded.preset, spec = excluded.spec, updated_at = excluded.updated_at',
  ).run(chip.preset, JSON.stringify(chip.spec), new Date().toISOString());
  touch(db);
}

// ------------------------------------------------------------------ imported ONNX graphs

/** Keeps an imported graph once per file content; runs refer to it by hash, so it outlives its tenant. */
export function putOnnxModel(db: Database, m: Omit<StoredOnnxModel, 'importedAt'>): void {
  db.prepare('INSERT OR IGNORE INTO onnx_models (sha256, file_name, bytes, graph, imported_at) VALUES (?, ?, ?, ?, ?)').run(
    m.sha256,
    m.fileName,
    m.bytes,
    JSON.stringify(m.graph),
    new Date().toISOString(),
  );
}

export function getOnnxModel(db: Database, sha256: string): StoredOnnxModel | undefined {
  const row = db.prepare('SELECT * FROM onnx_models WHERE sha256 = ?').get(sha256) as
    | { sha256: string; file_name: string; bytes: number; graph: string; imported_at: string }
    | undefined;
  return row && { sha256: row.sha256, fileName: row.file_name, bytes: row.bytes, graph: parseStored(db, row.graph, `imported graph of ${row.file_name}`), importedAt: row.imported_at };
}

// ------------------------------------------------------------------ tenants

interface TenantRow {
  id: number;
  position: number;
  name: string;
  source: 'zoo' | 'onnx';
  model: string;
  onnx_sha256: string | null;
  batch: number;
  priority: number;
  sla_ms: number | null;
  created_at: string;
}

const tenantFromRow = (r: TenantRow): StoredTenant => ({
  id: r.id,
  position: r.position,
  name: r.name,
  source: r.source,
  model: r.model,
  onnxSha256: r.onnx_sha256,
  batch: r.batch,
  priority: r.priority,
  slaMs: r.sla_ms,
  createdAt: r.created_at,
});

export function listTenants(db: Database): StoredTenant[] {
  return (db.prepare('SELECT * FROM tenants ORDER BY position, id').all() as TenantRow[]).map(tenantFromRow);
}

export function getTenant(db: Database, id: number): StoredTenant | undefined {
  const row = db.prepare('SELECT * FROM tenants WHERE id = ?').get(id) as TenantRow | undefined;
  return row && tenantFromRow(row);
}

/** A name not yet taken by another tenant: `base`, else `base-2`, `base-3`, ... */
export function uniqueTenantName(db: Database, base: string): string {
  const taken = new Set((db.prepare('SELECT name FROM tenants').all() as { name: string }[]).map((r) => r.name));
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

export function addTenant(db: Database, t: TenantInput): number {
  const position = ((db.prepare('SELECT MAX(position) AS p FROM tenants').get() as { p: number | null }).p ?? -1) + 1;
  const info = db
    .prepare(
      'INSERT INTO tenants (position, name, source, model, onnx_sha256, batch, priority, sla_ms, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
    .run(position, t.name, t.source, t.model, t.onnxSha256 ?? null, t.batch ?? 1, t.priority ?? 1, t.slaMs ?? null, new Date().toISOString());
  touch(db);
  return Number(info.lastInsertRowid);
}

export function updateTenant(db: Database, id: number, patch: { name?: string; batch?: number; priority?: number; slaMs?: number | null }): void {
  const t = getTenant(db, id);
  if (!t) throw new Error(`no tenant with id ${id}`);
  db.prepare('UPDATE tenants SET name = ?, batch = ?, priority = ?, sla_ms = ? WHERE id = ?').run(
    patch.name ?? t.name,
    patch.batch ?? t.batch,
    patch.priority ?? t.priority,
    patch.slaMs === undefined ? t.slaMs : patch.slaMs,
    id,
  );
  touch(db);
}

export function removeTenant(db: Database, id: number): boolean {
  const changes = db.prepare('DELETE FROM tenants WHERE id = ?').run(id).changes;
  touch(db);
  return changes > 0;
}

/** Reorders tenants to the given id order (tenant order is the placement order of direct deployment). */
export function reorderTenants(db: Database, ids: number[]): void {
  db.transaction(() => {
    const update = db.prepare('UPDATE tenants SET position = ? WHERE id = ?');
    ids.forEach((id, i) => update.run(i, id));
    touch(db);
  })();
}
