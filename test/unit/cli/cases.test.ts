import { describe, expect, it } from 'vitest';
import { pickCase, workerHeap } from '../../../src-main/cli/sweep/pool';
import { chipKey, crossProduct, dispatchOrder, parseMeshList, parseSeedList, parseShard, parseStrategyList, parseVaryList, shardCases, type SweepAxes } from '../../../src-main/cli/sweep/cases';

const axes: SweepAxes = {
  mesh: [
    [8, 8],
    [16, 16],
    [32, 32],
    [64, 64],
  ],
  preset: [null],
  vary: [],
  strategy: ['direct', 'collaborative'],
  seed: [1, 2],
  objective: 'makespan',
};

describe('sweep cases', () => {
  it('is the cross product in mesh, preset, strategy, seed order', () => {
    const cases = crossProduct(axes);
    // 4 meshes x 1 preset x 2 strategies x 2 seeds = 16 cases
    expect(cases).toHaveLength(16);
    expect(cases.map((c) => c.index)).toEqual([...Array(16).keys()]);
    // The last axis varies fastest: case 1 differs from case 0 by the seed only, case 2 by the strategy.
    expect([cases[0]!.mesh, cases[0]!.strategy, cases[0]!.seed]).toEqual([[8, 8], 'direct', 1]);
    expect([cases[1]!.mesh, cases[1]!.strategy, cases[1]!.seed]).toEqual([[8, 8], 'direct', 2]);
    expect([cases[2]!.mesh, cases[2]!.strategy, cases[2]!.seed]).toEqual([[8, 8], 'collaborative', 1]);
    expect(cases[4]!.mesh).toEqual([16, 16]);
    expect(new Set(cases.map((c) => c.key)).size).toBe(16);
  });

  it('splits into shards that partition the cases, round-robin', () => {
    const cases = crossProduct(axes);
    const shards = [1, 2, 3].map((i) => shardCases(cases, { index: i, count: 3 }));
    // 16 cases over 3 shards round-robin: 6, 5, 5
    expect(shards.map((s) => s.length)).toEqual([6, 5, 5]);
    expect(shards[0]!.map((c) => c.index)).toEqual([0, 3, 6, 9, 12, 15]);
    const all = shards.flat().map((c) => c.index).sort((a, b) => a - b);
    expect(all).toEqual([...Array(16).keys()]);
    expect(shardCases(cases, null)).toHaveLength(16);
  });

  it('dispatches the largest meshes first without losing a case', () => {
    const order = dispatchOrder(crossProduct(axes));
    expect(order[0]!.mesh).toEqual([64, 64]);
    expect(order.at(-1)!.mesh).toEqual([8, 8]);
    expect(order.map((c) => c.index).sort((a, b) => a - b)).toEqual([...Array(16).keys()]);
  });

  it('keeps the cases of one chip on one worker of a pool, so their baselines are simulated once', () => {
    // Two workers taking turns (cases of equal length): 4 chips x 4 cases each.
    const queue = dispatchOrder(crossProduct(axes)).map((c) => ({ affinity: chipKey(c), mesh: c.mesh[0] }));
    const last: (string | undefined)[] = [undefined, undefined];
    const chipsOf: Set<number>[] = [new Set(), new Set()];
    for (let turn = 0; queue.length > 0; turn++) {
      const w = turn % 2;
      const i = pickCase(queue, last[w], new Set(last.filter((a, k): a is string => k !== w && a !== undefined)));
      const [c] = queue.splice(i, 1);
      last[w] = c!.affinity;
      chipsOf[w]!.add(c!.mesh);
    }
    // Longest first: 64x64 and 32x32 start together on the two workers, then 16x16 and 8x8.
    expect([...chipsOf[0]!]).toEqual([64, 16]);
    expect([...chipsOf[1]!]).toEqual([32, 8]);
  });

  it('leaves a case of a chip another worker holds to that worker', () => {
    expect(pickCase([{ affinity: 'a' }, { affinity: 'a' }], undefined, new Set(['a']))).toBe(-1);
    expect(pickCase([{ affinity: 'a' }, { affinity: 'b' }], 'b', new Set(['a']))).toBe(1);
    expect(pickCase([{ affinity: 'a' }, { affinity: 'b' }], 'c', new Set(['a']))).toBe(1);
    // Once the chip's baselines are out (no longer held), anyone takes its cases.
    expect(pickCase([{ affinity: 'a' }], 'c', new Set())).toBe(0);
    expect(pickCase([{}], 'c', new Set(['a']))).toBe(0);
    expect(pickCase([], 'a', new Set())).toBe(-1);
  });

  /**
   * Two workers running hand-made cases: a case takes its chip's baselines (`base`) unless the
   * worker has them (it ran a case of the chip, or they were sent to it), then its own `own`
   * seconds. The baselines reach every worker when the case that simulated them ends (`post:
   * 'end'`) or when it leaves its baseline stages (`post: 'baselines'`, as the pool does now: a
   * worker posts them before its candidates). Returns when the last case ends.
   */
  function schedule(cases: { chip: string; own: number }[], base: Record<string, number>, post: 'end' | 'baselines' = 'baselines'): number {
    const queue = cases.map((c) => ({ ...c, affinity: c.chip }));
    const workers = [0, 1].map(() => ({ free: 0, out: 0, last: undefined as string | undefined, busy: null as string | null, knows: new Set<string>() }));
    const out = new Set<string>();
    let now = 0;
    for (;;) {
      // Baselines posted by now reach every worker; cases ending now free their workers.
      for (const w of workers)
        if (w.busy !== null && w.out <= now && !out.has(w.busy)) {
          out.add(w.busy);
          for (const v of workers) v.knows.add(w.busy);
        }
      for (const w of workers) if (w.busy !== null && w.free <= now) w.busy = null;
      for (const w of workers) {
        if (w.busy !== null) continue;
        const held = new Set(workers.filter((v) => v !== w && v.busy !== null && !out.has(v.busy)).map((v) => v.busy!));
        const i = pickCase(queue, w.last, held);
        if (i < 0) continue;
        const [c] = queue.splice(i, 1);
        const simulates = !w.knows.has(c!.chip);
        w.free = now + (simulates ? base[c!.chip]! : 0) + c!.own;
        // Only the worker that simulates a chip's baselines posts them.
        w.out = simulates ? (post === 'end' ? w.free : now + base[c!.chip]!) : Infinity;
        w.busy = w.last = c!.chip;
        w.knows.add(c!.chip);
      }
      const next = workers.filter((w) => w.busy !== null).flatMap((w) => [w.free, ...(out.has(w.busy!) || w.out === Infinity ? [] : [w.out])]);
      if (next.length === 0) return now;
      now = Math.min(...next);
    }
  }

  it('waits for a held chip rather than simulating its baselines again', () => {
    // Chip x's baselines take 3 s, chip y's 1 s; every case then takes 0.4 s of its own.
    const base = { x: 3, y: 1 };
    // Baselines posted when a case ends: one worker runs x's first case (0-3.4); the other y's
    // two (0-1.4, 1.4-1.8), then waits for x instead of taking x's second case (which would end at
    // 1.8 + 3 + 0.4 = 5.2): x's holder runs it from 3.4 to 3.8.
    expect(schedule([{ chip: 'x', own: 0.4 }, { chip: 'y', own: 0.4 }, { chip: 'y', own: 0.4 }, { chip: 'x', own: 0.4 }], base, 'end')).toBeCloseTo(3.8, 9);
    // With two cases of x left, the waiting worker takes the second as soon as x's baselines are
    // out (3.4): both end at 3.8.
    expect(schedule([{ chip: 'x', own: 0.4 }, { chip: 'y', own: 0.4 }, { chip: 'y', own: 0.4 }, { chip: 'x', own: 0.4 }, { chip: 'x', own: 0.4 }], base, 'end')).toBeCloseTo(3.8, 9);
  });

  it("starts a held chip's case when the holder leaves its baseline stages, not when its case ends", () => {
    const base = { x: 3, y: 1 };
    // x's baselines are out at 3 while its holder runs its own 0.4 s: the waiting worker (free
    // since 1.8) runs x's second case from 3 to 3.4, beside the holder (3-3.4).
    expect(schedule([{ chip: 'x', own: 0.4 }, { chip: 'y', own: 0.4 }, { chip: 'y', own: 0.4 }, { chip: 'x', own: 0.4 }], base)).toBeCloseTo(3.4, 9);
    // Three cases of x left: the waiting worker takes one at 3 (to 3.4), the holder one at 3.4, the
    // waiting worker the last at 3.4: all end by 3.8, as before, the last pair ending together.
    expect(schedule([{ chip: 'x', own: 0.4 }, { chip: 'y', own: 0.4 }, { chip: 'y', own: 0.4 }, { chip: 'x', own: 0.4 }, { chip: 'x', own: 0.4 }, { chip: 'x', own: 0.4 }], base)).toBeCloseTo(3.8, 9);
    // A case long beyond its baselines (x: 1 s of baselines, 3 s of its own): the other worker,
    // done with y at 1.4, runs x's second case from 1.4 to 1.8 instead of waiting for x's first to
    // end at 4 (then 4.4).
    const long = [{ chip: 'x', own: 3 }, { chip: 'y', own: 0.4 }, { chip: 'x', own: 0.4 }];
    expect(schedule(long, { x: 1, y: 1 })).toBeCloseTo(4, 9);
    expect(schedule(long, { x: 1, y: 1 }, 'end')).toBeCloseTo(4.4, 9);
  });

  it('gives the workers a smaller heap above 128x128 tiles only', () => {
    // Up to 128 x 128 = 16,384 tiles (and when no chip is known): 192 MB young, old growth 1.5x.
    const cpu = { youngMb: 192, growingPercent: 50 };
    expect(workerHeap(0)).toEqual(cpu);
    expect(workerHeap(32 * 32)).toEqual(cpu);
    expect(workerHeap(64 * 64)).toEqual(cpu);
    expect(workerHeap(128 * 128)).toEqual(cpu);
    // One row more (128 x 129 = 16,512) and 256 x 256 = 65,536: V8's default 48 MB, growth 1.25x.
    expect(workerHeap(128 * 129)).toEqual({ youngMb: 48, growingPercent: 25 });
    expect(workerHeap(256 * 256)).toEqual({ youngMb: 48, growingPercent: 25 });
  });

  it('parses option lists and refuses bad ones', () => {
    expect(parseMeshList('8x8, 16X16')).toEqual([
      [8, 8],
      [16, 16],
    ]);
    expect(parseSeedList('0,7')).toEqual([0, 7]);
    expect(parseStrategyList('direct,anneal')).toEqual(['direct', 'anneal']);
    expect(parseShard('2/8')).toEqual({ index: 2, count: 8 });
    expect(() => parseMeshList('8x8,8x8')).toThrow(/twice/);
    expect(() => parseMeshList('8by8')).toThrow(/--mesh/);
    expect(() => parseStrategyList('fastest')).toThrow(/--strategy.*fastest/);
    expect(() => parseSeedList('-1')).toThrow(/--seed/);
    for (const bad of ['0/3', '4/3', '1', 'a/b']) expect(() => parseShard(bad), bad).toThrow(/--shard/);
  });

  it('varies chip fields as further axes after the preset, the first --vary slowest', () => {
    const vary = parseVaryList(['pe.adc.bits=4,8', 'power_policy=none,unused,idle']);
    expect(vary).toEqual([
      { path: 'pe.adc.bits', values: [4, 8] },
      { path: 'power_policy', values: ['none', 'unused', 'idle'] },
    ]);
    const cases = crossProduct({ mesh: [[8, 8]], preset: [null], vary, strategy: ['direct'], seed: [1], objective: 'makespan' });
    // 2 x 3 points
    expect(cases.map((c) => c.settings.map((s) => s.value))).toEqual([
      [4, 'none'],
      [4, 'unused'],
      [4, 'idle'],
      [8, 'none'],
      [8, 'unused'],
      [8, 'idle'],
    ]);
    expect(cases[1]!.key).toBe('mesh=8x8;preset=spec;pe.adc.bits=4;power_policy=unused;strategy=direct;objective=makespan;seed=1');
    expect(new Set(cases.map((c) => c.key)).size).toBe(6);
    // Without --vary the keys are those of earlier sweeps.
    expect(crossProduct(axes)[0]!.key).toBe('mesh=8x8;preset=spec;strategy=direct;objective=makespan;seed=1');
  });

  it('refuses malformed --vary options', () => {
    expect(() => parseVaryList(['pe.adc.bits'])).toThrow(/--vary expects <field.path>=v1,v2/);
    expect(() => parseVaryList(['pe.adc.bits=4,,8'])).toThrow(/--vary pe\.adc\.bits expects a comma-separated list/);
    expect(() => parseVaryList(['pe.adc.bits=4,4'])).toThrow(/lists '4' twice/);
    expect(() => parseVaryList(['pe.adc.bits=4', 'pe.adc.bits=6'])).toThrow(/--vary lists 'pe\.adc\.bits' twice/);
    expect(() => parseVaryList(['pe.adc=4', 'pe.adc.bits=6'])).toThrow(/inside --vary pe\.adc/);
    expect(() => parseVaryList(['9bad=1'])).toThrow(/--vary expects/);
  });
});
