/**
 * The one way a spec's chip and tenants are written into a project file (used by `retile new` and
 * by the app's "new project from an example").
 */
import type { Database } from 'better-sqlite3';
import { addTenant, putOnnxModel, setChip } from '../store';
import { specTenantRecords, type LoadedSpec } from './spec-loader';

/** Writes the spec's chip and tenants (imported ONNX graphs included) into an open project. */
export function writeSpecIntoProject(db: Database, s: LoadedSpec): void {
  setChip(db, { preset: s.preset, spec: s.chip });
  for (const m of s.models) if (m.file) putOnnxModel(db, { sha256: m.file.sha256, fileName: m.file.name, bytes: m.file.bytes, graph: m.graph });
  for (const t of specTenantRecords(s)) addTenant(db, t);
}
