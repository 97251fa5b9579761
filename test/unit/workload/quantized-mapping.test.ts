/**
 * A quantized model's own widths reach the mapping and the cost model. Hand figures on the ISAAC
 * preset (2-bit cells, 1-bit DACs, 16-bit weights and activations, reference columns: p = 1):
 * int4 weights need ceil(4 / 2) = 2 slices instead of 8; uint8 activations 8 input cycles instead of 16.
 */
import { describe, expect, it } from 'vitest';
import { importOnnx, toLayerGraph } from '../../../src-main/engine/workload';
import { encodeModel } from '../../../src-main/engine/workload/onnx/encode';
import { actionCosts, chipPreset } from '../../../src-main/engine/hardware';
import { mapLayer } from '../../../src-main/engine/mapping/map-layer';
import { reopCosts } from '../../../src-main/engine/mapping/reop';

const UINT8 = 2;
const INT4 = 22;

function qdqLayer(weightType?: number) {
  const q = weightType !== undefined;
  const bytes = encodeModel({
    opset: 21,
    inputs: [{ name: 'x', dims: [1, 64, 8, 8] }],
    initializers: [
      { name: 's', dims: [], raw: new Uint8Array(new Float32Array([0.1]).buffer) },
      { name: 'zp', dims: [], dataType: UINT8, raw: new Uint8Array([0]) },
      { name: 'wq', dims: [32, 64, 3, 3], ...(q ? { dataType: weightType } : {}) },
    ],
    nodes: q
      ? [
          { op: 'QuantizeLinear', name: 'q', inputs: ['x', 's', 'zp'], outputs: ['xq'] },
          { op: 'DequantizeLinear', name: 'dq', inputs: ['xq', 's', 'zp'], outputs: ['xd'] },
          { op: 'DequantizeLinear', name: 'dqw', inputs: ['wq', 's'], outputs: ['w'] },
          { op: 'Conv', name: 'conv', inputs: ['xd', 'w'], outputs: ['y'], attrs: { pads: [1, 1, 1, 1] } },
        ]
      : [{ op: 'Conv', name: 'conv', inputs: ['x', 'wq'], outputs: ['y'], attrs: { pads: [1, 1, 1, 1] } }],
    outputs: ['y'],
  });
  return toLayerGraph(importOnnx(bytes, 'q.onnx')).layers[0];
}

describe('quantized widths in mapping and costs', () => {
  const chip = chipPreset('isaac');

  it('slices per weight and weight bytes follow the layer width', () => {
    const float = mapLayer(qdqLayer(), chip);
    const int4 = mapLayer(qdqLayer(INT4), chip);
    expect([float.slices, int4.slices]).toEqual([8, 2]);
    // 576 rows x 32 cols: 32 x 8 = 256 physical columns -> 2 column blocks of 128; 32 x 2 = 64 -> 1.
    expect([float.physColsPerGroup, int4.physColsPerGroup]).toEqual([256, 64]);
    expect([float.crossbars, int4.crossbars]).toEqual([5 * 2, 5 * 1]);
    expect([float.weightBytes, int4.weightBytes]).toEqual([(576 * 32 * 16) / 8, (576 * 32 * 4) / 8]);
  });

  it('input cycles follow the activation width: 8 fewer cycles of the ISAAC cycle time', () => {
    const a = actionCosts(chip);
    const l16 = qdqLayer();
    const l8 = qdqLayer(INT4);
    const t16 = reopCosts(chip, l16, mapLayer(l16, chip)).mvmTimeS;
    const t8 = reopCosts(chip, l8, mapLayer(l8, chip)).mvmTimeS;
    expect(t16 - t8).toBeCloseTo(8 * a.cycleS, 15);
  });
});
