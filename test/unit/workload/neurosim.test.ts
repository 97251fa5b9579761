/**
 * NeuroSim network CSV import. Expected figures are independent of this code: VGG-8 (DNN+NeuroSim,
 * no biases) 12,973,440 weights and 615.92 M MACs by hand from its layer list; ResNet-18 as
 * torchvision's conv/fc weights without the fc bias (11,679,912 - 1,000) and its 1,814,073,344
 * MACs (the same 20 convolutions and fc at 224x224).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importNeurosimCsv, summarize } from '../../../src-main/engine/workload';
import { REPO_ROOT } from '../../helpers';

const csv = (f: string) => readFileSync(join(REPO_ROOT, 'test/fixtures/neurosim', f), 'utf8');

describe('NeuroSim network CSV', () => {
  it('VGG-8: 6 conv + 2 fc, 12,973,440 weights, 615.92 M MACs, the 8192-input fc after the 4x4 pool', () => {
    const s = summarize(importNeurosimCsv(csv('NetWork_VGG8.csv'), 'NetWork_VGG8.csv'));
    expect([s.layers.conv, s.layers.fc, s.params]).toEqual([6, 2, 12_973_440]);
    expect(Math.round(s.macs / 1e4) / 100).toBe(615.92);
    // By hand: 32x32 maps of 128 from 3 and 128 channels, then 16x16 and 8x8 stages.
    const hand = 1024 * 27 * 128 + 1024 * 1152 * 128 + 256 * 1152 * 256 + 256 * 2304 * 256 + 64 * 2304 * 512 + 64 * 4608 * 512 + 8192 * 1024 + 1024 * 10;
    expect(s.macs).toBe(hand);
    expect(s.ops[6].rows).toBe(8192);
  });

  it('ResNet-18: shortcut rows read the block input; figures equal torchvision without biases', () => {
    const s = summarize(importNeurosimCsv(csv('NetWork_ResNet18.csv'), 'NetWork_ResNet18.csv'));
    expect([s.layers.conv, s.layers.fc]).toEqual([20, 1]);
    expect(s.params).toBe(11_679_912 - 1_000);
    expect(s.macs).toBe(1_814_073_344);
    expect(s.ops[7].out_shape).toEqual([1, 128, 28, 28]); // the 1x1 stride-2 shortcut of layer2
  });

  it('a malformed row or an unconnected layer is one line naming the file and row', () => {
    expect(() => importNeurosimCsv('32,32,3,3,3,128,0\n', 'bad.csv')).toThrow(/^bad\.csv: row 1 '32,32,3,3,3,128,0' is not 8 non-negative integers/);
    expect(() => importNeurosimCsv('32,32,3,3,3,16,0,1\n9,9,16,3,3,8,0,1\n', 'gap.csv')).toThrow(/^gap\.csv, node 'row 2': no earlier layer produces a 9x9x16 map/);
    expect(() => importNeurosimCsv('\n', 'empty.csv')).toThrow(/no layer rows/);
  });
});
