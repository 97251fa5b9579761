/**
 * Editing a chip spec field by field (`--set pe.adc.bits=4`, `retile sweep --vary ...`) and
 * describing every field (`retile chip <c> --spec`). A setting is applied to the spec's input
 * JSON, so every cost that depends on the field is derived again by its model unless the spec
 * pins it; the result is validated like any spec. A field no model reads is refused.
 */
import { badInput } from '../errors';
import { parseChipSpec } from './check-spec';
import type { ChipSpec } from './spec';
import { DEFAULT_REFERENCES, resolvedComponents } from './components';
import { writeVerifyIterations } from './write-verify';

/**
 * Fields that no cost or timing model reads: setting them would change nothing, so they are
 * refused with what to change instead.
 */
const NOT_MODELLED: Record<string, string> = {
  technology_nm:
    'no component model scales with the technology node; give each component a reference design point at the new node (pe.<component>.reference) or pin its costs',
};

/** One `path=value` setting, the value parsed as a number, boolean or string. */
export interface ChipSetting {
  path: string;
  value: unknown;
}

export function parseSetting(text: string, flag = '--set'): ChipSetting {
  const eq = text.indexOf('=');
  const path = eq > 0 ? text.slice(0, eq).trim() : '';
  const raw = eq > 0 ? text.slice(eq + 1).trim() : '';
  if (!/^[a-z_][a-z0-9_]*(\.[a-z0-9_]+)*$/i.test(path) || raw === '') {
    throw badInput(`expected <field.path>=<value>, e.g. pe.adc.bits=4 (got ${JSON.stringify(text)})`, { field: flag });
  }
  return { path, value: parseValue(raw) };
}

function parseValue(raw: string): unknown {
  if (raw === 'true' || raw === 'false') return raw === 'true';
  const n = Number(raw);
  return raw !== '' && Number.isFinite(n) ? n : raw;
}

/** Every leaf path of a JSON value (arrays by index), with its value. */
export function leafPaths(v: unknown, prefix = ''): [string, unknown][] {
  if (v === null || typeof v !== 'object') return prefix ? [[prefix, v]] : [];
  return Object.entries(v as Record<string, unknown>).flatMap(([k, x]) => leafPaths(x, prefix ? `${prefix}.${k}` : k));
}

/**
 * The chip with the settings applied to its input JSON, validated; `source` names where the
 * spec came from in error messages. Each setting's field must exist in the schema and be read
 * by a model.
 */
export function applySettings(chip: ChipSpec | unknown, settings: ChipSetting[], source: string, flag = '--set'): ChipSpec {
  const json = structuredClone(chip) as Record<string, unknown>;
  for (const s of settings) {
    const why = NOT_MODELLED[s.path];
    if (why) throw badInput(`${s.path} cannot be set: ${why}`, { file: source, field: s.path });
    setPath(json, s.path, s.value, source);
  }
  return parseChipSpec(json, `${source} with ${settings.map((s) => `${flag} ${s.path}=${String(s.value)}`).join(' ')}`);
}

function setPath(root: Record<string, unknown>, path: string, value: unknown, source: string): void {
  const keys = path.split('.');
  let o: Record<string, unknown> = root;
  for (let i = 0; i < keys.length - 1; i++) {
    const k = keys[i]!;
    const next = o[k];
    if (next === undefined) o[k] = {};
    else if (next === null || typeof next !== 'object') {
      throw badInput(`'${keys.slice(0, i + 1).join('.')}' is a value, not a section`, { file: source, field: path });
    }
    o = o[k] as Record<string, unknown>;
  }
  o[keys[keys.length - 1]!] = value;
}

// ---------------------------------------------------------------- field descriptions

const UNIT_BY_SUFFIX: [RegExp, string][] = [
  [/_ns$/, 'ns'],
  [/_mw$/, 'mW'],
  [/_w$/, 'W'],
  [/_mm2$/, 'mm2'],
  [/_um2$/, 'um2'],
  [/_gsps$/, 'GS/s'],
  [/_gbps$/, 'Gb/s'],
  [/_gbs$/, 'GB/s'],
  [/_ghz$/, 'GHz'],
  [/_nm$/, 'nm'],
  [/_pj$/, 'pJ'],
  [/_kb$/, 'KB'],
  [/_bytes$/, 'B'],
  [/_bits$|^bits$/, 'bit'],
  [/_ohm$/, 'ohm'],
  [/_v$/, 'V'],
  [/_cycles$/, 'clock cycles'],
  [/^endurance_writes$/, 'writes per cell'],
  [/^write_column_mux$/, 'columns per write driver'],
  [/^write_verify_iterations$/, 'verify iterations per cell write'],
  [/^(count|pes|rows|cols|ports|wires|concentration)$/, 'count'],
];

