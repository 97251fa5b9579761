/**
 * Writes as they are (docs/cost-model.md, "Reprogramming"): write drivers per crossbar, the
 * tile's write power cap, the first load paid at steady state when a schedule rewrites crossbars,
 * and writes per cell and lifetime against the device's endurance. Hand calculations on ISAAC
 * with MNSIM 2.0's write figures (10 ns, 3^2 / 1e4 x 10 ns = 9 pJ per pulse, so 0.9 mW per cell
 * under a pulse) and HyperTransport (10.4 W over 25.6 GB/s).
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { chipPreset, tileProgramS } from '../../../src-main/engine/hardware';
import { applySettings, describeSpec } from '../../../src-main/engine/hardware/settings';
import { directDeployment } from '../../../src-main/engine/placement/direct';
import { reprogramOf, writeWear } from '../../../src-main/engine/placement/reprogram';
import { evaluateDeployment } from '../../../src-main/engine/evaluate/deployment';
import { simulateDeployment } from '../../../src-main/engine/pipeline/simulate-report';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { chain, fcLayer } from './fixtures';
import { loadTestWasm } from '../sim/load-wasm';

let wasm: RetileWasmExports;
beforeAll(async () => {
  wasm = await loadTestWasm();
});

const isaac = chipPreset('isaac', [2, 2]);
const set = (path: string, value: unknown) => applySettings(isaac, [{ path, value }], 'preset isaac');
// ISAAC's 2-bit cells: 3 pulses, the last two after a verify read of 100 ns (2^2 - 2 = 2 iterations,
// docs/cost-model.md), a read being one cell's share of a 0.3 mW array over 100 ns (ISAAC Table I).
const CELL_S = 10e-9 + 2 * (100e-9 + 10e-9);
const CELL_J = 9e-12 + 2 * ((0.3e-3 * 100e-9) / (128 * 128) + 9e-12);
const IO_BYTE_J = 10.4 / 25.6e9;

describe('write drivers and the tile power cap', () => {
  test('a 128 x 128 crossbar: 16 columns per driver write 8 cells at once: 2048 cell writes', () => {
    const uncapped = set('tile.write_power_mw', 1e6);
    expect(tileProgramS(uncapped, 128 * 128, 1)).toBeCloseTo(2048 * CELL_S, 15);
    // One driver per column: a whole row at once, 128 cell writes (the row-parallel write).
    const perColumn = applySettings(uncapped, [{ path: 'pe.crossbar.write_column_mux', value: 1 }], 'test');
    expect(tileProgramS(perColumn, 128 * 128, 1)).toBeCloseTo(128 * CELL_S, 15);
  });

  test('the cap binds: 9 mW over 0.9 mW per pulse allows 10 cells at once', () => {
    const capped = set('tile.write_power_mw', 9);
    // One crossbar's 8 drivers are fewer than 10: still 2048 cell writes.
    expect(tileProgramS(capped, 128 * 128, 1)).toBeCloseTo(2048 * CELL_S, 15);
    // Two crossbars have 16 drivers; the cap allows 10: ceil(32 768 / 10) = 3277 cell writes.
    expect(tileProgramS(capped, 2 * 128 * 128, 2)).toBeCloseTo(3277 * CELL_S, 15);
    expect(tileProgramS(capped, 96 * 128 * 128, 96)).toBeCloseTo(Math.ceil((96 * 16384) / 10) * CELL_S, 12);
  });

  test('left out, the cap is the tile\'s peak power: ISAAC\'s 329.81 mW allows 366 cells at once', () => {
    // 96 crossbars x 8 drivers = 768 > 366: the cap binds on a full tile.
    expect(tileProgramS(isaac, 96 * 16384, 96)).toBeCloseTo(Math.ceil((96 * 16384) / 366) * CELL_S, 12);
  });
});

describe('a schedule in two rounds (steady state) and its wear', () => {
  // Three fc layers 128 -> 16 per tenant, each one ISAAC crossbar (16-bit weights in 8 two-bit
  // slices: 128 columns x 128 rows = 16 384 cells, 128 x 16 x 2 B = 4096 B), one layer per tile;
  // two such tenants do not fit 4 tiles together, so they run in two rounds on tiles 0-2.
  const tenant = (name: string) => ({ name, model: name, graph: chain(name, [0, 1, 2].map((i) => fcLayer(i, 128, 16))), batch: 1 });
  const dep = directDeployment(isaac, [tenant('a'), tenant('b')]);
  const oneLoadJ = 3 * (16384 * CELL_J + 4096 * IO_BYTE_J);

  test('the deployment is what the hand calculation assumes', () => {
    expect(dep.rounds).toEqual([[0], [1]]);
    const rp = reprogramOf(isaac, dep.tenants[0]!.mapped.mappings, dep.reops.filter((r) => r.tenant === 0));
    expect([rp.cells, rp.bytes, rp.tiles.length]).toEqual([3 * 16384, 3 * 4096, 3]);
    // Each tile: 16 384 cells, 8 at once (8 drivers < 366): 2048 cell writes; the link: 12 KB / 25.6 GB/s.
    expect(rp.programS).toBeCloseTo(2048 * CELL_S, 15);
    expect(rp.transferS).toBeCloseTo((3 * 4096) / 25.6e9, 18);
  });

  test('both rounds\' loads are paid every repetition, in the analytic model and the simulator', () => {
    const ev = evaluateDeployment(dep);
    expect(ev.energy.reprogram / (2 * oneLoadJ)).toBeCloseTo(1, 9);
    const sim = simulateDeployment(dep, wasm).report;
    expect(sim.energy_split_j.reprogram / (2 * oneLoadJ)).toBeCloseTo(1, 9);
  });

  test('every cell of tiles 0-2 is written twice a repetition; lifetime = 10^6 x cycle / (2 x 3600 s)', () => {
    const cycleS = 1e-3;
    const w = writeWear(dep, cycleS)!;
    expect(w.loads_per_cycle).toBe(2);
    expect(w.cells_per_cycle).toBe(2 * 3 * 16384);
    expect(w.max_writes_per_cell_per_cycle).toBe(2);
    expect(w.writes_per_cell_per_hour).toBeCloseTo(2 * 3600 / 1e-3, 6);
    expect(w.endurance_writes).toBe(1e6);
    expect(w.lifetime_h).toBeCloseTo(1e6 / 7.2e6, 12);
  });

  test('one tenant alone keeps its weights resident: no load at steady state, no wear', () => {
    const alone = directDeployment(isaac, [tenant('a')]);
    expect(evaluateDeployment(alone).energy.reprogram).toBe(0);
    expect(writeWear(alone, 1e-3)).toBeNull();
  });
});

describe('the write fields in the editable spec', () => {
  test('retile chip --spec names each with its unit and source; --set reaches them', () => {
    const capped = set('tile.write_power_mw', 50);
    const about = describeSpec(capped).fields;
    expect(about['device.endurance_writes']).toMatchObject({ unit: 'writes per cell', source: expect.stringMatching(/Huang et al\., IEDM 2013/) });
    expect(about['pe.crossbar.write_column_mux']).toMatchObject({ unit: 'columns per write driver', source: expect.stringMatching(/NeuroSim/) });
    expect(about['tile.write_power_mw']).toMatchObject({ unit: 'mW' });
    // Left out of the spec, the verify iterations are shown derived from the cell bits.
    expect(about['device.write_verify_iterations']!.source).toMatch(/cell_bits/);
    expect(describeSpec(capped).derived['device.write_verify_iterations']).toBe(2);
    // A value the user set is not credited to the default's source.
    expect(describeSpec(set('device.endurance_writes', 1e9)).fields['device.endurance_writes']!.source).not.toMatch(/Huang/);
    expect(() => set('pe.crossbar.write_column_mux', 0)).toThrow(/pe\.crossbar\.write_column_mux/);
    expect(() => set('device.endurance_writes', -1)).toThrow(/device\.endurance_writes/);
  });
});
