import { beforeAll, describe, expect, test } from 'vitest';
import { simulate } from '../../../src-main/engine/sim';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { loadTestWasm } from './load-wasm';
import type { Scenario, ScenarioLayer, ScenarioPhase, ScenarioReop } from '../../../src-main/engine/sim/scenario';
import { handScenario, rowLayer, US } from './hand-scenario';

/**
 * The chip's off-chip link (HyperTransport on ISAAC) is one resource: phases' weight transfers
 * queue on it, first come, first served; crossbar programming runs in parallel from the grant.
 * Times below are hand-computed from bytes / bandwidth with an off-chip bandwidth of 1 GB/s
 * (1000 B = 1 us); the NoC is unused (no edges cross tiles).
 */
const XFER = (bytes: number): number => bytes / 1e9; // bytes / off-chip bandwidth (1 GB/s)

function scenario(phases: ScenarioPhase[], layers: ScenarioLayer[], edges: Scenario['edges']): Scenario {
  const reops: ScenarioReop[] = layers.map((_, i) => ({ layer: i, copy: 0, piece: 0, tile: i % 4, timePerUnitS: US, energyPerUnitJ: [0, 0, 0, 0, 0] }));
  return handScenario(4, phases, layers, reops, edges);
}

const layer = rowLayer;

let wasm: RetileWasmExports;
beforeAll(async () => {
  wasm = await loadTestWasm();
});

describe('off-chip link shared by every tenant (FIFO)', () => {
  test('the second tenant\'s transfer waits for the first one\'s', () => {
    // Tenant a: phase 0 (A0, 2 us), then phase 1: 3000 B (3 us on the link), programming 1 us, A1 1 us.
    // Tenant b: phase 0 (B0, 3 us), then phase 1: 2000 B (2 us), programming 0.5 us, B1 1 us.
    // a's phase 1 is ready at 2 us: link granted at 2, transfer ends 5, start max(5, 2 + 1) = 5, A1 ends 6 us.
    // b's phase 1 is ready at 3 us but the link is busy until 5: grant 5, transfer ends 7,
    // start max(7, 5 + 0.5) = 7, B1 ends 8 us (alone on the link it would start at 5 and end at 6 us).
    const s = scenario(
      [
        { tenant: 0, writeTimeS: 0, writeEnergyJ: 0, after: [] },
        { tenant: 0, writeTimeS: 1 * US, transferTimeS: XFER(3000), writeEnergyJ: 0, after: [0] },
        { tenant: 1, writeTimeS: 0, writeEnergyJ: 0, after: [] },
        { tenant: 1, writeTimeS: 0.5 * US, transferTimeS: XFER(2000), writeEnergyJ: 0, after: [2] },
      ],
      [layer(0, 0, 2), layer(0, 1, 1), layer(1, 2, 3), layer(1, 3, 1)],
      [{ from: 0, to: 1, scale: 0, offset: 0 }, { from: 2, to: 3, scale: 0, offset: 0 }],
    );
    const r = simulate(s, wasm);
    expect(r.phases[1]!.start_s).toBeCloseTo(5 * US, 14);
    expect(r.phases[3]!.start_s).toBeCloseTo(7 * US, 14);
    expect(r.tenants[0]!.finish_s).toBeCloseTo(6 * US, 14);
    expect(r.tenants[1]!.finish_s).toBeCloseTo(8 * US, 14);
    expect(r.offchip_link_busy_s).toBeCloseTo(5 * US, 14); // 3 + 2 us
  });

  test('phases ready at the same time are served in phase order (a round\'s weight load)', () => {
    // Both first phases are ready at t = 0: a takes the link first (3000 B: 0-3 us, programming
    // 2 us -> start 3 us), b second (1000 B: 3-4 us; programming 2 us from its grant at 3 -> start 5 us).
    const s = scenario(
      [
        { tenant: 0, writeTimeS: 2 * US, transferTimeS: XFER(3000), writeEnergyJ: 0, after: [] },
        { tenant: 1, writeTimeS: 2 * US, transferTimeS: XFER(1000), writeEnergyJ: 0, after: [] },
      ],
      [layer(0, 0, 1), layer(1, 1, 1)],
      [],
    );
    const r = simulate(s, wasm);
    expect(r.phases[0]!.start_s).toBeCloseTo(3 * US, 14);
    expect(r.phases[1]!.start_s).toBeCloseTo(5 * US, 14);
    expect(r.makespan_s).toBeCloseTo(6 * US, 14);
  });

  test('uncontended: the write takes max(transfer, programming), exactly as a single write time', () => {
    // One tenant, phase 1 after A0 (1 us). Transfer-bound: 4000 B = 4 us vs 1 us programming ->
    // phase 1 at 5 us, end 6 us. Programming-bound: 1000 B = 1 us vs 4 us -> the same 5 us.
    for (const [bytes, prog] of [[4000, 1 * US], [1000, 4 * US]] as const) {
      const split = scenario(
        [
          { tenant: 0, writeTimeS: 0, writeEnergyJ: 0, after: [] },
          { tenant: 0, writeTimeS: prog, transferTimeS: XFER(bytes), writeEnergyJ: 1e-9, after: [0] },
        ],
        [layer(0, 0, 1), layer(0, 1, 1)],
        [{ from: 0, to: 1, scale: 0, offset: 0 }],
      );
      // the scenario format before the link was shared: one write time = max(bytes / bandwidth, programming)
      const single = structuredClone(split);
      single.phases[1] = { tenant: 0, writeTimeS: Math.max(XFER(bytes), prog), writeEnergyJ: 1e-9, after: [0] };
      const a = simulate(split, wasm);
      const b = simulate(single, wasm);
      expect(a.phases[1]!.start_s).toBeCloseTo(5 * US, 14);
      expect(a.makespan_s).toBe(b.makespan_s);
      expect(a.energy_j).toBe(b.energy_j);
    }
  });
});
