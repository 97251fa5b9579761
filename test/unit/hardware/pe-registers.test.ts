/**
 * Per-PE buffers (docs/cost-model.md, "Buffers", per-PE registers): a PE's input register holds
 * the input vectors its arrays read for one MVM, its output register their outputs. Hand counts
 * on ISAAC (8 arrays of 128 x 128 per PE, 16-bit weights in 8 two-bit slices side by side, 16-bit
 * activations; Table I: 2 KB input register = 8 x 128 x 2 B, 256 B output = 8 x 16 x 2 B) and
 * PUMA (16 arrays per core, each 16-bit weight in 8 separate single-slice arrays that read one
 * input vector; 2 KB data memory as the input register, two 256 B output registers).
 */
import { describe, expect, test } from 'vitest';
import { chipPreset } from '../../../src-main/engine/hardware';
import { applySettings } from '../../../src-main/engine/hardware/settings';
import { mapLayer } from '../../../src-main/engine/mapping/map-layer';
import { reopCosts } from '../../../src-main/engine/mapping/reop';
import { peRegisterNeeds, peRegisterTurns } from '../../../src-main/engine/mapping/pe-registers';
import { cliHarness } from '../../cli-harness';
import mapCommand from '../../../src-main/cli/commands/map';
import { fcLayer } from './fixtures';

const isaac = chipPreset('isaac', [2, 2]);
const halfInput = applySettings(isaac, [{ path: 'pe.input_register.size_bytes', value: 1024 }], 'test');
const need = (chip: typeof isaac, layer: ReturnType<typeof fcLayer>) =>
  Object.fromEntries(peRegisterNeeds(chip, layer, mapLayer(layer, chip)).map((n) => [n.register, [n.needBytes, n.capacityBytes]]));

describe('what one PE of a layer holds', () => {
  test('ISAAC, fc 1024 -> 16: 8 row blocks of one column block fill a PE: 8 vectors of 128 x 2 B, 8 x 16 outputs of 2 B', () => {
    expect(need(isaac, fcLayer(0, 1024, 16))).toEqual({ input_register: [2048, 2048], output_register: [256, 256] });
  });

  test('PUMA, fc 128 -> 256: 16 single-slice arrays in two column units read 2 vectors; 256 outputs', () => {
    // 256 columns x 8 slices, 128 per array: 2 x 8 arrays; the 8 of a unit share one 128-input vector.
    expect(need(chipPreset('puma'), fcLayer(0, 128, 256))).toEqual({ input_register: [2 * 128 * 2, 2048], output_register: [256 * 2, 2 * 256] });
  });
});

describe('a register too small: the arrays compute in turns', () => {
  test('ISAAC with a 1 KB input register: fc 1024 -> 16 needs 2 KB, so 2 turns and twice the crossbar time', () => {
    const layer = fcLayer(0, 1024, 16);
    expect(need(halfInput, layer).input_register).toEqual([2048, 1024]);
    expect(peRegisterTurns(halfInput, layer, mapLayer(layer, halfInput))).toBe(2);
    // 16 input cycles x 100 ns + one shift-and-add clock (1 / 1.2 GHz), twice.
    const busy = reopCosts(halfInput, layer, mapLayer(layer, halfInput)).busyTimeS;
    expect(busy).toBeCloseTo(2 * (16 * 100e-9 + 1 / 1.2e9), 15);
    expect(reopCosts(isaac, layer, mapLayer(layer, isaac)).busyTimeS).toBeCloseTo(16 * 100e-9 + 1 / 1.2e9, 15);
  });

  test('retile map names each such layer, the register, the bytes needed and held, and the size that fits', async () => {
    // LeNet-5 on ISAAC: fc1 400 -> 120 is 4 row blocks x 8 column blocks, a PE of 8 full blocks:
    // 8 x 128 x 2 B = 2048 B; fc2 120 -> 84 is 6 column blocks of 120 rows: 6 x 120 x 2 B = 1440 B.
    // The convs (25 and 2 x 75 rows) and fc3 fit 1024 B.
    const run = cliHarness(mapCommand);
    const args = ['map', 'lenet5', '--chip', 'isaac', '--mesh', '4x4', '--set', 'pe.input_register.size_bytes=1024'];
    const text = (await run(args)).out;
    expect(text).toMatch(/pe register: layer 'fc1' needs 2048 B of input register per PE \(8 arrays\); pe\.input_register holds 1024 B, so the arrays compute in 2 turns/);
    const j = JSON.parse((await run([...args, '--json'])).out);
    expect(j.pe_registers.input_capacity_bytes).toBe(1024);
    expect(j.pe_registers.overflows.map((o: { layer: string; need_bytes: number; turns: number; fits_at_size_bytes: number }) => [o.layer, o.need_bytes, o.turns, o.fits_at_size_bytes])).toEqual([
      ['fc1', 2048, 2, 2048],
      ['fc2', 1440, 2, 1440],
    ]);
    // The presets' own registers hold every layer.
    expect(JSON.parse((await run(['map', 'lenet5', '--chip', 'isaac', '--mesh', '4x4', '--json'])).out).pe_registers.overflows).toEqual([]);
  });
});
