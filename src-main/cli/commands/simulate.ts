/**
 * `retile simulate <zoo-name|file.onnx>... --chip <preset|file.json> [--mesh RxC] [--batch B] [--json]`:
 * places the tenants by direct deployment, runs the Wasm event simulator and prints its figures
 * next to the analytic profiler's for the same placement. The simulation runs in a worker thread
 * so Ctrl-C and SIGTERM stop it at once (exit 130).
 */
import type { Command } from 'commander';
import type { CommandModule } from '../command';
import { action, positiveInt, printJson, printText, UsageError } from '../io';
import { toLayerGraph } from '../../engine/workload';
import { directDeployment } from '../../engine/placement/direct';
import { resolveModel } from '../../service/models';
import { only, runJobs } from '../sweep/jobs';
import { fmtJoules, fmtSeconds, textTable } from '../format';
import { collect, loadChip, SET_HELP } from './chip';
import { addShapeFlags, shapeBindings, type ShapeFlags } from '../shape-flags';

interface Opts extends ShapeFlags {
  chip?: string;
  mesh?: string;
  set: string[];
  batch?: number;
  rate?: string;
  seed?: number;
  json?: boolean;
}

const simulateCmd: CommandModule = {
  register(program: Command) {
    const cmd = program
      .command('simulate')
      .description('place tenants by direct deployment and run the event simulator')
      .argument('<models...>', 'zoo names, .onnx files or NeuroSim network .csv files (one tenant each)')
      .option('--chip <chip>', 'preset name (isaac, puma, mnsim), chip-spec .json file or MNSIM SimConfig .ini')
      .option('--mesh <RxC>', 'rescale the chip to another mesh of the same tile, e.g. 64x64')
      .option('--set <field=value>', SET_HELP, collect, [])
      .option('--batch <B>', 'inferences per tenant (default 1)', positiveInt('--batch'))
      .option('--rate <ips>', 'Poisson arrival rate per tenant (requests/s) instead of a batch at t = 0')
      .option('--seed <n>', 'seed of the Poisson streams (default 1)', positiveInt('--seed'))
      .option('--json', 'print JSON on stdout');
    addShapeFlags(cmd).action(
        action(async (refs: string[], opts: Opts) => {
          if (!opts.chip) throw new UsageError('simulate needs --chip <preset|file.json>');
          const rate = opts.rate === undefined ? undefined : Number(opts.rate);
          if (rate !== undefined && !(rate > 0 && Number.isFinite(rate))) throw new UsageError(`--rate expects a positive number, got '${opts.rate}'`);
          const chip = loadChip(opts.chip, opts.mesh, opts.set);
          const batch = opts.batch ?? 1;
          const bindings = shapeBindings(opts);
          const names = new Map<string, number>();
          const tenants = refs.map((ref) => {
            const model = resolveModel(ref, bindings);
            const graph = toLayerGraph(model.graph);
            const n = (names.get(model.model) ?? 0) + 1;
            names.set(model.model, n);
            return { name: n > 1 ? `${model.model}#${n}` : model.model, model: model.model, graph, batch, ...(rate ? { arrivalRate: rate } : {}) };
          });
          const dep = directDeployment(chip, tenants);
          const job = { kind: 'simulate', deployment: dep, options: { seed: opts.seed ?? 1 } } as const;
          const { report } = only(await runJobs([job], 1, { label: `simulating ${tenants.length} tenant(s) on ${chip.name} ${chip.topology.rows}x${chip.topology.cols}, batch ${batch}` }), 'simulate');
          if (opts.json) {
            printJson(report);
            return;
          }
          // Simulated figures are for the whole batch (requests queue behind each other); the analytic
          // profiler's latency is one inference through the pipeline, so the two are labelled apart.
          const arrivals = rate ? `Poisson arrivals at ${rate}/s, ${batch} request(s) per tenant` : `batch ${batch} per tenant, all arriving at t = 0`;
          const table = textTable(['tenant', 'requests', 'mean latency', 'p99 latency', 'batch finish', 'throughput', 'energy', 'analytic: one inference', 'analytic: batch finish']);
          report.tenants.forEach((t, i) => {
            const a = report.analytic.tenants[i]!;
            table.push([t.name, t.batch, fmtSeconds(t.latency_s), fmtSeconds(t.latency_p99_s), fmtSeconds(t.finish_s), `${t.throughput_ips.toFixed(1)} inf/s`, fmtJoules(t.energy_j), fmtSeconds(a.latency_s), fmtSeconds(a.finish_s)]);
          });
          const lines = [
            `${refs.length} tenant(s) on ${report.chip} (${report.mesh[0]} x ${report.mesh[1]}), ${report.strategy}, ${arrivals}`,
            `whole run: makespan ${fmtSeconds(report.makespan_s)} simulated, ${fmtSeconds(report.analytic.makespan_s)} analytic; energy ${fmtJoules(report.energy_j)} simulated, ${fmtJoules(report.analytic.energy_j)} analytic`,
            `per tenant: simulated latencies are per request over the whole ${rate ? 'stream' : 'batch'} (queueing included); "analytic: one inference" is the profiler's latency of a single inference on an idle pipeline`,
            table.toString(),
            `${report.events} events in ${report.seconds.toFixed(3)} s`,
            `baseline: ${report.definition}`,
          ];
          printText(lines.join('\n') + '\n');
        }),
      );
  },
};
export default simulateCmd;
