/**
 * Steady-state serving of the four-tenant example (projects/examples/four-tenant-mix.json), deployed directly:
 * per-tenant p99 and SLA attainment, and queueing once the offered rate passes what the
 * deployment can serve. The example runs in rounds on its 32x32 chip (served in turns,
 * test/unit/pipeline/serve-turns.test.ts), so queueing is checked on its first round's tenant,
 * resnet50, deployed alone (its weights resident). Capacity comes from an independent run of that
 * deployment: a burst of 16 requests at t = 0, whose completions are spaced by the pipeline's
 * interval once the pipeline is full, so capacity = 15 / (last completion - first completion) (the
 * pipeline fill, which a burst's makespan includes, is not part of the rate a stream can sustain).
 * At 0.75x capacity the stream is served at about its rate. At twice that rate (1.5x capacity) the
 * tenant completes fewer requests than offered and the queue grows for the whole stream: request k arrives at about k / r and cannot finish before
 * about k / c, so the last of n requests waits at least about (n - 1)(1/c - 1/r) = (n - 1)/(3c)
 * (a D/D/1 queue; half of it is asserted for the Poisson stream). The whole example, served in turns
 * at 5 requests/s per tenant, queues at twice that rate, which is past an upper bound on what its
 * rounds can serve (from two bursts, below).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { directDeployment } from '../../../src-main/engine/placement/direct';
import { serveStream } from '../../../src-main/engine/pipeline/serve';
import { simulate, simulateRaw } from '../../../src-main/engine/sim';
import { scenarioFromDeployment } from '../../../src-main/engine/sim/from-deployment';
import { requestFromSpecFile } from '../../../src-main/cli/commands/run';
import type { Deployment } from '../../../src-main/engine/placement/types';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { loadTestWasm, repoRoot } from '../sim/load-wasm';

let wasm: RetileWasmExports;
let dep: Deployment;
let solo: Deployment;
let capacity = 0;
let five: ReturnType<typeof serveStream> | null = null;
/** The whole example served at 5 requests/s per tenant (two tests read it). */
const atFive = () => (five ??= serveStream(dep, Object.fromEntries(dep.tenants.map((t) => [t.name, 5])), N, 1, wasm));
const BURST = 16;
const N = 60;

beforeAll(async () => {
  wasm = await loadTestWasm();
  // The direct deployment: serving is what is under test, not the optimizer, and direct needs no search.
  const req = requestFromSpecFile(join(repoRoot, 'projects/examples/four-tenant-mix.json'), { strategy: 'direct' });
  // p99 targets for the attainment check: generous for resnet50, impossible for vgg16.
  const base = directDeployment(req.chip, req.tenants);
  dep = { ...base, tenants: base.tenants.map((t) => (t.name === 'resnet50' ? { ...t, slaMs: 1e6 } : t.name === 'vgg16' ? { ...t, slaMs: 1e-6 } : t)) };
  solo = directDeployment(req.chip, req.tenants.filter((t) => t.name === 'resnet50'));
  const { raw } = simulateRaw(scenarioFromDeployment(solo, { batch: BURST, seed: 1 }).scenario, wasm);
  const done = Array.from(raw.reqDone).sort((a, b) => a - b);
  capacity = (BURST - 1) / (done[BURST - 1]! - done[0]!);
}, 600_000);

describe('serving the four-tenant example', () => {
  it('reports p99 per tenant and SLA attainment against the p99 target; the rounds reprogram every turn', () => {
    const low = atFive();
    expect(low.warmup_requests).toBe(6);
    for (const t of low.tenants) {
      expect(t.measured).toBe(N - 6);
      expect(t.p99_s, t.name).toBeGreaterThan(0);
      expect(t.p99_s).toBeGreaterThanOrEqual(t.p95_s);
      expect(t.p95_s).toBeGreaterThanOrEqual(t.p50_s);
    }
    const byName = (n: string) => low.tenants.find((t) => t.name === n)!;
    expect(byName('resnet50').sla_attainment).toBe(1);
    expect(byName('vgg16').sla_attainment).toBe(0);
    expect(byName('mobilenet_v2').sla_attainment).toBeNull();
    // The deployment runs in rounds, so the stream reprograms: one load per tenant phase in each
    // pass through the rounds (the first round's too, at steady state), every turn, and its wear is reported.
    const phases = dep.tenants.reduce((n, t) => n + Math.max(1, t.phases), 0);
    expect(dep.rounds.length).toBeGreaterThan(1);
    expect(low.writes!.loads_per_cycle).toBe(phases);
    expect(low.writes!.writes_per_cell_per_hour).toBeGreaterThanOrEqual((low.writes!.max_writes_per_cell_per_cycle * 3600) / low.makespan_s);
    expect(low.writes!.lifetime_h).toBeCloseTo(1e6 / low.writes!.writes_per_cell_per_hour, 9);
    expect(low.sustained_tops).toBeGreaterThan(0);
    expect(low.sustained_tops).toBeLessThan(low.chip.peak_tops);
  }, 600_000);

  it('the whole example: doubling its rate from 5/s passes what its rounds can serve; it queues and p99 grows', () => {
    // An upper bound on the rate per tenant its rounds sustain, from two bursts at t = 0 (every
    // tenant B requests, one turn through the rounds): B - 1 more requests of each tenant took
    // M(B) - M(1) more, with the same loads; a stream pays the loads again every turn, so it can
    // only do worse.
    const makespan = (batch: number) => simulate(scenarioFromDeployment(dep, { batch, seed: 1 }).scenario, wasm).makespan_s;
    const bound = (BURST - 1) / (makespan(BURST) - makespan(1));
    expect(5).toBeLessThan(bound);
    expect(10).toBeGreaterThan(bound);
    const low = atFive();
    const high = serveStream(dep, Object.fromEntries(dep.tenants.map((t) => [t.name, 10])), N, 1, wasm);
    for (const t of high.tenants) {
      const before = low.tenants.find((l) => l.name === t.name)!;
      expect(t.throughput_ips, t.name).toBeLessThan(t.rate_rps);
      expect(t.p99_s, t.name).toBeGreaterThan(2 * before.p99_s);
    }
  }, 600_000);

  it('resnet50 alone: served at about its rate below capacity; doubling the rate past capacity queues', () => {
    expect(solo.rounds.length).toBeLessThanOrEqual(1);
    expect(solo.tenants[0]!.phases).toBeLessThanOrEqual(1);
    const low = serveStream(solo, { resnet50: 0.75 * capacity }, N, 1, wasm).tenants[0]!;
    const high = serveStream(solo, { resnet50: 1.5 * capacity }, N, 1, wasm);
    const t = high.tenants[0]!;
    // Below capacity the stream is served at about its rate (Poisson: 25 % for a 54-request window).
    expect(low.throughput_ips).toBeGreaterThan(0.75 * capacity * 0.75);
    // Past capacity the tenant completes fewer requests per second than it is offered...
    expect(t.throughput_ips).toBeLessThan(t.rate_rps);
    // ...and the queue grows: the tail waits for the backlog.
    expect(t.p99_s).toBeGreaterThan(0.5 * (N - 1) / (3 * capacity));
    expect(t.p99_s).toBeGreaterThan(1.5 * low.p99_s);
    expect(high.peak_fraction).toBeGreaterThan(0);
    expect(high.peak_fraction).toBeLessThan(1);
  }, 600_000);
});
