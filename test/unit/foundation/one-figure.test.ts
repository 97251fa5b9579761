/**
 * One deployment, one figure, whatever the front end: the same chip and tenants run by the CLI
 * (`retile run spec.json --json`), run through the browser-mode server's HTTP API (the real
 * server in-process on an ephemeral port, with its token; startRun, then getRun), and read back
 * from the project file that server stored the run in (`retile show --json`) give the same result
 * document: makespan, energy, every tenant's and every baseline's figures. Only the wall-clock
 * `seconds` a run took may differ.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createService, type Service } from '../../../src-main/service/service';
import { startServer, type RunningServer } from '../../../src-main/server/http-server';
import { paths } from '../../../src-main/service/paths';
import { chipPreset } from '../../../src-main/engine/hardware';
import type { ApiEvent } from '../../../src-main/api/contract';
import { tempDir } from '../../helpers';
import { retile, withoutSeconds, writeSpec } from '../cli/cli-helpers';

const TOKEN = 'one-figure-token-0123456789';
const TENANTS = [
  { model: 'lenet5', batch: 2 },
  { model: 'mnsim-lenet', batch: 1 },
];
const SPEC = { chip: { preset: 'isaac', mesh: '8x8' }, tenants: TENANTS, strategy: 'tenant', objective: 'makespan', seed: 1 };

let tmp: ReturnType<typeof tempDir>;
let service: Service;
let server: RunningServer;

async function http<T>(method: string, args?: unknown): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${server.port}/api/${method}`, {
    method: 'POST',
    headers: { 'x-retile-token': TOKEN, 'content-type': 'application/json' },
    body: args === undefined ? '' : JSON.stringify(args),
  });
  const body = (await res.json()) as { ok: boolean; result?: T; error?: unknown };
  if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result as T;
}

beforeAll(async () => {
  tmp = tempDir('retile-one-figure-');
  service = createService({ host: 'browser', workspaceDir: join(tmp.dir, 'ws'), workerUrl: paths.worker, wasmPath: paths.wasm, configDir: join(tmp.dir, '.config') });
  server = await startServer({ service, rendererDir: paths.renderer, token: TOKEN, port: 0 });
});

afterAll(async () => {
  await server.close();
  await service.close();
  tmp.cleanup();
});

describe('the same deployment through every front end', () => {
  it('CLI run, HTTP API and the stored run read back by retile show give one result', async () => {
    // The CLI on the spec.
    const cli = retile(['run', writeSpec(tmp.dir, SPEC), '--json']);
    expect(cli.status, cli.stderr).toBe(0);
    const fromCli = JSON.parse(cli.stdout) as Record<string, unknown> & { makespan_s: number; energy_j: number };

    // The HTTP API on a project holding the same chip and tenants.
    const project = 'figures.retile';
    await http('createProject', { name: 'figures', preset: 'isaac' });
    await http('setChip', { project, preset: 'isaac', spec: chipPreset('isaac', [8, 8]) });
    for (const t of TENANTS) await http('addZooTenant', { project, ...t });
    const finished = new Promise<ApiEvent>((resolve) => {
      const off = service.onEvent((e) => {
        if (e.type === 'finished' || e.type === 'failed') {
          off();
          resolve(e);
        }
      });
    });
    const { runId } = await http<{ runId: number }>('startRun', { project, strategy: SPEC.strategy, objective: SPEC.objective, seed: SPEC.seed });
    expect((await finished).type).toBe('finished');
    const fromHttp = (await http<{ result: Record<string, unknown> }>('getRun', { project, runId })).result;

    // The stored run, read back from the project file by the CLI.
    const show = retile(['show', join(tmp.dir, 'ws', project), '--run', String(runId), '--json']);
    expect(show.status, show.stderr).toBe(0);
    const fromShow = (JSON.parse(show.stdout) as { result: Record<string, unknown> }).result;

    // Not vacuous: a simulated deployment with figures.
    expect(fromCli.makespan_s).toBeGreaterThan(0);
    expect(fromCli.energy_j).toBeGreaterThan(0);
    for (const r of [fromHttp, fromShow]) {
      expect([r.makespan_s, r.energy_j]).toEqual([fromCli.makespan_s, fromCli.energy_j]);
      expect(withoutSeconds(r)).toEqual(withoutSeconds(fromCli));
    }
  }, 120_000);
});
