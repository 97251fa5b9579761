/**
 * A sweep's cases: the cross product of its axes in a fixed order (mesh, then preset, then each
 * varied chip field in the order given, then strategy, then seed: the first axis varies slowest),
 * and the deterministic slice a shard runs.
 * Pure functions: the same axes always give the same cases with the same indices, on any machine.
 */
import { badInput } from '../../engine/errors';
import { assertObjective, assertStrategy, type ObjectiveName, type StrategyName } from '../../engine/placement/spec';
import { isPresetName, parseMesh, PRESET_NAMES } from '../../engine/hardware/presets';
import { parseSetting, type ChipSetting } from '../../engine/hardware/settings';
import { UsageError } from '../io';

/** One chip field a sweep varies (`--vary pe.adc.bits=4,6,8`): the field path and its values in order. */
export interface VariedField {
  path: string;
  values: (number | boolean | string)[];
}

export interface SweepAxes {
  /** Tile meshes [rows, cols]. */
  mesh: [number, number][];
  /** Chip presets replacing the spec's chip; [null] keeps the spec's chip. */
  preset: (string | null)[];
  /** Chip fields varied over their values (each a further axis); [] varies none. */
  vary: VariedField[];
  strategy: StrategyName[];
  seed: number[];
  objective: ObjectiveName;
}

export interface SweepCase {
  /** Position in the whole cross product (0-based), the same in every shard. */
  index: number;
  mesh: [number, number];
  preset: string | null;
  /** The chip-field settings of this case, one per varied field, in the order of `--vary`. */
  settings: ChipSetting[];
  strategy: StrategyName;
  objective: ObjectiveName;
  seed: number;
  /** Identifies the case across files (merge refuses two runs with the same key). */
  key: string;
}

export function meshText(m: [number, number]): string {
  return `${m[0]}x${m[1]}`;
}

function list(text: string, option: string): string[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new UsageError(`${option} expects a comma-separated list, got '${text}'`);
  return items;
}

function unique<T>(items: T[], show: (t: T) => string, option: string): T[] {
  const seen = new Set<string>();
  for (const t of items) {
    const k = show(t);
    if (seen.has(k)) throw new UsageError(`${option} lists '${k}' twice`);
    seen.add(k);
  }
  return items;
}

export function parseMeshList(text: string): [number, number][] {
  const meshes = list(text, '--mesh').map((m) => {
    try {
      return parseMesh(m);
    } catch {
      throw new UsageError(`--mesh expects RxC sizes like 8x8,16x16, got '${m}'`);
    }
  });
  return unique(meshes, meshText, '--mesh');
}

export function parseStrategyList(text: string): StrategyName[] {
  return unique(
    list(text, '--strategy').map((s) => {
      try {
        return assertStrategy(s);
      } catch (e) {
        throw new UsageError(`--strategy: ${(e as Error).message.replace(/^field 'strategy': /, '')}`);
      }
    }),
    String,
    '--strategy',
  );
}

export function parsePresetList(text: string): string[] {
  return unique(
    list(text, '--preset').map((p) => {
      if (!isPresetName(p)) throw new UsageError(`--preset: unknown chip preset '${p}' (expected one of ${PRESET_NAMES.join(', ')})`);
      return p;
    }),
    String,
    '--preset',
  );
}

export function parseSeedList(text: string): number[] {
  return unique(
    list(text, '--seed').map((s) => {
      const n = Number(s);
      if (!/^\d+$/.test(s) || !Number.isSafeInteger(n) || n > 2 ** 31 - 1) throw new UsageError(`--seed expects integers in 0..2147483647, got '${s}'`);
      return n;
    }),
    String,
    '--seed',
  );
}

export function parseObjective(text: string): ObjectiveName {
  try {
    return assertObjective(text);
  } catch (e) {
    throw new UsageError(`--objective: ${(e as Error).message.replace(/^field 'objective': /, '')}`);
  }
}

/**
 * The `--vary <field.path>=v1,v2,...` options (repeatable): each names one chip-spec field and its
 * values, parsed as `--set` parses a value (number, true/false, else text). Whether the field exists
 * and takes the value is checked on the chip itself (run-sweep.ts) before any work.
 */
