/**
 * The chip-field contract of the CLI: --set on chip and map (costs re-derived, pins named),
 * --spec (an editable spec that loads back to the same chip), --check (every problem at once),
 * and map --json's tiles, crossbars, latency_s, energy_j, area_mm2, energy_breakdown_j and
 * energy_split_j. Expected values are hand calculations from ISAAC Table I.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cliHarness } from '../../cli-harness';
import chipCommand from '../../../src-main/cli/commands/chip';
import mapCommand from '../../../src-main/cli/commands/map';

const run = cliHarness(chipCommand, mapCommand);
const dir = mkdtempSync(join(tmpdir(), 'retile-set-'));

describe('--set', () => {
  test('2-bit DACs on ISAAC: tile power + 12 IMAs x 4 mW (DAC power doubles per bit)', async () => {
    const base = JSON.parse((await run(['chip', 'isaac', '--json'])).out);
    const j = JSON.parse((await run(['chip', 'isaac', '--set', 'pe.dac.bits=2', '--json'])).out);
    expect(j.tile_power_mw - base.tile_power_mw).toBeCloseTo(12 * 4, 9);
    expect(j.pinned).toEqual([]);
  });
  test('repeatable, and a pinned cost is named in the output', async () => {
    const j = JSON.parse((await run(['chip', 'isaac', '--set', 'pe.adc.bits=4', '--set', 'pe.adc.power_mw=2', '--json'])).out);
    expect(j.pinned).toEqual(['pe.adc.power_mw']);
  });
  test('power_policy can be set', async () => {
    const j = JSON.parse((await run(['chip', 'isaac', '--set', 'power_policy=none', '--json'])).out);
    expect(j.power_policy).toBe('none');
  });
  test('an unknown field, a field no model reads and a bad value are refused in one line', async () => {
    for (const set of ['pe.adc.bitz=4', 'technology_nm=22', 'pe.adc.bits=0', 'power_policy=sometimes', 'pe.adc.bits']) {
      const r = await run(['chip', 'isaac', '--set', set]);
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
    expect((await run(['chip', 'isaac', '--set', 'technology_nm=22'])).err).toContain('technology_nm');
  });
  test('map --set: 256 x 256 crossbars need fewer crossbars for vgg16', async () => {
    const a = JSON.parse((await run(['map', 'vgg16', '--chip', 'isaac', '--json'])).out);
    const b = JSON.parse((await run(['map', 'vgg16', '--chip', 'isaac', '--set', 'pe.crossbar.rows=256', '--set', 'pe.crossbar.cols=256', '--json'])).out);
    expect(b.crossbars).toBeLessThan(a.crossbars);
  });
});

describe('--spec and --check', () => {
  test('--spec prints an editable spec that loads back to the same chip, with units and sources', async () => {
    const text = (await run(['chip', 'isaac', '--spec'])).out;
    const spec = JSON.parse(text);
    expect(spec.about.fields['pe.adc.bits'].unit).toBe('bit');
    expect(spec.about.fields['pe.adc.reference.power_mw'].unit).toBe('mW');
    expect(spec.about.fields['pe.adc.reference.power_mw'].source).toContain('ISAAC');
    const file = join(dir, 'isaac.json');
    writeFileSync(file, text);
    const again = JSON.parse((await run(['chip', file, '--json'])).out);
    const base = JSON.parse((await run(['chip', 'isaac', '--json'])).out);
    expect(again.tile_power_mw).toBeCloseTo(base.tile_power_mw, 9);
    expect(again.tile_area_mm2).toBeCloseTo(base.tile_area_mm2, 12);
    expect((await run(['chip', file, '--check'])).code ?? 0).toBe(0);
  });
  test('--check lists every problem at once', async () => {
    const spec = JSON.parse((await run(['chip', 'isaac', '--spec'])).out);
    spec.pe.adc.bits = 0;
    spec.clock_ghz = -1;
    spec.pe.adc.bitz = 3;
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(spec));
    const r = await run(['chip', file, '--check']);
    expect(r.code).toBe(2);
    for (const f of ["'pe.adc.bits'", "'clock_ghz'", "'pe.adc.bitz'"]) expect(r.err).toContain(f);
  });
});

describe('map --json', () => {
  test('tiles, crossbars, latency_s, energy_j, area_mm2 (the tiles used), energy_breakdown_j and energy_split_j', async () => {
    const j = JSON.parse((await run(['map', 'lenet5', '--chip', 'isaac', '--json'])).out);
    const chip = JSON.parse((await run(['chip', 'isaac', '--json'])).out);
    for (const k of ['tiles', 'crossbars', 'latency_s', 'energy_j', 'area_mm2', 'energy_breakdown_j', 'energy_split_j']) expect(j).toHaveProperty(k);
    expect(j.area_mm2).toBeCloseTo(j.tiles * chip.tile_area_mm2, 12);
    const s = j.energy_split_j;
    expect(s.dynamic + s.static_allocated + s.static_idle + s.reprogram).toBeCloseTo(j.energy_j, 15);
  });
});
