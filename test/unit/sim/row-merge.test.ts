/**
 * The merge of a row-split copy across its pieces with `tile_packing: fill` (MNSIM's mapper: the
 * grid of equal pieces that needs the fewest tiles), counted by hand: an fc 768 -> 64 on ISAAC
 * arrays (128 x 128, 16-bit weights in 8 two-bit slices side by side) is 768 / 128 = 6 row blocks
 * x 64 x 8 / 128 = 4 column blocks. With one PE per tile (8 arrays), the grids of rb x cb <= 8
 * need: rb 1 (cb 4) 6 tiles, rb 2 (cb 4) 3, rb 3 (cb 2) 4, rb 4 (cb 2) 4, rb 5 (cb 1) 8, rb 6
 * (cb 1) 4: three pieces of 2 x 4, stacked over the same four column blocks, so every output is
 * the sum of three pieces' partial sums: 2 additions per output, 128 per MVM.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { chipPreset, nocCosts } from '../../../src-main/engine/hardware';
import { actionCosts } from '../../../src-main/engine/hardware/action-costs';
import { applySettings } from '../../../src-main/engine/hardware/settings';
import { directDeployment } from '../../../src-main/engine/placement/direct';
import { evaluateDeployment } from '../../../src-main/engine/evaluate/deployment';
import { scenarioFromDeployment } from '../../../src-main/engine/sim/from-deployment';
import { simulateDeployment } from '../../../src-main/engine/pipeline/simulate-report';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { chain, fcLayer } from '../hardware/fixtures';
import { loadTestWasm } from './load-wasm';

let wasm: RetileWasmExports;
beforeAll(async () => {
  wasm = await loadTestWasm();
});

const chip = applySettings(chipPreset('isaac', [2, 2]), [
  { path: 'tile.pes', value: 1 },
  { path: 'tile_packing', value: 'fill' },
], 'test');
const dep = directDeployment(chip, [{ name: 'fc', model: 'fc', graph: chain('fc', [fcLayer(0, 768, 64)]) }]);

describe('row pieces of a fill-packed layer', () => {
  test('three pieces of 2 x 4 arrays, each on its own tile, cut along rows', () => {
    expect(dep.reops.map((r) => [r.rowBlocks, r.colBlocks, r.rowSplit])).toEqual([[2, 4, true], [2, 4, true], [2, 4, true]]);
    expect(new Set(dep.reops.map((r) => r.tile)).size).toBe(3);
  });

  test('the simulator merges 2 additions per output: 128 shift-and-adds per MVM', () => {
    const sa = actionCosts(chip).actions.shiftAdd.energyJ;
    // ISAAC Table I: S+A 0.05 mW per unit, 4 per IMA, against 8 ADCs at 1.28 GS/s: 0.0195 pJ.
    expect(sa).toBeCloseTo((4 * 0.05e-3) / (8 * 1.28e9), 18);
    const layer = scenarioFromDeployment(dep).scenario.layers[0]!;
    expect(layer.rowSplit).toBe(true);
    expect(layer.mergeEnergyPerUnitJ).toBeCloseTo(128 * sa, 20);
  });

  test('the analytic model sends the partial sums of the two further row pieces over the NoC', () => {
    // 2 pieces x 64 partial sums x 2 x 2 B = 512 B = 128 flits of 32 bits, one hop (2 router traversals).
    expect(evaluateDeployment(dep).energy.noc).toBeCloseTo(128 * 2 * nocCosts(chip).flitHopJ, 20);
  });

  test('the analytic evaluation charges the same merge: shift-and-add energy equal to the simulator\'s', () => {
    const analytic = evaluateDeployment(dep).energy.sa;
    const simulated = simulateDeployment(dep, wasm).report.energy_breakdown_j.sa!;
    expect(simulated / analytic).toBeCloseTo(1, 9);
  });
});
