/**
 * Buffer energy of a placed layer (docs/cost-model.md, "Buffers"): every tile that holds a piece
 * of a layer moves the piece's own traffic through its own buffer on each MVM (its input, its
 * outputs and, on the mnsim preset, its array pairs' results for the merge), so a layer spread
 * over n tiles reads its inputs n times. The analytic model and the simulator both charge that
 * (they disagreed 33x on MNSIM's VGG-8 when the analytic model read the inputs once per MVM and
 * the simulator charged one tile's spill to every piece).
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { chipPreset } from '../../../src-main/engine/hardware';
import { toLayerGraph, zooGraph } from '../../../src-main/engine/workload';
import { directDeployment } from '../../../src-main/engine/placement/direct';
import { evaluateDeployment } from '../../../src-main/engine/evaluate/deployment';
import { scenarioFromDeployment } from '../../../src-main/engine/sim/from-deployment';
import { simulate } from '../../../src-main/engine/sim';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { loadTestWasm } from '../sim/load-wasm';

let wasm: RetileWasmExports;
beforeAll(async () => {
  wasm = await loadTestWasm();
});

describe('buffer energy of a layer spread over tiles (MNSIM VGG-8 on the mnsim preset)', () => {
  const chip = chipPreset('mnsim', [32, 32]);
  const graph = toLayerGraph(zooGraph('mnsim-vgg8'));
  const dep = directDeployment(chip, [{ name: 'vgg8', model: 'mnsim-vgg8', graph }]);

  test("conv0 by hand: each tile's new window columns, its outputs and its array pairs' results through the buffer", () => {
    const li = graph.layers.findIndex((l) => l.name === 'conv0');
    const tiles = new Set(dep.reops.filter((r) => r.layer === li).map((r) => r.tile)).size;
    // MNSIM Buffer.py, 90 nm SRAM of at most 2 KB with a 64-bit port: 7.5695 pJ per read and
    // 13.1361 pJ per write, 1.006428 mW leakage, 20 ns per access; MNSIM charges a tile's five
    // buffers (4 PE input buffers, the tile output buffer) at full power per access time. Retile
    // takes the mean of a read and a write: per 8-byte word, no bus energy in the preset.
    const wordJ = (5 * (7.5695 + 1.006428 * 20) + 5 * (13.1361 + 1.006428 * 20)) / 2 * 1e-12;
    const act = 9 / 8; // MNSIM's 9-bit activations
    // conv0 (3 -> 128, 3x3, 1024 positions): 8 bit slices x 2 polarities = 16 arrays of 27 used
    // rows and 128 used columns, on 2 tiles of 8 arrays (4 pairs). Per tile and position: the
    // new window column, 3 x 3 channels of 27 rows (stride 1 of k = 3); half the layer's 128
    // outputs; 4 pairs x 128 columns of results written at 6 + 2 bits and read at 9 bits.
    const perTile = (27 / 3) * act + (128 / 2) * act + (4 * 128 * (6 + 2 + 9)) / 8;
    expect(tiles).toBe(2);
    const edram = evaluateDeployment(dep).tenants[0]!.profile.layers[li]!.energy.edram;
    expect(edram / (1024 * tiles * (perTile / 8) * wordJ) - 1).toBeCloseTo(0, 9);
  });

  test('the simulator and the analytic model charge the same buffer energy', () => {
    const analytic = evaluateDeployment(dep).tenants[0]!.energy.edram;
    const sim = simulate(scenarioFromDeployment(dep).scenario, wasm).energy_by_component.edram!;
    expect(Math.abs(sim / analytic - 1)).toBeLessThan(1e-9);
  });
});