/** The unit of a field, from its name's suffix ('' for names, enums and plain numbers). */
export function fieldUnit(path: string): string {
  const leaf = path.split('.').at(-1)!;
  return UNIT_BY_SUFFIX.find(([re]) => re.test(leaf))?.[1] ?? '';
}

/** Fields whose default has a source of its own (not the chip's citation): the default value and that source. */
const DEFAULT_SOURCES: Record<string, { value: number; source: string }> = {
  'device.endurance_writes': { value: 1e6, source: 'Huang et al., IEDM 2013: 10^6 writes for 4-level HfOx ReRAM (single-level TaOx bilayer cells: 10^12, Lee et al., Nature Materials 2011)' },
  'pe.crossbar.write_column_mux': { value: 16, source: 'NeuroSim numWriteColMuxed = 16 (Chen et al., TCAD 2018; MLP_NeuroSim V3.0 Param.cpp)' },
};

const VERIFY_SOURCE =
  'derived from pe.crossbar.cell_bits b: 2^b - 2 (2^b - 1 pulses, one level each, as NeuroSim\'s analog device (MLP_NeuroSim V3.0, maxNumLevelLTP) and incremental step pulse programming (Suh et al., JSSC 1995) move; program-and-verify: Wan et al., Nature 2022)';

/** The source of a field's value: its default's own source while it holds that default, else the chip's. */
function defaultSource(path: string, value: unknown): string | undefined {
  const d = DEFAULT_SOURCES[path];
  return d && d.value === value ? d.source : undefined;
}

export interface FieldNote {
  unit: string;
  source: string;
}

/**
 * Unit and source of every field of a chip spec, plus the per-unit costs its models derive:
 * what `retile chip <c> --spec` prints next to the editable spec.
 */
export function describeSpec(chip: ChipSpec): { fields: Record<string, FieldNote>; derived: Record<string, number>; pinned: string[] } {
  const r = resolvedComponents(chip);
  const fields: Record<string, FieldNote> = {};
  for (const [path, value] of leafPaths(chip)) {
    if (path.includes('.reference.') && path.endsWith('.source')) continue;
    const component = /^pe\.([a-z_]+)/.exec(path)?.[1];
    const ref = component ? (chip.pe as Record<string, { reference?: { source?: string } }>)[component]?.reference?.source : undefined;
    fields[path] = { unit: fieldUnit(path), source: defaultSource(path, value) ?? (ref || (component ? 'model default reference (ISAAC Table I)' : chip.citation)) };
  }
  const derived: Record<string, number> = {};
  for (const [name, u] of Object.entries(r.pe)) {
    for (const [k, v] of Object.entries(u)) derived[`pe.${name}.${k}`] = v as number;
  }
  // Left out, the verify iterations follow from the cell bits: shown with their model, settable like any field.
  if (chip.device.write_verify_iterations === undefined) {
    const path = 'device.write_verify_iterations';
    derived[path] = writeVerifyIterations(chip);
    fields[path] = { unit: fieldUnit(path), source: VERIFY_SOURCE };
  }
  return { fields, derived, pinned: r.pinned };
}

/**
 * The chip as a complete, editable spec: every modelled PE component shows the reference design
 * point its model scales from (the built-in ISAAC default where the spec gave none), so a user
 * starting a custom chip from it sees every number the models use.
 */
export function editableSpec(chip: ChipSpec): ChipSpec {
  const out = structuredClone(chip);
  for (const name of Object.keys(DEFAULT_REFERENCES) as (keyof typeof DEFAULT_REFERENCES)[]) {
    const c = out.pe[name] as { reference?: unknown };
    if (c.reference === undefined) c.reference = structuredClone(DEFAULT_REFERENCES[name]);
  }
  return out;
}
