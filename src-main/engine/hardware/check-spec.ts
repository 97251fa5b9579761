/**
 * Checking a chip spec: fields the schema does not know, the schema's rules, the resource limits
 * and the component models' own checks, as a list (`checkChipSpec`) or the first as a
 * RetileError (`parseChipSpec`). Apart from spec.ts so the schema and the component models
 * (components.ts, which reads the spec's types) do not import each other.
 */
import { z } from '../zod';
import { badInput } from '../errors';
import { checkLimit } from '../limits';
import { appendAll } from '../arrays';
import { resolvedComponents } from './components';
import { chipSpecSchema, type ChipSpec, type ChipSpecInput } from './spec';

// ---------------------------------------------------------------- unknown fields

type SchemaNode = { properties?: Record<string, SchemaNode>; allOf?: SchemaNode[]; anyOf?: SchemaNode[]; items?: SchemaNode };

let specSchemaJson: SchemaNode | undefined;

/** The chip-spec schema as JSON Schema (zod's own export), built once: which keys exist where. */
function specSchema(): SchemaNode {
  specSchemaJson ??= z.toJSONSchema(chipSpecSchema, { unrepresentable: 'any', io: 'input' }) as SchemaNode;
  return specSchemaJson;
}

/** The schema nodes under `key` of a node (through allOf / anyOf). */
function childNodes(node: SchemaNode, key: string): SchemaNode[] | undefined {
  const own = node.properties?.[key];
  const nested = [...(node.allOf ?? []), ...(node.anyOf ?? [])].map((n) => childNodes(n, key)).filter((x): x is SchemaNode[] => x !== undefined);
  if (own === undefined && nested.length === 0) return undefined;
  return [...(own ? [own] : []), ...nested.flat()];
}

/** Keys of a chip-spec JSON the schema does not know (parsing would drop them): reported, never silently ignored. */
export function unknownFields(input: unknown, nodes: SchemaNode[] = [specSchema()], prefix = ''): string[] {
  if (input === null || typeof input !== 'object') return [];
  const out: string[] = [];
  if (Array.isArray(input)) {
    const items = nodes.flatMap((n) => [n.items, ...(n.anyOf ?? []).map((m) => m.items)]).filter((x): x is SchemaNode => x !== undefined);
    input.forEach((v, i) => appendAll(out, unknownFields(v, items, `${prefix}.${i}`)));
    return out;
  }
  for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (!prefix && k === 'about') continue; // the field notes `retile chip --spec` writes
    const next = nodes.map((n) => childNodes(n, k)).filter((x): x is SchemaNode[] => x !== undefined).flat();
    if (next.length === 0) out.push(path);
    else appendAll(out, unknownFields(v, next, path));
  }
  return out;
}

/** The message of a field the schema does not know. */
function unknownFieldMessage(path: string): string {
  return `no chip-spec field '${path}' (retile chip isaac --spec lists every field)`;
}

/** One problem of a chip spec: the dotted field path and what is wrong (value found, what was expected). */
export interface SpecProblem {
  field: string;
  message: string;
}

/**
 * Every problem of a chip spec at once (schema, limits, component models), in field order of
 * discovery; empty when the spec is valid.
 */
export function checkChipSpec(json: unknown): SpecProblem[] {
  const unknown = unknownFields(json).map((field) => ({ field, message: unknownFieldMessage(field) }));
  const result = chipSpecSchema.safeParse(json);
  if (!result.success) {
    return [...unknown, ...result.error.issues.map((issue) => {
      const value = valueAt(json, issue.path as PropertyKey[]);
      const shown = value === undefined ? 'missing' : JSON.stringify(value);
      return { field: issue.path.map(String).join('.') || '(root)', message: `${issue.message} (got ${shown})` };
    })];
  }
  const problems: SpecProblem[] = unknown;
  const { rows, cols } = result.data.topology;
  const limit = (field: string, what: string, v: number, key: 'maxMeshSide' | 'maxTiles') => {
    try {
      checkLimit(what, v, key, { field });
    } catch (e) {
      problems.push({ field, message: (e as Error).message });
    }
  };
  // Resource limits (engine/limits.ts): a huge mesh would exhaust memory in mapping and simulation.
  limit('topology.rows', 'mesh rows', rows, 'maxMeshSide');
  limit('topology.cols', 'mesh cols', cols, 'maxMeshSide');
  limit('topology', `tile count (${rows}x${cols})`, rows * cols, 'maxTiles');
  appendAll(problems, resolvedComponents(result.data).problems);
  return problems;
}

/**
 * Validate a chip spec. Throws RetileError('bad-input') naming the field path, the value found
 * and what was expected (the first problem; `checkChipSpec` lists them all). A field the schema
 * does not know is refused first (a misspelt field would otherwise be dropped, its default used).
 */
export function parseChipSpec(json: unknown, source: string): ChipSpec {
  const unknown = unknownFields(json)[0];
  if (unknown !== undefined) throw badInput(unknownFieldMessage(unknown), { file: source, field: unknown });
  return parseTypedChipSpec(json as ChipSpecInput, source);
}

/**
 * parseChipSpec for a spec built in code, whose fields its type already checks (a preset, a
 * parsed spec given another mesh): no unknown-field walk, whose first call in a process builds
 * the schema's JSON Schema (about 5 ms, a twentieth of simulating MNSIM's five networks).
 */
export function parseTypedChipSpec(json: ChipSpecInput, source: string): ChipSpec {
  const result = chipSpecSchema.safeParse(json);
  if (result.success) {
    // Resource limits (engine/limits.ts): a huge mesh would exhaust memory in mapping and simulation.
    const { rows, cols } = result.data.topology;
    checkLimit('mesh rows', rows, 'maxMeshSide', { file: source, field: 'topology.rows' });
    checkLimit('mesh cols', cols, 'maxMeshSide', { file: source, field: 'topology.cols' });
    checkLimit(`tile count (${rows}x${cols})`, rows * cols, 'maxTiles', { file: source, field: 'topology' });
    const problem = resolvedComponents(result.data).problems[0];
    if (problem) throw badInput(problem.message, { file: source, field: problem.field });
    return result.data;
  }
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String).join('.');
  const value = valueAt(json, issue.path as PropertyKey[]);
  const shown = value === undefined ? 'missing' : JSON.stringify(value);
  throw badInput(`${issue.message} (got ${shown})`, { file: source, field: path || '(root)' });
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let v: unknown = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}
