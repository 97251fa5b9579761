/**
 * Simulations remembered by their scenario (sim/cache.ts): a run met again answers from the cache
 * with exactly the figures a fresh simulation gives, and a changed scenario (another seed) is
 * simulated anew.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { chipPreset } from '../../../src-main/engine/hardware';
import { runInternals, type RunRequest } from '../../../src-main/engine/pipeline/run';
import { SimulationCache, codeBytesAtLeast, resultBytes, scenarioKeyBytes } from '../../../src-main/engine/sim/cache';
import { simulate } from '../../../src-main/engine/sim';
import { toLayerGraph, zooGraph } from '../../../src-main/engine/workload';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { loadTestWasm } from './load-wasm';
import { handScenario, rowLayer, US } from './hand-scenario';

let wasm: RetileWasmExports;
beforeAll(async () => {
  wasm = await loadTestWasm();
});

const tenant = (model: string) => ({ name: model, model, graph: toLayerGraph(zooGraph(model)), batch: 1, priority: 1 });
const request = (strategy: RunRequest['strategy'], models: string[], seed = 1): RunRequest => ({
  chip: chipPreset('isaac', [8, 8]),
  tenants: models.map(tenant),
  strategy,
  objective: 'makespan',
  seed,
});
const baselineSims = (x: Awaited<ReturnType<typeof runInternals>>) => Object.values(x.baselines).map((b) => b.simulated.sim);

describe('the simulation cache', () => {
  it('answers the baselines and alone runs of a second run from the first, with a fresh run\'s figures', async () => {
    const models = ['lenet5', 'vgg8-cifar'];
    const simCache = new SimulationCache();
    await runInternals(request('direct', models), { wasm, simCache });
    const before = simCache.hits;
    const second = await runInternals(request('operator', models), { wasm, simCache });
    // direct, balanced, sequential and one alone run per tenant
    expect(simCache.hits - before).toBeGreaterThanOrEqual(3 + models.length);
    const fresh = await runInternals(request('operator', models), { wasm });
    expect(baselineSims(second)).toEqual(baselineSims(fresh));
    expect(second.aloneS).toEqual(fresh.aloneS);
    expect(second.chosen.simulated.sim).toEqual(fresh.chosen.simulated.sim);
  });

  it('answers a run on another thread from the simulations recorded here and sent there', async () => {
    const models = ['lenet5', 'vgg8-cifar'];
    const here = new SimulationCache();
    here.record(true);
    await runInternals(request('direct', models), { wasm, simCache: here });
    here.record(false);
    const known = here.takeRecorded();
    // direct, balanced, sequential and one alone run per tenant, each simulated once
    expect(known).toHaveLength(3 + models.length);
    expect(here.takeRecorded()).toEqual([]);
    const there = new SimulationCache();
    // As a worker's message carries them (a copy).
    there.seed(structuredClone(known));
    const second = await runInternals(request('operator', models), { wasm, simCache: there });
    expect(there.hits).toBeGreaterThanOrEqual(3 + models.length);
    const fresh = await runInternals(request('operator', models), { wasm });
    expect(baselineSims(second)).toEqual(baselineSims(fresh));
    expect(second.aloneS).toEqual(fresh.aloneS);
    expect(second.chosen.simulated.sim).toEqual(fresh.chosen.simulated.sim);
  });

  it('notes a simulation sent elsewhere by when it was asked for, not when it came back', async () => {
    const cache = new SimulationCache();
    const s = (seed: number) => {
      const sc = handScenario(2, [{ tenant: 0, writeTimeS: 0, writeEnergyJ: 0, after: [] }], [rowLayer(0, 0, 4)], [{ layer: 0, copy: 0, piece: 0, tile: 0, timePerUnitS: US, energyPerUnitJ: [0, 0, 0, 0, 0] }]);
      sc.tenants[0] = { name: 't0', requests: 3, arrivalRate: 1e5, seed };
      return sc;
    };
    cache.record(true);
    const asked = cache.getAsync(s(1), () => Promise.resolve(simulate(s(1), wasm)));
    cache.record(false);
    const unasked = cache.getAsync(s(2), () => Promise.resolve(simulate(s(2), wasm)));
    const [a] = await Promise.all([asked, unasked]);
    // Seed 1 only (asked while recording), though both came back after recording stopped.
    expect(cache.takeRecorded().map((k) => k.result)).toEqual([a]);
  });

  it('simulates one tenant\'s sequential turn and its alone run once (the same scenario)', async () => {
    const x = await runInternals(request('direct', ['resnet20-cifar']), { wasm });
    expect(x.simCache.hits).toBe(1);
    expect(x.aloneS[0]).toBe(x.baselines.sequential.simulated.sim.tenants[0]!.finish_s);
  });

  it('simulates a changed scenario anew (another seed, a Poisson stream)', () => {
    const cache = new SimulationCache();
    const s = (seed: number) => {
      const sc = handScenario(2, [{ tenant: 0, writeTimeS: 0, writeEnergyJ: 0, after: [] }], [rowLayer(0, 0, 4)], [{ layer: 0, copy: 0, piece: 0, tile: 0, timePerUnitS: US, energyPerUnitJ: [0, 0, 0, 0, 0] }]);
      sc.tenants[0] = { name: 't0', requests: 3, arrivalRate: 1e5, seed };
      return sc;
    };
    const a = cache.get(s(1), () => simulate(s(1), wasm));
    const b = cache.get(s(2), () => simulate(s(2), wasm));
    expect(cache.misses).toBe(2);
    expect(a.tenants[0]!.latency_mean_s).not.toBe(b.tenants[0]!.latency_mean_s);
    expect(cache.get(s(1), () => simulate(s(1), wasm))).toBe(a);
    expect(cache.hits).toBe(1);
  });

  it('forgets the least recently used scenario first once its keys and results pass the budget', () => {
    const one = (units: number) => handScenario(1, [{ tenant: 0, writeTimeS: 0, writeEnergyJ: 0, after: [] }], [rowLayer(0, 0, units)], [{ layer: 0, copy: 0, piece: 0, tile: 0, timePerUnitS: US, energyPerUnitJ: [0, 0, 0, 0, 0] }]);
    // the three scenarios differ in one digit: keys and results of one size
    const size = scenarioKeyBytes(one(1)) + resultBytes(simulate(one(1), wasm));
    const cache = new SimulationCache(2 * size + 1);
    for (const u of [1, 2, 1, 3]) cache.get(one(u), () => simulate(one(u), wasm));
    // 1 was used after 2, so 3 pushed 2 out
    cache.get(one(1), () => simulate(one(1), wasm));
    cache.get(one(2), () => simulate(one(2), wasm));
    expect([cache.hits, cache.misses]).toEqual([2, 4]);
  });

  it('does not keep an entry above its largest entry (simulated again)', () => {
    const one = () => handScenario(1, [{ tenant: 0, writeTimeS: 0, writeEnergyJ: 0, after: [] }], [rowLayer(0, 0, 2)], [{ layer: 0, copy: 0, piece: 0, tile: 0, timePerUnitS: US, energyPerUnitJ: [0, 0, 0, 0, 0] }]);
    const size = scenarioKeyBytes(one()) + resultBytes(simulate(one(), wasm));
    const small = new SimulationCache(2 ** 20, size - 1);
    const fits = new SimulationCache(2 ** 20, size);
    for (const cache of [small, fits]) for (let i = 0; i < 2; i++) cache.get(one(), () => simulate(one(), wasm));
    expect([small.hits, small.misses, fits.hits, fits.misses]).toEqual([0, 2, 1, 1]);
  });

  it('keeps a smaller largest entry on chips above 128x128 tiles', () => {
    const on = (rows: number, cols: number) => ({ ...handScenario(1, [{ tenant: 0, writeTimeS: 0, writeEnergyJ: 0, after: [] }], [rowLayer(0, 0, 2)], [{ layer: 0, copy: 0, piece: 0, tile: 0, timePerUnitS: US, energyPerUnitJ: [0, 0, 0, 0, 0] }]), mesh: { rows, cols } });
    // 128 x 128 = 16,384 tiles: the chip's largest entry; 129 x 128: the smaller one (64 bytes, below any entry)
    const cache = new SimulationCache(2 ** 26, 2 ** 22, 64);
    for (const [rows, cols] of [[128, 128], [128, 128], [129, 128], [129, 128]] as const) cache.get(on(rows, cols), () => simulate(on(rows, cols), wasm));
    expect([cache.hits, cache.misses]).toEqual([1, 3]);
  });

  it('simulates without coding a scenario whose re-operators alone make its code larger than the largest entry', () => {
    const one = () => handScenario(1, [{ tenant: 0, writeTimeS: 0, writeEnergyJ: 0, after: [] }], [rowLayer(0, 0, 2)], [{ layer: 0, copy: 0, piece: 0, tile: 0, timePerUnitS: US, energyPerUnitJ: [0, 0, 0, 0, 0] }]);
    // one re-operator: layer, copy, piece, tile, time, port mark, energy count, crossbars mark = 8 numbers of 8 bytes
    expect(codeBytesAtLeast(one())).toBe(64);
    // its code has its five energies too: 13 numbers
    expect(scenarioKeyBytes(one()) - codeBytesAtLeast(one())).toBeGreaterThanOrEqual(5 * 8);
    const cache = new SimulationCache(2 ** 20, 63);
    const runs: number[] = [];
    const a = cache.get(one(), () => (runs.push(1), simulate(one(), wasm)));
    const b = cache.get(one(), () => (runs.push(2), simulate(one(), wasm)));
    expect(runs).toEqual([1, 2]);
    expect([cache.hits, cache.misses]).toEqual([0, 2]);
    expect(b).toEqual(a);
  });
});
