/**
 * Changing a component parameter of a chip moves its power, area, energy and latency the way the
 * cited scaling laws say. Expected values are hand calculations from the published figures:
 * ISAAC Table I per-unit costs (Shafiee et al., ISCA 2016), the SAR ADC table of Accelergy's
 * hwcomponents-library (energy 0.79 / 1.20 / 1.67 / 2.379 pJ and area 361.04 / 626.91 / 1200 /
 * 3002.0 um2 at 4 / 6 / 8 / 10 bits), MNSIM 2.0's ADC latency (bits + 2 steps) and DAC presets
 * (power and area x2 per bit).
 */
import { describe, expect, test } from 'vitest';
import { chipPreset, chipSummary, checkChipSpec, mvmTimeS, parseChipSpec, resolvedComponents, type ChipSpec } from '../../../src-main/engine/hardware';
import { mapLayer } from '../../../src-main/engine/mapping';
import { reopCosts } from '../../../src-main/engine/mapping/reop';
import { fcLayer } from './fixtures';

const rel = (got: number, want: number, tol = 1e-9) => expect(Math.abs(got - want) / Math.abs(want)).toBeLessThanOrEqual(tol);

/** ISAAC with one field changed, re-derived from the component models. */
function isaacWith(edit: (j: ChipSpec) => void): ChipSpec {
  const json = structuredClone(chipPreset('isaac'));
  edit(json);
  return parseChipSpec(json, 'test');
}

const isaac = chipPreset('isaac');
const base = chipSummary(isaac);
// ISAAC tile, hand roll-up of Table I: 12 IMAs x 24.01 mW... summed as published: 330 mW (329.81 from the per-unit figures).
const ISAAC_TILE_MW = 12 * (2.4 + 16 + 4 + 0.01 + 0.2 + 1.24 + 0.23) + 20.7 + 7 + 42 / 4 + 0.52 + 0.05 + 0.4 + 1.68;

