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
      .description('the reproduction study: speed-up and energy gain of tenant, operator and collaborative over direct across chips and mixes')
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
                log(`[${++done}/${specs.length}] ${c.id}: pressure ${c.pressure.toFixed(2)} speed-up tenant ${c.speedup.tenant.toFixed(2)}x operator ${c.speedup.operator.toFixed(2)}x collaborative ${c.speedup.collaborative.toFixed(2)}x (energy ${c.energy_gain.collaborative.toFixed(2)}x) ${c.seconds.toFixed(1)} s`);
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
            // Speed-up and energy gain are over the direct baseline of the same case (docs/study.md).
            const table = textTable(['case', 'pressure', 'direct makespan', 'speed-up: tenant', 'operator', 'collaborative', 'anneal', 'energy gain (collab.)', 'chosen']);
            for (const c of cases)
              table.push([c.id, c.pressure.toFixed(2), fmtSeconds(c.results.direct!.makespan_s), fmtRatio(c.speedup.tenant), fmtRatio(c.speedup.operator), fmtRatio(c.speedup.collaborative), fmtRatio(c.speedup.anneal), fmtRatio(c.energy_gain.collaborative), c.chosen]);
            printText(`${table.toString()}\npressure = single-copy crossbars of all tenants / chip crossbars; speed-up and energy gain are over direct deployment of the same case\n`);
          }
        }),
      );
  },
};
export default study;
