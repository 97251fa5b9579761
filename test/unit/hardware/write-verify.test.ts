/**
 * Write-verify: `device.write_verify_iterations` n adds, per cell write, n verify reads and n more
 * pulses; left out, a b-bit cell takes 2^b - 1 pulses, one level each, so n = 2^b - 2 (NeuroSim's
 * one level per pulse; docs/cost-model.md, "Reprogramming"). Hand calculation on ISAAC (Table I:
 * a 128 x 128 array draws 0.3 mW, read once per 100 ns cycle, so one cell's read is
 * 0.3 mW x 100 ns / 16384 cells; MNSIM's write figures: 10 ns and 3^2 / 1e4 x 10 ns = 9 pJ per
 * pulse; HyperTransport 10.4 W over 25.6 GB/s; tile 330 mW).
 */
import { describe, expect, test } from 'vitest';
import { chipPreset, reprogramCosts, reprogramTimeEnergy, writeVerifyIterations } from '../../../src-main/engine/hardware';
import { applySettings } from '../../../src-main/engine/hardware/settings';

const isaac = chipPreset('isaac');
const verified = applySettings(isaac, [{ path: 'device.write_verify_iterations', value: 3 }], 'preset isaac');
const cellReadJ = (0.3e-3 * 100e-9) / (128 * 128);

describe('write-verify', () => {
  test('left out, the iterations follow the cell bits: 2^b - 2', () => {
    // ISAAC and PUMA: 2-bit cells, 3 pulses; MNSIM 2.0: 1-bit cells, one open-loop pulse.
    expect([isaac, chipPreset('puma'), chipPreset('mnsim')].map(writeVerifyIterations)).toEqual([2, 2, 0]);
    // The mnsim preset keeps MNSIM's one pulse also with multi-level cells (an MNSIM Device_Level of 4).
    expect(writeVerifyIterations(applySettings(chipPreset('mnsim'), [{ path: 'pe.crossbar.cell_bits', value: 2 }], 'preset mnsim'))).toBe(0);
    const fourBit = applySettings(isaac, [{ path: 'pe.crossbar.cell_bits', value: 4 }], 'preset isaac');
    expect(writeVerifyIterations(fourBit)).toBe(14);
    // 15 pulses of 10 ns and 14 verify reads of 100 ns.
    expect(reprogramCosts(fourBit).cellWriteS).toBeCloseTo(15 * 10e-9 + 14 * 100e-9, 15);
  });

  test('ISAAC (2-bit cells): a cell takes 10 + 2 x (100 + 10) = 230 ns and 9 pJ + 2 x (read + 9 pJ)', () => {
    const c = reprogramCosts(isaac);
    expect(c.cellWriteS).toBeCloseTo(230e-9, 15);
    expect(c.cellWriteJ / (9e-12 + 2 * (cellReadJ + 9e-12))).toBeCloseTo(1, 9);
  });

  test('ISAAC: reprogramming one full tile takes 988.54 us and 202.2 uJ', () => {
    // 96 crossbars x 16 384 cells = 1 572 864 cells holding 96 x 128 rows x 16 weights x 2 B =
    // 393 216 B. The tile's 330 mW cap over 0.9 mW per pulse allows 366 cells at once (fewer than
    // 96 x 8 drivers): ceil(1 572 864 / 366) = 4298 batches of 230 ns = 988.54 us; the link brings
    // the bytes in 393 216 / 25.6 GB/s = 15.36 us meanwhile. Energy: 1 572 864 x 27.0037 pJ =
    // 42.47 uJ of cells + 393 216 B x 0.40625 nJ = 159.74 uJ over the link.
    const e = reprogramTimeEnergy(isaac, 96 * 128 * 128, 96 * 128 * 16 * 2);
    expect(e.timeS).toBeCloseTo(988.54e-6, 12);
    expect(e.energyJ / (42.473088e-6 + 159.744e-6)).toBeCloseTo(1, 6);
  });

  test('a value the chip file gives is kept: 0 iterations on 2-bit cells is one 10 ns, 9 pJ pulse', () => {
    const open = applySettings(isaac, [{ path: 'device.write_verify_iterations', value: 0 }], 'preset isaac');
    expect(writeVerifyIterations(open)).toBe(0);
    expect(reprogramCosts(open).cellWriteS).toBeCloseTo(10e-9, 18);
    expect(reprogramCosts(open).cellWriteJ).toBeCloseTo(9e-12, 20);
    // It survives a change of cell bits (only a derived count follows them).
    const moved = applySettings(open, [{ path: 'pe.crossbar.cell_bits', value: 4 }], 'test');
    expect(writeVerifyIterations(moved)).toBe(0);
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
