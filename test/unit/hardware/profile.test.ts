import { describe, expect, test } from 'vitest';
import { chipPreset, mvmTimeS, nocCosts, parseChipSpec, tileLeakageW } from '../../../src-main/engine/hardware';
import { mapLayer } from '../../../src-main/engine/mapping';
import { profileTenant } from '../../../src-main/engine/evaluate';
import { reopCosts } from '../../../src-main/engine/mapping/reop';
import { ZOO_NAMES, toLayerGraph, zooGraph } from '../../../src-main/engine/workload';
import { chain, convLayer, fcLayer } from './fixtures';

const isaac = chipPreset('isaac');
const T_MVM = 16 * 100e-9 + 1e-9 / 1.2; // 16 input cycles x 100 ns + one 1.2 GHz shift-and-add

describe('one MVM on ISAAC, hand-computed', () => {
  // fc 128 -> 16: 128 rows x (16 x 8 cells) = exactly one 128 x 128 crossbar.
  const layer = fcLayer(0, 128, 16);
  const c = reopCosts(isaac, layer, mapLayer(layer, isaac));
  test('time', () => {
    expect(mvmTimeS(isaac)).toBeCloseTo(T_MVM, 15);
    expect(c.mvmTimeS).toBeCloseTo(T_MVM, 15);
    expect(c.mergeTimeS).toBe(0);
  });
  test('energy by component', () => {
    const e = c.energyPerMvmJ;
    expect(e.crossbar).toBeCloseTo(16 * 0.3e-3 * 100e-9, 15); // 16 reads of the whole array at 30 pJ
    expect(e.dac).toBeCloseTo(16 * 128 * (4e-3 / 1024) * 100e-9, 15); // 800 pJ
    expect(e.sh).toBeCloseTo(16 * 128 * (0.01e-3 / 1024) * 100e-9, 16); // 2 pJ
    expect(e.adc).toBeCloseTo(16 * 128 * (1.8e-3 / 1.28e9), 15); // 2880 pJ
    expect(e.sa).toBeCloseTo(16 * 128 * (0.2e-3 / (8 * 1.28e9)), 15); // 40 pJ
    expect(e.registers).toBeCloseTo((16 * (1.24e-3 + 0.23e-3) * 100e-9) / 8, 15); // 294 pJ
    expect(e.noc + e.leakage + e.reprogram).toBe(0);
  });
  test('row blocks merge in an adder tree', () => {
    const big = fcLayer(0, 1000, 16); // 8 row blocks -> 3 adder levels
    const m = mapLayer(big, isaac);
    const r = reopCosts(isaac, big, m);
    expect(r.mergeTimeS).toBeCloseTo(3 * (1e-9 / 1.2), 15);
    // (8 - 1) additions for each of 16 outputs on top of the conversions' shift-adds
    const perOp = 0.2e-3 / (8 * 1.28e9);
    expect(r.energyPerMvmJ.sa).toBeCloseTo((16 * 8 * 128 + 7 * 16) * perOp, 15);
  });
});

