/**
 * Serving sweeps through the service (the app's Serving section): the real worker, Wasm and store
 * run the strategy's deployment under Poisson streams at each rate, and every stored point is the
 * document `retile serve --rate <r>` gives for the same chip, tenants and seed (the CLI's path,
 * serveDeployment, run here in-process). The run's headline, the highest rate at which every
 * tenant with an SLA met its p99 target, is checked on hand-made points.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createService, type Service } from '../../../src-main/service/service';
import { paths } from '../../../src-main/service/paths';
import { highestRateWithinSla } from '../../../src-main/service/serve-methods';
import { validateArgs } from '../../../src-main/api/schemas';
import type { ApiEvent, ServeResult } from '../../../src-main/api/contract';
import { serveDeployment } from '../../../src-main/engine/pipeline/serve';
import { chipPreset } from '../../../src-main/engine/hardware/presets';
import { toLayerGraph, zooGraph } from '../../../src-main/engine/workload';
import { loadTestWasm } from '../sim/load-wasm';
import { tempDir } from '../../helpers';

let tmp: ReturnType<typeof tempDir>;
let service: Service;

beforeAll(() => {
  tmp = tempDir();
  service = createService({ host: 'browser', workspaceDir: tmp.dir, workerUrl: paths.worker, wasmPath: paths.wasm, configDir: join(tmp.dir, '.config'), examplesDir: paths.examples });
});

afterAll(async () => {
  await service.close();
  tmp.cleanup();
});

function ended(): Promise<ApiEvent> {
  return new Promise((resolve) => {
    const off = service.onEvent((e) => {
      if (e.type !== 'progress' && e.type !== 'project') {
        off();
        resolve(e);
      }
    });
  });
}

describe('a serving sweep through the service', () => {
  it('stores one point per rate, each the CLI serve document for that rate', async () => {
    const project = (await service.createProject({ name: 'serve', preset: 'isaac' })).file;
    await service.addZooTenant({ project, model: 'lenet5', slaMs: 5 });
    await service.addZooTenant({ project, model: 'resnet20-cifar' });
    const rates = [200, 2000];
    const end = ended();
    const { runId } = await service.startServe({ project, strategy: 'direct', objective: 'makespan', seed: 1, rates, requests: 30 });
    expect((await end).type).toBe('finished');
    const detail = await service.getRun({ project, runId });
    expect(detail.run).toMatchObject({ kind: 'serve', status: 'finished', strategy: 'direct' });
    expect(detail.serve?.map((p) => p.tenants.map((t) => t.rate_rps))).toEqual([
      [200, 200],
      [2000, 2000],
    ]);

    const wasm = await loadTestWasm();
    const tenants = [
      { name: 'lenet5', model: 'lenet5', graph: toLayerGraph(zooGraph('lenet5')), batch: 1, priority: 1, slaMs: 5 },
      { name: 'resnet20-cifar', model: 'resnet20-cifar', graph: toLayerGraph(zooGraph('resnet20-cifar')), batch: 1, priority: 1 },
    ];
    for (const [i, rate] of rates.entries()) {
      const cli = await serveDeployment(
        { chip: chipPreset('isaac'), tenants, strategy: 'direct', objective: 'makespan', seed: 1, rates: { lenet5: rate, 'resnet20-cifar': rate }, requests: 30 },
        { wasm },
      );
      expect(detail.serve![i]).toEqual(cli);
    }
    expect(detail.run.headline).toBe(highestRateWithinSla(detail.serve!));
  }, 300_000);

  it('refuses rates, request counts and serving objectives outside what the sweep takes, naming the field', () => {
    const args = { project: 'serve.retile', strategy: 'direct', objective: 'makespan', seed: 1 };
    expect(() => validateArgs('startServe', { ...args, rates: [], requests: 30 })).toThrow(/rates.*at least one rate/);
    expect(() => validateArgs('startServe', { ...args, rates: [0], requests: 30 })).toThrow(/rates.*above 0/);
    expect(() => validateArgs('startServe', { ...args, rates: [10], requests: 5 })).toThrow(/requests.*at least 20/);
    // The serving objective: absent (the burst's choice served) or one of the two the CLI takes.
    expect(() => validateArgs('startServe', { ...args, rates: [10], requests: 30, servingObjective: 'makespan' })).toThrow(/servingObjective.*one of throughput, sla-attainment/);
    expect(validateArgs('startServe', { ...args, rates: [10], requests: 30, servingObjective: 'sla-attainment' })).toMatchObject({ servingObjective: 'sla-attainment' });
  });
});

describe('the headline of a serving sweep', () => {
  const point = (rate: number, attainments: (number | null)[]) =>
    ({ tenants: attainments.map((a) => ({ rate_rps: rate, sla_attainment: a })) }) as unknown as ServeResult;
  it('is the highest rate at which every tenant with an SLA had 99 % of its requests within the p99 target', () => {
    // 99.5 % within at 20/s meets a p99 target; 98 % at 40/s does not.
    expect(highestRateWithinSla([point(10, [1, null]), point(20, [0.995, null]), point(40, [0.98, null])])).toBe(20);
    expect(highestRateWithinSla([point(10, [0.5, 1])])).toBeNull();
    // Without any SLA there is nothing to meet.
    expect(highestRateWithinSla([point(10, [null, null])])).toBeNull();
  });
});
