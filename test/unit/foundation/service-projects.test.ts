/**
 * The service behind the API with the real worker, Wasm and store: projects from presets, zoo and
 * ONNX tenants (uploaded as base64), a deployment run stored and read back unchanged, progress
 * per stage, cancellation, and a run interrupted by closing the service.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createService, type Service } from '../../../src-main/service/service';
import { paths } from '../../../src-main/service/paths';
import { validateArgs } from '../../../src-main/api/schemas';
import { errorResponse } from '../../../src-main/service/errors';
import type { ApiEvent } from '../../../src-main/api/contract';
import { Workspace, getRun } from '../../../src-main/store';
import { ONNX_DIR, symbolicSequenceOnnx, tempDir } from '../../helpers';

let tmp: ReturnType<typeof tempDir>;
let service: Service;

const make = () =>
  createService({ host: 'browser', workspaceDir: tmp.dir, workerUrl: paths.worker, wasmPath: paths.wasm, configDir: join(tmp.dir, '.config'), examplesDir: paths.examples });

function until(pred: (e: ApiEvent) => boolean, s: Service = service): Promise<ApiEvent> {
  return new Promise((resolve) => {
    const off = s.onEvent((e) => {
      if (pred(e)) {
        off();
        resolve(e);
      }
    });
  });
}

beforeAll(() => {
  tmp = tempDir();
  service = make();
});

afterAll(async () => {
  await service.close();
  tmp.cleanup();
});

describe('projects through the service', () => {
  it('creates a project on a preset chip with a live chip summary', async () => {
    const p = await service.createProject({ name: 'mix', preset: 'isaac' });
    expect(p).toMatchObject({ file: 'mix.retile', name: 'mix', tenants: 0, external: false });
    const view = await service.getProject({ project: p.file });
    // ISAAC: 14 x 12 tiles, 12 IMAs x 8 crossbars each (Table I).
    expect(view.chip.summary.tiles).toBe(168);
    expect(view.chip.summary.crossbars).toBe(168 * 12 * 8);
    expect(view.fit.fits).toBe(true);
  });

  it('reports chip validation issues by field', async () => {
    const spec = await service.presetSpec({ preset: 'isaac' });
    const bad = structuredClone(spec) as unknown as { topology: { rows: number } };
    bad.topology.rows = 0;
    const r = await service.checkChip({ spec: bad });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]).toEqual({ path: 'topology.rows', message: 'must be greater than 0' });
  });

  it('adds zoo tenants and an uploaded ONNX file (bytes, never a path), keeping name and hash', async () => {
    await service.addZooTenant({ project: 'mix.retile', model: 'lenet5' });
    await service.addZooTenant({ project: 'mix.retile', model: 'lenet5' });
    const bytes = readFileSync(join(ONNX_DIR, 'pt_alexnet.onnx'));
    const view = await service.importOnnx({ project: 'mix.retile', fileName: 'pt_alexnet.onnx', dataBase64: bytes.toString('base64') });
    expect(view.tenants.map((t) => t.name)).toEqual(['lenet5', 'lenet5-2', 'pt_alexnet']);
    const onnx = view.tenants[2];
    expect(onnx).toMatchObject({ source: 'onnx', model: 'pt_alexnet.onnx' });
    // sha256 of the file as `sha256sum` computes it, via Node's own hash of the same bytes.
    const { createHash } = await import('node:crypto');
    expect(onnx.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    // LeNet-5 (LeCun 1998): 61,706 weights and biases; both copies count the same.
    expect(view.tenants[0].params).toBe(61706);
    const detail = await service.tenantDetail({ project: 'mix.retile', id: view.tenants[0].id });
    expect(detail.layers.map((l) => l.kind)).toEqual(['conv', 'conv', 'fc', 'fc', 'fc']);
  });

  it('imports an ONNX file with symbolic axes bound as on the CLI; unbound, nothing of the project changes', async () => {
    const bytes = symbolicSequenceOnnx();
    const dataBase64 = Buffer.from(bytes).toString('base64');
    await service.createProject({ name: 'symbolic', preset: 'isaac' });
    const before = (await service.getProject({ project: 'symbolic.retile' })).tenants.length;
    const refusal = await service.importOnnx({ project: 'symbolic.retile', fileName: 'seq.onnx', dataBase64 }).catch((e: unknown) => e);
    expect((refusal as Error).message).toMatch(/unbound symbolic axes: 'input_ids' axis 1 'sequence'; bind them with --dim sequence=<n>/);
    // The engine's refusal reaches the hosts as a structured API error (a bad input, not an internal failure).
    expect(errorResponse(refusal)).toMatchObject({ status: 400, error: { code: expect.stringMatching(/^(bad-input|unsupported)$/), message: expect.stringContaining('unbound symbolic axes') } });
    expect((await service.getProject({ project: 'symbolic.retile' })).tenants.length).toBe(before);
    const view = await service.importOnnx({ project: 'symbolic.retile', fileName: 'seq.onnx', dataBase64, dims: 'sequence=32' });
    const t = view.tenants.at(-1)!;
    expect(t.model).toBe('seq.onnx --dim sequence=32');
    expect(t.macs).toBe(32 * 8 * 4); // 32 tokens x 8 x 4
    await service.deleteProject({ project: 'symbolic.retile' });
  });

  it('refuses paths it was not given explicitly', async () => {
    expect(() => validateArgs('getProject', { project: '../x.retile' })).toThrow(/project/);
    await expect(service.getProject({ project: '/etc/passwd.retile' })).rejects.toThrow(/open this file first/);
  });

  it('runs a deployment in the worker with progress per stage and stores the result', async () => {
    const progress: { stage: string; fraction: number }[] = [];
    const off = service.onEvent((e) => e.type === 'progress' && progress.push({ stage: e.stage, fraction: e.fraction }));
    const done = until((e) => e.type !== 'progress' && e.type !== 'project');
    const { runId } = await service.startRun({ project: 'mix.retile', strategy: 'collaborative', objective: 'makespan', seed: 1 });
    const end = await done;
    off();
    expect(end.type).toBe('finished');
    const detail = await service.getRun({ project: 'mix.retile', runId });
    expect(detail.run).toMatchObject({ status: 'finished', strategy: 'collaborative', objective: 'makespan', seed: 1 });
    expect(detail.result?.tenants.map((t) => t.name)).toEqual(['lenet5', 'lenet5-2', 'pt_alexnet']);
    expect(detail.result?.makespan_s).toBe(detail.run.headline);
    // Progress names its stage; the fraction is the whole job's and never goes back, across
    // stages too (its rate is measured in bench/responsiveness.ts). The bar is never full while
    // the result is still being saved: the last report is the save's, below 1.
    expect(progress.length).toBeGreaterThan(0);
    for (const [i, p] of progress.entries()) {
      expect(p.fraction).toBeGreaterThanOrEqual(0);
      expect(p.fraction).toBeLessThanOrEqual(1);
      if (i > 0) expect(p.fraction).toBeGreaterThanOrEqual(progress[i - 1].fraction);
    }
    expect(new Set(progress.map((p) => p.stage)).size).toBeGreaterThan(3);
    expect(progress.at(-1)!.stage).toBe('saving');
    expect(progress.at(-1)!.fraction).toBeLessThan(1);
    expect(progress.at(-2)!.fraction).toBeLessThanOrEqual(progress.at(-1)!.fraction);
    // Closed and reopened: identical.
    const again = make();
    expect((await again.getRun({ project: 'mix.retile', runId })).result).toEqual(detail.result);
    await again.close();
  });

  it('duplicates, renames and deletes projects', async () => {
    const copy = await service.duplicateProject({ project: 'mix.retile', name: 'mix copy' });
    expect(copy.tenants).toBe(3);
    const renamed = await service.renameProject({ project: copy.file, name: 'mix two' });
    expect(renamed.file).toBe('mix-two.retile');
    expect(await service.deleteProject({ project: renamed.file })).toEqual({ deleted: true });
    expect((await service.listProjects()).map((p) => p.file)).toEqual(['mix.retile']);
  });

  it('creates a project from an example spec in projects/examples', async () => {
    const { examples } = await service.listTemplates();
    const light = examples.find((x) => x.id === 'light-mix');
    expect(light?.tenants).toEqual(['resnet18', 'mobilenet_v2', 'squeezenet1_1']);
    const p = await service.createProject({ name: 'from example', example: 'light-mix' });
    const view = await service.getProject({ project: p.file });
    // The example's chip: ISAAC rescaled to a 16 x 16 mesh, batch 4 per tenant.
    expect(view.chip.summary.mesh).toEqual([16, 16]);
    expect(view.tenants.map((t) => [t.name, t.batch])).toEqual([
      ['resnet18', 4],
      ['mobilenet_v2', 4],
      ['squeezenet1_1', 4],
    ]);
    await service.deleteProject({ project: p.file });
  });

  it('marks a run interrupted when the service closes during it', async () => {
    const s = make();
    await s.createProject({ name: 'closing', preset: 'isaac' });
    await s.addZooTenant({ project: 'closing.retile', model: 'resnet50' });
    await s.addZooTenant({ project: 'closing.retile', model: 'vgg16' });
    const { runId } = await s.startRun({ project: 'closing.retile', strategy: 'anneal', objective: 'makespan', seed: 3 });
    await until((e) => e.type === 'progress', s);
    await s.close();
    new Workspace(tmp.dir).with('closing.retile', (db) => expect(getRun(db, runId)?.status).toBe('interrupted'));
  });
});
