/**
 * Serving a schedule that reloads weights (docs/simulator.md, "Turns"), on
 * LeNet-5 placed directly on a 2x2-tile ISAAC chip, too small for its weights: one tenant runs in
 * two phases, two tenants in two rounds of two phases each. Each turn serves the requests that
 * arrived before it, so:
 * - a closed loop completes (each turn's completions release the next turn's requests) and never
 *   has more than its clients in flight; each turn is a burst of the clients, so every request of
 *   the last tenant takes exactly a burst's makespan and the tenant completes its clients per makespan;
 * - at a low Poisson rate (10 requests/s against about 2 ms per request) the chip serves what is
 *   offered: sustained TOPS = rate x operations per inference within the Poisson noise of the
 *   measured window, and never more than the chip's peak; nearly every request pays its own
 *   weight loads (wear counts them); a request that finds the chip idle
 *   takes one turn of its tenant alone, exactly the latency of a burst of one (its weight loads
 *   included; turns of tenants with nothing waiting are skipped).
 * LeNet-5's operations by hand (LeCun et al., 1998; 32x32 input, no padding): conv1 6 x 28 x 28
 * outputs x 25 MACs = 117,600; conv2 16 x 10 x 10 x 150 = 240,000; fc 400 x 120 + 120 x 84 +
 * 84 x 10 = 58,920; 416,520 MACs = 833,040 operations per inference.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { chipPreset } from '../../../src-main/engine/hardware';
import { directDeployment } from '../../../src-main/engine/placement/direct';
import type { Deployment } from '../../../src-main/engine/placement/types';
import { toLayerGraph, zooGraph } from '../../../src-main/engine/workload';
import { simulateRaw } from '../../../src-main/engine/sim';
import { scenarioFromDeployment } from '../../../src-main/engine/sim/from-deployment';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { serveArrivals } from '../../../src-main/engine/pipeline/serve';
import type { ArrivalSource } from '../../../src-main/engine/report/serve-result';
import { loadTestWasm } from '../sim/load-wasm';

const LENET5_OPS = 2 * (6 * 28 * 28 * 25 + 16 * 10 * 10 * 150 + 400 * 120 + 120 * 84 + 84 * 10);
const label = { strategy: 'direct', chosenCandidate: 'direct' };
const none = { target: null, simulated: 0 };

let wasm: RetileWasmExports;
let phased: Deployment;
let rounds: Deployment;

beforeAll(async () => {
  wasm = await loadTestWasm();
  const graph = toLayerGraph(zooGraph('lenet5'));
  const chip = chipPreset('isaac', [2, 2]);
  const tenant = (name: string) => ({ name, model: 'lenet5', graph, batch: 1 });
  phased = directDeployment(chip, [tenant('a')]);
  rounds = directDeployment(chip, [tenant('a'), tenant('b')]);
}, 60_000);

/** Arrival and completion times of tenant ti (requests of a tenant are packed in order). */
function times(dep: Deployment, sources: ArrivalSource[], n: number, ti: number): { arrival: number[]; done: number[] } {
  const { scenario } = scenarioFromDeployment(dep, { seed: 1 });
  scenario.tenants = scenario.tenants.map((t, i) => {
    const s = sources[i]!;
    return { name: t.name, seed: t.seed, turns: t.turns, requests: n, ...(s.kind === 'closed' ? { clients: s.clients } : s.kind === 'poisson' ? { arrivalRate: s.rate } : {}) };
  });
  const { raw } = simulateRaw(scenario, wasm);
  return { arrival: Array.from(raw.reqArrival.slice(ti * n, (ti + 1) * n)), done: Array.from(raw.reqDone.slice(ti * n, (ti + 1) * n)) };
}

