/** `retile sweep` on a real spec: cases, saved runs, agreement with `retile run`, exit statuses 1 and 2. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { tempDir } from '../../helpers';
import { retile, SMALL_SPEC, withoutSeconds, writeSpec } from './cli-helpers';

const tmp = tempDir('retile-cli-sweep-');
let spec: string;
afterAll(() => tmp.cleanup());
beforeAll(() => {
  spec = writeSpec(tmp.dir);
});

describe('retile sweep', () => {
  it('runs the cross product and saves every case as a run', () => {
    const out = join(tmp.dir, 'sweep.retile');
    const r = retile(['sweep', spec, '--mesh', '4x4,8x8', '--strategy', 'direct,operator', '--workers', '2', '--out', out, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const cases = JSON.parse(r.stdout);
    // 2 meshes x 2 strategies, mesh varying slowest
    expect(cases.map((c: { case: number; mesh: string; strategy: string; seed: number; run_id: number }) => [c.case, c.mesh, c.strategy, c.seed, c.run_id])).toEqual([
      [0, '4x4', 'direct', 1, 1],
      [1, '4x4', 'operator', 1, 2],
      [2, '8x8', 'direct', 1, 3],
      [3, '8x8', 'operator', 1, 4],
    ]);
    for (const c of cases) {
      expect(c.status).toBe('finished');
      for (const k of ['makespan_s', 'energy_j', 'speedup_vs_direct']) expect(c[k], k).toBeGreaterThan(0);
    }
    // A direct case is its own baseline.
    expect(cases[0].speedup_vs_direct).toBe(1);
    // Not a terminal: one plain progress line per case on stderr, nothing but JSON on stdout.
    expect(r.stderr.match(/^\[\d\/4\] /gm)).toHaveLength(4);

    const runs = JSON.parse(retile(['runs', out, '--json']).stdout);
    expect(runs.map((x: { id: number; status: string; sweep_case: number }) => [x.id, x.status, x.sweep_case])).toEqual([
      [1, 'finished', 0],
      [2, 'finished', 1],
      [3, 'finished', 2],
      [4, 'finished', 3],
    ]);
    expect(runs.map((x: { makespan_s: number }) => x.makespan_s)).toEqual(cases.map((c: { makespan_s: number }) => c.makespan_s));

    // The saved case equals the same run made by `retile run` in-process (apart from wall time).
    const single = retile(['run', spec, '--mesh', '8x8', '--strategy', 'operator', '--json']);
    expect(single.status, single.stderr).toBe(0);
    const saved = JSON.parse(retile(['show', out, '--run', '4', '--json']).stdout).result;
    expect(withoutSeconds(saved)).toEqual(withoutSeconds(JSON.parse(single.stdout)));
  });

  it('uses the spec strategy and seed when no list is given, and prints a table', () => {
    const r = retile(['sweep', spec, '--mesh', '4x4', '--out', join(tmp.dir, 'defaults.retile')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/operator/); // SMALL_SPEC.strategy
    expect(r.stdout).toMatch(/4x4/);
  });

  it('exits 1 when a run fails, keeping the failure in the project', () => {
    const out = join(tmp.dir, 'failed.retile');
    // A simulation always has more than one event, so a limit of 1 fails every case.
    const r = retile(['sweep', spec, '--mesh', '4x4', '--strategy', 'direct,operator', '--out', out, '--json'], { env: { RETILE_MAX_SIM_EVENTS: '1' } });
    expect(r.status).toBe(1);
    const cases = JSON.parse(r.stdout);
    expect(cases.map((c: { status: string }) => c.status)).toEqual(['failed', 'failed']);
    expect(cases[0].message).toMatch(/maxSimEvents/);
    expect(r.stderr).toMatch(/case 0 \(4x4 direct seed 1\) failed/);
    const runs = JSON.parse(retile(['runs', out, '--json']).stdout);
    expect(runs.map((x: { status: string }) => x.status)).toEqual(['failed', 'failed']);
  });

  it('refuses bad usage and bad input before running anything (exit 2)', () => {
    const cases: [string[], RegExp][] = [
      [['--mesh', '8x8,bad'], /--mesh/],
      [['--mesh', '1x1'], /spec\.json, field 'mesh': mesh 1x1/],
      [['--strategy', 'fastest'], /--strategy.*fastest/],
      [['--preset', 'tpu'], /--preset.*tpu/],
      [['--shard', '4/3'], /--shard/],
      [['--workers', '0'], /--workers/],
    ];
    for (const [args, message] of cases) {
      const out = join(tmp.dir, 'never.retile');
      const r = retile(['sweep', spec, ...args, '--out', out]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    const missing = retile(['sweep', join(tmp.dir, 'missing.json')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/missing\.json/);
    // An existing project of another study is not mixed with this one.
    const other = writeSpec(tmp.dir, { ...SMALL_SPEC, tenants: [{ model: 'lenet5' }] }, 'other.json');
    const r = retile(['sweep', other, '--mesh', '4x4', '--out', join(tmp.dir, 'sweep.retile')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/sweep\.retile.*differ/);
  });
});
