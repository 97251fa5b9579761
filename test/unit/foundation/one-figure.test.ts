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
import { chipPreset } from '../../../src-main/engine/hardware';
import type { ApiEvent } from '../../../src-main/api/contract';
import { browserHost, type BrowserHost } from '../../browser-host';
import { retile, withoutSeconds, writeSpec } from '../cli/cli-helpers';

const TENANTS = [
  { model: 'lenet5', batch: 2 },
  { model: 'mnsim-lenet', batch: 1 },
];
const SPEC = { chip: { preset: 'isaac', mesh: '8x8' }, tenants: TENANTS, strategy: 'tenant', objective: 'makespan', seed: 1 };

let host: BrowserHost;
const http = <T>(method: string, args?: unknown): Promise<T> => host.call<T>(method, args);

beforeAll(async () => {
  host = await browserHost({ prefix: 'retile-one-figure-', configDir: true });
});

afterAll(() => host.close());

describe('the same deployment through every front end', () => {
  it('CLI run, HTTP API and the stored run read back by retile show give one result', async () => {
    // The CLI on the spec.
    const cli = retile(['run', writeSpec(host.dir, SPEC), '--json']);
    expect(cli.status, cli.stderr).toBe(0);
    const fromCli = JSON.parse(cli.stdout) as Record<string, unknown> & { makespan_s: number; energy_j: number };

    // The HTTP API on a project holding the same chip and tenants.
    const project = 'figures.retile';
    await http('createProject', { name: 'figures', preset: 'isaac' });
    await http('setChip', { project, preset: 'isaac', spec: chipPreset('isaac', [8, 8]) });
    for (const t of TENANTS) await http('addZooTenant', { project, ...t });
    const finished = new Promise<ApiEvent>((resolve) => {
      const off = host.service.onEvent((e) => {
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
    const show = retile(['show', join(host.workspace, project), '--run', String(runId), '--json']);
    expect(show.status, show.stderr).toBe(0);
    const fromShow = (JSON.parse(show.stdout) as { result: Record<string, unknown> }).result;

    // Not vacuous: a simulated deployment with figures.
    expect(fromCli.makespan_s).toBeGreaterThan(0);
    expect(fromCli.energy_j).toBeGreaterThan(0);
    // The event rate of the run's simulations (a clock reading, so only its presence is checked).
    expect(fromCli.events_per_s).toBeGreaterThan(0);
    for (const r of [fromHttp, fromShow]) {
      expect([r.makespan_s, r.energy_j]).toEqual([fromCli.makespan_s, fromCli.energy_j]);
      expect(withoutSeconds(r)).toEqual(withoutSeconds(fromCli));
    }
  }, 120_000);
});