describe('ADC resolution', () => {
  test('ISAAC as published is the ADC model at its reference point', () => {
    rel(base.tile_power_mw, ISAAC_TILE_MW);
  });
  test('4-bit ADCs: energy per conversion x 0.79/1.67, rate x 10/6, area x 361.04/1200; the S+A narrows to 20 bits', () => {
    const chip = isaacWith((j) => (j.pe.adc.bits = 4));
    const eConv8 = 1.8e-3 / 1.28e9; // (2 - 0.2 mW leakage) / 1.28 GS/s
    const eConv4 = (eConv8 * 0.79) / 1.67;
    const rate4 = (1.28e9 * (8 + 2)) / (4 + 2);
    const leak4 = (0.2 * 361.04) / 1200; // mW, leakage follows area
    const adcMw = eConv4 * rate4 * 1e3 + leak4;
    const saMw = (0.05 * (4 + 16)) / 24;
    const r = resolvedComponents(chip).pe;
    rel(r.adc.power_mw, adcMw);
    rel(r.adc.area_mm2, (0.0012 * 361.04) / 1200);
    rel(r.shift_add.power_mw, saMw);
    const s = chipSummary(chip);
    rel(s.tile_power_mw, ISAAC_TILE_MW - 96 * (2 - adcMw) - 48 * (0.05 - saMw));
    rel(s.tile_area_mm2, base.tile_area_mm2 - 96 * (0.0012 - (0.0012 * 361.04) / 1200) - 48 * (0.00006 - (0.00006 * 20) / 24));
    // One MVM of a full 128 x 128 crossbar: 16 cycles x 128 conversions, each cheaper.
    const layer = fcLayer(0, 128, 16);
    const e = reopCosts(chip, layer, mapLayer(layer, chip)).energyPerMvmJ;
    rel(e.adc, 16 * 128 * eConv4);
    // Conversions (128 / 2.13 GS/s = 60 ns) still hide under the 100 ns read: latency unchanged.
    rel(mvmTimeS(chip), 16 * 100e-9 + 1e-9 / 1.2);
  });
  test('10-bit ADCs: conversions take 120 ns, longer than the read, so the cycle and MVM lengthen', () => {
    const chip = isaacWith((j) => (j.pe.adc.bits = 10));
    const rate10 = (1.28e9 * 10) / 12;
    const cycle = 128 / rate10; // 120 ns
    rel(mvmTimeS(chip), 16 * cycle + 1e-9 / 1.2);
    const eConv10 = (1.8e-3 / 1.28e9) * (2.379 / 1.67);
    const layer = fcLayer(0, 128, 16);
    rel(reopCosts(chip, layer, mapLayer(layer, chip)).energyPerMvmJ.adc, 16 * 128 * eConv10);
    expect(chipSummary(chip).tile_area_mm2).toBeGreaterThan(base.tile_area_mm2);
  });
  test('a pinned rate is kept and named', () => {
    const chip = isaacWith((j) => {
      j.pe.adc.bits = 4;
      j.pe.adc.sample_rate_gsps = 1.28;
    });
    expect(resolvedComponents(chip).pe.adc.sample_rate_gsps).toBe(1.28);
    expect(resolvedComponents(chip).pinned).toContain('pe.adc.sample_rate_gsps');
  });
  test('a pinned rate above one channel interleaves channels; a slower one saves dynamic power only', () => {
    // ISAAC: 12 IMAs x 8 ADCs per tile, each 2 mW (0.2 mW of it leakage) and 0.0012 mm2 at 1.28 GS/s.
    const fast = chipSummary(isaacWith((j) => (j.pe.adc.sample_rate_gsps = 2.56)));
    // Two interleaved channels: twice the area and leakage; 1.8 pJ-rate dynamic power doubles with the rate.
    rel(fast.tile_area_mm2, base.tile_area_mm2 + 96 * 0.0012);
    rel(fast.tile_power_mw, ISAAC_TILE_MW + 96 * (1.8 + 0.2));
    // Half the rate: one channel, the same area and leakage, half the dynamic power (the slower
    // conversions then lengthen the cycle: 128 columns / 0.64 GS/s = 200 ns against the 100 ns read).
    const slowChip = isaacWith((j) => (j.pe.adc.sample_rate_gsps = 0.64));
    rel(chipSummary(slowChip).tile_area_mm2, base.tile_area_mm2);
    const slowAdc = resolvedComponents(slowChip).pe.adc;
    rel(slowAdc.power_mw, 0.9 + 0.2);
    rel(slowAdc.area_mm2, 0.0012);
    rel(mvmTimeS(slowChip), 16 * 200e-9 + 1e-9 / 1.2);
  });
});

describe('DAC resolution', () => {
  test('2-bit DACs: half the input cycles, DAC power and area x2', () => {
    const chip = isaacWith((j) => (j.pe.dac.bits = 2));
    const s = chipSummary(chip);
    rel(s.tile_power_mw, ISAAC_TILE_MW + 12 * 4); // 1024 DACs per IMA, 4 mW -> 8 mW
    rel(s.tile_area_mm2, base.tile_area_mm2 + 12 * 0.00017);
    rel(mvmTimeS(chip), 8 * 100e-9 + 1e-9 / 1.2);
    const layer = fcLayer(0, 128, 16);
    const e = reopCosts(chip, layer, mapLayer(layer, chip)).energyPerMvmJ;
    rel(e.dac, 8 * 128 * ((2 * 4e-3) / 1024) * 100e-9); // 8 cycles x 128 rows x 7.8 uW x 100 ns
    rel(e.adc, 8 * 128 * (1.8e-3 / 1.28e9)); // half the conversions
  });
});