describe('serving in turns', () => {
  it('the deployments reload weights: phases on their own, rounds of phases', () => {
    expect(phased.rounds.length).toBeLessThanOrEqual(1);
    expect(phased.tenants[0]!.phases).toBe(2);
    expect(rounds.rounds.length).toBe(2);
  });

  for (const [name, dep] of [['phases', () => phased], ['rounds', () => rounds]] as const) {
    it(`${name}: a closed loop completes, never more than its clients in flight, one batch of its clients per turn`, () => {
      const N = 3;
      const n = 21;
      const d = dep();
      const r = serveArrivals(d, d.tenants.map(() => ({ kind: 'closed', clients: N })), n, 1, wasm, label, none);
      // Each turn serves the N requests its predecessor's completions released: a burst of N, so
      // every request waits one whole cycle of turns, a burst of N per tenant (makespan C). The
      // last tenant's requests all take C (its first ones wait for the earlier rounds), and by
      // Little's law it completes N per C.
      const C = simulateRaw(scenarioFromDeployment(d, { batch: N }).scenario, wasm).raw.makespan;
      const last = r.tenants.at(-1)!;
      expect(last.p50_s / C).toBeCloseTo(1, 9);
      expect(last.p99_s / C).toBeCloseTo(1, 9);
      expect(last.throughput_ips * C).toBeCloseTo(N, 6);
      for (const t of r.tenants) expect(t.measured).toBe(n - 2);
      expect(r.sustained_tops).toBeLessThanOrEqual(r.chip.peak_tops);
      const { arrival, done } = times(d, d.tenants.map(() => ({ kind: 'closed', clients: N })), n, 0);
      for (let k = 0; k < N; k++) expect(arrival[k]).toBe(0);
      for (let k = 0; k + N < n; k++) expect(arrival[k + N]).toBe(done[k]);
      for (const t of [...arrival, ...done]) expect(arrival.filter((a, k) => a <= t && done[k]! > t).length).toBeLessThanOrEqual(N);
    });

    it(`${name}: at a low Poisson rate the chip serves the offered load, below its peak`, () => {
      const rate = 10;
      const n = 200;
      const d = dep();
      const r = serveArrivals(d, d.tenants.map(() => ({ kind: 'poisson', rate })), n, 1, wasm, label, none);
      const offered = (d.tenants.length * rate * LENET5_OPS) / 1e12;
      expect(r.offered_tops / offered).toBeCloseTo(1, 12);
      // 180 measured requests per tenant: the count in the window has a relative spread of about
      // 1 / sqrt(180) = 7.5 %; 25 % is more than three of it.
      expect(Math.abs(r.sustained_tops / offered - 1)).toBeLessThan(0.25);
      expect(r.sustained_tops).toBeLessThanOrEqual(r.chip.peak_tops);
      // Never more than was offered over the window: the measured requests over their arrivals' span.
      r.tenants.forEach((t, ti) => {
        const { arrival } = times(d, d.tenants.map(() => ({ kind: 'poisson', rate })), n, ti);
        expect(t.throughput_ips, t.name).toBeLessThanOrEqual(t.measured / (arrival[n - 1]! - arrival[n - t.measured]!));
      });
      // At 2 % load nearly every request has a turn of its own and pays its tenant's loads: the
      // stream repeats the schedule between 90 % of its requests per tenant and all of them.
      const once = (r.writes!.max_writes_per_cell_per_cycle * 3600) / r.makespan_s;
      expect(r.writes!.writes_per_cell_per_hour / once).toBeLessThanOrEqual(n * (1 + 1e-9));
      expect(r.writes!.writes_per_cell_per_hour / once).toBeGreaterThanOrEqual(0.9 * n);
      // At 2 % load most requests find the chip idle and take one turn of their own tenant alone
      // (an empty turn is skipped): the first tenant's latency in a burst of one (every tenant is
      // the same model), where a later round's tenant would wait for the earlier rounds.
      const alone = simulateRaw(scenarioFromDeployment(d, { batch: 1 }).scenario, wasm).raw.reqDone[0]!;
      for (const t of r.tenants) expect(t.p50_s / alone, t.name).toBeCloseTo(1, 9);
    });
  }
});
