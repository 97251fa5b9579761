/**
 * The result document of a serving run (`retile serve`, docs/simulator.md "Two run modes"): per
 * tenant the measured throughput and latency percentiles of a request stream after its warm-up,
 * SLA attainment against a p99 target, and the chip's sustained operations. Pure arithmetic over
 * the simulator's per-request arrival and completion times.
 */
import type { Deployment } from '../placement/types';
import { percentile } from '../sim/summary';
import { opsPerInference, peakOps } from './peak-fraction';
import { chipSummary } from '../hardware/costs';

/** Fraction of each tenant's requests treated as warm-up (at least one request). */
export const WARMUP_FRACTION = 0.1;

export interface ServeTenantResult {
  name: string;
  rate_rps: number;
  requests: number;
  measured: number;
  throughput_ips: number;
  mean_s: number;
  p50_s: number;
  p95_s: number;
  p99_s: number;
  /** The tenant's p99 latency target (ms), or null. */
  sla_p99_ms: number | null;
  /** Fraction of measured requests within the p99 target, or null without one. */
  sla_attainment: number | null;
}

export interface ServeResult {
  mode: 'poisson';
  strategy: string;
  chosen_candidate: string;
  seed: number;
  requests: number;
  warmup_requests: number;
  chip: { name: string; mesh: [number, number]; tiles: number; peak_tops: number };
  tenants: ServeTenantResult[];
  /** Offered load: sum over tenants of rate x operations per inference (TOPS). */
  offered_tops: number;
  sustained_tops: number;
  peak_fraction: number;
  /** When the last request finished, and the energy of the whole stream. */
  makespan_s: number;
  energy_j: number;
  definition: string;
}

export const SERVE_DEFINITION =
  'Steady-state serving: the strategy\'s deployment (optimized for the spec as a burst) replayed by the event simulator with Poisson arrivals per tenant ' +
  `(seeded, exponential inter-arrival times at the tenant's rate); the first ${WARMUP_FRACTION * 100} % of each tenant's requests are warm-up and left out; ` +
  'throughput = measured requests / (last measured completion - first measured arrival); latency = completion - arrival (p50, p95, p99 by nearest rank); ' +
  'SLA attainment = fraction of measured requests within the tenant\'s p99 target (sla_ms).';

export function warmupRequests(requests: number): number {
  return Math.max(1, Math.floor(requests * WARMUP_FRACTION));
}

/**
 * The figures of one stream. `arrival` and `done` hold every request of every tenant, tenant
 * after tenant (`requests` each), as the simulator reports them.
 */
export function serveResult(
  dep: Deployment,
  run: { strategy: string; chosenCandidate: string; seed: number; requests: number },
  arrival: ArrayLike<number>,
  done: ArrayLike<number>,
  totals: { makespanS: number; energyJ: number },
): ServeResult {
  const { requests } = run;
  const W = warmupRequests(requests);
  const summary = chipSummary(dep.chip);
  let sustainedOps = 0;
  let offeredOps = 0;
  const tenants = dep.tenants.map((t, ti): ServeTenantResult => {
    const first = ti * requests;
    const lat: number[] = [];
    let lastDone = 0;
    for (let k = W; k < requests; k++) {
      lat.push(done[first + k]! - arrival[first + k]!);
      lastDone = Math.max(lastDone, done[first + k]!);
    }
    const window = lastDone - arrival[first + W]!;
    const throughput = window > 0 ? lat.length / window : 0;
    const rate = t.arrivalRate ?? 0;
    sustainedOps += throughput * opsPerInference(t.graph);
    offeredOps += rate * opsPerInference(t.graph);
    const sorted = Float64Array.from(lat).sort();
    const target = t.slaMs !== undefined ? t.slaMs / 1e3 : null;
    return {
      name: t.name,
      rate_rps: rate,
      requests,
      measured: lat.length,
      throughput_ips: throughput,
      mean_s: lat.reduce((a, b) => a + b, 0) / lat.length,
      p50_s: percentile(sorted, 0.5),
      p95_s: percentile(sorted, 0.95),
      p99_s: percentile(sorted, 0.99),
      sla_p99_ms: t.slaMs ?? null,
      sla_attainment: target === null ? null : lat.filter((l) => l <= target).length / lat.length,
    };
  });
  const peak = peakOps(dep.chip);
  return {
    mode: 'poisson',
    strategy: run.strategy,
    chosen_candidate: run.chosenCandidate,
    seed: run.seed,
    requests,
    warmup_requests: W,
    chip: { name: dep.chip.name, mesh: summary.mesh, tiles: summary.tiles, peak_tops: peak / 1e12 },
    tenants,
    offered_tops: offeredOps / 1e12,
    sustained_tops: sustainedOps / 1e12,
    peak_fraction: peak > 0 ? sustainedOps / peak : 0,
    makespan_s: totals.makespanS,
    energy_j: totals.energyJ,
    definition: SERVE_DEFINITION,
  };
}
