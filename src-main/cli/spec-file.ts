/**
 * Reading a deployment spec file (JSON) for the batch commands (new, sweep): the validated spec,
 * its chip, and each tenant's model resolved on the host (zoo name, or ONNX file read relative to
 * the spec's folder). Errors name the file and the field.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { badInput } from '../engine/errors';
import { parseDeploymentSpec, resolveSpecChip, tenantNames, type DeploymentSpec } from '../engine/deploy/spec';
import type { ChipSpec } from '../engine/hardware/spec';
import type { RunTenant } from '../engine/optimize';
import { resolveModel, type ResolvedModel } from '../service/models';

export interface LoadedSpec {
  path: string;
  spec: DeploymentSpec;
  /** The chip the spec names (a preset, possibly rescaled, or a full chip spec). */
  chip: ChipSpec;
  /** The preset the chip started from, null for a full chip spec. */
  preset: string | null;
  names: string[];
  models: ResolvedModel[];
}

export function readSpecFile(path: string): LoadedSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw badInput('cannot read the deployment spec (no such file)', { file: path });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw badInput(`not valid JSON: ${(e as Error).message}`, { file: path });
  }
  const spec = parseDeploymentSpec(json, path);
  const chip = resolveSpecChip(spec, path);
  const c = spec.chip;
  const preset = typeof c === 'string' ? c : 'preset' in c && typeof c.preset === 'string' && Object.keys(c).every((k) => k === 'preset' || k === 'mesh') ? c.preset : null;
  let names: string[];
  try {
    names = tenantNames(spec);
  } catch (e) {
    throw badInput((e as Error).message, { file: path });
  }
  const baseDir = dirname(resolve(path));
  const models = spec.tenants.map((t, i) => {
    try {
      return resolveModel(t.model, { baseDir });
    } catch (e) {
      // resolveModel names the ONNX file itself; a bad zoo name only names the field.
      const msg = (e as Error).message;
      throw msg.includes(path) || /\.onnx/i.test(t.model) ? e : badInput(msg.replace(/^field 'model': /, ''), { file: path, field: `tenants.${i}.model` });
    }
  });
  return { path, spec, chip, preset, names, models };
}

/** The tenants as the optimizer takes them (graphs of one inference; batch = inferences). */
export function specTenants(s: LoadedSpec): RunTenant[] {
  return s.spec.tenants.map((t, i) => ({
    name: s.names[i]!,
    model: s.models[i]!.model,
    graph: s.models[i]!.layers,
    batch: t.batch ?? 1,
    priority: t.priority ?? 1,
    ...(t.sla_ms !== undefined ? { slaMs: t.sla_ms } : {}),
  }));
}
