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
    // Direct places one layer per tile: resnet20-cifar's 20-odd layers exceed 4x4's 16 tiles, so that
    // case reprograms every repetition and reports its wear; on 8x8 both tenants fit and stay resident.
    expect(cases[0].writes.lifetime_h).toBeGreaterThan(0);
    expect(cases[0].writes.writes_per_cell_per_hour).toBeCloseTo((cases[0].writes.max_writes_per_cell_per_cycle * 3600) / cases[0].makespan_s, 6);
    expect(cases[2].writes).toBeNull();
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
    const single = retile(['run', spec, '--mesh', '4x4', '--strategy', 'operator', '--json']);
    expect(single.status, single.stderr).toBe(0);
    const saved = JSON.parse(retile(['show', out, '--run', '2', '--json']).stdout).result;
    expect(withoutSeconds(saved)).toEqual(withoutSeconds(JSON.parse(single.stdout)));
    // The row's writes are the stored run's.
    expect(JSON.parse(retile(['show', out, '--run', '1', '--json']).stdout).result.writes).toEqual(cases[0].writes);
  });

  it.each(['direct,operator,tenant', 'operator,direct,tenant'])('gives the same runs with one worker and two, where the second takes cases of a chip the first began (%s)', (strategies) => {
    // One chip, three strategies: the first worker runs the first case (the chip's baselines),
    // the second waits until that case leaves its baseline stages and then runs a case of that
    // chip with the baselines it was sent; the first case's alone runs reach it while its case
    // runs (after a direct case's baselines at once, after an operator case's candidates later,
    // when the second worker may have simulated them itself: one result either way).
    const runs = [1, 2].map((workers) => {
      const out = join(tmp.dir, `workers-${workers}-${strategies.replaceAll(',', '-')}.retile`);
      const r = retile(['sweep', spec, '--mesh', '8x8', '--strategy', strategies, '--workers', String(workers), '--out', out, '--json']);
      expect(r.status, r.stderr).toBe(0);
      const rows = JSON.parse(r.stdout).map(({ seconds: _s, ...row }: Record<string, unknown>) => row);
      const docs = rows.map((row: { run_id: number }) => {
        const doc = JSON.parse(retile(['export', out, '--run', String(row.run_id), '--format', 'json']).stdout);
        const { created_at: _c, finished_at: _f, ...run } = doc.run;
        return { ...doc, run, result: withoutSeconds(doc.result) };
      });
      const csv = rows.map((row: { run_id: number }) => retile(['export', out, '--run', String(row.run_id), '--format', 'csv', '--table', 'summary']).stdout.replace(/,[^,\n]*\n?$/, ''));
      return { rows, docs, csv };
    });
    expect(runs[0]!.rows).toHaveLength(3);
    // Clock fields aside (seconds, events_per_s, the run's times): the same in every field.
    expect(runs[1]).toEqual(runs[0]);
  });

  it('uses the spec strategy and seed when no list is given, and prints a table', () => {
    const r = retile(['sweep', spec, '--mesh', '4x4', '--out', join(tmp.dir, 'defaults.retile')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/operator/); // SMALL_SPEC.strategy
    expect(r.stdout).toMatch(/4x4/);
  });

  it('varies a chip field: each case reports its value and the ADC energy follows the ADC model', () => {
    const out = join(tmp.dir, 'vary.retile');
    const r = retile(['sweep', spec, '--mesh', '4x4', '--strategy', 'direct', '--vary', 'pe.adc.bits=4,8', '--out', out, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const cases = JSON.parse(r.stdout);
    expect(cases.map((c: { case: number; vary: unknown }) => [c.case, c.vary])).toEqual([
      [0, { 'pe.adc.bits': 4 }],
      [1, { 'pe.adc.bits': 8 }],
    ]);
    expect(r.stderr).toMatch(/#0 4x4 pe\.adc\.bits=4 direct seed 1/);
    const shown = [1, 2].map((id) => JSON.parse(retile(['show', out, '--run', String(id), '--json']).stdout));
    expect(shown.map((s) => s.settings.vary)).toEqual([{ 'pe.adc.bits': 4 }, { 'pe.adc.bits': 8 }]);
    expect(shown.map((s) => s.inputs.chip.spec.pe.adc.bits)).toEqual([4, 8]);
    const [b4, b8] = shown.map((s) => s.result.energy_breakdown_j);
    // The mapping does not depend on ADC bits, so both cases make the same conversions. Energy per
    // conversion: 0.79 pJ at 4 bits, 1.67 pJ at 8 bits (Accelergy's ISAAC ADC table, Kull et al.).
    expect(b4.adc / b8.adc).toBeCloseTo(0.79 / 1.67, 4);
    // Shift-and-add: width 4 + 16 = 20 bits against 8 + 16 = 24, over a conversion of 4 + 2 = 6
    // steps against 10 (the S+A units keep pace with the ADC): (20 / 24) x (6 / 10) = 0.5.
    expect(b4.sa / b8.sa).toBeCloseTo(0.5, 6);
    // The crossbars and DACs do not depend on ADC bits.
    expect(b4.crossbar).toBe(b8.crossbar);
    expect(b4.dac).toBe(b8.dac);
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
      [['--vary', 'pe.adc.bitz=4,8'], /spec\.json with --vary pe\.adc\.bitz=4, field 'pe\.adc\.bitz': no chip-spec field 'pe\.adc\.bitz'/],
      [['--vary', 'pe.adc.bits=4,-3'], /spec\.json with --vary pe\.adc\.bits=-3, field 'pe\.adc\.bits'/],
      [['--vary', 'pe.adc.bits'], /--vary expects <field\.path>=v1,v2/],
      [['--vary', 'technology_nm=32,22'], /technology_nm cannot be set/],
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
