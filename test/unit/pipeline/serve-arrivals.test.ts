/**
 * Serving streams other than Poisson, checked by hand on lenet5 placed directly on an 8x8 ISAAC
 * chip. L is one request's latency alone on the chip (a simulated burst of one). Then:
 * - closed loop with one client: each request arrives when the previous completes and finds the
 *   chip empty, so request k arrives at k L and completes at (k + 1) L; with N clients request
 *   k + N arrives exactly when request k completes, and at no instant are more than N in flight;
 * - a trace is replayed at exactly its times, and arrivals further apart than L each take L;
 * - the p99 stopping rule stops at its first stream on a case without variance (closed loop, one
 *   client: every latency is L), well below the request cap.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { chipPreset } from '../../../src-main/engine/hardware';
import { directDeployment } from '../../../src-main/engine/placement/direct';
import type { Deployment } from '../../../src-main/engine/placement/types';
import { toLayerGraph, zooGraph } from '../../../src-main/engine/workload';
import { simulateRaw } from '../../../src-main/engine/sim';
import { scenarioFromDeployment } from '../../../src-main/engine/sim/from-deployment';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { P99_CI_FIRST_REQUESTS, arrivalSources, serveArrivals, serveUntil } from '../../../src-main/engine/pipeline/serve';
import { loadTestWasm } from '../sim/load-wasm';

let wasm: RetileWasmExports;
let dep: Deployment;
let L: number;
const label = { strategy: 'direct', chosenCandidate: 'direct' };

beforeAll(async () => {
  wasm = await loadTestWasm();
  dep = directDeployment(chipPreset('isaac', [8, 8]), [{ name: 'lenet5', model: 'lenet5', graph: toLayerGraph(zooGraph('lenet5')), batch: 1 }]);
  L = simulateRaw(scenarioFromDeployment(dep, { batch: 1 }).scenario, wasm).raw.reqDone[0]!;
}, 60_000);

/** The simulator's arrival and completion times of one tenant's stream. */
function stream(scenarioTenant: { clients?: number; arrivals?: number[] }, requests: number): { arrival: number[]; done: number[] } {
  const { scenario } = scenarioFromDeployment(dep, { batch: requests });
  scenario.tenants = [{ ...scenario.tenants[0]!, arrivalRate: 0, ...scenarioTenant }];
  const { raw } = simulateRaw(scenario, wasm);
  return { arrival: Array.from(raw.reqArrival), done: Array.from(raw.reqDone) };
}

describe('closed-loop clients', () => {
  it('one client: request k arrives at k L and completes at (k + 1) L', () => {
    expect(L).toBeGreaterThan(0);
    const { arrival, done } = stream({ clients: 1 }, 6);
    arrival.forEach((a, k) => expect(a / L, `arrival ${k}`).toBeCloseTo(k, 9));
    done.forEach((d, k) => expect(d / L, `completion ${k}`).toBeCloseTo(k + 1, 9));
  });
  it('N clients: request k + N arrives when request k completes, and never more than N are in flight', () => {
    const N = 3;
    const { arrival, done } = stream({ clients: N }, 20);
    for (let k = 0; k < N; k++) expect(arrival[k]).toBe(0);
    for (let k = 0; k + N < 20; k++) expect(arrival[k + N]).toBe(done[k]);
    for (const t of [...arrival, ...done]) {
      const inFlight = arrival.filter((a, k) => a <= t && done[k]! > t).length;
      expect(inFlight).toBeLessThanOrEqual(N);
    }
    // the pipeline overlaps requests: three clients finish sooner than one would (20 L)
    expect(done[19]!).toBeLessThan(20 * L);
  });
});

describe('arrival traces', () => {
  it('replays the exact arrival times, and requests further apart than L each take L', () => {
    const times = [0, 2.5 * L, 7 * L, 7 * L + 3 * L, 20 * L];
    const { arrival, done } = stream({ arrivals: times }, times.length);
    expect(arrival).toEqual(times);
    done.forEach((d, k) => expect((d - times[k]!) / L, `latency ${k}`).toBeCloseTo(1, 9));
  });
  it('the serving result names the source and its offered rate', () => {
    const times = Array.from({ length: 11 }, (_, k) => k * 2 * L);
    const r = serveArrivals(dep, [{ kind: 'trace', times, source: 'lenet.trace' }], 100, 1, wasm, label, { target: null, simulated: 0 });
    expect(r.mode).toBe('trace');
    expect(r.tenants[0]!.requests).toBe(11);
    expect(r.tenants[0]!.rate_rps).toBeCloseTo(1 / (2 * L), 6);
    expect(r.tenants[0]!.p99_s / L).toBeCloseTo(1, 9);
  });
  it('a tenant given two sources is refused, naming both', () => {
    const tenants = [{ name: 'lenet5' }] as never;
    expect(() => arrivalSources({ tenants, rates: { lenet5: 5 }, clients: { lenet5: 2 } })).toThrow("tenant 'lenet5' has two arrival sources (--rate and --clients): give one");
  });
});

describe('the p99 stopping rule', () => {
  it('stops at its first stream when the latencies do not vary, far below the request cap', () => {
    const cap = 16_000;
    const r = serveUntil(dep, [{ kind: 'closed', clients: 1 }], cap, 0.05, 1, wasm, label);
    expect(r.stopped_by).toBe('p99-ci');
    expect(r.requests).toBe(P99_CI_FIRST_REQUESTS);
    expect(r.requests_simulated).toBe(P99_CI_FIRST_REQUESTS);
    // one request at a time, each taking L: completions L apart
    expect(r.tenants[0]!.throughput_ips * L).toBeCloseTo(1, 9);
    const [lo, hi] = r.tenants[0]!.p99_ci_s!;
    expect(lo / L).toBeCloseTo(1, 9);
    expect(hi / L).toBeCloseTo(1, 9);
  });
});
