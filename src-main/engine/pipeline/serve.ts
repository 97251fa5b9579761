/**
 * Steady-state serving (docs/simulator.md, "Two run modes"): the deployment a strategy chooses
 * for the spec (the burst optimization of runInternals) replayed by the event simulator with a
 * Poisson request stream per tenant instead of a burst, `requests` per tenant; the figures are
 * formatted by report/serve-result.ts.
 */
import { badInput } from '../errors';
import { simulateRaw } from '../sim';
import { summarize } from '../sim/summary';
import { scenarioFromDeployment } from '../sim/from-deployment';
import type { RetileWasmExports } from '../sim/wasm';
import type { SimulationCache } from '../sim/cache';
import { checkCancelled, type ProgressSink } from '../progress';
import type { Deployment } from '../placement/types';
import { serveResult, type ServeResult } from '../report/serve-result';
import { runInternals, type RunRequest } from './run';
import { SERVE_SWEEP_LIMITS } from './serve-sweep-limits';

export interface ServeRequest extends RunRequest {
  /** Requests per second of every tenant, by tenant name. */
  rates: Record<string, number>;
  /** Requests per tenant, warm-up included. */
  requests: number;
}

export async function serveDeployment(req: ServeRequest, rc: { wasm: RetileWasmExports; progress?: ProgressSink }): Promise<ServeResult> {
  for (const t of req.tenants) {
    const r = req.rates[t.name];
    if (r === undefined) throw badInput(`tenant '${t.name}' has no request rate: give --rate ${t.name}=<requests/s> or "rate" in its spec entry`, { field: 'rate' });
    if (!(r > 0) || !Number.isFinite(r)) throw badInput(`tenant '${t.name}': the rate must be a positive number of requests per second (got ${r})`, { field: 'rate' });
  }
  if (!Number.isInteger(req.requests) || req.requests < 2) throw badInput(`--requests must be an integer of at least 2 (got ${req.requests})`, { field: 'requests' });
  const x = await runInternals(req, { ...rc, alone: 'analytic' });
  return serveStream(x.chosen.outcome.deployment, req.rates, req.requests, req.seed, rc.wasm, { strategy: req.strategy, chosenCandidate: x.chosenName });
}

/**
 * A serving sweep: the strategy's deployment, optimized once for the spec as `serveDeployment`
 * does, then every tenant served at each rate in turn (requests/s per tenant, the same for all):
 * one serving result per rate, for latency percentiles and SLA attainment against the load. The
 * optimization fills the first half of the progress, the streams the second.
 */
export async function serveSweep(req: RunRequest & { rates: number[]; requests: number }, rc: { wasm: RetileWasmExports; progress: ProgressSink; simCache?: SimulationCache }): Promise<ServeResult[]> {
  const { rates, requests } = req;
  if (rates.length === 0 || rates.length > SERVE_SWEEP_LIMITS.rates) throw badInput(`give 1 to ${SERVE_SWEEP_LIMITS.rates} request rates (got ${rates.length})`, { field: 'rates' });
  const bad = rates.find((r) => !(r > 0) || !(r <= SERVE_SWEEP_LIMITS.maxRate));
  if (bad !== undefined) throw badInput(`every rate must be a number of requests per second above 0 and at most ${SERVE_SWEEP_LIMITS.maxRate} (got ${bad})`, { field: 'rates' });
  if (!Number.isInteger(requests) || requests < SERVE_SWEEP_LIMITS.minRequests || requests > SERVE_SWEEP_LIMITS.maxRequests)
    throw badInput(`requests per tenant must be a whole number from ${SERVE_SWEEP_LIMITS.minRequests} to ${SERVE_SWEEP_LIMITS.maxRequests} (got ${requests})`, { field: 'requests' });
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
    out.push(serveStream(x.chosen.outcome.deployment, Object.fromEntries(req.tenants.map((t) => [t.name, rate])), requests, req.seed, rc.wasm, label));
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
  const dep: Deployment = { ...base, tenants: base.tenants.map((t) => ({ ...t, arrivalRate: rates[t.name]! })) };
  const { scenario } = scenarioFromDeployment(dep, { batch: requests, seed });
  const { raw, packed } = simulateRaw(scenario, wasm);
  const energyJ = summarize(scenario, packed, raw).energy_j;
  return serveResult(dep, { ...label, seed, requests }, raw.reqArrival, raw.reqDone, { makespanS: raw.makespan, energyJ });
}
