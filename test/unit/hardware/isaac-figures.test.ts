/**
 * The cost library configured as ISAAC must reproduce ISAAC's published figures (Shafiee et al.,
 * ISCA 2016, Table I and Table IV, corrected Oct-2016 version)
 * within 5%, from the roll-up of the component table.
 */
import { describe, expect, test } from 'vitest';
import { actionCosts, chipPreset, chipSummary, cycleTimeS, inputCycles, tileCost } from '../../../src-main/engine/hardware';

const within = (got: number, want: number, tol = 0.05) => expect(Math.abs(got - want) / want).toBeLessThanOrEqual(tol);

describe('ISAAC roll-up', () => {
  const chip = chipPreset('isaac');
  const s = chipSummary(chip);

  test('tile: 330 mW and 0.372 mm2', () => {
    within(s.tile_power_mw, 330);
    within(s.tile_area_mm2, 0.372);
  });
  test('12 IMAs: 289 mW and 0.157 mm2; tile non-IMA part 40.9 mW and 0.215 mm2', () => {
    within(s.pe_power_mw * 12, 289);
    within(s.pe_area_mm2 * 12, 0.157);
    within(tileCost(chip).powerMw - s.pe_power_mw * 12, 40.9);
    within(tileCost(chip).areaMm2 - s.pe_area_mm2 * 12, 0.215);
  });
  test('chip: 65.8 W and 85.4 mm2 with HyperTransport', () => {
    expect(s.tiles).toBe(168);
    within(s.chip_power_w, 65.8);
    within(s.chip_area_mm2, 85.4);
  });
  test('ISAAC-CE: 478.95 GOPS/s/mm2 and 627.5 GOPS/W (16-bit ops, 1 MAC = 2 ops)', () => {
    within(s.gops_per_mm2, 478.95);
    within(s.gops_per_w, 627.5);
  });
  test('storage density near ISAAC-CE 0.74 MB/mm2', () => {
    // 16128 crossbars x 16384 cells x 2 bits / 8 = 66.06 MB; / 85.4 mm2 = 0.773 MB/mm2 (MB = 1e6 B here).
    within(s.weight_capacity_bytes / 1e6 / s.chip_area_mm2, 0.74, 0.06);
  });
});

describe('ISAAC timing and per-action energies', () => {
  const chip = chipPreset('isaac');
  test('100 ns per input cycle, 16 cycles for 16-bit inputs with 1-bit DACs', () => {
    expect(cycleTimeS(chip)).toBeCloseTo(100e-9, 15);
    expect(inputCycles(chip)).toBe(16);
  });
  test('per-action energies derived from Table I by hand', () => {
    const e = actionCosts(chip).actions;
    // Array: 2.4 mW x 100 ns / 131072 cells = 1.83 fJ per cell read.
    expect(e.cellRead.energyJ).toBeCloseTo(1.831e-15, 17);
    // ADC: (2 mW - 0.2 mW leakage) / 1.28 GS/s = 1.406 pJ (1.5625 pJ with leakage included).
    expect(e.adcConversion.energyJ).toBeCloseTo(1.40625e-12, 16);
    // DAC: 4 mW / 1024 x 100 ns = 0.39 pJ per drive.
    expect(e.dacDrive.energyJ).toBeCloseTo(0.390625e-12, 16);
    // S+A: 0.2 mW / (8 x 1.28 GS/s) = 0.0195 pJ (Accelergy's isaac.py quotes 0.021 pJ).
    expect(e.shiftAdd.energyJ).toBeCloseTo(0.01953e-12, 16);
  });
  test('one 8-bit ADC conversion per 16-bit MAC at full use: (16/2) x (16/1) / 128 = 1', () => {
    const conversionsPerMvm = inputCycles(chip) * chip.pe.crossbar.cols;
    const macsPerMvm = chip.pe.crossbar.rows * (chip.pe.crossbar.cols / 8);
    expect(conversionsPerMvm / macsPerMvm).toBe(1);
  });
});
