/**
 * `retile serve <spec>`: steady-state serving of the spec's deployment: Poisson request streams
 * per tenant at given rates, tail latency and SLA attainment (engine/pipeline/serve.ts).
 */
import type { Command } from 'commander';
import type { CommandModule } from '../command';
import { action, parseSeed, printJson, printText, UsageError } from '../io';
import { loadWasm } from '../../service/wasm-node';
import { serveDeployment } from '../../engine/pipeline/serve';
import type { ServeResult } from '../../engine/report/serve-result';
import { readSpecFile } from '../spec-file';
import { fmtSeconds, textTable } from '../format';
import { requestFromSpecFile } from './run';

interface ServeOptions {
  rate: string[];
  requests?: string;
  seed?: string;
  strategy?: string;
  objective?: string;
  mesh?: string;
  json?: boolean;
}

/** `--rate name=rps` for one tenant, `--rate rps` for every tenant without its own. */
export function parseRates(items: string[], names: string[], fromSpec: (number | undefined)[]): Record<string, number> {
  const rates: Record<string, number> = {};
  let all: number | undefined;
  const num = (text: string, what: string): number => {
    const v = Number(text);
    if (!(v > 0) || !Number.isFinite(v)) throw new UsageError(`--rate ${what}: expected a positive number of requests per second, got '${text}'`);
    return v;
  };
  for (const item of items) {
    const eq = item.lastIndexOf('=');
    if (eq < 0) all = num(item, item);
    else {
      const name = item.slice(0, eq);
      if (!names.includes(name)) throw new UsageError(`--rate ${item}: no tenant named '${name}' (tenants: ${names.join(', ')})`);
      rates[name] = num(item.slice(eq + 1), item);
    }
  }
  names.forEach((n, i) => {
    rates[n] ??= all ?? fromSpec[i] ?? NaN;
    if (Number.isNaN(rates[n])) delete rates[n];
  });
  return rates;
}

function printServeText(r: ServeResult): void {
  const table = textTable(['tenant', 'rate (req/s)', 'throughput (inf/s)', 'p50', 'p95', 'p99', 'SLA attainment (p99 target)']);
  for (const t of r.tenants) {
    table.push([
      t.name,
      t.rate_rps.toFixed(1),
      t.throughput_ips.toFixed(1),
      fmtSeconds(t.p50_s),
      fmtSeconds(t.p95_s),
      fmtSeconds(t.p99_s),
      t.sla_attainment === null ? '-' : `${(t.sla_attainment * 100).toFixed(1)} % within ${t.sla_p99_ms} ms`,
    ]);
  }
  const lines = [
    `serving (Poisson arrivals, ${r.requests} requests per tenant, the first ${r.warmup_requests} of each are warm-up) with the ${r.strategy} deployment [candidate: ${r.chosen_candidate}] on ${r.chip.name} ${r.chip.mesh[0]}x${r.chip.mesh[1]}, seed ${r.seed}`,
    table.toString(),
    `sustained ${r.sustained_tops.toFixed(3)} TOPS of ${r.offered_tops.toFixed(3)} offered (${(r.peak_fraction * 100).toFixed(2)} % of the chip's ${r.chip.peak_tops.toFixed(1)} TOPS peak)`,
    r.definition,
  ];
  printText(lines.join('\n') + '\n');
}

const serve: CommandModule = {
  register(program: Command) {
    program
      .command('serve <spec>')
      .description('steady-state serving: Poisson request streams per tenant on the strategy\'s deployment; throughput, p50/p95/p99 latency, SLA attainment, sustained TOPS')
      .option('--rate <tenant=rps>', 'requests per second of a tenant (repeatable); a bare number applies to every tenant without its own; else the spec\'s "rate"', (v: string, acc: string[]) => [...acc, v], [])
      .option('--requests <n>', 'requests per tenant, warm-up included (default 100)')
      .option('--seed <n>', 'seed of the arrival streams and the optimizer (default: the spec\'s, else 1)')
      .option('--strategy <name>', 'the deployment to serve with (default: the spec\'s, else collaborative)')
      .option('--objective <name>', 'objective of the optimization (default: the spec\'s, else makespan)')
      .option('--mesh <RxC>', 'rescale the chip to another tile mesh, e.g. 32x32')
      .option('--json', 'print JSON on stdout')
      .action(
        action(async (specPath: string, opts: ServeOptions) => {
          const req = requestFromSpecFile(specPath, opts);
          const loaded = readSpecFile(specPath);
          const rates = parseRates(opts.rate, req.tenants.map((t) => t.name), loaded.spec.tenants.map((t) => t.rate));
          const requests = opts.requests === undefined ? 100 : Number(opts.requests);
          if (!Number.isInteger(requests) || requests < 2 || requests > 100_000) throw new UsageError(`--requests expects an integer in 2..100000, got '${opts.requests}'`);
          if (opts.seed !== undefined) parseSeed(opts.seed);
          const wasm = await loadWasm();
          const result = await serveDeployment({ ...req, rates, requests }, { wasm });
          if (opts.json) printJson(result);
          else printServeText(result);
        }),
      );
  },
};
export default serve;
