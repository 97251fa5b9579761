/**
 * The reproduction study at steady state (docs/study.md, "Steady state"): every study case
 * (pipeline/study.ts, the same mixes, chips, batch 1 and seed as `retile study`) optimized once as
 * the study does, then every deployment serving the same streams: the three baselines (direct,
 * balanced, sequential), every candidate of collaborative's portfolio (learning-rate, tenant-only,
 * operator-only, replicas where it applies) and the learning-rate loop steered by the stream's cost
 * (`learning-rate-throughput`, optimize/strategies.ts throughputStrategy), each tenant a closed
 * loop of CLIENTS requests outstanding, REQUESTS per tenant, as `retile serve --clients` does
 * (pipeline/serve.ts). Collaborative is reported twice: `collaborative`, the burst's choice (what
 * `retile serve` serves), and `collaborative-throughput`, what `retile serve --objective
 * throughput` serves (the best candidate by the serving referee, pipeline/serve.ts servingBetter).
 * The figure of merit is the stream's: every request's operations over the last completion
 * (`retile serve`'s `stream_tops`, what the serving referee compares), the same work for every
 * deployment, so their ratio is the speed-up at steady state; the sum of per-tenant rates
 * (`sustained_tops`, also recorded) would rank a deployment that starves one tenant first. Also recorded: % of peak, energy per inference, the worst tenant's p99, and whether the
 * deployment runs in turns (rounds or phases: it serves the closed loop in turns, docs/simulator.md,
 * "Turns"). `npm run bench study-serve` (a long run: one study case's optimization plus eight
 * streams per case); STUDY_SERVE_CASES=light-8x8,four-32x32 restricts it to some cases.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toLayerGraph, zooGraph, type LayerGraph } from '../src-main/engine/workload';
import { instantiateRetileWasm } from '../src-main/engine/sim/wasm';
import { caseChip, fullCases, STUDY_MIXES } from '../src-main/engine/pipeline/study';
import { runInternals } from '../src-main/engine/pipeline/run';
import { serveArrivals, servingBetter, servingCandidates, servingFigures } from '../src-main/engine/pipeline/serve';
import type { ArrivalSource, ServeResult } from '../src-main/engine/report/serve-result';
import { peakOps } from '../src-main/engine/report/peak-fraction';

const CLIENTS = 4;
const REQUESTS = 16;

export default async function run(): Promise<object> {
  const wasm = await instantiateRetileWasm(readFileSync(join(process.cwd(), 'build/wasm/retile.wasm')));
  const graphs: Record<string, LayerGraph> = {};
  for (const names of Object.values(STUDY_MIXES)) for (const n of names) graphs[n] ??= toLayerGraph(zooGraph(n));
  const only = process.env.STUDY_SERVE_CASES?.split(',').filter(Boolean);
  const cases = fullCases().filter((c) => !only || only.includes(c.id));
  const out: Record<string, unknown>[] = [];
  for (const spec of cases) {
    const chip = caseChip(spec);
    const tenants = STUDY_MIXES[spec.mix]!.map((n) => ({ name: n, model: n, graph: graphs[n]!, batch: 1, priority: 1 }));
    const x = await runInternals({ chip, tenants, strategy: 'collaborative', objective: 'makespan', seed: 1 }, { wasm, alone: 'analytic' });
    const sources: ArrivalSource[] = tenants.map(() => ({ kind: 'closed', clients: CLIENTS }));
    // The baselines, then every candidate `retile serve --objective throughput` referees (the
    // direct candidate is the direct baseline's deployment, served once).
    const candidates = servingCandidates(x, 'collaborative', 'throughput');
    const deps = [
      ...(['direct', 'balanced', 'sequential'] as const).map((name) => ({ name, deployment: x.baselines[name].deployment })),
      ...candidates.filter((c) => c.name !== 'direct'),
    ];
    const row: Record<string, unknown> = { id: spec.id, chosen: x.chosenName, clients: CLIENTS, requests: REQUESTS };
    const served = new Map<string, ServeResult>();
    for (const { name, deployment } of deps) {
      const r = serveArrivals(deployment, sources, REQUESTS, 1, wasm, { strategy: name, chosenCandidate: name }, { target: null, simulated: 0 });
      served.set(name, r);
      row[name] = {
        in_turns: deployment.rounds.length > 1 || deployment.tenants.some((t) => t.phases > 1),
        stream_tops: r.stream_tops,
        peak_fraction: (r.stream_tops * 1e12) / peakOps(chip),
        makespan_s: r.makespan_s,
        sustained_tops: r.sustained_tops,
        worst_p99_s: Math.max(...r.tenants.map((t) => t.p99_s)),
        energy_per_inference_j: r.energy_j / (REQUESTS * tenants.length),
      };
    }
    // Collaborative: the burst's choice, and the serving referee's choice among the candidates (ties: the earlier).
    const refereed = candidates.map((c) => c.name).reduce((a, b) => (servingBetter(servingFigures(served.get(b)!), servingFigures(served.get(a)!), 'throughput') ? b : a));
    row.collaborative = { ...(row[x.chosenName] as object), candidate: x.chosenName };
    row['collaborative-throughput'] = { ...(row[refereed] as object), candidate: refereed };
    process.stdout.write(`${JSON.stringify(row)}\n`);
    out.push(row);
  }
  return { clients: CLIENTS, requests: REQUESTS, seed: 1, batch: 1, cases: out };
}
