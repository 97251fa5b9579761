/** The chip and map commands' JSON contracts, run in-process through commander. */
import { describe, expect, test } from 'vitest';
import { cliHarness } from '../../cli-harness';
import chipCommand from '../../../src-main/cli/commands/chip';
import mapCommand from '../../../src-main/cli/commands/map';

const run = cliHarness(chipCommand, mapCommand);

describe('retile chip', () => {
  test('--json has the documented fields', async () => {
    const r = await run(['chip', 'isaac', '--json']);
    const j = JSON.parse(r.out);
    for (const k of ['name', 'mesh', 'tiles', 'crossbars', 'crossbar', 'cell_bits', 'weight_bits', 'weight_capacity_bytes', 'peak_gops', 'tile_power_mw', 'tile_area_mm2', 'chip_power_w', 'chip_area_mm2', 'gops_per_w', 'gops_per_mm2'])
      expect(j).toHaveProperty(k);
    expect(j.mesh).toEqual([14, 12]);
    expect(j.crossbar).toEqual([128, 128]);
  });
  test('--mesh rescales', async () => {
    const j = JSON.parse((await run(['chip', 'puma', '--mesh', '32x32', '--json'])).out);
    expect(j.tiles).toBe(1024);
  });
  test('bad input: one line on stderr, exit 2', async () => {
    const r = await run(['chip', 'nochip', '--json']);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.code).toBe(2);
    expect((await run(['chip', 'isaac', '--mesh', 'big'])).code).toBe(2);
    expect((await run(['chip', '/nonexistent/chip.json'])).code).toBe(2);
  });
});

describe('retile map', () => {
  test('--json has the documented fields', async () => {
    const r = await run(['map', 'resnet18', '--chip', 'isaac', '--json']);
    const j = JSON.parse(r.out);
    for (const k of ['model', 'chip', 'crossbars', 'tiles_direct', 'utilization', 'latency_s', 'throughput_ips', 'energy_j', 'energy_breakdown_j', 'layers', 'definition'])
      expect(j).toHaveProperty(k);
    expect(Object.keys(j.energy_breakdown_j)).toEqual(
      expect.arrayContaining(['crossbar', 'adc', 'dac', 'sh', 'sa', 'registers', 'edram', 'noc', 'leakage', 'reprogram']),
    );
    expect(j.layers).toHaveLength(21); // ResNet-18: 17 convs + 3 downsample convs + 1 fc
    for (const k of ['name', 'rows', 'cols', 'crossbars', 'mvms', 'latency_s', 'energy_j']) expect(j.layers[0]).toHaveProperty(k);
    // conv1: 7 x 7 x 3 = 147 rows, 64 outputs, 112 x 112 MVMs (ResNet-18 definition).
    expect(j.layers[0]).toMatchObject({ rows: 147, cols: 64, mvms: 112 * 112 });
  });
  test('a missing --chip or an unknown model exits 2', async () => {
    expect((await run(['map', 'resnet18'])).code).toBe(2);
    const r = await run(['map', 'nomodel', '--chip', 'isaac', '--json']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
  });
});
