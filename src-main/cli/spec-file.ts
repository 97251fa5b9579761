/**
 * Reading a deployment spec file (JSON) for the batch commands (new, sweep): the validated spec,
 * its chip, and each tenant's model resolved on the host (zoo name, or ONNX file read relative to
 * the spec's folder). Errors name the file and the field.
 */
import { dirname, resolve } from 'node:path';
import { badInput } from '../engine/errors';
import type { RunTenant } from '../engine/pipeline/run';
import { loadSpec, type LoadedSpec } from '../service/spec-loader';
import { MAX_SPEC_BYTES, readInputFile } from '../service/input-file';

export type { LoadedSpec };

export function readSpecFile(path: string): LoadedSpec {
  const text = readInputFile(path, 'deployment spec', MAX_SPEC_BYTES).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw badInput(`not valid JSON: ${(e as Error).message}`, { file: path });
  }
  return loadSpec(json, path, dirname(resolve(path)));
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
