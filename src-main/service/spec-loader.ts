/**
 * A deployment spec made ready for a host: validated, its chip resolved and each tenant's model
 * resolved (zoo name, or ONNX file read relative to the spec's folder); and the one way a spec's
 * chip and tenants are written into a project file (used by `retile new` and by the app's
 * "new project from an example").
 */
import type { Database } from 'better-sqlite3';
import { badInput } from '../engine/errors';
import { parseDeploymentSpec, resolveSpecChip, specPreset, tenantNames, type DeploymentSpec } from '../engine/placement/spec';
import type { ChipSpec } from '../engine/hardware/spec';
import { addTenant, putOnnxModel, setChip } from '../store';
import { parseInputBinding } from '../engine/workload';
import { resolveModel, type ResolvedModel } from './models';

export interface LoadedSpec {
  /** The spec file (for messages). */
  path: string;
  spec: DeploymentSpec;
  /** The chip the spec names (a preset, possibly rescaled, or a full chip spec). */
  chip: ChipSpec;
  /** The preset the chip started from, null for a full chip spec. */
  preset: string | null;
  names: string[];
  models: ResolvedModel[];
}

/** Validates a parsed spec; ONNX references resolve against `baseDir`. Errors name the file and field. */
export function loadSpec(json: unknown, path: string, baseDir: string): LoadedSpec {
  const spec = parseDeploymentSpec(json, path);
  const chip = resolveSpecChip(spec, path);
  let names: string[];
  try {
    names = tenantNames(spec);
  } catch (e) {
    throw badInput((e as Error).message, { file: path });
  }
  const models = spec.tenants.map((t, i) => {
    try {
      const input = t.input === undefined ? undefined : parseInputBinding(t.input);
      return resolveModel(t.model, { baseDir, input, dims: t.dims });
    } catch (e) {
      // resolveModel names the ONNX file itself; a bad zoo name only names the field.
      const msg = (e as Error).message;
      const field = /^field '(input|dims)/.exec(msg)?.[1];
      if (msg.includes(path) || /\.onnx/i.test(t.model)) throw e;
      throw badInput(msg.replace(/^field '[^']*': /, ''), { file: path, field: `tenants.${i}.${field ?? 'model'}` });
    }
  });
  return { path, spec, chip, preset: specPreset(spec), names, models };
}

/** The spec's tenants as a project stores them (ONNX models by the hash of their file). */
export function specTenantRecords(s: LoadedSpec): { name: string; source: 'zoo' | 'onnx'; model: string; onnxSha256: string | null; batch: number; priority: number; slaMs: number | null }[] {
  return s.spec.tenants.map((t, i) => {
    const m = s.models[i]!;
    return {
      name: s.names[i]!,
      source: m.file ? 'onnx' : 'zoo',
      model: m.file ? m.file.name : m.model,
      onnxSha256: m.file?.sha256 ?? null,
      batch: t.batch ?? 1,
      priority: t.priority ?? 1,
      slaMs: t.sla_ms ?? null,
    };
  });
}

/** Writes the spec's chip and tenants (imported ONNX graphs included) into an open project. */
export function writeSpecIntoProject(db: Database, s: LoadedSpec): void {
  setChip(db, { preset: s.preset, spec: s.chip });
  for (const m of s.models) if (m.file) putOnnxModel(db, { sha256: m.file.sha256, fileName: m.file.name, bytes: m.file.bytes, graph: m.graph });
  for (const t of specTenantRecords(s)) addTenant(db, t);
}
