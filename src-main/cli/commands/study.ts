/** `retile study`: the reproduction study (docs/study.md); --quick runs a representative subset. */
import { writeFileSync } from 'node:fs';
import { makeDirs } from '../../store';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { CommandModule } from '../command';
import { action, log, positiveInt, printJson, printText } from '../io';
import { fullCases, quickCases, type StudyCase } from '../../engine/pipeline/study';
import { runJobs } from '../sweep/jobs';
import { fmtRatio, fmtSeconds, textTable } from '../format';
import { contributionSvg, speedupVsSizeSvg, studyCsv } from '../../engine/report/study-report';

const study: CommandModule = {
  register(program: Command) {
    program
      .command('study')
      .description('the reproduction study: speed-up and energy gain of tenant, operator, learning-rate and collaborative over the best baseline and over direct across chips and mixes')
      .option('--quick', 'a representative subset (under a minute)')
      .option('--json', 'print JSON on stdout')
      .option('--out <dir>', 'write study.json, study.csv and SVG plots to this folder')
      .option('--workers <n>', 'cases run at once, one worker thread each (default 1, so each case\'s `seconds` is its time alone)', positiveInt('--workers'))
      .action(
        action(async (opts: { quick?: boolean; json?: boolean; out?: string; workers?: number }) => {
          if (opts.out) makeDirs(opts.out, 'output folder'); // before minutes of work, not after
          const specs = opts.quick ? quickCases() : fullCases();
          // Each case runs in a worker thread, so Ctrl-C and SIGTERM stop the study at once (exit 130);
          // files are written only once every case has finished.
          let done = 0;
          const outputs = await runJobs(
            specs.map((spec) => ({ kind: 'study', spec })),
            opts.workers ?? 1,
            {
              label: `study: ${specs.length} case(s)`,
              onOutput(_i, o) {
                if (o.kind !== 'study') return;
                const c = o.result;
                log(`[${++done}/${specs.length}] ${c.id}: pressure ${c.pressure.toFixed(2)} collaborative ${c.speedup_vs_best.collaborative.toFixed(2)}x over ${c.best_baseline}, ${c.speedup.collaborative.toFixed(2)}x over direct; learning-rate ${c.speedup_vs_best['learning-rate'].toFixed(2)}x over ${c.best_baseline} ${c.seconds.toFixed(1)} s`);
              },
            },
          );
          const cases: StudyCase[] = outputs.flatMap((o) => (o.kind === 'study' ? [o.result] : []));
          if (opts.out) {
            writeFileSync(join(opts.out, 'study.json'), JSON.stringify(cases, null, 2) + '\n');
            writeFileSync(join(opts.out, 'study.csv'), studyCsv(cases));
            for (const k of ['collaborative', 'tenant', 'operator'] as const) writeFileSync(join(opts.out, `speedup-vs-size-${k}.svg`), speedupVsSizeSvg(cases, k));
            writeFileSync(join(opts.out, 'contribution.svg'), contributionSvg('tenant-level vs operator-level vs collaborative speed-up', cases));
            log(`wrote ${opts.out}/study.json, study.csv, speedup-vs-size-*.svg, contribution.svg`);
          }
          if (opts.json) printJson(cases);
          else if (!opts.out) {
            // Speed-up over the best baseline of the same case, and over direct (docs/study.md).
            const table = textTable(['case', 'pressure', 'best baseline', 'its makespan', 'speed-up over it: tenant', 'operator', 'learning-rate', 'collaborative', 'collab. over direct', 'energy gain over best (collab.)', '% of peak', 'chosen']);
            for (const c of cases) {
              const b = c.speedup_vs_best;
              table.push([c.id, c.pressure.toFixed(2), c.best_baseline, fmtSeconds(c.results[c.best_baseline]!.makespan_s), fmtRatio(b.tenant), fmtRatio(b.operator), fmtRatio(b['learning-rate']), fmtRatio(b.collaborative), fmtRatio(c.speedup.collaborative), fmtRatio(c.energy_gain_vs_best.collaborative), (c.peak_fraction * 100).toFixed(2), c.chosen]);
            }
            printText(`${table.toString()}\npressure = single-copy crossbars of all tenants / chip crossbars; best baseline = the fastest of direct, balanced and sequential (docs/method.md, "Baselines")\n`);
          }
        }),
      );
  },
};
export default study;
