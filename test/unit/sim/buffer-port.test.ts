import { beforeAll, describe, expect, test } from 'vitest';
import { simulate } from '../../../src-main/engine/sim';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { loadTestWasm } from './load-wasm';
import type { Scenario } from '../../../src-main/engine/sim/scenario';
import { handScenario, rowLayer, US } from './hand-scenario';

/**
 * The tile's buffer port is one resource per tile, shared first come, first served by every
 * re-operator on the tile: a row's port time starts when the port is free, and the row ends at
 * max(compute end, port end). Times below are hand-computed; the NoC is unused (no edges).
 */
let wasm: RetileWasmExports;
beforeAll(async () => {
  wasm = await loadTestWasm();
});

/** Two one-MVM tenants: 1 us of compute and `portUs` of buffer port each, on tiles `tiles`. */
function scenario(portUs: number, tiles: [number, number]): Scenario {
  return handScenario(
    2,
    [{ tenant: 0, writeTimeS: 0, writeEnergyJ: 0, after: [] }, { tenant: 1, writeTimeS: 0, writeEnergyJ: 0, after: [] }],
    [rowLayer(0, 0, 1), rowLayer(1, 1, 1)],
    tiles.map((tile, i) => ({ layer: i, copy: 0, piece: 0, tile, timePerUnitS: US, portTimePerUnitS: portUs * US, energyPerUnitJ: [0, 0, 0, 0, 0] })),
  );
}

describe('buffer port shared by the re-operators of a tile', () => {
  test('a port slower than compute sets the pace; two re-operators on one tile queue on it', () => {
    // Different tiles: each row ends at max(1, 2) = 2 us.
    const apart = simulate(scenario(2, [0, 1]), wasm);
    expect(apart.tenants.map((t) => t.finish_s)).toEqual([2 * US, 2 * US]);
    // One tile: a's port 0..2 us, b's port waits until 2 and ends at 4 us.
    const shared = simulate(scenario(2, [0, 0]), wasm);
    expect(shared.tenants[0]!.finish_s).toBeCloseTo(2 * US, 15);
    expect(shared.tenants[1]!.finish_s).toBeCloseTo(4 * US, 15);
  });
  test('a port faster than compute hides behind it, even shared', () => {
    // One tile, 0.25 us of port each: b's port runs 0.25..0.5 us, both end with their compute at 1 us.
    const r = simulate(scenario(0.25, [0, 0]), wasm);
    expect(r.tenants.map((t) => t.finish_s)).toEqual([US, US]);
  });
});
