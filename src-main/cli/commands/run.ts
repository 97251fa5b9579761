/**
 * `retile run <spec.json|file.retile>`: one strategy on a deployment spec, simulated beside the
 * direct baseline, in a worker thread so Ctrl-C and SIGTERM stop it at once (exit 130). Given a
 * project file, the run is saved into it (see project-run.ts).
 */
import type { Command } from 'commander';
import type { CommandModule } from '../command';
import { action, log, parseSeed, printJson, printText } from '../io';
import { parseMesh, withMesh } from '../../engine/hardware/presets';
import { applySettings, parseSetting } from '../../engine/hardware/settings';
import { collect, SET_HELP } from './chip';
import { assertObjective, assertStrategy } from '../../engine/placement/spec';
import { readSpecFile, specTenants } from '../spec-file';
import type { RunRequest } from '../../engine/pipeline/run';
import { only, runJobs } from '../sweep/jobs';
import type { RunResult } from '../../engine/report/result';
import { fmtJoules, fmtRatio, fmtSeconds, fmtWear, textTable } from '../format';

interface RunOptions {
  strategy?: string;
  objective?: string;
  seed?: string;
  mesh?: string;
  set?: string[];
  json?: boolean;
}

/** Reads a spec file and resolves its chip and models (ONNX paths relative to the spec's folder). */
export function requestFromSpecFile(path: string, o: Omit<RunOptions, 'json'> = {}): RunRequest {
  const loaded = readSpecFile(path);
  const chip = o.set?.length ? applySettings(loaded.chip, o.set.map((t) => parseSetting(t)), path) : loaded.chip;
  return {
    chip: o.mesh ? withMesh(chip, parseMesh(o.mesh)) : chip,
    tenants: specTenants(loaded),
    strategy: assertStrategy(o.strategy ?? loaded.spec.strategy ?? 'collaborative'),
    objective: assertObjective(o.objective ?? loaded.spec.objective ?? 'makespan'),
    seed: o.seed !== undefined ? parseSeed(o.seed) : (loaded.spec.seed ?? 1),
  };
}

/** Tenants by round when they do not all fit the chip at once; the tile counts of different rounds reuse the same tiles. */
function roundLines(r: RunResult): string[] {
  const rounds = r.rounds ?? [];
  const lines: string[] = [];
  const used = r.tenants.reduce((s, t) => s + t.tiles, 0);
  if (rounds.length > 1) {
    lines.push(
      `the tenants need ${used.toLocaleString('en-US')} tiles on a ${r.chip.tiles.toLocaleString('en-US')}-tile chip, so they run in ${rounds.length} rounds, one after another, with the crossbars reprogrammed in between (docs/method.md#step-2-tenant-level):`,
    );
    rounds.forEach((members, i) =>
      lines.push(`  round ${i + 1}: ${members.map((m) => r.tenants[m]!.name).join(', ')} (${members.reduce((s, m) => s + r.tenants[m]!.tiles, 0).toLocaleString('en-US')} tiles)`),
    );
  }
  const phased = r.tenants.filter((t) => t.phases > 1);
  if (phased.length > 0) {
    lines.push(
      `${phased.map((t) => `${t.name} runs in ${t.phases} phases`).join(', ')}: its weights do not fit its tiles at once, so each phase is written when the previous one finishes (docs/method.md#step-3-operator-level).`,
    );
  }
  if (r.writes) lines.push(fmtWear(r.writes, 'repetition'));
  return lines;
}

export function printRunText(r: RunResult): void {
  const roundOf = new Map<number, number>();
  (r.rounds ?? []).forEach((members, i) => members.forEach((m) => roundOf.set(m, i + 1)));
  const showRounds = (r.rounds?.length ?? 1) > 1;
  const table = textTable([
    'tenant',
    ...(showRounds ? ['round'] : []),
    'latency (mean)',
    'throughput',
    'energy',
    'tiles',
    'crossbars',
    'copies',
    'pieces',
    'phases',
    'NTT',
  ]);
  r.tenants.forEach((t, i) =>
    table.push([
      t.name,
      ...(showRounds ? [roundOf.get(i) ?? ''] : []),
      fmtSeconds(t.latency_s),
      `${t.throughput_ips.toFixed(1)} inf/s`,
      fmtJoules(t.energy_j),
      t.tiles,
      t.crossbars,
      t.copies,
      t.pieces,
      t.phases,
      t.ntt.toFixed(2),
    ]),
  );
  const lines = [
    `strategy ${r.strategy} (objective ${r.objective}, seed ${r.seed}) on ${r.chip.name} ${r.chip.mesh[0]}x${r.chip.mesh[1]}` + (r.chosen_candidate && r.chosen_candidate !== r.strategy ? ` [candidate: ${r.chosen_candidate}]` : ''),
    `makespan ${fmtSeconds(r.makespan_s)} (analytic ${fmtSeconds(r.analytic.makespan_s)}); ${boundLine(r)}`,
    `energy ${fmtJoules(r.energy_j)}` + (r.peak_fraction !== undefined ? `  ${(r.peak_fraction * 100).toFixed(2)} % of the chip's peak` : ''),
    r.best_baseline
      ? `speed-up vs the best baseline (${r.best_baseline}) ${fmtRatio(r.speedup_vs_best_baseline)}  energy gain ${fmtRatio(r.energy_gain_vs_best_baseline)};  vs direct ${fmtRatio(r.speedup_vs_direct)}, energy gain ${fmtRatio(r.energy_gain_vs_direct)}`
      : `speed-up vs direct ${r.speedup_vs_direct.toFixed(2)}x  energy gain ${r.energy_gain_vs_direct.toFixed(2)}x`,
    `ANTT ${r.metrics.antt.toFixed(2)}  STP ${r.metrics.stp.toFixed(2)}  fairness ${r.metrics.fairness.toFixed(2)}  Jain ${r.metrics.jain.toFixed(2)}  utilization temporal ${(r.metrics.temporal_utilization * 100).toFixed(1)} % spatial ${(r.metrics.spatial_utilization * 100).toFixed(1)} %`,
    ...optimumLines(r),
    ...roundLines(r),
    table.toString(),
    ...baselineLines(r),
    `took ${r.seconds.toFixed(2)} s`,
  ];
  printText(lines.join('\n') + '\n');
}