describe('inter-layer pipeline (docs/cost-model.md#analytic-profile)', () => {
  // Two convs on 8 x 8 maps with the row map of a 3x3 kernel, pad 1, stride 1: consumer row r
  // needs producer rows 0..r+1. Each is 128 rows x 16 outputs: one ISAAC crossbar.
  const a = convLayer(0, { k: 1, cin: 128, cout: 16, h: 8, w: 8 });
  const b = convLayer(1, { k: 1, cin: 128, cout: 16, h: 8, w: 8 });
  const g = chain('two', [a, b], [{ scale: 1, offset: 1 }]);
  const t = T_MVM;
  test('one copy each, same tile: start delay 2 rows, latency 80 t, interval 64 t', () => {
    const p = profileTenant(g, isaac, { layerTiles: [[0], [0]] });
    expect(p.layers[0]!.timeS).toBeCloseTo(64 * t, 15);
    expect(p.layers[1]!.startS).toBeCloseTo(16 * t, 15); // 2 producer rows of 8 MVMs
    // Consumer rows 6 and 7 need the producer's last row: finish = 64 t + 2 x 8 t.
    expect(p.latencyS).toBeCloseTo(80 * t, 15);
    expect(p.intervalS).toBeCloseTo(64 * t, 15);
    expect(p.throughputIps).toBeCloseTo(1 / (64 * t), 3);
    expect(p.nocBytes).toBe(0);
  });
  test('d = 2 copies of the producer: T(2) = ceil(64/2) t', () => {
    const p = profileTenant(g, isaac, { layerTiles: [[0], [0]], copies: [2, 1] });
    expect(p.layers[0]!.timeS).toBeCloseTo(32 * t, 15);
    expect(p.layers[1]!.startS).toBeCloseTo(8 * t, 15);
    expect(p.latencyS).toBeCloseTo(72 * t, 15); // 8 t + 64 t
    expect(p.crossbars).toBe(3);
  });
  test('NoC: one router hop between tiles 0 and 2 of ISAAC', () => {
    const p = profileTenant(g, isaac, { layerTiles: [[0], [2]] });
    const noc = nocCosts(isaac);
    const rowBytes = 16 * 8 * 2; // 16 channels x 8 columns x 2 bytes
    // (1 hop + 1) router traversals x (2 clocks at 1.2 GHz) + 256 B / 4 GB/s
    const xfer = 2 * (2 / 1.2e9) + rowBytes / 4e9;
    expect(p.layers[1]!.startS).toBeCloseTo(16 * t + xfer, 15);
    // 8 rows x 256 B = 2048 B = 512 flits of 32 bits, 2 traversals, (42 - 1.04) mW / (8 ports x 1 G flits/s) each
    expect(noc.flitHopJ).toBeCloseTo(40.96e-3 / 8e9, 18);
    expect(p.layers[0]!.energy.noc).toBeCloseTo(512 * 2 * (40.96e-3 / 8e9), 15);
  });
  test('NoC bytes come from the chip\'s activation precision, not from the graph', () => {
    // The graph carries 16 x 8 = 128 elements per producer row; the chip says how wide one is.
    expect(g.edges[0]!.elemsPerRow).toBe(128);
    const at = (bits: number) => profileTenant(g, parseChipSpec({ ...structuredClone(isaac), precision: { weight_bits: 16, activation_bits: bits } }, 'test'), { layerTiles: [[0], [2]] }).nocBytes;
    expect(at(16)).toBe(8 * 128 * 2); // 8 rows x 128 elements x 2 B
    expect(at(8)).toBe(8 * 128 * 1);
    expect(at(9)).toBe(8 * 128 * (9 / 8));
  });
  test('leakage is charged over the interval for the tiles held', () => {
    const p = profileTenant(g, isaac, { layerTiles: [[0], [2]] });
    // ISAAC tile leakage: 96 ADCs x 0.2 mW + eDRAM 0.46 mW + router 1.04 / 4 mW = 19.92 mW
    expect(tileLeakageW(isaac)).toBeCloseTo(19.92e-3, 12);
    expect(p.energy.leakage).toBeCloseTo(2 * 19.92e-3 * 64 * t, 15);
  });
});

describe('the whole zoo', () => {
  test('every model profiles on every preset with positive latency and energy (speed: bench/responsiveness.ts)', () => {
    const graphs = ZOO_NAMES.map((n) => toLayerGraph(zooGraph(n)));
    for (const preset of ['isaac', 'puma', 'mnsim']) {
      const chip = chipPreset(preset);
      for (const g of graphs) {
        const p = profileTenant(g, chip);
        expect(p.latencyS).toBeGreaterThan(0);
        expect(p.energyJ).toBeGreaterThan(0);
      }
    }
  });
});
