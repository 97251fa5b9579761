/**
 * Steady-state serving (docs/simulator.md, "Two run modes"): the deployment a strategy chooses
 * for the spec (the burst optimization of runInternals) replayed by the event simulator with a
 * request stream per tenant instead of a burst (Poisson at a rate, closed-loop clients, or a
 * trace's arrival times), `requests` per tenant or fewer under the p99 stopping rule; the figures
 * are formatted by report/serve-result.ts.
 */
import { badInput } from '../errors';
import { maxOf, minOf } from '../arrays';
import { simulateRaw } from '../sim';
import { summarize } from '../sim/summary';
import { scenarioFromDeployment } from '../sim/from-deployment';
import type { RetileWasmExports } from '../sim/wasm';
import type { SimulationCache } from '../sim/cache';
import { checkCancelled, NO_PROGRESS, type ProgressSink } from '../progress';
import type { Deployment } from '../placement/types';
import { writeWear } from '../placement/reprogram';
import { p99WithinTarget, serveResult, type ArrivalSource, type ServeResult, type ServingObjective } from '../report/serve-result';
import { runInternals, type RunInternals, type RunRequest, type StrategyName } from './run';
import { throughputStrategy } from '../optimize/strategies';
import { SERVE_SWEEP_LIMITS } from './serve-sweep-limits';
import { replicaBatch } from '../placement/replicas';

export interface ServeRequest extends RunRequest {
  /** Requests per second of the Poisson tenants, by tenant name. */
  rates: Record<string, number>;
  /** Closed-loop tenants: requests outstanding at once, by tenant name. */
  clients?: Record<string, number>;
  /** Trace tenants: arrival times in seconds and the file they came from, by tenant name. */
  traces?: Record<string, { times: number[]; source: string }>;
  /** Requests per tenant, warm-up included; with `p99Ci`, the most the stopping rule may simulate. */
  requests: number;
  /** Stopping rule: stop once every tenant's 95 % p99 interval is within this fraction of its p99. */
  p99Ci?: number;
  /** Choose among the strategy's candidates by serving each (docs/simulator.md, "Serving objectives"); else the burst's choice is served. */
  servingObjective?: ServingObjective;
}

/** First stream of the stopping rule, in requests per tenant (enough measured requests for a 95 % interval of p99). */
export const P99_CI_FIRST_REQUESTS = 1000;

/** Each tenant's one arrival source: a trace, else clients, else a rate; refuses a tenant with none or two. */
export function arrivalSources(req: Pick<ServeRequest, 'tenants' | 'rates' | 'clients' | 'traces'>): ArrivalSource[] {
  return req.tenants.map((t) => {
    const rate = req.rates[t.name];
    const clients = req.clients?.[t.name];
    const trace = req.traces?.[t.name];
    const given = [rate !== undefined && '--rate', clients !== undefined && '--clients', trace !== undefined && '--trace'].filter(Boolean);
    if (given.length > 1) throw badInput(`tenant '${t.name}' has two arrival sources (${given.join(' and ')}): give one`, { field: 'rate' });
    if (trace) return { kind: 'trace', times: trace.times, source: trace.source };
    if (clients !== undefined) {
      if (!Number.isInteger(clients) || clients < 1) throw badInput(`tenant '${t.name}': clients must be a whole number of requests outstanding, at least 1 (got ${clients})`, { field: 'clients' });
      return { kind: 'closed', clients };
    }
    if (rate === undefined) throw badInput(`tenant '${t.name}' has no request stream: give --rate ${t.name}=<requests/s>, --clients ${t.name}=<N>, --trace ${t.name}=<file>, or "rate" in its spec entry`, { field: 'rate' });
    if (!(rate > 0) || !Number.isFinite(rate)) throw badInput(`tenant '${t.name}': the rate must be a positive number of requests per second (got ${rate})`, { field: 'rate' });
    return { kind: 'poisson', rate };
  });
}

