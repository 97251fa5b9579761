/**
 * One deployment, one figure, through every front end that can express it: two copies of MNSIM's
 * LeNet at batch 2 placed directly on the mnsim chip (4x4 tiles, 9-bit activations; each LeNet
 * takes 12 tiles, so they run in two rounds with the crossbars reprogrammed in between) by
 * `retile simulate`, `retile run --strategy direct`, `retile sweep --strategy direct` and the
 * service the app calls (startRun, getRun), and one LeNet by `retile map`. The CLI commands run
 * in-process through commander.
 *
 * The chip's 9-bit activations are the point: the workload graph holds element counts and every
 * front end turns them into bytes with the chip's precision (9 / 8 bytes per element here). When
 * the graph fixed 2 bytes per element at build time, `simulate` (which passed the chip's width)
 * and `run` (which did not) disagreed on this kind of deployment.
 *
 * `retile study` runs its own fixed mixes on ISAAC chips, so it cannot express this deployment;
 * its graphs come from the same chip-free toLayerGraph.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { cliHarness } from '../../cli-harness';
import mapCmd from '../../../src-main/cli/commands/map';
import simulateCmd from '../../../src-main/cli/commands/simulate';
import runCmd from '../../../src-main/cli/commands/run';
import sweepCmd from '../../../src-main/cli/commands/sweep';
import { createService, type Service } from '../../../src-main/service/service';
import { paths } from '../../../src-main/service/paths';
import { chipPreset } from '../../../src-main/engine/hardware';
import type { ApiEvent } from '../../../src-main/api/contract';
import { tempDir } from '../../helpers';
import { writeSpec } from '../cli/cli-helpers';
import { ensureWasmBuilt } from '../sim/load-wasm';

const MODEL = 'mnsim-lenet';
const BATCH = 2;
const MESH = '4x4';
const TENANTS = [
  { model: MODEL, batch: BATCH },
  { model: MODEL, batch: BATCH },
];
const SPEC = { chip: { preset: 'mnsim', mesh: MESH }, tenants: TENANTS, strategy: 'direct', objective: 'makespan', seed: 1 };

const cli = cliHarness(mapCmd, simulateCmd, runCmd, sweepCmd);
let tmp: ReturnType<typeof tempDir>;
let service: Service;

beforeAll(() => {
  ensureWasmBuilt();
  tmp = tempDir('retile-front-ends-');
  service = createService({ host: 'browser', workspaceDir: join(tmp.dir, 'ws'), workerUrl: paths.worker, wasmPath: paths.wasm, configDir: join(tmp.dir, '.config') });
});

afterAll(async () => {
  await service.close();
  tmp.cleanup();
});

async function json<T>(args: string[]): Promise<T> {
  const r = await cli(args);
  expect(r.code ?? 0, r.err).toBe(0);
  return JSON.parse(r.out) as T;
}

interface Figures {
  makespan_s: number;
  energy_j: number;
}
interface Wear {
  writes?: { max_writes_per_cell_per_cycle: number; writes_per_cell_per_hour: number; lifetime_h: number; endurance_writes: number };
}

describe('one deployment through every front end', () => {
  it('map, simulate, run, sweep and the service give the same figures for two mnsim-lenet on the 4x4 mnsim chip', async () => {
    const chip = chipPreset('mnsim', [4, 4]);
    // Not vacuous: the chip's activations are not 16-bit, so a fixed 2 bytes per element would show.
    expect(chip.precision.activation_bits).toBe(9);

    const map = await json<{ latency_s: number; energy_j: number; tiles: number }>(['map', MODEL, '--chip', 'mnsim', '--mesh', MESH, '--json']);
    const sim = await json<Figures & Wear & { analytic: { tenants: { latency_s: number }[] } }>(['simulate', MODEL, MODEL, '--chip', 'mnsim', '--mesh', MESH, '--batch', String(BATCH), '--json']);
    const spec = writeSpec(tmp.dir, SPEC);
    const run = await json<Figures & Wear & { analytic: { tenants: { latency_s: number }[] }; rounds: number[][]; baselines: Record<string, Figures & Wear> }>(['run', spec, '--json']);
    const sweep = await json<Figures[]>(['sweep', spec, '--workers', '1', '--out', join(tmp.dir, 'sweep.retile'), '--json']);

    const project = 'figures.retile';
    await service.createProject({ name: 'figures', preset: 'mnsim' });
    await service.setChip({ project, preset: 'mnsim', spec: chip });
    for (const t of TENANTS) await service.addZooTenant({ project, ...t });
    const finished = new Promise<ApiEvent>((resolve) => {
      const off = service.onEvent((e) => {
        if (e.type === 'finished' || e.type === 'failed') {
          off();
          resolve(e);
        }
      });
    });
    const { runId } = await service.startRun({ project, strategy: 'direct', objective: 'makespan', seed: 1 });
    expect((await finished).type).toBe('finished');
    const app = (await service.getRun({ project, runId })).result as unknown as Figures & Wear;

    expect(map.tiles).toBe(12);
    expect(run.rounds).toEqual([[0], [1]]);
    expect(sim.makespan_s).toBeGreaterThan(0);
    expect(sim.energy_j).toBeGreaterThan(0);
    expect(sweep).toHaveLength(1);
    for (const r of [run, sweep[0]!, app]) expect([r.makespan_s, r.energy_j]).toEqual([sim.makespan_s, sim.energy_j]);
    // Wear: both rounds rewrite the same first 12 tiles every repetition, so the most-written cell
    // takes 2 writes per makespan: lifetime = 10^6 x makespan / (2 x 3600 s).
    for (const r of [sim, run, app]) {
      expect(r.writes!.max_writes_per_cell_per_cycle).toBe(2);
      expect(r.writes!.endurance_writes).toBe(1e6);
      expect(r.writes!.lifetime_h / ((1e6 * sim.makespan_s) / (2 * 3600))).toBeCloseTo(1, 12);
    }
    // The sequential baseline reloads each tenant every turn: its wear is reported beside it.
    const seq = run.baselines.sequential!;
    expect(seq.writes!.max_writes_per_cell_per_cycle).toBe(2);
    expect(seq.writes!.lifetime_h / ((1e6 * seq.makespan_s) / (2 * 3600))).toBeCloseTo(1, 12);
    // The analytic latency of one inference: map's profile, simulate's and run's analytic sections.
    expect(sim.analytic.tenants[0]!.latency_s).toBe(map.latency_s);
    expect(run.analytic.tenants[0]!.latency_s).toBe(map.latency_s);
  }, 120_000);
});
