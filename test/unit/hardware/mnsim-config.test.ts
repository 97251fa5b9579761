/**
 * MNSIM's default SimConfig.ini read into a chip spec. Expected values are MNSIM's own defaults
 * and formulas, independent of this code: 256 x 256 arrays of 1.44 um2 cells with 1150 um2 of
 * periphery per column = 388,771.84 um2 per array (tileinfo.py); 2 arrays per PE (Xbar_Polarity 2,
 * Group_Num 1); 2 x 2 PEs per tile; 64 x 64 tiles; ADC choice 6 (6-bit, 1.26 mW, 1650 um2,
 * latency (6 + 2) / 1 GS/s = 8 ns); DAC choice 1 (1-bit, 3.9 uW, 0.166 um2); 500 MHz; 20 Gbps links.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chipPreset, chipSummary, importMnsimConfig } from '../../../src-main/engine/hardware';
import { REPO_ROOT } from '../../helpers';

const ini = readFileSync(join(REPO_ROOT, 'test/fixtures/mnsim/SimConfig.ini'), 'utf8');

describe('MNSIM SimConfig.ini', () => {
  const { chip, mapped, ignored } = importMnsimConfig(ini, 'SimConfig.ini');

  it('maps the default configuration to MNSIM figures', () => {
    expect([chip.pe.crossbar.rows, chip.pe.crossbar.cols, chip.pe.crossbar.cell_bits, chip.pe.crossbar.count]).toEqual([256, 256, 1, 2]);
    expect(chip.pe.crossbar.reference!.area_mm2 * 1e6).toBeCloseTo(388_771.84, 6);
    expect([chip.tile.pes, chip.topology.rows, chip.topology.cols, chip.clock_ghz, chip.tile.link_bandwidth_gbps]).toEqual([4, 64, 64, 0.5, 20]);
    expect([chip.pe.adc.count, chip.pe.adc.bits, chip.pe.adc.reference!.power_mw, chip.pe.adc.reference!.area_mm2 * 1e6]).toEqual([128, 6, 1.26, 1650]);
    expect(1 / chip.pe.adc.reference!.sample_rate_gsps).toBe(8); // ns per conversion
    expect([chip.pe.dac.count, chip.pe.dac.bits, chip.pe.dac.reference!.power_mw]).toEqual([128, 1, 0.0039]);
    expect([chip.polarity, chip.technology_nm, chip.device.read_latency_ns, chip.device.r_on_ohm, chip.device.r_off_ohm]).toEqual(['differential', 130, 3.16, 1e4, 1e6]);
    expect(chip.topology.order).toBe('spiral'); // Tile_Connection 2
  });

  it('lists every key of the file exactly once, mapped or ignored with a reason', () => {
    const keys = [...ini.matchAll(/^([A-Za-z_]\w*)\s*=/gm)].map((m) => m[1]);
    const listed = [...mapped, ...ignored].map((f) => f.key.split('/')[1]);
    expect(listed.sort()).toEqual(keys.sort());
    for (const f of ignored) expect(f.why).toMatch(/\w/);
    expect(mapped.find((m) => m.key === 'Crossbar level/Xbar_Size')!.field).toBe('pe.crossbar.rows, pe.crossbar.cols');
  });

  it('round-trips: the default file gives the mnsim preset chip (same tiles, crossbars, power and area)', () => {
    const a = chipSummary(chip);
    const b = chipSummary(chipPreset('mnsim'));
    expect([a.tiles, a.crossbars, a.cell_bits, a.weight_bits]).toEqual([b.tiles, b.crossbars, b.cell_bits, b.weight_bits]);
    expect(a.tile_area_mm2).toBeCloseTo(b.tile_area_mm2, 9);
    expect(a.tile_power_mw).toBeCloseTo(b.tile_power_mw, 9);
  });

  it('changes follow the file, and a bad value is one line naming the key', () => {
    const edited = importMnsimConfig(ini.replace('Xbar_Size = 256,256', 'Xbar_Size = 128,128').replace('ADC_Choice = 6', 'ADC_Choice = 2').replace('Group_Num = 1', 'Group_Num = 2'), 'small.ini');
    expect([edited.chip.pe.crossbar.rows, edited.chip.pe.crossbar.count, edited.chip.pe.adc.bits, edited.chip.pe.adc.count]).toEqual([128, 4, 8, 256]);
    expect(() => importMnsimConfig(ini.replace('Xbar_Size = 256,256', 'Xbar_Size = 256'), 'bad.ini')).toThrow(/^bad\.ini, field 'Crossbar level\/Xbar_Size': '256' is not 2 comma-separated numbers$/);
    expect(() => importMnsimConfig(ini.replace('ADC_Choice = 6', 'ADC_Choice = 9'), 'bad.ini')).toThrow(/field 'Interface level\/ADC_Choice': '9' must be -1 or one of MNSIM's choices/);
    expect(importMnsimConfig(ini.replace('Tile_Connection = 2', 'Tile_Connection = 1'), 'snake.ini').chip.topology.order).toBe('snake');
    expect(() => importMnsimConfig(ini.replace('Tile_Connection = 2', 'Tile_Connection = 3'), 'bad.ini')).toThrow(/field 'Architecture level\/Tile_Connection': '3' must be 1 \(snake\) or 2 \(spiral\)/);
    expect(() => importMnsimConfig('hello', 'x.ini')).toThrow(/^x\.ini: line 1 'hello' is neither \[Section\] nor Key = value$/);
  });
});
