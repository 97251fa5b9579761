/**
 * Buffer energy of a placed layer (docs/cost-model.md, "Buffers"): every tile that holds a piece
 * of a layer reads the piece's input vector from its own buffer on each MVM and writes its share of
 * the outputs, so a layer spread over n tiles reads its inputs n times. The analytic model and the
 * simulator both charge that (they disagreed 33x on MNSIM's VGG-8 when the analytic model read the
 * inputs once per MVM and the simulator charged one tile's spill to every piece).
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
  const graph = toLayerGraph(zooGraph('mnsim-vgg8'), { bytesPerElement: chip.precision.activation_bits / 8 });
  const dep = directDeployment(chip, [{ name: 'vgg8', model: 'mnsim-vgg8', graph }]);

  test('conv1 by hand: each of its tiles reads the 1152-row input vector, the outputs are written once', () => {
    const li = graph.layers.findIndex((l) => l.name === 'conv1');
    const tiles = new Set(dep.reops.filter((r) => r.layer === li).map((r) => r.tile)).size;
    // MNSIM's SRAM buffer: 4.859 W over VGG-8's 322 tiles per tile, one 64-bit word per 20 ns
    // (Buffer.py), no leakage, and no bus energy in the preset: 37.7 pJ per byte.
    const byteJ = ((4859 / 322) * 1e-3 * 20e-9) / 8;
    const act = 9 / 8; // MNSIM's 9-bit activations
    // 3x3 x 128 input channels = 1152 rows read on every tile; 128 outputs per output position.
    const perMvm = tiles * 1152 * act + 128 * act;
    expect(tiles).toBe(16); // 8 bit slices x 2 polarities, one column block per tile (no spill on them)
    const edram = evaluateDeployment(dep).tenants[0]!.profile.layers[li]!.energy.edram;
    expect(edram / (1024 * perMvm * byteJ) - 1).toBeCloseTo(0, 9);
  });

  test('the simulator and the analytic model charge the same buffer energy', () => {
    const analytic = evaluateDeployment(dep).tenants[0]!.energy.edram;
    const sim = simulate(scenarioFromDeployment(dep).scenario, wasm).energy_by_component.edram!;
    expect(Math.abs(sim / analytic - 1)).toBeLessThan(1e-9);
  });
});
