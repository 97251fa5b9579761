/**
 * What `retile show` and `retile export` say about one stored run: the run's row, settings and
 * inputs, its RunResult (deployment runs) or other result documents (the app's sweep runs), and the
 * CSV tables of a result.
 */
import type { Database } from 'better-sqlite3';
import { getRun, getRunResults, loadRunResult } from '../store';
import { listRunRows, type RunListRow } from '../store/export';
import { badInput } from '../engine/errors';
import type { RunResult } from '../engine/report/result';
import { toCsv } from './csv';

export interface RunDocument {
  run: RunListRow;
  settings: unknown;
  inputs: unknown;
  /** The deployment result (null unless the run finished as a deployment run). */
  result: RunResult | null;
  /** Other result documents by name (e.g. the app's mesh sweep under 'sweep'). */
  other: Record<string, unknown>;
}

export function runDocument(db: Database, file: string, id: number): RunDocument {
  const run = getRun(db, id);
  if (!run) throw badInput(`no run #${id} in this project (see \`retile runs ${file}\`)`, { file, field: 'run' });
  const row = listRunRows(db).find((r) => r.id === id)!;
  const result = loadRunResult(db, id) ?? null;
  const { result: _r, ...other } = getRunResults(db, id);
  return { run: row, settings: run.settings, inputs: run.inputs, result, other };
}

export const SUMMARY_COLUMNS = [
  'run_id', 'strategy', 'objective', 'seed', 'chip', 'mesh', 'tiles', 'makespan_s', 'energy_j', 'edp_js', 'lower_bound_s', 'gap_to_bound',
  'speedup_vs_direct', 'energy_gain_vs_direct', 'direct_makespan_s', 'direct_energy_j', 'best_baseline', 'speedup_vs_best_baseline',
  'energy_gain_vs_best_baseline', 'balanced_makespan_s', 'balanced_energy_j', 'sequential_makespan_s', 'sequential_energy_j', 'peak_fraction', 'antt', 'stp', 'fairness', 'jain', 'sla_rate',
  'temporal_utilization', 'spatial_utilization', 'allocated_fraction', 'events', 'seconds',
];
export const TENANT_COLUMNS = [
  'name', 'model', 'batch', 'priority', 'latency_s', 'p50_s', 'p99_s', 'finish_s', 'throughput_ips', 'energy_j', 'tiles', 'crossbars',
  'copies', 'pieces', 'phases', 'ntt', 'sla_ms', 'sla_met', 'alone_s', 'share_tiles',
];
export const LAYER_COLUMNS = ['tenant', 'name', 'kind', 'rows', 'cols', 'copies', 'pieces', 'crossbars', 'mvms', 'latency_s', 'energy_j', 'utilization', 'class'];
export const SWEEP_POINT_COLUMNS = ['mesh', 'tiles', 'strategy', 'makespan_s', 'energy_j', 'direct_makespan_s', 'direct_energy_j', 'speedup_vs_direct', 'energy_gain_vs_direct'];

/** The CSV tables of a run: summary, tenants and layers (deployment runs) or sweep (the app's sweep runs). */
export function runCsvTables(doc: RunDocument): Record<string, string> {
  const r = doc.result;
  if (r) {
    const summary = {
      run_id: doc.run.id,
      strategy: r.strategy,
      objective: r.objective,
      seed: r.seed,
      chip: r.chip.name,
      mesh: `${r.chip.mesh[0]}x${r.chip.mesh[1]}`,
      tiles: r.chip.tiles,
      makespan_s: r.makespan_s,
      energy_j: r.energy_j,
      edp_js: r.edp_js,
      lower_bound_s: r.lower_bound_s,
      gap_to_bound: r.gap_to_bound,
      speedup_vs_direct: r.speedup_vs_direct,
      energy_gain_vs_direct: r.energy_gain_vs_direct,
      direct_makespan_s: r.direct?.makespan_s,
      direct_energy_j: r.direct?.energy_j,
      best_baseline: r.best_baseline,
      speedup_vs_best_baseline: r.speedup_vs_best_baseline,
      energy_gain_vs_best_baseline: r.energy_gain_vs_best_baseline,
      balanced_makespan_s: r.baselines?.balanced.makespan_s,
      balanced_energy_j: r.baselines?.balanced.energy_j,
      sequential_makespan_s: r.baselines?.sequential.makespan_s,
      sequential_energy_j: r.baselines?.sequential.energy_j,
      peak_fraction: r.peak_fraction,
      ...r.metrics,
      events: r.events,
      seconds: r.seconds,
    };
    return {
      summary: toCsv(SUMMARY_COLUMNS, [summary]),
      tenants: toCsv(TENANT_COLUMNS, r.tenants as unknown as Record<string, unknown>[]),
      layers: toCsv(LAYER_COLUMNS, r.layers as unknown as Record<string, unknown>[]),
    };
  }
  const points = doc.other.sweep as Record<string, unknown>[] | undefined;
  if (Array.isArray(points)) {
    return { sweep: toCsv(SWEEP_POINT_COLUMNS, points.map((p) => ({ ...p, mesh: Array.isArray(p.mesh) ? (p.mesh as number[]).join('x') : p.mesh }))) };
  }
  return {};
}