export async function serveDeployment(req: ServeRequest, rc: { wasm: RetileWasmExports; progress?: ProgressSink }): Promise<ServeResult> {
  const sources = arrivalSources(req);
  if (!Number.isInteger(req.requests) || req.requests < 2) throw badInput(`--requests must be an integer of at least 2 (got ${req.requests})`, { field: 'requests' });
  if (req.p99Ci !== undefined && !(req.p99Ci > 0 && req.p99Ci < 1)) throw badInput(`--p99-ci must be a fraction between 0 and 1, e.g. 0.05 for +-5 % (got ${req.p99Ci})`, { field: 'p99Ci' });
  checkServingObjective(req.servingObjective, req.tenants, 'objective');
  const x = await runInternals(req, { ...rc, alone: 'analytic' });
  if (!req.servingObjective) return serveUntil(x.chosen.outcome.deployment, sources, req.requests, req.p99Ci ?? null, req.seed, rc.wasm, { strategy: req.strategy, chosenCandidate: x.chosenName });
  const objective = req.servingObjective;
  const { best, candidates } = serveCandidates(x, sources, req.requests, req.seed, rc.wasm, req.strategy, objective, rc.progress ?? NO_PROGRESS);
  // Without the stopping rule the winner's stream is the one just simulated: not simulated again.
  const result = req.p99Ci === undefined ? best.served : serveUntil(best.deployment, sources, req.requests, req.p99Ci, req.seed, rc.wasm, { strategy: req.strategy, chosenCandidate: best.name });
  return withServingObjective(result, objective, candidates);
}

/** A serving objective needs a p99 target for `sla-attainment` (field: the request's name for the objective). */
function checkServingObjective(objective: ServingObjective | undefined, tenants: RunRequest['tenants'], field: string): void {
  if (objective === 'sla-attainment' && !tenants.some((t) => t.slaMs !== undefined)) {
    throw badInput(`objective 'sla-attainment' needs a p99 target: give at least one tenant "sla_ms" in the spec`, { field });
  }
}

type ServingFigures = ReturnType<typeof servingFigures>;

/**
 * Every candidate (servingCandidates) served with the same streams (one stream of `requests`
 * each; a schedule that reloads weights serves in turns, docs/simulator.md), and the best by the
 * objective.
 */
function serveCandidates(
  x: RunInternals,
  sources: ArrivalSource[],
  requests: number,
  seed: number,
  wasm: RetileWasmExports,
  strategy: StrategyName,
  objective: ServingObjective,
  progress: ProgressSink,
): { best: { name: string; deployment: Deployment; served: ServeResult }; candidates: ({ candidate: string } & ServingFigures)[] } {
  const served = servingCandidates(x, strategy, objective).map(({ name, deployment }) => {
    checkCancelled(progress);
    const r = serveArrivals(deployment, sources, requests, seed, wasm, { strategy, chosenCandidate: name }, { target: null, simulated: 0 });
    return { name, deployment, served: r, figures: servingFigures(r) };
  });
  const best = served.reduce((a, b) => (servingBetter(b.figures, a.figures, objective) ? b : a));
  return { best, candidates: served.map((c) => ({ candidate: c.name, ...c.figures })) };
}

/** The served result with the objective, every candidate's figures, and what was compared. */
function withServingObjective(result: ServeResult, objective: ServingObjective, candidates: ({ candidate: string } & ServingFigures)[]): ServeResult {
  return {
    ...result,
    serving_objective: objective,
    serving_candidates: candidates,
    definition: `${result.definition} Serving objective ${objective}: every candidate of the strategy was served with these streams and the one with ${objective === 'throughput' ? 'the most stream TOPS (every request\'s operations over the time the last one finished; then the lowest worst p99)' : "the highest worst tenant's SLA attainment (then the most stream TOPS)"} is the deployment served.`,
  };
}