/** The analytic optimum (docs/method.md, "Analytic optimum"): the gap only where the run's plan is a point of the program. */
function optimumLines(r: RunResult): string[] {
  const o = r.analytic_optimum;
  if (!o) return [];
  // Results stored before the packed optimum have no packed fields.
  const packed =
    o.packed_makespan_s != null
      ? [`analytic optimum with packed tiles: ${fmtSeconds(o.packed_makespan_s)} under the operator level's stage model${o.packed_gap != null ? `; this plan ${fmtSeconds(o.plan_s!)}, ${(o.packed_gap * 100).toFixed(1)} % above it` : ''}`]
      : [];
  if (o.status !== 'optimal') return [...packed, `analytic optimum, crossbars counted: not covered (${o.reason})`];
  const gap = o.gap !== null ? `; this plan ${(o.gap * 100).toFixed(1)} % above it` : ` (${o.reason})`;
  return [...packed, `analytic optimum, crossbars counted (HiGHS, ${o.choices} copy choices): ${fmtSeconds(o.makespan_s!)}${gap}`];
}

/** The baselines' table and definitions (results stored before the three baselines: direct's definition only). */
function baselineLines(r: RunResult): string[] {
  if (!r.baselines) return [`direct baseline: ${r.direct_definition}`];
  const t = textTable(['baseline', 'makespan', 'energy', 'speed-up over it', 'energy gain over it']);
  for (const [k, b] of Object.entries(r.baselines)) t.push([k + (k === r.best_baseline ? ' (best)' : ''), fmtSeconds(b.makespan_s), fmtJoules(b.energy_j), fmtRatio(b.makespan_s / r.makespan_s), fmtRatio(b.energy_j / r.energy_j)]);
  return [t.toString(), ...Object.entries(r.baselines).map(([k, b]) => `${k}: ${b.definition}`)];
}

const run: CommandModule = {
  register(program: Command) {
    program
      .command('run <spec>')
      .description('optimize and simulate a deployment spec (JSON) or a project (.retile, the run is saved into it) against the direct, balanced and sequential baselines')
      .option('--strategy <name>', 'direct | tenant | operator | collaborative | anneal (default: the spec\'s, else collaborative)')
      .option('--objective <name>', 'makespan | weighted | fairness | sla (default: the spec\'s, else makespan)')
      .option('--seed <n>', 'seed (default: the spec\'s, else 1)')
      .option('--mesh <RxC>', 'rescale the chip to another tile mesh, e.g. 32x32')
      .option('--set <field=value>', SET_HELP, collect, [])
      .option('--json', 'print JSON on stdout')
      .action(
        action(async (specPath: string, opts: RunOptions) => {
          if (/\.retile$/i.test(specPath)) {
            // The project's store is loaded only for a project file.
            const { runInProject } = await import('../project-run');
            const { runId, result } = await runInProject(specPath, opts);
            log(`saved as run #${runId} in ${specPath}`);
            return opts.json ? printJson(result) : printRunText(result);
          }
          const req = requestFromSpecFile(specPath, opts);
          const label = `running ${req.strategy} on ${req.chip.name} ${req.chip.topology.rows}x${req.chip.topology.cols}, ${req.tenants.length} tenant(s)`;
          const { result } = only(await runJobs([{ kind: 'deploy', request: req }], 1, { label }), 'deploy');
          if (opts.json) printJson(result);
          else printRunText(result);
        }),
      );
  },
};
export default run;

/** The lower bound, and the makespan's ratio to it only where that ratio certifies something (docs/method.md, "Lower bound"). */
export function boundLine(r: RunResult): string {
  const b = `lower bound ${fmtSeconds(r.lower_bound_s)}${r.bound?.binding ? ` (set by ${r.bound.binding})` : ''}`;
  if (r.bound?.certifies ?? 1 + r.gap_to_bound <= 2) return `${b}: the makespan is within ${fmtRatio(1 + r.gap_to_bound)} of any plan's`;
  return `${b}: under half the makespan, too loose to certify the plan (it leaves out link contention, which depends on where copies sit)`;
}
