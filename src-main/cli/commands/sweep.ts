/**
 * `retile sweep <spec.json> --mesh 8x8,16x16 [--strategy S,...] [--preset P,...] [--seed N,...]
 *  [--vary field.path=v1,v2,...]... [--objective O] [--workers K] [--shard i/n] [--out file.retile] [--json]`: the cross product in a
 * pool of worker threads, every case saved as a run; a summary table or a JSON array of cases.
 */
import type { Command } from 'commander';
import Table from 'cli-table3';
import type { CommandModule } from '../command';
import { action, EXIT, log, positiveInt, printJson, printText } from '../io';
import { caseLabel, runSweep, type SweepOptions } from '../sweep/run-sweep';
import { collect } from './chip';
import { progressView } from '../sweep/progress';
import { fmtJoules, fmtRatio, fmtSeconds } from '../format';

const sweep: CommandModule = {
  register(program: Command) {
    program
      .command('sweep <spec>')
      .description('run a deployment spec over meshes x presets x chip fields x strategies x seeds in parallel, saving every case as a run')
      .option('--mesh <list>', "tile meshes, e.g. 8x8,16x16,32x32 (default: the spec's chip)")
      .option('--strategy <list>', "strategies: direct, tenant, operator, collaborative, anneal (default: the spec's, else collaborative)")
      .option('--preset <list>', "chip presets replacing the spec's chip: isaac, puma, mnsim")
      .option('--seed <list>', "seeds (default: the spec's, else 1)")
      .option('--vary <field=list>', 'vary a chip-spec field over values, e.g. pe.adc.bits=4,6,8 (repeatable: the cross product)', collect, [])
      .option('--objective <name>', "makespan | weighted | fairness | sla (default: the spec's, else makespan)")
      .option('--workers <K>', 'worker threads (default: one per core)', positiveInt('--workers'))
      .option('--shard <i/n>', 'run only the i-th of n deterministic slices of the cases (1 <= i <= n)')
      .option('--out <file.retile>', 'project file to save the runs in (default: <spec>.sweep[.shard-i-of-n].retile next to the spec)')
      .option('--json', 'print JSON on stdout: an array of cases')
      .action(
        action(async (specPath: string, o: SweepOptions & { json?: boolean }) => {
          const outcome = await runSweep(specPath, o, progressView());
          if (o.json) printJson(outcome.rows);
          else {
            const presets = outcome.rows.some((r) => r.preset);
            const varied = Object.keys(outcome.rows[0]?.vary ?? {});
            const t = new Table({ head: ['case', 'run', 'mesh', ...(presets ? ['preset'] : []), ...varied, 'strategy', 'seed', 'makespan', 'energy', 'speed-up', 'status'], style: { head: [], border: [] } });
            for (const r of outcome.rows)
              t.push([
                r.case,
                r.run_id,
                r.mesh,
                ...(presets ? [r.preset ?? ''] : []),
                ...varied.map((k) => String(r.vary[k])),
                r.strategy,
                r.seed,
                fmtSeconds(r.makespan_s),
                fmtJoules(r.energy_j),
                fmtRatio(r.speedup_vs_direct),
                r.status,
              ]);
            printText(t.toString() + '\n');
          }
          log(`saved ${outcome.rows.length} run(s) in ${outcome.file}${outcome.failed ? `; ${outcome.failed} failed` : ''}`);
          if (outcome.failed) {
            for (const r of outcome.rows.filter((x) => x.status === 'failed')) log(`retile: case ${r.case} (${caseLabel(r)}) failed: ${r.message}`);
            process.exitCode = EXIT.failed;
          }
        }),
      );
  },
};
export default sweep;
