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
import { quantileInterval } from './quantile-interval';
import type { WriteWear } from '../placement/reprogram';
import type { ServingObjective } from './serving-objectives';

/** Fraction of each tenant's requests treated as warm-up (at least one request). */
export const WARMUP_FRACTION = 0.1;
/** Confidence level of the p99 interval (`p99_ci_s`) and of the stopping rule. */
export const P99_CONFIDENCE = 0.95;

/** Where a tenant's requests come from. */
export type ArrivalSource =
  | { kind: 'poisson'; rate: number }
  | { kind: 'closed'; clients: number }
  | { kind: 'trace'; times: number[]; source: string };

export interface ServeTenantResult {
  name: string;
  /** `poisson` (at rate_rps), `closed` (clients outstanding) or `trace` (arrival times of a file). */
  arrivals: ArrivalSource['kind'];
  /** The Poisson rate, else the mean offered rate: requests over the arrival span (trace), or the measured throughput (closed loop). */
  rate_rps: number;
  /** Closed-loop clients (requests outstanding at once), or null. */
  clients: number | null;
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
  /** 95 % distribution-free interval of p99 (order statistics), or null with too few measured requests. */
  p99_ci_s: [number, number] | null;
}

export interface ServeResult {
  /** The tenants' arrival kind when they share one, else `mixed`. */
  mode: ArrivalSource['kind'] | 'mixed';
  strategy: string;
  chosen_candidate: string;
  seed: number;
  /** Requests per tenant of the final stream (a trace tenant serves at most its file's arrivals). */
  requests: number;
  warmup_requests: number;
  /** The stopping rule: the target relative half-width of every p99 interval, or null (one stream of `requests`). */
  p99_ci_target: number | null;
  /** Why the stream stopped: `requests` (the count asked for) or `p99-ci` (every p99 interval within the target). */
  stopped_by: 'requests' | 'p99-ci';
  /** Requests simulated in all streams of the stopping rule (each a fresh simulation of twice the last). */
  requests_simulated: number;
  chip: { name: string; mesh: [number, number]; tiles: number; peak_tops: number };
  tenants: ServeTenantResult[];
  /** Offered load: sum over tenants of rate x operations per inference (TOPS). */
  offered_tops: number;
  /** Sum over tenants of each one's own measured throughput x operations per inference (TOPS). */
  sustained_tops: number;
  /**
   * Every request's operations (warm-up included) over the stream's makespan (TOPS): the rate at
   * which the chip serves the whole mix, bound by the tenant that finishes last. Candidates served
   * with the same streams do the same work, so their ratio is the speed-up at steady state.
   */
  stream_tops: number;
  peak_fraction: number;
  /** When the last request finished, and the energy of the whole stream. */
  makespan_s: number;
  energy_j: number;
  /**
   * Only when the deployment reprograms (rounds or phases): the stream's writes per cell and the
   * lifetime, the stream's turns (each one pass through the rounds and phases) repeated back to back (placement/reprogram.ts writeWear).
   */
  writes?: WriteWear;
  /**
   * Only with a serving objective (`throughput`, `sla-attainment`): the objective and every
   * candidate of the strategy served with the same streams, the served deployment the best of them.
   */
  serving_objective?: ServingObjective;
  serving_candidates?: { candidate: string; stream_tops: number; sustained_tops: number; min_sla_attainment: number | null; worst_p99_s: number }[];
  definition: string;
}

export { SERVING_OBJECTIVES, type ServingObjective } from './serving-objectives';

export const SERVE_DEFINITION =
  'Steady-state serving: the strategy\'s deployment (optimized for the spec as a burst) replayed by the event simulator with a request stream per tenant: ' +
  'Poisson arrivals (seeded, exponential inter-arrival times at the tenant\'s rate), closed-loop clients (N outstanding, each sends its next request when the last completes) or the arrival times of a trace file; ' +
  `the first ${WARMUP_FRACTION * 100} % of each tenant's requests are warm-up and left out; ` +
  'throughput = measured requests / (last measured completion - first measured arrival) for Poisson and trace streams, clients / mean measured latency for a closed loop (Little\'s law); ' +
  'a deployment in rounds or phases serves in turns, each turn the requests arrived before it, its weights reloaded every turn; latency = completion - arrival (p50, p95, p99 by nearest rank); ' +
  'SLA attainment = fraction of measured requests within the tenant\'s p99 target (sla_ms).';

export function warmupRequests(requests: number): number {
  return Math.max(1, Math.floor(requests * WARMUP_FRACTION));
}

/**
 * The figures of one stream. `arrival` and `done` hold every request of every tenant, tenant
 * after tenant (`counts[ti]` each), as the simulator reports them.
 */
