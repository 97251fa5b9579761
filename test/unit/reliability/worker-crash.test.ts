/**
 * The engine worker dying mid-run (a crash, an out-of-memory kill): the service records the run
 * as failed with the reason, the host keeps serving, and the next job runs on a fresh worker.
 * A stand-in worker speaks the real protocol (service/worker-protocol.ts): it answers a sweep
 * with one point whose speed-up is the seed, exits when the seed is 13 and exhausts its heap
 * when the seed is 14.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createService, type Service } from '../../../src-main/service/service';
import { paths } from '../../../src-main/service/paths';
import type { ApiEvent } from '../../../src-main/api/contract';
import { tempDir } from '../../helpers';

const FAKE_WORKER = `
import { parentPort } from 'node:worker_threads';
parentPort.postMessage({ type: 'ready', wasmAbi: 3 });
parentPort.on('message', (req) => {
  if (req.args.seed === 14) {
    // One large array fill: V8 aborts the whole process on this path, whatever resourceLimits say.
    globalThis.keep = new Array(5e7).fill(1.5);
    return;
  }
  if (req.args.seed === 13) {
    parentPort.postMessage({ type: 'progress', jobId: req.jobId, stage: 'working', fraction: 0.5 });
    setTimeout(() => process.exit(7), 20);
    return;
  }
  parentPort.postMessage({ type: 'result', jobId: req.jobId, result: [{ mesh: [2, 2], speedup_vs_direct: req.args.seed }] });
});
`;

let tmp: ReturnType<typeof tempDir>;
let service: Service;
beforeAll(() => {
  tmp = tempDir('retile-worker-crash-');
  const worker = join(tmp.dir, 'fake-worker.mjs');
  writeFileSync(worker, FAKE_WORKER);
  service = createService({ host: 'browser', workspaceDir: join(tmp.dir, 'ws'), workerUrl: pathToFileURL(worker), wasmPath: paths.wasm });
});
afterAll(async () => {
  await service.close();
  tmp.cleanup();
});

/** A sweep the stand-in worker answers by its seed (the seed is the stored headline). */
const sweep = (project: string, seed: number) => ({ project, strategy: 'direct' as const, objective: 'makespan' as const, seed, sides: [2] });

function settled(runId: number): Promise<ApiEvent> {
  return new Promise((resolve) => {
    const off = service.onEvent((e) => {
      if ('runId' in e && e.runId === runId && (e.type === 'finished' || e.type === 'failed' || e.type === 'cancelled')) {
        off();
        resolve(e);
      }
    });
  });
}

describe('engine worker crash', () => {
  it('marks the run failed with the reason, and the next run gets a fresh worker', async () => {
    await service.createProject({ name: 'w' });
    const project = 'w.retile';
    await service.addZooTenant({ project, model: 'lenet5' });
    const first = await service.startSweep(sweep(project, 5));
    expect((await settled(first.runId)).type).toBe('finished');

    const crash = await service.startSweep(sweep(project, 13));
    const e = await settled(crash.runId);
    expect(e.type).toBe('failed');
    expect((e as { message: string }).message).toMatch(/exit code 7/);

    const next = await service.startSweep(sweep(project, 6));
    expect((await settled(next.runId)).type).toBe('finished');

    const runs = await service.listRuns({ project });
    expect(runs.map((r) => [r.status, r.headline])).toEqual([
      ['finished', 5],
      ['failed', null],
      ['finished', 6],
    ]);
    expect(runs[1]!.message).toMatch(/exit code 7/);
  }, 120_000);

  it('a job exhausting the heap of its engine process is a failed run; the host lives on', async () => {
    const before = process.env.RETILE_WORKER_MEMORY_MB;
    process.env.RETILE_WORKER_MEMORY_MB = '64';
    const isolated = createService({
      host: 'browser',
      workspaceDir: join(tmp.dir, 'ws-heap'),
      workerUrl: pathToFileURL(join(tmp.dir, 'fake-worker.mjs')),
      wasmPath: paths.wasm,
      jobHost: paths.jobHost,
    });
    if (before === undefined) delete process.env.RETILE_WORKER_MEMORY_MB;
    else process.env.RETILE_WORKER_MEMORY_MB = before;
    const done = (runId: number) =>
      new Promise<ApiEvent>((resolve) => {
        const off = isolated.onEvent((e) => {
          if ('runId' in e && e.runId === runId && (e.type === 'finished' || e.type === 'failed')) {
            off();
            resolve(e);
          }
        });
      });
    try {
      await isolated.createProject({ name: 'heap' });
      await isolated.addZooTenant({ project: 'heap.retile', model: 'lenet5' });
      const big = await isolated.startSweep(sweep('heap.retile', 14));
      const e = await done(big.runId);
      expect(e.type).toBe('failed');
      expect((e as { message: string }).message).toMatch(/out of memory \(64 MB, setting RETILE_WORKER_MEMORY_MB\)/);
      const next = await isolated.startSweep(sweep('heap.retile', 3));
      expect((await done(next.runId)).type).toBe('finished');
      expect((await isolated.listRuns({ project: 'heap.retile' })).map((r) => [r.status, r.headline])).toEqual([
        ['failed', null],
        ['finished', 3],
      ]);
    } finally {
      await isolated.close();
    }
  }, 120_000);
});
