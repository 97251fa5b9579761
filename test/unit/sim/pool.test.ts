/**
 * A run's simulations on a pool of threads (engine/sim/pool.ts, service/sim-pool.ts): the pooled
 * run gives the in-thread run's document field by field (the clock readings aside), its cache
 * still answers a scenario met twice, and a pool thread that dies or never answers ends the run
 * with a clear error instead of a hang.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chipPreset } from '../../../src-main/engine/hardware';
import { runDeployment, runInternals, type RunRequest } from '../../../src-main/engine/pipeline/run';
import type { RunResult } from '../../../src-main/engine/report/result';
import type { SimulatorPool } from '../../../src-main/engine/sim/pool';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { toLayerGraph, zooGraph } from '../../../src-main/engine/workload';
import { createSimPool, type SimPool } from '../../../src-main/service/sim-pool';
import { simWorkersFromEnv } from '../../../src-main/service/sim-workers';
import { paths } from '../../../src-main/service/paths';
import { setLimits } from '../../../src-main/engine/limits';
import { tempDir } from '../../helpers';
import { loadTestWasm } from './load-wasm';

let wasm: RetileWasmExports;
let pool: SimPool;
let tmp: ReturnType<typeof tempDir>;
beforeAll(async () => {
  wasm = await loadTestWasm();
  // Every scenario sent, however small (these tenants are small).
  pool = createSimPool({ threads: 1, wasmPath: paths.wasm, minRows: 0 });
  tmp = tempDir('retile-sim-pool-');
});
afterAll(async () => {
  await pool.close();
  tmp.cleanup();
});

const tenant = (model: string) => ({ name: model, model, graph: toLayerGraph(zooGraph(model)), batch: 2, priority: 1 });
const request = (strategy: RunRequest['strategy'], models: string[]): RunRequest => ({
  chip: chipPreset('isaac', [8, 8]),
  tenants: models.map(tenant),
  strategy,
  objective: 'makespan',
  seed: 3,
});
/** The error a run rejects with (fails the test when it resolves). */
const rejection = (run: Promise<unknown>): Promise<unknown> =>
  run.then(
    () => {
      throw new Error('expected the run to fail');
    },
    (e: unknown) => e,
  );
const withoutClock = (r: RunResult) => JSON.parse(JSON.stringify({ ...r, seconds: 0, events_per_s: 0 })) as unknown;

/** The pool, counting the simulations sent to it. */
function counted(inner: SimulatorPool): SimulatorPool & { sent: number } {
  const c = { sent: 0, minRows: inner.minRows, simulate: (s: Parameters<SimulatorPool['simulate']>[0], signal?: AbortSignal) => (c.sent++, inner.simulate(s, signal)) };
  return c;
}

/** A stand-in pool thread (service/sim-pool.ts loads it in place of out/main/sim-worker.js). */
function standIn(name: string, body: string): string {
  const file = join(tmp.dir, name);
  writeFileSync(file, `export default async function () { ${body} }\n`);
  return file;
}

