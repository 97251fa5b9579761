/** `retile show <file.retile> --run N [--json]`: one saved run: its settings, inputs and results. */
import type { Command } from 'commander';
import Table from 'cli-table3';
import type { CommandModule } from '../command';
import { action, positiveInt, printJson, printText, UsageError } from '../io';
import { withProject } from '../project-open';
import { runDocument } from '../run-report';
import { fmtJoules, fmtRatio, fmtSeconds } from '../format';

const show: CommandModule = {
  register(program: Command) {
    program
      .command('show <file>')
      .description('show one run of a project file (figures, tenants, settings)')
      .option('--run <N>', 'the run id (see `retile runs`)', positiveInt('--run'))
      .option('--json', 'print JSON on stdout: { run, settings, inputs, result, other }')
      .action(
        action(async (file: string, o: { run?: number; json?: boolean }) => {
          if (o.run === undefined) throw new UsageError('retile show needs --run <N> (see `retile runs <file>`)');
          const doc = withProject(file, (db) => runDocument(db, file, o.run!), { readonly: true });
          if (o.json) return printJson(doc);
          const r = doc.result;
          const lines = [
            `run #${doc.run.id} (${doc.run.kind}) ${doc.run.status}${doc.run.message ? `: ${doc.run.message}` : ''}`,
            `strategy ${doc.run.strategy ?? '-'}  objective ${doc.run.objective ?? '-'}  seed ${doc.run.seed ?? '-'}  mesh ${doc.run.mesh ?? '-'}  Retile ${doc.run.version}`,
            `created ${doc.run.created_at}${doc.run.finished_at ? `  ended ${doc.run.finished_at}` : ''}`,
          ];
          if (r) {
            lines.push(
              `makespan ${fmtSeconds(r.makespan_s)} (lower bound ${fmtSeconds(r.lower_bound_s)})  energy ${fmtJoules(r.energy_j)}  speed-up vs direct ${fmtRatio(r.speedup_vs_direct)}  energy gain ${fmtRatio(r.energy_gain_vs_direct)}`,
              `ANTT ${r.metrics.antt.toFixed(2)}  STP ${r.metrics.stp.toFixed(2)}  fairness ${r.metrics.fairness.toFixed(2)}  utilization temporal ${(r.metrics.temporal_utilization * 100).toFixed(1)} % spatial ${(r.metrics.spatial_utilization * 100).toFixed(1)} %`,
            );
            const t = new Table({ head: ['tenant', 'model', 'batch', 'latency', 'throughput/s', 'energy', 'tiles', 'crossbars', 'copies', 'NTT'], style: { head: [], border: [] } });
            for (const x of r.tenants) t.push([x.name, x.model, x.batch, fmtSeconds(x.latency_s), x.throughput_ips.toFixed(1), fmtJoules(x.energy_j), x.tiles, x.crossbars, x.copies, x.ntt.toFixed(2)]);
            lines.push(t.toString(), `direct baseline: ${r.direct_definition}`);
          } else if (Object.keys(doc.other).length) {
            lines.push(`results: ${Object.keys(doc.other).join(', ')} (see --json or \`retile export\`)`);
          }
          printText(lines.join('\n') + '\n');
        }),
      );
  },
};
export default show;