/**
 * The candidates a serving objective referees: every candidate the strategy simulated, and under
 * `throughput` for collaborative the learning-rate loop steered by each tenant's steady-state
 * interval (optimize/strategies.ts throughputStrategy), named `learning-rate-throughput`: the
 * burst's candidates are shaped for the makespan, a stream is bound by its slowest stage.
 */
export function servingCandidates(x: RunInternals, strategy: StrategyName, objective: ServingObjective): { name: string; deployment: Deployment }[] {
  const stream = objective === 'throughput' && strategy === 'collaborative' ? [{ name: 'learning-rate-throughput', deployment: throughputStrategy(x.ctx).deployment }] : [];
  return [...x.candidateDeployments, ...stream];
}

/** What a serving objective compares: the stream's TOPS (sustained TOPS shown beside it), the worst tenant's SLA attainment (tenants with a target), the worst p99. */
export function servingFigures(r: ServeResult): { stream_tops: number; sustained_tops: number; min_sla_attainment: number | null; worst_p99_s: number } {
  const attained = r.tenants.flatMap((t) => (t.sla_attainment === null ? [] : [t.sla_attainment]));
  return { stream_tops: r.stream_tops, sustained_tops: r.sustained_tops, min_sla_attainment: attained.length ? minOf(attained) : null, worst_p99_s: maxOf(r.tenants.map((t) => t.p99_s)) };
}

/**
 * `throughput`: more stream TOPS (within 0.1 %, a tie: a stream below capacity is served at its
 * offered rate by every candidate), then the lower worst p99. Not the sustained TOPS: that sums
 * each tenant's own rate, so a deployment that serves one tenant fast and starves another can
 * rank first, while the stream's figure is the whole mix's work over the time it all took.
 * `sla-attainment`: the higher worst tenant's attainment (max-min), then more stream TOPS. Equal
 * on all: the earlier candidate.
 */
export function servingBetter(a: ServingFigures, b: ServingFigures, objective: ServingObjective): boolean {
  const tops = (): number => (Math.abs(a.stream_tops - b.stream_tops) <= 1e-3 * Math.max(a.stream_tops, b.stream_tops) ? 0 : a.stream_tops - b.stream_tops);
  if (objective === 'sla-attainment') {
    const d = (a.min_sla_attainment ?? 0) - (b.min_sla_attainment ?? 0);
    if (d !== 0) return d > 0;
    return tops() > 0;
  }
  const t = tops();
  return t !== 0 ? t > 0 : a.worst_p99_s < b.worst_p99_s;
}

/**
 * The stopping rule (docs/simulator.md, "Two run modes"): streams of P99_CI_FIRST_REQUESTS,
 * then twice as many, each simulated afresh with the same seeds (a Poisson stream's first
 * requests are the same in every length), until every tenant's p99 interval is within `target`
 * of its p99 or the next stream would exceed `cap`. Simulated requests sum to less than twice
 * the last stream's. Without a target: one stream of `cap`.
 */
export function serveUntil(
  dep: Deployment,
  sources: ArrivalSource[],
  cap: number,
  target: number | null,
  seed: number,
  wasm: RetileWasmExports,
  label: { strategy: string; chosenCandidate: string },
): ServeResult {
  if (target === null) return serveArrivals(dep, sources, cap, seed, wasm, label, { target, simulated: 0 });
  let n = Math.min(cap, P99_CI_FIRST_REQUESTS);
  let simulated = 0;
  for (;;) {
    const r = serveArrivals(dep, sources, n, seed, wasm, label, { target, simulated });
    simulated = r.requests_simulated;
    if (p99WithinTarget(r, target)) return { ...r, stopped_by: 'p99-ci' };
    if (n >= cap) return r;
    n = Math.min(cap, 2 * n);
  }
}