export function serveResult(
  dep: Deployment,
  run: { strategy: string; chosenCandidate: string; seed: number; requests: number; p99CiTarget: number | null; stoppedBy: ServeResult['stopped_by']; requestsSimulated: number },
  sources: ArrivalSource[],
  counts: number[],
  arrival: ArrayLike<number>,
  done: ArrayLike<number>,
  totals: { makespanS: number; energyJ: number },
): ServeResult {
  const summary = chipSummary(dep.chip);
  let sustainedOps = 0;
  let offeredOps = 0;
  let streamOps = 0;
  let first = 0;
  const tenants = dep.tenants.map((t, ti): ServeTenantResult => {
    const n = counts[ti]!;
    const base = first;
    first += n;
    const W = warmupRequests(n);
    const src = sources[ti]!;
    const lat: number[] = [];
    let firstArrival = Infinity;
    let lastDone = 0;
    for (let k = W; k < n; k++) {
      lat.push(done[base + k]! - arrival[base + k]!);
      firstArrival = Math.min(firstArrival, arrival[base + k]!);
      lastDone = Math.max(lastDone, done[base + k]!);
    }
    const meanS = lat.reduce((a, b) => a + b, 0) / lat.length;
    // An open stream (Poisson, trace): measured requests over the window from their first arrival
    // to their last completion. Every one arrives and completes inside it, so the rate never
    // exceeds the one offered over it, even when a schedule in rounds or phases completes each
    // turn's requests together (a window opened at a completion could hold such a bunch in a
    // sliver of time). A closed loop keeps its clients in flight (each completion sends the next
    // request at once), so by Little's law (J. D. C. Little, Operations Research 9(3), 1961)
    // throughput = clients / mean latency; the clients are its requests arriving at t = 0 (as
    // dealt among replicas). Its arrivals are completions, so no window is needed.
    let throughput: number;
    if (src.kind === 'closed') {
      let clients = 0;
      for (let k = 0; k < n; k++) if (arrival[base + k] === 0) clients++;
      throughput = meanS > 0 ? clients / meanS : 0;
    } else throughput = lastDone > firstArrival ? lat.length / (lastDone - firstArrival) : 0;
    const span = arrival[base + n - 1]! - arrival[base]!;
    const rate = src.kind === 'poisson' ? src.rate : src.kind === 'trace' ? (span > 0 ? (n - 1) / span : 0) : throughput;
    sustainedOps += throughput * opsPerInference(t.graph);
    streamOps += n * opsPerInference(t.graph);
    offeredOps += rate * opsPerInference(t.graph);
    const sorted = Float64Array.from(lat).sort();
    const target = t.slaMs !== undefined ? t.slaMs / 1e3 : null;
    return {
      name: t.name,
      arrivals: src.kind,
      rate_rps: rate,
      clients: src.kind === 'closed' ? src.clients : null,
      requests: n,
      measured: lat.length,
      throughput_ips: throughput,
      mean_s: meanS,
      p50_s: percentile(sorted, 0.5),
      p95_s: percentile(sorted, 0.95),
      p99_s: percentile(sorted, 0.99),
      sla_p99_ms: t.slaMs ?? null,
      sla_attainment: target === null ? null : lat.filter((l) => l <= target).length / lat.length,
      p99_ci_s: quantileInterval(sorted, 0.99, 1 - P99_CONFIDENCE),
    };
  });
  const peak = peakOps(dep.chip);
  const kinds = new Set(sources.map((s) => s.kind));
  return {
    mode: kinds.size === 1 ? sources[0]!.kind : 'mixed',
    strategy: run.strategy,
    chosen_candidate: run.chosenCandidate,
    seed: run.seed,
    requests: run.requests,
    warmup_requests: warmupRequests(run.requests),
    p99_ci_target: run.p99CiTarget,
    stopped_by: run.stoppedBy,
    requests_simulated: run.requestsSimulated,
    chip: { name: dep.chip.name, mesh: summary.mesh, tiles: summary.tiles, peak_tops: peak / 1e12 },
    tenants,
    offered_tops: offeredOps / 1e12,
    sustained_tops: sustainedOps / 1e12,
    stream_tops: totals.makespanS > 0 ? streamOps / totals.makespanS / 1e12 : 0,
    peak_fraction: peak > 0 ? sustainedOps / peak : 0,
    makespan_s: totals.makespanS,
    energy_j: totals.energyJ,
    definition: SERVE_DEFINITION,
  };
}

/** True when every tenant's p99 interval exists and its half-width is within `target` of its p99. */
export function p99WithinTarget(r: ServeResult, target: number): boolean {
  return r.tenants.every((t) => t.p99_ci_s !== null && (t.p99_ci_s[1] - t.p99_ci_s[0]) / 2 <= target * t.p99_s);
}
