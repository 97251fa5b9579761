import { beforeAll, describe, expect, test } from 'vitest';
import { cliHarness } from '../../cli-harness';
import macCmd from '../../../src-main/cli/commands/mac';
import simulateCmd from '../../../src-main/cli/commands/simulate';
import { ensureWasmBuilt } from './load-wasm';
import { toLayerGraph, zooGraph } from '../../../src-main/engine/workload';
import { chipPreset } from '../../../src-main/engine/hardware';
import { chipSummary } from '../../../src-main/engine/hardware/costs';

beforeAll(() => {
  ensureWasmBuilt();
});

const runCli = cliHarness(macCmd, simulateCmd);

describe('retile mac / simulate', () => {
  test('mac --json: exact with a 9-bit ADC on 128 rows of 2-bit cells (128*1*3 = 384 < 512)', async () => {
    const r = await runCli(['mac', '--rows', '128', '--cols', '16', '--weight-bits', '8', '--cell-bits', '2', '--adc-bits', '9', '--json']);
    const j = JSON.parse(r.out);
    expect(j.exact).toBe(true);
    expect(j.rmse).toBe(0);
    expect(j.max_abs_error).toBe(0);
    expect(j.macs).toBe(16 * 128 * 16); // 16 vectors by default
    expect(typeof j.seconds).toBe('number');
  });

  test('mac: bad input is one stderr line and exit 2', async () => {
    const r = await runCli(['mac', '--rows', '128', '--cols', '16', '--weight-bits', '40', '--cell-bits', '2', '--adc-bits', '9', '--json']);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.code).toBe(2);
  });

  test('simulate --json reports the simulated and the analytic figures', async () => {
    const r = await runCli(['simulate', 'lenet5', 'resnet20-cifar', '--chip', 'isaac', '--mesh', '8x8', '--batch', '2', '--json']);
    const j = JSON.parse(r.out);
    expect(j.tenants.map((t: { name: string }) => t.name)).toEqual(['lenet5', 'resnet20-cifar']);
    expect(j.makespan_s).toBeGreaterThan(0);
    expect(j.events).toBeGreaterThan(0);
    for (const t of j.tenants) {
      expect(t.latency_s).toBeGreaterThan(0);
      expect(t.throughput_ips).toBeGreaterThan(0);
      expect(t.energy_j).toBeGreaterThan(0);
    }
    expect(j.analytic.tenants).toHaveLength(2);
    expect(j.energy_j).toBeGreaterThan(0);
    // The contract's energy split sums to the energy, whole and per tenant.
    const split = (s: { dynamic: number; static_allocated: number; static_idle: number; reprogram: number }) => s.dynamic + s.static_allocated + s.static_idle + s.reprogram;
    expect(split(j.energy_split_j) / j.energy_j).toBeCloseTo(1, 12);
    for (const t of j.tenants) expect(split(t.energy_split_j) / t.energy_j).toBeCloseTo(1, 12);
    // % of peak: 2 operations per MAC of both batches over the makespan, over `retile chip`'s peak
    const macs = ['lenet5', 'resnet20-cifar'].reduce((s, m) => s + toLayerGraph(zooGraph(m)).layers.reduce((a, l) => a + l.macs, 0), 0);
    const peak = chipSummary(chipPreset('isaac', [8, 8])).peak_gops * 1e9;
    expect(j.peak_fraction).toBeCloseTo((2 * 2 * macs) / j.makespan_s / peak, 12);
    expect(j.peak_fraction).toBeLessThan(1);
  });
});