/**
 * A serving sweep: the strategy's deployment, optimized once for the spec as `serveDeployment`
 * does, then every tenant served at each rate in turn (requests/s per tenant, the same for all):
 * one serving result per rate, for latency percentiles and SLA attainment against the load. With a
 * serving objective every candidate is served at each rate and the best at that rate is the point
 * (its `serving_candidates` list them all), as `serveDeployment` does for one stream.
 * The optimization fills the first half of the progress, the streams the second.
 */
export async function serveSweep(
  req: RunRequest & { rates: number[]; requests: number; servingObjective?: ServingObjective },
  rc: { wasm: RetileWasmExports; progress: ProgressSink; simCache?: SimulationCache },
): Promise<ServeResult[]> {
  const { rates, requests, servingObjective } = req;
  if (rates.length === 0 || rates.length > SERVE_SWEEP_LIMITS.rates) throw badInput(`give 1 to ${SERVE_SWEEP_LIMITS.rates} request rates (got ${rates.length})`, { field: 'rates' });
  const bad = rates.find((r) => !(r > 0) || !(r <= SERVE_SWEEP_LIMITS.maxRate));
  if (bad !== undefined) throw badInput(`every rate must be a number of requests per second above 0 and at most ${SERVE_SWEEP_LIMITS.maxRate} (got ${bad})`, { field: 'rates' });
  if (!Number.isInteger(requests) || requests < SERVE_SWEEP_LIMITS.minRequests || requests > SERVE_SWEEP_LIMITS.maxRequests)
    throw badInput(`requests per tenant must be a whole number from ${SERVE_SWEEP_LIMITS.minRequests} to ${SERVE_SWEEP_LIMITS.maxRequests} (got ${requests})`, { field: 'requests' });
  checkServingObjective(servingObjective, req.tenants, 'servingObjective');
  const half = (from: number): ProgressSink => ({
    report: (stage, f) => rc.progress.report(stage, from + Math.min(1, Math.max(0, f)) / 2),
    cancelled: () => rc.progress.cancelled(),
  });
  const x = await runInternals(req, { wasm: rc.wasm, progress: half(0), alone: 'analytic', simCache: rc.simCache });
  const streams = half(0.5);
  const label = { strategy: req.strategy, chosenCandidate: x.chosenName };
  const out: ServeResult[] = [];
  for (const [i, rate] of rates.entries()) {
    checkCancelled(streams);
    streams.report(`serving ${rate} requests/s per tenant (${i + 1} of ${rates.length})`, i / rates.length);
    if (!servingObjective) {
      out.push(serveStream(x.chosen.outcome.deployment, Object.fromEntries(req.tenants.map((t) => [t.name, rate])), requests, req.seed, rc.wasm, label));
      continue;
    }
    const sources = req.tenants.map((): ArrivalSource => ({ kind: 'poisson', rate }));
    const { best, candidates } = serveCandidates(x, sources, requests, req.seed, rc.wasm, req.strategy, servingObjective, streams);
    out.push(withServingObjective(best.served, servingObjective, candidates));
  }
  return out;
}

/** One deployment serving Poisson streams (rates by tenant name; every tenant must have one). */
export function serveStream(
  base: Deployment,
  rates: Record<string, number>,
  requests: number,
  seed: number,
  wasm: RetileWasmExports,
  label: { strategy: string; chosenCandidate: string } = { strategy: base.strategy, chosenCandidate: base.strategy },
): ServeResult {
  const sources = base.tenants.filter((t) => t.replicaOf === undefined).map((t): ArrivalSource => ({ kind: 'poisson', rate: rates[t.name]! }));
  return serveArrivals(base, sources, requests, seed, wasm, label, { target: null, simulated: 0 });
}

/**
 * One stream of `requests` per tenant (a trace tenant: at most its trace's arrivals) from each
 * tenant's source, simulated once. `before` carries the stopping rule's target and the requests
 * its earlier streams simulated.
 */
