/**
 * `retile sweep`: the cross product of meshes, presets, varied chip fields, strategies and seeds on
 * one deployment spec, run in the worker pool, every case saved as a run of a project file. With --shard i/n only
 * the i-th slice runs (into its own file); `retile merge` joins the slices.
 */
import { basename, dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { badInput } from '../../engine/errors';
import { chipPreset, withMesh } from '../../engine/hardware/presets';
import { tileCount } from '../../engine/hardware/costs';
import { maxOf } from '../../engine/arrays';
import { applySettings } from '../../engine/hardware/settings';
import type { ChipSpec } from '../../engine/hardware/spec';
import { setMeta } from '../../store';
import { getSweepMeta } from '../../store/export';
import { UsageError } from '../io';
import { readSpecFile, specTenants } from '../spec-file';
import { createProject, sameIdentity, specIdentity } from '../project-file';
import { openProject } from '../project-open';
import { chipKey, crossProduct, dispatchOrder, meshText, parseMeshList, parseObjective, parsePresetList, parseSeedList, parseShard, parseStrategyList, parseVaryList, shardCases, variedValues, type SweepAxes, type SweepCase } from './cases';
import { defaultWorkers, executeRuns, runPool, type PlannedRun } from './execute';
import type { SweepPool } from './pool';
import type { ProgressView } from './progress';
import type { StrategyName } from '../../engine/placement/spec';
import type { WriteWear } from '../../engine/placement/reprogram';
import { fmtSeconds } from '../format';

export interface SweepOptions {
  mesh?: string;
  strategy?: string;
  preset?: string;
  seed?: string;
  objective?: string;
  workers?: number;
  out?: string;
  shard?: string;
  vary?: string[];
}

/** One case of `retile sweep --json` (stable CLI field names). */
export interface SweepCaseRow {
  case: number;
  mesh: string;
  preset: string | null;
  /** The varied chip fields' values of this case by field path (`--vary`; {} without it). */
  vary: Record<string, unknown>;
  strategy: string;
  objective: string;
  seed: number;
  run_id: number;
  status: 'finished' | 'failed';
  makespan_s: number | null;
  energy_j: number | null;
  speedup_vs_direct: number | null;
  energy_gain_vs_direct: number | null;
  /** The RunResult's wear (writes per cell, lifetime) when the case's deployment reprograms, else null. */
  writes: WriteWear | null;
  seconds: number | null;
  message: string | null;
}

export interface SweepOutcome {
  file: string;
  cases: number;
  shard: { index: number; count: number } | null;
  rows: SweepCaseRow[];
  failed: number;
}

/** The sweep definition stored in the project (project_meta 'sweep'); merge compares `axes`. */
export interface SweepMeta {
  spec: string;
  axes: { mesh: string[]; preset: (string | null)[]; vary?: { path: string; values: unknown[] }[]; strategy: string[]; seed: number[]; objective: string };
  cases: number;
  shard: { index: number; count: number } | null;
}

export function defaultSweepFile(specPath: string, shard: { index: number; count: number } | null): string {
  const base = basename(specPath).replace(/\.json$/i, '');
  return join(dirname(specPath), `${base}.sweep${shard ? `.shard-${shard.index}-of-${shard.count}` : ''}.retile`);
}

export async function runSweep(specPath: string, o: SweepOptions, progress: ProgressView): Promise<SweepOutcome> {
  const spec = readSpecFile(specPath);
  const shard = o.shard ? parseShard(o.shard) : null;
  const specMesh: [number, number] = [spec.chip.topology.rows, spec.chip.topology.cols];
  const axes: SweepAxes = {
    mesh: o.mesh ? parseMeshList(o.mesh) : [specMesh],
    preset: o.preset ? parsePresetList(o.preset) : [null],
    vary: parseVaryList(o.vary ?? []),
    strategy: o.strategy ? parseStrategyList(o.strategy) : [(spec.spec.strategy ?? 'collaborative') as StrategyName],
    seed: o.seed ? parseSeedList(o.seed) : [spec.spec.seed ?? 1],
    objective: o.objective ? parseObjective(o.objective) : (spec.spec.objective ?? 'makespan'),
  };
  if (o.workers !== undefined && (!Number.isInteger(o.workers) || o.workers < 1)) throw new UsageError('--workers expects a positive integer');
  const all = crossProduct(axes);
  const mine = shardCases(all, shard);

  // Every chip of the sweep is checked before any work starts (bad mesh, unknown field or bad
  // value = exit 2, naming it).
  const chips = new Map<string, ChipSpec>();
  const chipFor = (c: SweepCase): ChipSpec => {
    const k = `${c.preset ?? ''}@${meshText(c.mesh)}@${JSON.stringify(c.settings)}`;
    let chip = chips.get(k);
    if (!chip) {
      const base = c.preset ? chipPreset(c.preset) : spec.chip;
      const source = c.preset ? `preset ${c.preset}` : specPath;
      const varied = c.settings.length ? applySettings(base, c.settings, source, '--vary') : base;
      try {
        chip = withMesh(varied, c.mesh);
      } catch (e) {
        throw badInput(`mesh ${meshText(c.mesh)}${c.preset ? ` of preset ${c.preset}` : ''}: ${(e as Error).message}`, { file: specPath, field: 'mesh' });
      }
      chips.set(k, chip);
    }
    return chip;
  };
  for (const c of all) chipFor(c);

  const workers = Math.min(o.workers ?? defaultWorkers(), Math.max(1, mine.length));
  // The workers load (their bundle, the Wasm module) while the project file is prepared.
  const pool = runPool(workers, Math.max(0, maxOf(mine.map((c) => tileCount(chipFor(c))))));
  pool.start();
  try {
    return await sweepInto(pool, workers, specPath, spec, o, progress, { shard, axes, all, mine, chipFor });
  } finally {
    await pool.close();
  }
}

async function sweepInto(
  pool: SweepPool,
  workers: number,
  specPath: string,
  spec: ReturnType<typeof readSpecFile>,
  o: SweepOptions,
  progress: ProgressView,
  { shard, axes, all, mine, chipFor }: { shard: { index: number; count: number } | null; axes: SweepAxes; all: SweepCase[]; mine: SweepCase[]; chipFor: (c: SweepCase) => ChipSpec },
): Promise<SweepOutcome> {
  const file = o.out ?? defaultSweepFile(specPath, shard);
  if (existsSync(file)) {
    const db = openProject(file);
    try {
      if (!sameIdentity(db, spec)) throw badInput(`the project's chip or tenants differ from ${specPath}; sweep into a new file (--out)`, { file, field: 'chip/tenants' });
    } finally {
      db.close();
    }
  } else createProject(file, { spec });

  const tenants = specTenants(spec);
  const inputTenants = specIdentity(spec).tenants;
  const meta: SweepMeta = {
    spec: basename(specPath),
    axes: {
      mesh: axes.mesh.map(meshText),
      preset: axes.preset,
      ...(axes.vary.length ? { vary: axes.vary } : {}),
      strategy: axes.strategy,
      seed: axes.seed,
      objective: axes.objective,
    },
    cases: all.length,
    shard,
  };
  const planned: PlannedRun[] = mine.map((c) => {
    const chip = chipFor(c);
    const request = { chip, tenants, strategy: c.strategy, objective: c.objective, seed: c.seed };
    return {
      index: c.index,
      label: `#${c.index} ${caseLabel({ ...c, mesh: meshText(c.mesh), vary: variedValues(c.settings) })}`,
      affinity: chipKey(c),
      request,
      run: {
        kind: 'deploy',
        strategy: c.strategy,
        objective: c.objective,
        seed: c.seed,
        settings: {
          strategy: c.strategy,
          objective: c.objective,
          seed: c.seed,
          mesh: c.mesh,
          preset: c.preset,
          ...(c.settings.length ? { vary: variedValues(c.settings) } : {}),
          sweep: { case: c.index, cases: all.length, key: c.key, shard },
        },
        inputs: { chip: { preset: c.preset ?? spec.preset, spec: chip }, tenants: inputTenants },
      },
    };
  });

  const db = openProject(file);
  let executed;
  try {
    const previous = getSweepMeta<SweepMeta>(db);
    if (previous && JSON.stringify(previous.axes) !== JSON.stringify(meta.axes)) progress.note(`retile: ${file} held another sweep's runs; its sweep definition is now this one`);
    setMeta(db, 'sweep', JSON.stringify(meta));
    progress.note(`sweep: ${planned.length} case(s)${shard ? ` (shard ${shard.index}/${shard.count} of ${all.length})` : ''} on ${workers} worker(s) into ${file}`);
    const byIndex = new Map(mine.map((c) => [c.index, c]));
    executed = await executeRuns(db, planned, {
      workers,
      pool,
      progress,
      dispatch: (p) => {
        const order = dispatchOrder(p.map((x) => byIndex.get(x.index)!));
        const pos = new Map(order.map((c, i) => [c.index, i]));
        return [...p].sort((a, b) => pos.get(a.index)! - pos.get(b.index)!);
      },
      describe: (e, p) =>
        e.result
          ? `${p.label}: makespan ${fmtSeconds(e.result.makespan_s)}, speed-up ${e.result.speedup_vs_direct.toFixed(2)}x (${e.result.seconds.toFixed(1)} s)`
          : `${p.label}: FAILED ${e.message}`,
    });
  } finally {
    db.close();
  }
  const rows: SweepCaseRow[] = executed.map((e) => {
    const c = all[e.index]!;
    const r = e.result;
    return {
      case: c.index,
      mesh: meshText(c.mesh),
      preset: c.preset,
      vary: variedValues(c.settings),
      strategy: c.strategy,
      objective: c.objective,
      seed: c.seed,
      run_id: e.runId,
      status: e.status,
      makespan_s: r?.makespan_s ?? null,
      energy_j: r?.energy_j ?? null,
      speedup_vs_direct: r?.speedup_vs_direct ?? null,
      energy_gain_vs_direct: r?.energy_gain_vs_direct ?? null,
      writes: r?.writes ?? null,
      seconds: r?.seconds ?? null,
      message: e.message,
    };
  });
  return { file, cases: all.length, shard, rows, failed: rows.filter((r) => r.status === 'failed').length };
}

/** A case in progress and error lines: `8x8 isaac pe.adc.bits=4 direct seed 1`. */
export function caseLabel(c: Pick<SweepCaseRow, 'mesh' | 'preset' | 'vary' | 'strategy' | 'seed'>): string {
  const vary = Object.entries(c.vary).map(([path, v]) => ` ${path}=${String(v)}`).join('');
  return `${c.mesh}${c.preset ? ` ${c.preset}` : ''}${vary} ${c.strategy} seed ${c.seed}`;
}
