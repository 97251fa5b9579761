/** `retile study`: the reproduction study (docs/study.md); --quick runs a representative subset. */
import { writeFileSync } from 'node:fs';
import { makeDirs } from '../../store';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { CommandModule } from '../command';
import { action, log, printJson, printText } from '../io';
import { loadWasm } from '../../service/wasm-node';
import { toLayerGraph, zooGraph, type LayerGraph } from '../../engine/workload';
import { fullCases, quickCases, runStudyCase, STUDY_MIXES, type StudyCase } from '../../engine/optimize/study';
import { contributionSvg, speedupVsSizeSvg, studyCsv } from '../../engine/optimize/study-report';

const study: CommandModule = {
  register(program: Command) {
    program
      .command('study')
      .description('the reproduction study: speed-up and energy gain of tenant, operator and collaborative over direct across chips and mixes')
      .option('--quick', 'a representative subset (under a minute)')
      .option('--json', 'print JSON on stdout')
      .option('--out <dir>', 'write study.json, study.csv and SVG plots to this folder')
      .action(
        action(async (opts: { quick?: boolean; json?: boolean; out?: string }) => {
          if (opts.out) makeDirs(opts.out, 'output folder'); // before minutes of work, not after
          const wasm = await loadWasm();
          const specs = opts.quick ? quickCases() : fullCases();
          const graphs: Record<string, LayerGraph> = {};
          for (const names of Object.values(STUDY_MIXES)) for (const n of names) graphs[n] ??= toLayerGraph(zooGraph(n));
          const cases: StudyCase[] = [];
          for (const [i, spec] of specs.entries()) {
            const c = await runStudyCase(spec, graphs, wasm);
            cases.push(c);
            log(`[${i + 1}/${specs.length}] ${c.id}: pressure ${c.pressure.toFixed(2)} speed-up tenant ${c.speedup.tenant.toFixed(2)}x operator ${c.speedup.operator.toFixed(2)}x collaborative ${c.speedup.collaborative.toFixed(2)}x (energy ${c.energy_gain.collaborative.toFixed(2)}x) ${c.seconds.toFixed(1)} s`);
          }
          if (opts.out) {
            writeFileSync(join(opts.out, 'study.json'), JSON.stringify(cases, null, 2) + '\n');
            writeFileSync(join(opts.out, 'study.csv'), studyCsv(cases));
            for (const k of ['collaborative', 'tenant', 'operator'] as const) writeFileSync(join(opts.out, `speedup-vs-size-${k}.svg`), speedupVsSizeSvg(cases, k));
            writeFileSync(join(opts.out, 'contribution.svg'), contributionSvg('tenant-level vs operator-level vs collaborative speed-up', cases));
            log(`wrote ${opts.out}/study.json, study.csv, speedup-vs-size-*.svg, contribution.svg`);
          }
          if (opts.json) printJson(cases);
          else if (!opts.out) for (const c of cases) printText(`${c.id}\t${c.pressure.toFixed(2)}\t${c.speedup.tenant.toFixed(2)}\t${c.speedup.operator.toFixed(2)}\t${c.speedup.collaborative.toFixed(2)}\t${c.energy_gain.collaborative.toFixed(2)}\n`);
        }),
      );
  },
};
export default study;
