/**
 * The deployment spec file (JSON): which chip, which tenants, and optionally the strategy,
 * objective and seed. Validated here; model references (zoo names or ONNX paths) are resolved
 * by the host, which reads files, into LayerGraphs (see src-main/service/models.ts).
 */
import { z } from '../zod';
import { badInput } from '../errors';
import { checkLimit } from '../limits';
import { chipPreset, parseMesh, PRESET_NAMES, withMesh } from '../hardware/presets';
import { parseChipSpec } from '../hardware/check-spec';
import type { ChipSpec } from '../hardware/spec';

export const STRATEGIES = ['direct', 'tenant', 'operator', 'collaborative', 'anneal'] as const;
export type StrategyName = (typeof STRATEGIES)[number];
export const OBJECTIVES = ['makespan', 'weighted', 'fairness', 'sla'] as const;
export type ObjectiveName = (typeof OBJECTIVES)[number];
/** Objectives only a serving run takes (report/serve-result.ts SERVING_OBJECTIVES): a burst refuses them by name. */
const SERVING_ONLY = ['throughput', 'sla-attainment'];
const servingOnly = (o: string): string => `'${o}' is a serving objective: use it with retile serve --objective ${o} (a burst run takes ${OBJECTIVES.join(', ')})`;

const meshText = z.union([
  z.string().regex(/^\s*\d+\s*[xX*]\s*\d+\s*$/, 'RxC, e.g. "32x32"'),
  z.tuple([z.number().int().positive(), z.number().int().positive()]),
]);

export const tenantSpecSchema = z
  .object({
    model: z.string().min(1, 'a zoo name or an ONNX file path'),
    name: z.string().min(1).max(64).optional(),
    batch: z.number().int().min(1).max(1_000_000).optional(),
    priority: z.number().positive().max(1000).optional(),
    sla_ms: z.number().positive().optional(),
    /** Input shape: "CxHxW" (zoo image models, or an ONNX model's first input) or "name=dims" (an ONNX input). */
    input: z.string().min(1).optional(),
    /** Symbolic dimensions by name, e.g. { "seq": 128 }. */
    dims: z.record(z.string().min(1), z.number().int().positive()).optional(),
    /** Requests per second when served as a stream (`retile serve`); the burst ignores it. */
    rate: z.number().positive().max(1e9).optional(),
  })
  .strict();

export const deploymentSpecSchema = z
  .object({
    name: z.string().max(120).optional(),
    chip: z.union([
      z.enum(PRESET_NAMES),
      z.object({ preset: z.enum(PRESET_NAMES), mesh: meshText.optional() }).strict(),
      z.record(z.string(), z.unknown()),
    ]),
    // The tenant count's upper bound is a resource limit (engine/limits.ts), checked after parsing.
    tenants: z.array(tenantSpecSchema).min(1, 'at least one tenant'),
    strategy: z.enum(STRATEGIES).optional(),
    objective: z
      .enum(OBJECTIVES, { error: (iss) => (SERVING_ONLY.includes(String(iss.input)) ? servingOnly(String(iss.input)) : undefined) })
      .optional(),
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
  })
  .strict();

export type TenantSpec = z.output<typeof tenantSpecSchema>;
export type DeploymentSpec = z.output<typeof deploymentSpecSchema>;

/** Validates a parsed JSON spec; errors name the file, the field path, the value and what was expected. */
export function parseDeploymentSpec(json: unknown, source: string): DeploymentSpec {
  // Count tenants before validating each one: a huge list is refused without walking it.
  const list = (json as { tenants?: unknown } | null)?.tenants;
  if (Array.isArray(list)) checkLimit('number of tenants', list.length, 'maxTenants', { file: source, field: 'tenants' });
  const r = deploymentSpecSchema.safeParse(json);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const path = issue.path.map(String).join('.') || '(root)';
  throw badInput(issue.message, { file: source, field: path });
}

/** The chip a spec names: a preset (optionally rescaled), or a full chip spec. */
export function resolveSpecChip(spec: DeploymentSpec, source: string, meshOverride?: [number, number]): ChipSpec {
  const c = spec.chip;
  let chip: ChipSpec;
  if (typeof c === 'string') chip = chipPreset(c);
  else if ('preset' in c && typeof c.preset === 'string' && Object.keys(c).every((k) => k === 'preset' || k === 'mesh')) {
    // A preset object that fell through to the full-spec branch: name the spec file and field in its errors.
    if (!(PRESET_NAMES as readonly string[]).includes(c.preset)) {
      throw badInput(`unknown chip preset '${c.preset}' (expected one of ${PRESET_NAMES.join(', ')})`, { file: source, field: 'chip.preset' });
    }
    if (c.mesh !== undefined && !meshText.safeParse(c.mesh).success) {
      throw badInput(`expected RxC with positive integers, e.g. "32x32" or [32, 32] (got ${JSON.stringify(c.mesh)})`, { file: source, field: 'chip.mesh' });
    }
    const mesh = c.mesh === undefined ? undefined : Array.isArray(c.mesh) ? (c.mesh as [number, number]) : parseMesh(c.mesh as string);
    chip = chipPreset(c.preset as string, mesh);
  } else chip = parseChipSpec(c, `${source} (chip)`);
  return meshOverride ? withMesh(chip, meshOverride) : chip;
}

/** The preset a spec's chip starts from, or null for a full chip spec. */
export function specPreset(spec: DeploymentSpec): string | null {
  const c = spec.chip;
  if (typeof c === 'string') return c;
  return 'preset' in c && typeof c.preset === 'string' && Object.keys(c).every((k) => k === 'preset' || k === 'mesh') ? c.preset : null;
}

/** Tenant display names: the given name, else the model's, made unique with #2, #3... */
export function tenantNames(spec: DeploymentSpec): string[] {
  const seen = new Map<string, number>();
  return spec.tenants.map((t) => {
    const base = t.name ?? t.model.replace(/^.*[\\/]/, '').replace(/\.onnx$/i, '');
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    if (n > 1 && t.name) throw badInput(`duplicate tenant name '${base}'`, { field: 'tenants.name' });
    return n === 1 ? base : `${base}#${n}`;
  });
}

export function assertStrategy(s: string): StrategyName {
  if (!(STRATEGIES as readonly string[]).includes(s)) throw badInput(`unknown strategy '${s}' (expected one of ${STRATEGIES.join(', ')})`, { field: 'strategy' });
  return s as StrategyName;
}

export function assertObjective(o: string): ObjectiveName {
  if (SERVING_ONLY.includes(o)) throw badInput(`objective ${servingOnly(o)}`, { field: 'objective' });
  if (!(OBJECTIVES as readonly string[]).includes(o)) throw badInput(`unknown objective '${o}' (expected one of ${OBJECTIVES.join(', ')})`, { field: 'objective' });
  return o as ObjectiveName;
}