describe('the simulation pool', () => {
  it('gives the in-thread run\'s document, field by field, and sends the baselines and alone runs', async () => {
    const req = request('operator', ['lenet5', 'vgg8-cifar']);
    const here = await runDeployment(req, { wasm });
    const sending = counted(pool);
    const there = await runDeployment(req, { wasm, simPool: sending });
    expect(withoutClock(there)).toEqual(withoutClock(here));
    // direct, balanced, sequential and one alone run per tenant
    expect(sending.sent).toBe(3 + 2);
  });

  it('simulates one tenant\'s sequential turn and its alone run once, both on the pool', async () => {
    const sending = counted(pool);
    const x = await runInternals(request('direct', ['lenet5']), { wasm, simPool: sending });
    // four asked for (three baselines, one alone run), three sent: the alone run waits for the sequential turn under way
    expect(sending.sent).toBe(3);
    expect(x.simCache.hits).toBe(1);
    expect(x.aloneS[0]).toBe(x.baselines.sequential.simulated.sim.tenants[0]!.finish_s);
  });

  it('sends no scenario below the pool\'s break-even size, so a small run starts no thread', async () => {
    // lenet5 at batch 2 on 8x8: five layers of at most 28 output rows, two requests, far below 50,000 rows
    const unused = createSimPool({ threads: 1, wasmPath: paths.wasm, workerPath: standIn('unused.mjs', 'throw new Error("sent");') });
    try {
      const sending = counted(unused);
      const x = await runInternals(request('direct', ['lenet5']), { wasm, simPool: sending });
      expect(sending.sent).toBe(0);
      expect(x.aloneS[0]).toBeGreaterThan(0);
    } finally {
      await unused.close();
    }
  });

  it('a limit met by a sent simulation fails the run with the in-thread run\'s error (the direct baseline\'s, met first)', async () => {
    const limits = { maxSimEvents: 50 };
    const restore = setLimits(limits);
    const limited = createSimPool({ threads: 1, wasmPath: paths.wasm, minRows: 0 });
    try {
      const req = request('operator', ['lenet5', 'vgg8-cifar']);
      const here = await rejection(runDeployment(req, { wasm }));
      const there = await rejection(runDeployment(req, { wasm, simPool: limited }));
      expect(here).toMatchObject({ code: 'limit', where: { setting: 'maxSimEvents' } });
      expect(there).toMatchObject({ code: 'limit', message: (here as Error).message });
    } finally {
      restore();
      await limited.close();
    }
  });

  it('a pool thread that dies fails the run with the reason', async () => {
    const dying = createSimPool({ threads: 1, wasmPath: paths.wasm, minRows: 0, workerPath: standIn('dies.mjs', 'process.exit(3);') });
    try {
      const run = runDeployment(request('operator', ['lenet5']), { wasm, simPool: dying });
      await expect(run).rejects.toMatchObject({ code: 'internal', message: expect.stringMatching(/simulation thread stopped: .*code: 3/) });
    } finally {
      await dying.close();
    }
  });

  it('threads load their task module with import(), not require(): Node 20 aborted the process when a thread stopped while it built a require facade', async () => {
    // The stand-in reports what require() of an ES module does in a pool thread: refused, so piscina's require of the task module fails over to import().
    const other = standIn('other.mjs', 'return 1;');
    const body = `const { createRequire } = await import('node:module'); let code = 'loaded'; try { createRequire(import.meta.url)(${JSON.stringify(other)}); } catch (e) { code = e.code; } throw new Error('require of an ES module: ' + code);`;
    const probe = createSimPool({ threads: 1, wasmPath: paths.wasm, minRows: 0, workerPath: standIn('probe.mjs', body) });
    try {
      const run = runDeployment(request('operator', ['lenet5']), { wasm, simPool: probe });
      await expect(run).rejects.toMatchObject({ code: 'internal', message: expect.stringContaining('require of an ES module: ERR_REQUIRE_ESM') });
    } finally {
      await probe.close();
    }
  });

  it('a cancel while the run waits on a pool thread that never answers ends the run', async () => {
    const stuck = createSimPool({ threads: 1, wasmPath: paths.wasm, minRows: 0, workerPath: standIn('stuck.mjs', 'await new Promise(() => {});') });
    let cancelled = false;
    setTimeout(() => (cancelled = true), 100);
    try {
      const run = runDeployment(request('direct', ['lenet5']), { wasm, simPool: stuck, progress: { report: () => undefined, cancelled: () => cancelled } });
      await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    } finally {
      await stuck.close();
    }
  });

  it('RETILE_SIM_WORKERS sets the threads; by default one when two cores are free', () => {
    expect(simWorkersFromEnv(1, {}, 3)).toBe(1);
    expect(simWorkersFromEnv(1, {}, 2)).toBe(0);
    expect(simWorkersFromEnv(1, {}, 1)).toBe(0);
    expect(simWorkersFromEnv(2, {}, 4)).toBe(1);
    expect(simWorkersFromEnv(2, {}, 3)).toBe(0);
    expect(simWorkersFromEnv(1, { RETILE_SIM_WORKERS: '0' }, 8)).toBe(0);
    expect(simWorkersFromEnv(2, { RETILE_SIM_WORKERS: '3' }, 2)).toBe(3);
    expect(() => simWorkersFromEnv(1, { RETILE_SIM_WORKERS: 'two' }, 2)).toThrow(/RETILE_SIM_WORKERS/);
  });
});
