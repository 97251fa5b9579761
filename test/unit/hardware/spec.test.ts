import { describe, expect, test } from 'vitest';
import { chipPreset, chipSummary, parseChipSpec, parseMesh, PRESET_NAMES, tileDistance, snakeOrder, spiralOrder } from '../../../src-main/engine/hardware';
import type { RetileError } from '../../../src-main/engine/errors';
import { retileError } from '../../helpers';

const errorOf = (fn: () => unknown): RetileError => retileError(fn);

describe('chip spec validation', () => {
  test('every preset validates', () => {
    for (const name of PRESET_NAMES) expect(chipPreset(name).name).toBe(name);
  });
  test('a wrong value names the field path, the value and what was expected', () => {
    const json = structuredClone(chipPreset('isaac')) as unknown as { pe: { adc: { bits: unknown } } };
    json.pe.adc.bits = -3;
    const e = errorOf(() => parseChipSpec(json, 'my-chip.json'));
    expect(e.code).toBe('bad-input');
    expect(e.where).toEqual({ file: 'my-chip.json', field: 'pe.adc.bits' });
    expect(e.message).toContain('-3');
    expect(e.message).toMatch(/>0|positive|greater/i);
  });
  test('a missing field is reported as missing', () => {
    const json = structuredClone(chipPreset('isaac')) as unknown as { device: Record<string, unknown> };
    delete json.device.write_latency_ns;
    const e = errorOf(() => parseChipSpec(json, 'c.json'));
    expect(e.where.field).toBe('device.write_latency_ns');
    expect(e.message).toContain('missing');
  });
  test('an unknown topology kind lists the allowed ones', () => {
    const json = structuredClone(chipPreset('isaac')) as unknown as { topology: { kind: string } };
    json.topology.kind = 'ring';
    const e = errorOf(() => parseChipSpec(json, 'c.json'));
    expect(e.where.field).toBe('topology.kind');
    expect(e.message).toContain('"ring"');
    expect(e.message).toContain('cmesh');
  });
  test('leakage above power is rejected', () => {
    const json = structuredClone(chipPreset('isaac'));
    json.pe.adc.power_mw = 2;
    json.pe.adc.leakage_mw = 5;
    expect(errorOf(() => parseChipSpec(json, 'c.json')).where.field).toBe('pe.adc.leakage_mw');
  });
  test('unknown preset', () => {
    expect(errorOf(() => chipPreset('nope')).message).toContain('isaac');
  });
});

describe('mesh rescale', () => {
  test('parseMesh', () => {
    expect(parseMesh('32x32')).toEqual([32, 32]);
    expect(parseMesh('8X16')).toEqual([8, 16]);
    expect(errorOf(() => parseMesh('32')).where.field).toBe('mesh');
    expect(errorOf(() => parseMesh('0x4')).where.field).toBe('mesh');
  });
  test('--mesh keeps the tile: tile power and area unchanged, tiles = R x C', () => {
    const a = chipSummary(chipPreset('isaac'));
    const b = chipSummary(chipPreset('isaac', [32, 32]));
    expect(b.tiles).toBe(1024);
    expect(b.tile_power_mw).toBeCloseTo(a.tile_power_mw, 9);
    expect(b.crossbars).toBe(1024 * 12 * 8);
  });
  test('a concentrated mesh needs dimensions divisible by its 2x2 router block', () => {
    expect(errorOf(() => chipPreset('isaac', [3, 4])).where.field).toBe('topology');
  });
});

describe('topology distances', () => {
  test('ISAAC cmesh: 4 tiles (2x2) share a router', () => {
    const chip = chipPreset('isaac'); // 14 x 12 tiles, routers 7 x 6
    expect(tileDistance(chip, 0, 1)).toBe(0); // (0,0) and (0,1): same router
    expect(tileDistance(chip, 0, 12)).toBe(0); // (1,0)
    expect(tileDistance(chip, 0, 2)).toBe(1); // (0,2): next router
    expect(tileDistance(chip, 0, 13 * 12 + 11)).toBe(6 + 5); // opposite corner: router (6,5)
  });
  test('torus wraps around', () => {
    const mesh = chipPreset('mnsim', [8, 8]);
    expect(tileDistance(mesh, 0, 7)).toBe(7);
    const torus = { ...mesh, topology: { ...mesh.topology, kind: 'torus' as const } };
    expect(tileDistance(torus, 0, 7)).toBe(1);
    expect(tileDistance(torus, 0, 7 * 8 + 7)).toBe(2);
  });
  test('snake order visits neighbours', () => {
    const chip = chipPreset('mnsim', [2, 3]);
    expect(snakeOrder(chip)).toEqual([0, 1, 2, 5, 4, 3]);
  });
  test("spiral order is MNSIM's Tile_Connection 2 (generate_hui_matrix traced by hand)", () => {
    // (0,0) (0,1) (1,1) (1,0) (2,0) (2,1) (2,2) (1,2) (0,2) (0,3) (1,3) (2,3) (3,3) (3,2) (3,1) (3,0) on 4 x 4.
    expect(spiralOrder(chipPreset('mnsim', [4, 4]))).toEqual([0, 1, 5, 4, 8, 9, 10, 6, 2, 3, 7, 11, 15, 14, 13, 12]);
    // A non-square mesh keeps the order of the tiles it has (3 x 2: no column 2).
    expect(spiralOrder(chipPreset('mnsim', [3, 2]))).toEqual([0, 1, 3, 2, 4, 5]);
    expect(chipPreset('mnsim').topology.order).toBe('spiral');
  });
});
