/**
 * Write-verify: `device.write_verify_iterations` n adds, per cell write, n verify reads and n more
 * pulses. Hand calculation on ISAAC (Table I: a 128 x 128 array draws 0.3 mW, read once per 100 ns
 * cycle, so one cell's read is 0.3 mW x 100 ns / 16384 cells; MNSIM's write figures: 10 ns and
 * 3^2 / 1e4 x 10 ns = 9 pJ per pulse).
 */
import { describe, expect, test } from 'vitest';
import { chipPreset, reprogramCosts, reprogramTimeEnergy } from '../../../src-main/engine/hardware';
import { applySettings } from '../../../src-main/engine/hardware/settings';

const isaac = chipPreset('isaac');
const verified = applySettings(isaac, [{ path: 'device.write_verify_iterations', value: 3 }], 'preset isaac');
const cellReadJ = (0.3e-3 * 100e-9) / (128 * 128);

describe('write-verify', () => {
  test('0 iterations (the presets): one 10 ns, 9 pJ pulse per cell', () => {
    const c = reprogramCosts(isaac);
    expect(c.cellWriteS).toBeCloseTo(10e-9, 18);
    expect(c.cellWriteJ).toBeCloseTo(9e-12, 20);
  });

  test('3 iterations: a cell takes 10 + 3 x (100 + 10) = 340 ns and 9 pJ + 3 x (read + 9 pJ)', () => {
    const c = reprogramCosts(verified);
    expect(c.cellWriteS).toBeCloseTo(340e-9, 15);
    expect(c.cellWriteJ / (9e-12 + 3 * (cellReadJ + 9e-12))).toBeCloseTo(1, 9);
  });

  test('a reprogramming of 1e6 cells with no weights to bring in costs cells x cell write', () => {
    const e = reprogramTimeEnergy(verified, 1e6, 0);
    expect(e.energyJ / (1e6 * (9e-12 + 3 * (cellReadJ + 9e-12)))).toBeCloseTo(1, 9);
    // 1e6 cells fill ceil(1e6 / 16384) = 62 crossbars of one ISAAC tile (96 hold 1 572 864 cells); the
    // tile's 330 mW cap over 9 pJ / 10 ns = 0.9 mW per pulse allows 366 cells at once (62 x 8 drivers
    // = 496 would be more): ceil(1e6 / 366) = 2733 batches of 340 ns.
    expect(e.timeS).toBeCloseTo(2733 * 340e-9, 12);
  });

  test('a negative or fractional count is refused', () => {
    for (const value of [-1, 1.5]) expect(() => applySettings(isaac, [{ path: 'device.write_verify_iterations', value }], 'preset isaac')).toThrow(/device\.write_verify_iterations/);
  });
});
