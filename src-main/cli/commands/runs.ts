/** `retile runs <file.retile> [--json]`: the runs of a project with their headline figures. */
import type { Command } from 'commander';
import Table from 'cli-table3';
import type { CommandModule } from '../command';
import { action, printJson, printText } from '../io';
import { withProject } from '../project-open';
import { listRunRows } from '../../store/export';
import { fmtSeconds, fmtJoules, fmtRatio } from '../format';

const runs: CommandModule = {
  register(program: Command) {
    program
      .command('runs <file>')
      .description('list the runs saved in a project file')
      .option('--json', 'print JSON on stdout (an array of runs)')
      .action(
        action(async (file: string, o: { json?: boolean }) => {
          const rows = withProject(file, listRunRows, { readonly: true });
          if (o.json) return printJson(rows);
          if (rows.length === 0) return void printText(`${file}: no runs yet\n`);
          const table = new Table({ head: ['id', 'status', 'strategy', 'seed', 'mesh', 'makespan', 'energy', 'speed-up', 'created'], style: { head: [], border: [] } });
          for (const r of rows)
            table.push([r.id, r.damaged ? `${r.status} (damaged)` : r.status, r.strategy ?? r.kind, r.seed ?? '', r.mesh ?? '', fmtSeconds(r.makespan_s), fmtJoules(r.energy_j), fmtRatio(r.speedup_vs_direct), r.created_at.slice(0, 19).replace('T', ' ')]);
          const damaged = rows.filter((r) => r.damaged).map((r) => r.id);
          printText(table.toString() + '\n' + (damaged.length ? `run(s) ${damaged.join(', ')}: the stored result is damaged; their figures are withheld (\`retile show\` says why)\n` : ''));
        }),
      );
  },
};
export default runs;
