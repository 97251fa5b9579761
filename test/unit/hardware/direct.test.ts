import { describe, expect, test } from 'vitest';
import { chipPreset } from '../../../src-main/engine/hardware';
import { profileTenant } from '../../../src-main/engine/evaluate';
import { DIRECT_DEFINITION, directDeployment, tilePieces } from '../../../src-main/engine/placement/direct';
import { evaluateDeployment } from '../../../src-main/engine/evaluate/deployment';
import { mapLayer } from '../../../src-main/engine/mapping';
import { chain, convLayer, fcLayer } from './fixtures';

// ISAAC tiles on a 2 x 2 mesh: 4 tiles of 12 x 8 = 96 crossbars.
const chip = chipPreset('isaac', [2, 2]);
// One ISAAC crossbar: 128 rows x 16 outputs (x 8 cells = 128 columns); 64 MVMs.
// Writing a cell: ISAAC's 2-bit cells take 2^2 - 1 = 3 pulses, the last two each after a verify
// read (docs/cost-model.md, "Reprogramming"): 10 + 2 x (100 + 10) = 230 ns and 9 pJ + 2 x (read +
// 9 pJ), a read being one cell's share of a 0.3 mW array over its 100 ns cycle (ISAAC Table I).
const CELL_S = 10e-9 + 2 * (100e-9 + 10e-9);
const CELL_J = 9e-12 + 2 * ((0.3e-3 * 100e-9) / (128 * 128) + 9e-12);
// One whole crossbar, 8 cells at a time (128 columns, one write driver per 16; the tile's 329.81 mW
// over 0.9 mW per pulse would allow 366): 2048 batches.
const XBAR_S = 2048 * CELL_S;
const oneXbar = (i: number) => convLayer(i, { k: 1, cin: 128, cout: 16, h: 8, w: 8 });
const tenant = (name: string, layers: number) => ({
  name,
  model: name,
  graph: chain(name, Array.from({ length: layers }, (_, i) => oneXbar(i)), Array(layers).fill({ scale: 1, offset: 0 })),
});
const alone = (t: ReturnType<typeof tenant>) => profileTenant(t.graph, chip, { leakage: 'none' });

describe('direct deployment (docs/method.md#baselines)', () => {
  test('one layer per tile; a layer needing more than a tile spans whole tiles', () => {
    const big = fcLayer(0, 128, 16 * 97); // 97 column blocks of one crossbar
    const pieces = tilePieces(mapLayer(big, chip), 96);
    expect(pieces.map((p) => p.crossbars)).toEqual([96, 1]);
    const dep = directDeployment(chip, [{ name: 'a', model: 'a', graph: chain('a', [big, oneXbar(1)]) }]);
    expect(dep.tenants[0]!.tiles.length).toBe(3);
    expect(dep.reops.map((r) => r.tile)).toEqual([0, 1, 3]); // snake order on 2 x 2: 0, 1, 3, 2
  });

  test('tenants that fit together run concurrently: makespan = the slowest', () => {
    const a = tenant('a', 1);
    const b = tenant('b', 3);
    const dep = directDeployment(chip, [a, b]);
    expect(dep.rounds).toEqual([[0, 1]]);
    expect(dep.definition).toBe(DIRECT_DEFINITION);
    const ev = evaluateDeployment(dep);
    expect(ev.definition).toContain('one layer per tile');
    expect(ev.makespanS).toBeCloseTo(Math.max(alone(a).latencyS, ev.tenants[1]!.latencyS), 15);
    expect(ev.energy.reprogram).toBe(0);
  });

  test('tenants that do not fit run in rounds with reprogramming charged', () => {
    const [a, b, c] = [tenant('a', 1), tenant('b', 2), tenant('c', 2)];
    const dep = directDeployment(chip, [a, b, c]);
    expect(dep.rounds).toEqual([[0, 1], [2]]);
    const ev = evaluateDeployment(dep);
    // Tenant c: 2 crossbars of 128 x 128 cells fully mapped, one per tile; 2 x 128 x 16 weights x
    // 2 B = 8192 B. Each tile writes one crossbar: 2048 x 230 ns = 471.04 us, more than
    // 8192 B / 25.6 GB/s = 0.32 us.
    const ioByteJ = 10.4 / 25.6e9;
    const xbarJ = 128 * 128 * CELL_J + 128 * 16 * 2 * ioByteJ;
    expect(ev.rounds[1]!.reprogramS).toBeCloseTo(471.04e-6, 15);
    expect(ev.rounds[1]!.reprogramJ).toBeCloseTo(2 * xbarJ, 15);
    // Two rounds: at steady state round 0's loads are paid too, a's (1 crossbar, 4096 B) then b's
    // (2 crossbars) over the one link: b starts 0.16 us + 471.04 us after the round starts.
    expect(ev.rounds[0]!.reprogramJ).toBeCloseTo(3 * xbarJ, 15);
    const round0 = Math.max(XBAR_S + ev.tenants[0]!.runTimeS, 0.16e-6 + XBAR_S + ev.tenants[1]!.runTimeS);
    expect(ev.makespanS).toBeCloseTo(round0 + XBAR_S + ev.tenants[2]!.runTimeS, 15);
    expect(ev.tenants[2]!.startS).toBeCloseTo(round0 + XBAR_S, 15);
  });

  test('a tenant bigger than the chip runs in phases with reprogramming', () => {
    const t = tenant('big', 5); // 5 tiles on a 4-tile chip
    const dep = directDeployment(chip, [t]);
    expect(dep.tenants[0]!.phases).toBe(2);
    expect(dep.reops.map((r) => r.phase)).toEqual([0, 0, 0, 0, 1]);
    const ev = evaluateDeployment(dep);
    // Phase 0: a 4-layer pipeline; phase 1: one layer; one crossbar reprogrammed in between.
    const p0 = profileTenant(chain('p0', [0, 1, 2, 3].map(oneXbar), Array(4).fill({ scale: 1, offset: 0 })), chip, {
      layerTiles: [[0], [1], [3], [2]],
      leakage: 'none',
    });
    const p1 = profileTenant(chain('p1', [oneXbar(0)]), chip, { leakage: 'none' });
    // Every crossbar write: 2048 batches of 8 cells x 230 ns = 471.04 us (see above). In phases the
    // schedule rewrites crossbars, so at steady state phase 0's four crossbars are loaded too.
    expect(ev.makespanS).toBeCloseTo(471.04e-6 + p0.latencyS + 471.04e-6 + p1.latencyS, 15);
    expect(ev.energy.reprogram).toBeCloseTo(5 * (128 * 128 * CELL_J + 128 * 16 * 2 * (10.4 / 25.6e9)), 15);
  });

  test('batch: latency + (batch - 1) x interval; leakage of the tenant tiles over its run (unused tiles gated)', () => {
    const a = { ...tenant('a', 2), batch: 10 };
    const ev = evaluateDeployment(directDeployment(chip, [a]));
    const t = ev.tenants[0]!;
    expect(t.runTimeS).toBeCloseTo(t.latencyS + 9 * t.intervalS, 15);
    expect(ev.energy.leakage).toBeCloseTo(t.tiles * 19.92e-3 * t.runTimeS, 15);
    // Without gating every tile of the chip leaks over the makespan.
    const ungated = evaluateDeployment(directDeployment({ ...chip, power_policy: 'none' }, [a]));
    expect(ungated.energy.leakage).toBeCloseTo(4 * 19.92e-3 * ungated.makespanS, 15);
  });
});
