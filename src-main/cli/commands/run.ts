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
import { runInProject } from '../project-run';
import type { RunRequest } from '../../engine/pipeline/run';
import { only, runJobs } from '../sweep/jobs';
import type { RunResult } from '../../engine/report/result';

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

function fmt(x: number, unit: string): string {
  const a = Math.abs(x);
  if (unit === 's') return a >= 1 ? `${x.toFixed(3)} s` : a >= 1e-3 ? `${(x * 1e3).toFixed(3)} ms` : `${(x * 1e6).toFixed(2)} us`;
  return a >= 1 ? `${x.toFixed(3)} J` : `${(x * 1e3).toFixed(3)} mJ`;
}

export function printRunText(r: RunResult): void {
  const lines = [
    `strategy ${r.strategy} (objective ${r.objective}, seed ${r.seed}) on ${r.chip.name} ${r.chip.mesh[0]}x${r.chip.mesh[1]}` + (r.chosen_candidate && r.chosen_candidate !== r.strategy ? ` [candidate: ${r.chosen_candidate}]` : ''),
    `makespan ${fmt(r.makespan_s, 's')} (analytic ${fmt(r.analytic.makespan_s, 's')}, lower bound ${fmt(r.lower_bound_s, 's')}, gap ${(r.gap_to_bound * 100).toFixed(0)} %)`,
    `energy ${fmt(r.energy_j, 'J')}  speed-up vs direct ${r.speedup_vs_direct.toFixed(2)}x  energy gain ${r.energy_gain_vs_direct.toFixed(2)}x`,
    `ANTT ${r.metrics.antt.toFixed(2)}  STP ${r.metrics.stp.toFixed(2)}  fairness ${r.metrics.fairness.toFixed(2)}  Jain ${r.metrics.jain.toFixed(2)}  utilization temporal ${(r.metrics.temporal_utilization * 100).toFixed(1)} % spatial ${(r.metrics.spatial_utilization * 100).toFixed(1)} %`,
    '',
    'tenant              latency      throughput    energy      tiles  crossbars  copies  pieces  phases  NTT',
    ...r.tenants.map(
      (t) =>
        `${t.name.padEnd(18)}  ${fmt(t.latency_s, 's').padEnd(11)}  ${t.throughput_ips.toFixed(1).padStart(9)}/s  ${fmt(t.energy_j, 'J').padEnd(10)}  ${String(t.tiles).padStart(5)}  ${String(t.crossbars).padStart(9)}  ${String(t.copies).padStart(6)}  ${String(t.pieces).padStart(6)}  ${String(t.phases).padStart(6)}  ${t.ntt.toFixed(2)}`,
    ),
    '',
    `direct baseline: ${r.direct_definition}`,
    `took ${r.seconds.toFixed(2)} s`,
  ];
  printText(lines.join('\n') + '\n');
}

const run: CommandModule = {
  register(program: Command) {
    program
      .command('run <spec>')
      .description('optimize and simulate a deployment spec (JSON) or a project (.retile, the run is saved into it) against the direct baseline')
      .option('--strategy <name>', 'direct | tenant | operator | collaborative | anneal (default: the spec\'s, else collaborative)')
      .option('--objective <name>', 'makespan | weighted | fairness | sla (default: the spec\'s, else makespan)')
      .option('--seed <n>', 'seed (default: the spec\'s, else 1)')
      .option('--mesh <RxC>', 'rescale the chip to another tile mesh, e.g. 32x32')
      .option('--set <field=value>', SET_HELP, collect, [])
      .option('--json', 'print JSON on stdout')
      .action(
        action(async (specPath: string, opts: RunOptions) => {
          if (/\.retile$/i.test(specPath)) {
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