export function parseVaryList(texts: string[]): VariedField[] {
  const fields = texts.map((text) => {
    const eq = text.indexOf('=');
    if (eq <= 0) throw new UsageError(`--vary expects <field.path>=v1,v2,..., e.g. pe.adc.bits=4,6,8 (got '${text}')`);
    const path = text.slice(0, eq).trim();
    const values = list(text.slice(eq + 1), `--vary ${path}`).map((v) => {
      try {
        return parseSetting(`${path}=${v}`, '--vary').value as number | boolean | string;
      } catch {
        throw new UsageError(`--vary expects <field.path>=v1,v2,..., e.g. pe.adc.bits=4,6,8 (got '${text}')`);
      }
    });
    return { path, values: unique(values, String, `--vary ${path}`) };
  });
  unique(
    fields.map((f) => f.path),
    String,
    '--vary',
  );
  for (const f of fields) {
    const parent = fields.find((g) => g !== f && f.path.startsWith(`${g.path}.`));
    if (parent) throw new UsageError(`--vary ${f.path} is inside --vary ${parent.path}; vary one of them`);
  }
  return fields;
}

/** The varied values of a case by field path (`{ "pe.adc.bits": 4 }`), as the sweep reports them. */
export function variedValues(settings: ChipSetting[]): Record<string, unknown> {
  return Object.fromEntries(settings.map((s) => [s.path, s.value]));
}

/** Every combination of the varied fields' values, the first field varying slowest. */
function settingPoints(vary: VariedField[]): ChipSetting[][] {
  return vary.reduce<ChipSetting[][]>((points, f) => points.flatMap((p) => f.values.map((value) => [...p, { path: f.path, value }])), [[]]);
}

/** "i/n" with 1 <= i <= n (Slurm: --array=1-n and --shard ${SLURM_ARRAY_TASK_ID}/n). */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new UsageError(`--shard expects i/n with 1 <= i <= n, e.g. 2/8, got '${text}'`);
  return { index, count };
}

export function caseKey(c: Omit<SweepCase, 'index' | 'key'>): string {
  return `${chipKey(c)};strategy=${c.strategy};objective=${c.objective};seed=${c.seed}`;
}

/** The chip a case runs on: cases with the same one share their baselines and alone runs. */
export function chipKey(c: Pick<SweepCase, 'mesh' | 'preset' | 'settings'>): string {
  const vary = c.settings.map((s) => `;${s.path}=${String(s.value)}`).join('');
  return `mesh=${meshText(c.mesh)};preset=${c.preset ?? 'spec'}${vary}`;
}

export function crossProduct(axes: SweepAxes): SweepCase[] {
  if (axes.mesh.length === 0 || axes.preset.length === 0 || axes.strategy.length === 0 || axes.seed.length === 0) {
    throw badInput('a sweep needs at least one value on every axis', { field: 'sweep' });
  }
  const cases: SweepCase[] = [];
  const points = settingPoints(axes.vary);
  for (const mesh of axes.mesh)
    for (const preset of axes.preset)
      for (const settings of points)
        for (const strategy of axes.strategy)
          for (const seed of axes.seed) {
            const c = { mesh, preset, settings, strategy, objective: axes.objective, seed };
            cases.push({ index: cases.length, ...c, key: caseKey(c) });
          }
  return cases;
}

/**
 * Shard i of n (1-based) takes every n-th case starting at i - 1: round-robin keeps each shard's
 * mix of small and large meshes alike, so shards finish at similar times.
 */
export function shardCases(cases: SweepCase[], shard: { index: number; count: number } | null): SweepCase[] {
  if (!shard) return cases;
  return cases.filter((c) => c.index % shard.count === shard.index - 1);
}

/** Largest meshes first: a pool finishes sooner when the longest cases start first (LPT order). */
export function dispatchOrder(cases: SweepCase[]): SweepCase[] {
  return [...cases].sort((a, b) => b.mesh[0] * b.mesh[1] - a.mesh[0] * a.mesh[1] || a.index - b.index);
}
