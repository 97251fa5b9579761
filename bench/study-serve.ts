/**
 * The reproduction study at steady state (docs/study.md, "Steady state"): every study case
 * (pipeline/study.ts, the same mixes, chips, batch 1 and seed as `retile study`) optimized once as
 * the study does, then each of four deployments (direct, balanced, sequential and collaborative's
 * choice) serving the same streams: a closed loop of CLIENTS requests outstanding per tenant,
 * REQUESTS per tenant, as `retile serve --clients` does (pipeline/serve.ts). The figure of merit
 * is the stream's: every request's operations over the last completion (`stream_tops`), the same
 * work for every deployment, so their ratio is the speed-up at steady state; a per-tenant window
 * (`retile serve`'s `sustained_tops`, also recorded) would count tenants that run in turns (rounds,
 * phases) as if they ran together. Also recorded: % of peak, energy per inference and the worst
 * tenant's p99. A deployment in rounds or phases serves the closed loop in turns (docs/simulator.md, "Turns").
 * `npm run bench study-serve` (a long run: one study case's optimization plus four streams per
 * case); STUDY_SERVE_CASES=light-8x8,four-32x32 restricts it to some cases.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toLayerGraph, zooGraph, type LayerGraph } from '../src-main/engine/workload';
import { instantiateRetileWasm } from '../src-main/engine/sim/wasm';
import { caseChip, fullCases, STUDY_MIXES } from '../src-main/engine/pipeline/study';
import { runInternals } from '../src-main/engine/pipeline/run';
import { serveArrivals } from '../src-main/engine/pipeline/serve';
import type { ArrivalSource } from '../src-main/engine/report/serve-result';
import { opsPerInference, peakOps } from '../src-main/engine/report/peak-fraction';

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
    const deps = {
      direct: x.baselines.direct.deployment,
      balanced: x.baselines.balanced.deployment,
      sequential: x.baselines.sequential.deployment,
      collaborative: x.chosen.outcome.deployment,
    };
    const row: Record<string, unknown> = { id: spec.id, chosen: x.chosenName, clients: CLIENTS, requests: REQUESTS };
    for (const [name, dep] of Object.entries(deps)) {
      const r = serveArrivals(dep, sources, REQUESTS, 1, wasm, { strategy: name, chosenCandidate: name }, { target: null, simulated: 0 });
      const streamTops = tenants.reduce((a, t) => a + REQUESTS * opsPerInference(t.graph), 0) / r.makespan_s / 1e12;
      row[name] = {
        stream_tops: streamTops,
        peak_fraction: (streamTops * 1e12) / peakOps(chip),
        makespan_s: r.makespan_s,
        sustained_tops: r.sustained_tops,
        worst_p99_s: Math.max(...r.tenants.map((t) => t.p99_s)),
        energy_per_inference_j: r.energy_j / (REQUESTS * tenants.length),
      };
    }
    process.stdout.write(`${JSON.stringify(row)}\n`);
    out.push(row);
  }
  return { clients: CLIENTS, requests: REQUESTS, seed: 1, batch: 1, cases: out };
}
