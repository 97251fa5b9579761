/**
 * Project files on the command line, addressed by any path (the app addresses them by name
 * inside its workspace): creating one from a deployment spec, and the run request its chip and
 * tenants make (opening one: project-open.ts). All SQL stays in src-main/store.
 */
import { existsSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import type { Database } from 'better-sqlite3';
import { openDatabase, ProjectFileError, setChip, setMeta, getMeta } from '../store';
import { specTenantRecords } from '../service/spec-loader';
import { writeSpecIntoProject } from '../service/spec-into-project';
import { projectIdentity, type ProjectIdentity } from '../store/export';
import { chipPreset } from '../engine/hardware/presets';
import type { ChipSpec } from '../engine/hardware/spec';
import type { RunTenant } from '../engine/pipeline/run';
import { listTenants } from '../store';
import { projectChip, tenantModel, type RunInputs } from '../service/project-model';
import type { LoadedSpec } from './spec-file';
import { assertProjectPath } from './project-open';

/** Spec-level defaults a project remembers (project_meta 'defaults'), used by `retile run <file.retile>`. */
export interface ProjectDefaults {
  strategy?: string;
  objective?: string;
  seed?: number;
}

/** Writes the spec's chip and tenants into an open project, and remembers its run defaults. */
export function fillFromSpec(db: Database, s: LoadedSpec): void {
  writeSpecIntoProject(db, s);
  const defaults: ProjectDefaults = { strategy: s.spec.strategy, objective: s.spec.objective, seed: s.spec.seed };
  setMeta(db, 'defaults', JSON.stringify(defaults));
  setMeta(db, 'spec_file', basename(s.path));
}

/**
 * Creates a project file: from a spec (chip and tenants), or with only a preset chip. Refuses an
 * existing file; a file whose initial content failed is removed, not left half-made.
 */
export function createProject(file: string, from: { spec?: LoadedSpec; preset?: string; name?: string }): void {
  assertProjectPath(file);
  if (existsSync(file)) throw new ProjectFileError(file, 'already exists; pick another file name or delete it first');
  const chipOnly = from.spec ? null : chipPreset(from.preset ?? 'isaac');
  let db: Database | null = null;
  try {
    db = openDatabase(file, { create: true });
    const d = db;
    d.transaction(() => {
      const now = new Date().toISOString();
      setMeta(d, 'name', from.name ?? from.spec?.spec.name ?? basename(file).replace(/\.retile$/i, ''));
      setMeta(d, 'created_at', now);
      if (from.spec) fillFromSpec(d, from.spec);
      else setChip(d, { preset: from.preset ?? 'isaac', spec: chipOnly });
    })();
    db.close();
    db = null;
  } catch (e) {
    db?.close();
    for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    throw e;
  }
}

/** The identity a project made from this spec would have (compare with projectIdentity). */
export function specIdentity(s: LoadedSpec): ProjectIdentity {
  return {
    chip: { preset: s.preset, spec: JSON.parse(JSON.stringify(s.chip)) },
    // Same keys in the same order as store/export.ts projectIdentity (compared as JSON).
    tenants: specTenantRecords(s).map((t) => ({ name: t.name, source: t.source, model: t.model, sha256: t.onnxSha256, batch: t.batch, priority: t.priority, slaMs: t.slaMs })),
  };
}

export function sameIdentity(db: Database, s: LoadedSpec): boolean {
  return JSON.stringify(projectIdentity(db)) === JSON.stringify(specIdentity(s));
}

export function projectDefaults(db: Database): ProjectDefaults {
  const v = getMeta(db, 'defaults');
  return v ? (JSON.parse(v) as ProjectDefaults) : {};
}

/** The project's chip and tenants as the optimizer takes them, with the inputs snapshot a run stores. */
export function projectRunInputs(db: Database, file: string): { chip: ChipSpec; preset: string | null; tenants: RunTenant[]; inputs: RunInputs } {
  const chip = projectChip(db);
  const stored = listTenants(db);
  if (stored.length === 0) throw new ProjectFileError(file, "field 'tenants': the project has no tenants; create it with `retile new --from <spec.json>`");
  const tenants: RunTenant[] = stored.map((t) => ({
    name: t.name,
    model: t.model,
    // The zoo graph of one inference or the imported ONNX graph stored in the file (batch 1), as `retile run <spec.json>` builds it.
    graph: tenantModel(db, t).layers,
    batch: t.batch,
    priority: t.priority,
    ...(t.slaMs !== null ? { slaMs: t.slaMs } : {}),
  }));
  return {
    chip: chip.spec,
    preset: chip.preset,
    tenants,
    inputs: {
      chip: { preset: chip.preset, spec: chip.spec },
      tenants: stored.map((t) => ({ name: t.name, source: t.source, model: t.model, sha256: t.onnxSha256, batch: t.batch, priority: t.priority, slaMs: t.slaMs })),
    },
  };
}
