/**
 * A deployment spec made ready for a host: validated, its chip resolved and each tenant's model
 * resolved (zoo name, or ONNX file read relative to the spec's folder). Writing one into a
 * project file: spec-into-project.ts (apart, so a host that only runs a spec never loads the store).
 */
import { badInput } from '../engine/errors';
import { parseDeploymentSpec, resolveSpecChip, specPreset, tenantNames, type DeploymentSpec } from '../engine/placement/spec';
import type { ChipSpec } from '../engine/hardware/spec';
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
