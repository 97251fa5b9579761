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
import type { ProgressSink } from '../progress';
import type { Deployment } from '../placement/types';
import { serveResult, type ServeResult } from '../report/serve-result';
import { runInternals, type RunRequest } from './run';

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
