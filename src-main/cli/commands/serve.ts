/**
 * `retile serve <spec>`: steady-state serving of the spec's deployment: request streams per
 * tenant (Poisson at a rate, closed-loop clients, or a trace file's arrival times), tail latency
 * and SLA attainment, optionally until the p99 is known to a given precision (engine/pipeline/serve.ts).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { CommandModule } from '../command';
import { action, parseSeed, printJson, printText, UsageError } from '../io';
import { only, runJobs } from '../sweep/jobs';
import { parseArrivalTrace } from '../../engine/pipeline/arrival-trace';
import { SERVING_OBJECTIVES, type ServeResult, type ServingObjective } from '../../engine/report/serve-result';
import { readSpecFile } from '../spec-file';
import { fmtSeconds, fmtWear, textTable } from '../format';
import { requestFromSpecFile } from './run';

interface ServeOptions {
  rate: string[];
  clients: string[];
  trace: string[];
  requests?: string;
  p99Ci?: string;
  seed?: string;
  strategy?: string;
  objective?: string;
  mesh?: string;
  json?: boolean;
}

/**
 * `--flag name=value` for one tenant, `--flag value` for every tenant not named (when `bare` is
 * allowed); values checked by `parse`. Returns the values by tenant name and the bare value.
 */
function perTenant<V>(flag: string, items: string[], names: string[], parse: (text: string, item: string) => V, bare: boolean): { named: Record<string, V>; all?: V } {
  const named: Record<string, V> = {};
  let all: V | undefined;
  for (const item of items) {
    const eq = item.lastIndexOf('=');
    if (eq < 0) {
      if (!bare) throw new UsageError(`${flag} ${item}: expected <tenant>=<value> (tenants: ${names.join(', ')})`);
      all = parse(item, item);
      continue;
    }
    const name = item.slice(0, eq);
    if (!names.includes(name)) throw new UsageError(`${flag} ${item}: no tenant named '${name}' (tenants: ${names.join(', ')})`);
    named[name] = parse(item.slice(eq + 1), item);
  }
  return all === undefined ? { named } : { named, all };
}

/** `--clients name=N` for one tenant, `--clients N` for every tenant without another source. */
export function parseClients(items: string[], names: string[]): { named: Record<string, number>; all?: number } {
  return perTenant('--clients', items, names, (text, item) => {
    const v = Number(text);
    if (!Number.isInteger(v) || v < 1) throw new UsageError(`--clients ${item}: expected a whole number of requests outstanding (at least 1), got '${text}'`);
    return v;
  }, true);
}

