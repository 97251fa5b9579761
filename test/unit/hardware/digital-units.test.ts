/**
 * Digital units: the work crossbars do not do (softmax, LayerNorm, GELU, residual adds, pooling,
 * attention matmuls) runs on the tile's VFU lanes, and a transformer tenant's time and energy
 * include it. Expected values are hand counts of elementary operations priced with PUMA's VFU
 * (puma-simulator include/constants.py, scaled to 32 nm by 32/45 there).
 */
import { describe, expect, test } from 'vitest';
import { chipPreset, parseChipSpec, vfuLanesPerTile } from '../../../src-main/engine/hardware';
import { GraphBuilder, toLayerGraph } from '../../../src-main/engine/workload';
import { profileTenant } from '../../../src-main/engine/evaluate';

const S = 32 / 45;
const PJ = { add: 0.373 * S, mul: 0.795 * S, div: 1.52 * S, exp: 0.26 - 0.026 };

/** ISAAC without its per-cycle tile extras, so the digital component holds only VFU work. */
function isaacVfuOnly() {
  const c = structuredClone(chipPreset('isaac', [4, 4]));
  c.tile.extras = [];
  return parseChipSpec(c, 'test chip');
}

/** One attention block on 4 tokens of width 8 (one head), then a GELU MLP of width 16. */
function tinyTransformer() {
  const b = new GraphBuilder('tiny', 'tiny');
  const x = b.input([1, 4, 8]);
  const q = b.fc('q', x, 8);
  const k = b.fc('k', x, 8);
  const v = b.fc('v', x, 8);
  const s = b.matmul('qk', q, b.transpose('kt', k, [0, 2, 1])); // [1, 4, 4], K = 8
  const p = b.softmax('softmax', s, -1);
  const ctx = b.matmul('av', p, v); // [1, 4, 8], K = 4
  const o = b.fc('o', ctx, 8);
  const y = b.ln('ln', b.binary('add', 'residual', [o, x]));
  b.fc('mlp.1', b.act('gelu', b.fc('mlp.0', y, 16), 'Gelu'), 8);
  return toLayerGraph(b.build());
}

describe('VFU work of a transformer tenant', () => {
  test('energy: every non-crossbar operation counted by hand', () => {
    const chip = isaacVfuOnly();
    const p = profileTenant(tinyTransformer(), chip, { leakage: 'none' });
    // softmax on 16 scores in rows of 4: 3 x 16 add, 16 exp, 16 mul, 4 div
    // residual add on 32: 32 add
    // LayerNorm on 4 rows of 8: 4 x 32 add, 3 x 32 + 2 x 4 mul, 4 exp
    // GELU as x sigmoid(1.702x) on 64: 2 x 64 mul, 64 exp
    // QK^T: 4 x 8 x 4 = 128 MACs, AV: 4 x 4 x 8 = 128 MACs: 256 mul + 256 add
    const add = 48 + 32 + 128 + 256;
    const mul = 16 + 104 + 128 + 256;
    const div = 4;
    const exp = 16 + 4 + 64;
    const want = (add * PJ.add + mul * PJ.mul + div * PJ.div + exp * PJ.exp) * 1e-12;
    expect(p.energy.digital).toBeCloseTo(want, 20);
    expect(p.energy.digital / want).toBeCloseTo(1, 12);
  });
  test('time: QK^T on the matmul datapath, its softmax on ISAAC\'s three VFU lanes at 1.2 GHz', () => {
    const chip = isaacVfuOnly();
    expect(vfuLanesPerTile(chip)).toBe(3); // 2 sigmoid + 1 max-pool units of ISAAC Table I
    const g = tinyTransformer();
    const p = profileTenant(g, chip, { leakage: 'none' });
    const qk = p.layers.find((l) => l.name === 'qk')!;
    // per MVM (one query row): 8 x 4 = 32 MACs at 32 MACs per cycle = 1 cycle; the softmax's
    // share, 12 add + 4 mul + 1 div + 4 exp = 21 one-cycle operations over 3 lanes = 7 cycles;
    // 4 MVMs. The buffer port (88 B: 3 accesses of 2 ns over 2 banks) is faster.
    expect(qk.timeS).toBeCloseTo((4 * (1 + 21 / 3)) / 1.2e9, 15);
    // More lanes, less time: with 6 lanes the softmax share takes 21 / 6 cycles (4.5 cycles =
    // 3.75 ns per MVM, still above the port's 3 ns).
    const wide = structuredClone(chip);
    wide.tile.vfu.count = 6;
    expect(profileTenant(g, parseChipSpec(wide, 'wide'), { leakage: 'none' }).layers.find((l) => l.name === 'qk')!.timeS).toBeCloseTo((4 * (1 + 21 / 6)) / 1.2e9, 15);
  });
  test('PUMA puts 4 lanes in every core: 32 per tile', () => {
    expect(vfuLanesPerTile(chipPreset('puma'))).toBe(32);
  });
});