export function serveArrivals(
  dep: Deployment,
  sources: ArrivalSource[],
  requests: number,
  seed: number,
  wasm: RetileWasmExports,
  label: { strategy: string; chosenCandidate: string },
  before: { target: number | null; simulated: number },
): ServeResult {
  const { scenario } = scenarioFromDeployment(dep, { seed });
  const counts = sources.map((s) => (s.kind === 'trace' ? Math.min(requests, s.times.length) : requests));
  // Request-level replicas (placement/replicas.ts) share their tenant's stream: requests dealt
  // out in turn. A Poisson stream so split is k Poisson streams of rate / k (independent thinning,
  // each with its own seed); a closed loop's clients and a trace's arrivals are dealt out likewise.
  const k = dep.tenants.map((_, ti) => dep.tenants.filter((t) => (t.replicaOf ?? -1) === ti).length + 1);
  const slot = dep.tenants.map((t, ti) => (t.replicaOf === undefined ? 0 : dep.tenants.slice(0, ti).filter((u) => u.replicaOf === t.replicaOf).length + 1));
  scenario.tenants = scenario.tenants.map((t, ti) => {
    const of = dep.tenants[ti]!.replicaOf ?? ti;
    const [s, q, kk] = [sources[of]!, slot[ti]!, k[of]!];
    const n = Math.max(1, replicaBatch(counts[of]!, q, kk));
    const common = { name: t.name, requests: n, seed: t.seed, turns: t.turns };
    if (s.kind === 'poisson') return { ...common, arrivalRate: s.rate / kk };
    if (s.kind === 'closed') return { ...common, clients: Math.min(Math.max(1, replicaBatch(s.clients, q, kk)), n) };
    return { ...common, arrivals: s.times.slice(0, counts[of]!).filter((_, j) => j % kk === q).slice(0, n) };
  });
  const { raw, packed } = simulateRaw(scenario, wasm);
  const energyJ = summarize(scenario, packed, raw).energy_j;
  const simulated = scenario.tenants.reduce((a, t) => a + t.requests, 0);
  const run = { ...label, seed, requests, p99CiTarget: before.target, stoppedBy: 'requests' as const, requestsSimulated: before.simulated + simulated };
  // A schedule that reloads weights serves in turns (sim/from-deployment.ts), each paying the loads
  // of one repetition: the stream's repetitions are its most-repeated phase's turns.
  const turns = raw.phTurns.reduce((m, n) => Math.max(m, n), 1);
  const writes = writeWear(dep, raw.makespan / turns);
  const withWrites = (r: ServeResult): ServeResult => (writes ? { ...r, writes } : r);
  if (dep.tenants.length === sources.length) return withWrites(serveResult(dep, run, sources, counts, raw.reqArrival, raw.reqDone, { makespanS: raw.makespan, energyJ }));
  // Each tenant's requests and its replicas' as one stream, in completion order (one pipeline
  // completes in arrival order, so the warm-up is then the first completions as without replicas).
  const first: number[] = [];
  scenario.tenants.reduce((a, t, ti) => ((first[ti] = a), a + t.requests), 0);
  const arrival: number[] = [];
  const done: number[] = [];
  const merged = sources.map((_, i) => {
    const reqs: [number, number][] = [];
    scenario.tenants.forEach((t, ti) => {
      if ((dep.tenants[ti]!.replicaOf ?? ti) !== i) return;
      for (let j = 0; j < t.requests; j++) reqs.push([raw.reqArrival[first[ti]! + j]!, raw.reqDone[first[ti]! + j]!]);
    });
    reqs.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
    for (const [a, d] of reqs) {
      arrival.push(a);
      done.push(d);
    }
    return reqs.length;
  });
  const spec = { ...dep, tenants: dep.tenants.slice(0, sources.length) };
  return withWrites(serveResult(spec, run, sources, merged, arrival, done, { makespanS: raw.makespan, energyJ }));
}