/** `--trace name=file` (one per tenant), read and parsed: one arrival time in seconds per line. */
export function readTraces(items: string[], names: string[], read: (file: string) => string = (f) => readFileSync(f, 'utf8')): Record<string, { times: number[]; source: string }> {
  return perTenant('--trace', items, names, (file, item) => {
    let text: string;
    try {
      text = read(file);
    } catch (e) {
      throw new UsageError(`--trace ${item}: cannot read '${file}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    return { times: parseArrivalTrace(text, file), source: file };
  }, false).named;
}

/**
 * `--rate name=rps` for one tenant, `--rate rps` for every tenant without its own; the spec's
 * rate is the fallback. Tenants in `elsewhere` (served by --clients or --trace) take neither the
 * bare rate nor the spec's.
 */
export function parseRates(items: string[], names: string[], fromSpec: (number | undefined)[], elsewhere: string[] = []): Record<string, number> {
  const { named, all } = perTenant('--rate', items, names, (text, item) => {
    const v = Number(text);
    if (!(v > 0) || !Number.isFinite(v)) throw new UsageError(`--rate ${item}: expected a positive number of requests per second, got '${text}'`);
    return v;
  }, true);
  const rates: Record<string, number> = { ...named };
  names.forEach((n, i) => {
    if (rates[n] !== undefined || elsewhere.includes(n)) return;
    const r = all ?? fromSpec[i];
    if (r !== undefined) rates[n] = r;
  });
  return rates;
}

function printServeText(r: ServeResult): void {
  const table = textTable(['tenant', 'arrivals', 'rate (req/s)', 'throughput (inf/s)', 'p50', 'p95', 'p99', '95 % interval of p99', 'SLA attainment (p99 target)']);
  for (const t of r.tenants) {
    table.push([
      t.name,
      t.arrivals === 'closed' ? `closed, ${t.clients} outstanding` : t.arrivals,
      t.rate_rps.toFixed(1),
      t.throughput_ips.toFixed(1),
      fmtSeconds(t.p50_s),
      fmtSeconds(t.p95_s),
      fmtSeconds(t.p99_s),
      t.p99_ci_s === null ? '- (too few requests)' : `${fmtSeconds(t.p99_ci_s[0])} .. ${fmtSeconds(t.p99_ci_s[1])}`,
      t.sla_attainment === null ? '-' : `${(t.sla_attainment * 100).toFixed(1)} % within ${t.sla_p99_ms} ms`,
    ]);
  }
  const stop =
    r.p99_ci_target === null
      ? ''
      : r.stopped_by === 'p99-ci'
        ? `; stopped when every p99 interval was within +-${r.p99_ci_target * 100} % (${r.requests_simulated} requests simulated in all)`
        : `; the p99 intervals did not reach +-${r.p99_ci_target * 100} % within --requests (${r.requests_simulated} requests simulated in all)`;
  const lines = [
    `serving (${r.mode} arrivals, ${r.requests} requests per tenant, the first ${r.warmup_requests} of each are warm-up${stop}) with the ${r.strategy} deployment [candidate: ${r.chosen_candidate}] on ${r.chip.name} ${r.chip.mesh[0]}x${r.chip.mesh[1]}, seed ${r.seed}`,
    table.toString(),
    `sustained ${r.sustained_tops.toFixed(3)} TOPS of ${r.offered_tops.toFixed(3)} offered (${(r.peak_fraction * 100).toFixed(2)} % of the chip's ${r.chip.peak_tops.toFixed(1)} TOPS peak); the whole stream ${r.stream_tops.toFixed(3)} TOPS (every request's operations over the last completion)`,
    ...(r.writes ? [fmtWear(r.writes, 'stream')] : []),
    ...(r.serving_objective
      ? [`objective ${r.serving_objective}: served every candidate with these streams: ${r.serving_candidates!.map((c) => `${c.candidate} ${c.stream_tops.toFixed(3)} stream TOPS${c.min_sla_attainment === null ? '' : `, worst SLA attainment ${(c.min_sla_attainment * 100).toFixed(1)} %`}`).join('; ')}`]
      : []),
    r.definition,
  ];
  printText(lines.join('\n') + '\n');
}

const serve: CommandModule = {
  register(program: Command) {
    program
      .command('serve <spec>')
      .description('steady-state serving: request streams per tenant (Poisson, closed-loop clients or a trace) on the strategy\'s deployment; throughput, p50/p95/p99 latency, SLA attainment, sustained TOPS')
      .option('--rate <tenant=rps>', 'Poisson requests per second of a tenant (repeatable); a bare number applies to every tenant without a stream of its own; else the spec\'s "rate"', (v: string, acc: string[]) => [...acc, v], [])
      .option('--clients <tenant=N>', 'closed loop: N requests of the tenant outstanding, each client sending its next when the last completes (repeatable; a bare N applies to every tenant without a stream of its own)', (v: string, acc: string[]) => [...acc, v], [])
      .option('--trace <tenant=file>', 'replay the arrival times of a file (one time in seconds per line, non-decreasing; # comments) for the tenant (repeatable)', (v: string, acc: string[]) => [...acc, v], [])
      .option('--requests <n>', 'requests per tenant, warm-up included (default 100); with --p99-ci the most per tenant')
      .option('--p99-ci <fraction>', 'stopping rule: simulate 1000 requests per tenant, then twice as many, until every tenant\'s 95 % interval of p99 is within this fraction of its p99 (e.g. 0.05), at most --requests')
      .option('--seed <n>', 'seed of the arrival streams and the optimizer (default: the spec\'s, else 1)')
      .option('--strategy <name>', 'the deployment to serve with (default: the spec\'s, else collaborative)')
      .option('--objective <name>', 'makespan | weighted | fairness | sla: the burst optimization\'s (default: the spec\'s, else makespan); throughput | sla-attainment: serve every candidate of the strategy and keep the one with the most sustained TOPS, or the highest worst-tenant SLA attainment')
      .option('--mesh <RxC>', 'rescale the chip to another tile mesh, e.g. 32x32')
      .option('--json', 'print JSON on stdout')
      .action(
        action(async (specPath: string, opts: ServeOptions) => {
          // A serving objective referees the candidates by serving them; their burst optimization keeps the spec's objective.
          const servingObjective = (SERVING_OBJECTIVES as readonly string[]).includes(opts.objective ?? '') ? (opts.objective as ServingObjective) : undefined;
          const req = requestFromSpecFile(specPath, servingObjective ? { ...opts, objective: undefined } : opts);
          const loaded = readSpecFile(specPath);
          const names = req.tenants.map((t) => t.name);
          const traces = readTraces(opts.trace, names);
          const { named, all } = parseClients(opts.clients, names);
          const ownRate = new Set(opts.rate.filter((r) => r.includes('=')).map((r) => r.slice(0, r.lastIndexOf('='))));
          if (all !== undefined && opts.rate.some((r) => !r.includes('='))) throw new UsageError('give a bare --rate or a bare --clients, not both: name the tenants of one of them (--clients <tenant>=N)');
          // a bare --clients N covers the tenants without a trace or a rate of their own
          const clients: Record<string, number> = { ...named };
          if (all !== undefined) for (const n of names) if (clients[n] === undefined && !traces[n] && !ownRate.has(n)) clients[n] = all;
          const rates = parseRates(opts.rate, names, loaded.spec.tenants.map((t) => t.rate), [...Object.keys(clients), ...Object.keys(traces)]);
          const requests = opts.requests === undefined ? 100 : Number(opts.requests);
          if (!Number.isInteger(requests) || requests < 2 || requests > 100_000) throw new UsageError(`--requests expects an integer in 2..100000, got '${opts.requests}'`);
          const p99Ci = opts.p99Ci === undefined ? undefined : Number(opts.p99Ci);
          if (p99Ci !== undefined && !(p99Ci > 0 && p99Ci < 1)) throw new UsageError(`--p99-ci expects a fraction between 0 and 1 (e.g. 0.05 for +-5 %), got '${opts.p99Ci}'`);
          if (opts.seed !== undefined) parseSeed(opts.seed);
          // In a worker thread, as `run` does: the main thread stays free to answer Ctrl-C and SIGTERM.
          const request = { ...req, rates, clients, traces, requests, ...(p99Ci !== undefined ? { p99Ci } : {}), ...(servingObjective ? { servingObjective } : {}) };
          const label = `serving ${names.length} tenant(s) on ${req.chip.name} ${req.chip.topology.rows}x${req.chip.topology.cols}`;
          const { result } = only(await runJobs([{ kind: 'serve', request }], 1, { label }), 'serve');
          if (opts.json) printJson(result);
          else printServeText(result);
        }),
      );
  },
};
export default serve;