describe('crossbar size', () => {
  test('256 x 256 arrays: 4x read energy, conversions of 256 columns set a 200 ns cycle, per-row DACs and per-column S+H double', () => {
    const chip = isaacWith((j) => {
      j.pe.crossbar.rows = 256;
      j.pe.crossbar.cols = 256;
    });
    const cycle = 256 / 1.28e9; // 8 ADCs for 8 x 256 columns: 256 conversions each
    const readJ = 4 * 0.3e-3 * 100e-9; // 4x the cells at the same voltage, conductance and read time
    const arrayMw = (readJ / cycle) * 1e3;
    const imaMw =
      8 * arrayMw + 16 + 2 * 4 + 2 * 0.01 + 0.2 + 2 * 1.24 /* 4 KB input register */ + 2 * 0.23; /* 512 B output register */
    const s = chipSummary(chip);
    rel(s.cycle_time_ns, 200);
    rel(s.pe_power_mw, imaMw);
    rel(s.pe_area_mm2, 4 * 0.0002 + 0.0096 + 2 * 0.00017 + 2 * 0.00004 + 0.00024 + 2 * 0.0021 + 2 * 0.00077);
    rel(mvmTimeS(chip), 16 * cycle + 1e-9 / 1.2);
    // A full 256 x 256 MVM reads 4x the cells and converts 2x the columns of a 128 x 128 one.
    const layer = fcLayer(0, 256, 32);
    const e = reopCosts(chip, layer, mapLayer(layer, chip)).energyPerMvmJ;
    rel(e.crossbar, 16 * readJ);
    rel(e.adc, 16 * 256 * (1.8e-3 / 1.28e9));
  });
  test('device conductances: a 5 kohm on-state nearly doubles the read energy', () => {
    const chip = isaacWith((j) => (j.device.r_on_ohm = 5e3));
    const gRef = (1 / 1e4 + 1 / 1e6) / 2;
    const g = (1 / 5e3 + 1 / 1e6) / 2;
    rel(resolvedComponents(chip).pe.crossbar.power_mw, (0.3 * g) / gRef);
  });
  test('per-column periphery adds area per column', () => {
    const chip = isaacWith((j) => (j.pe.crossbar.column_periphery_um2 = 0.1));
    // The reference area is then cells plus 128 columns of periphery; the cells keep the rest.
    rel(resolvedComponents(chip).pe.crossbar.area_mm2, 0.0002 / 8);
    const wide = isaacWith((j) => {
      j.pe.crossbar.column_periphery_um2 = 0.1;
      j.pe.crossbar.cols = 256;
    });
    const cellMm2 = (0.0002 / 8 - 128 * 0.1e-6) / (128 * 128);
    rel(resolvedComponents(wide).pe.crossbar.area_mm2, 128 * 256 * cellMm2 + 256 * 0.1e-6);
  });
});

describe('cell bits', () => {
  test('4-bit cells: 4 slices per 16-bit weight, half the columns and conversions of a layer', () => {
    const chip = isaacWith((j) => (j.pe.crossbar.cell_bits = 4));
    const layer = fcLayer(0, 128, 32); // 32 x 4 cells = 128 columns: one crossbar (two with 2-bit cells)
    const m = mapLayer(layer, chip);
    expect(m.crossbars).toBe(1);
    expect(mapLayer(layer, isaac).crossbars).toBe(2);
    const e = reopCosts(chip, layer, m).energyPerMvmJ;
    const e2 = reopCosts(isaac, layer, mapLayer(layer, isaac)).energyPerMvmJ;
    rel(e.adc, 16 * 128 * (1.8e-3 / 1.28e9));
    rel(e2.adc, 2 * 16 * 128 * (1.8e-3 / 1.28e9));
    // The output register holds 8 x 32 outputs of 2 B = 512 B: 0.46 mW.
    rel(resolvedComponents(chip).pe.output_register.power_mw, (0.23 * 512) / 256);
  });
});

describe('pins and problems', () => {
  test('a pinned power is kept whatever the parameters, and named', () => {
    const chip = isaacWith((j) => {
      j.pe.adc.bits = 4;
      j.pe.adc.power_mw = 2;
    });
    expect(resolvedComponents(chip).pe.adc.power_mw).toBe(2);
    expect(resolvedComponents(chip).pinned).toEqual(['pe.adc.power_mw']);
  });
  test('checkChipSpec lists every problem at once', () => {
    const json = structuredClone(chipPreset('isaac'));
    json.pe.adc.bits = 0;
    json.pe.crossbar.rows = -1;
    (json as unknown as { clock_ghz: unknown }).clock_ghz = 'fast';
    const fields = checkChipSpec(json).map((p) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['pe.adc.bits', 'pe.crossbar.rows', 'clock_ghz']));
  });
});
