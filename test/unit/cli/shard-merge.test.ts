/**
 * Scale-out: a sweep run as 3 shards in parallel processes and merged equals the unsharded sweep
 * (same cases, same order, same results apart from wall time); merge refuses duplicates and
 * shards of another study.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { listRuns, loadRunResult, openDatabase } from '../../../src-main/store';
import { tempDir } from '../../helpers';
import { retile, retileAsync, SMALL_SPEC, withoutSeconds, writeSpec } from './cli-helpers';

const tmp = tempDir('retile-cli-shard-');
// One small mesh: sharding and merging do not depend on the chip, and 4x4 runs are the cheapest.
const AXES = ['--mesh', '4x4', '--strategy', 'direct,operator', '--seed', '1,2,3,4'];
let spec: string;
const shardFiles = [1, 2, 3].map((i) => join(tmp.dir, `shard-${i}.retile`));
const merged = join(tmp.dir, 'merged.retile');
const whole = join(tmp.dir, 'whole.retile');

beforeAll(async () => {
  spec = writeSpec(tmp.dir);
  const shards = await Promise.all([1, 2, 3].map((i) => retileAsync(['sweep', spec, ...AXES, '--workers', '1', '--shard', `${i}/3`, '--out', shardFiles[i - 1]!, '--json'])));
  for (const s of shards) expect(s.status, s.stderr).toBe(0);
  // 2 strategies x 4 seeds = 8 cases over 3 shards round-robin: 3, 3, 2
  expect(shards.map((s) => JSON.parse(s.stdout).length)).toEqual([3, 3, 2]);
  const w = await retileAsync(['sweep', spec, ...AXES, '--workers', '2', '--out', whole, '--json']);
  expect(w.status, w.stderr).toBe(0);
}, 180_000);
afterAll(() => tmp.cleanup());

/**
 * Every run of a project with its sweep case, settings, inputs and result, read from the file
 * (merge is under test here; `runs` and `show` have their own tests).
 */
function runsWithResults(file: string) {
  const db = openDatabase(file, { readonly: true });
  try {
    return listRuns(db).map((r) => {
      const settings = r.settings as { sweep: Record<string, unknown> & { case: number } };
      return {
      case: settings.sweep.case,
      status: r.status,
      settings,
      inputs: r.inputs,
      result: r.status === 'finished' ? withoutSeconds(loadRunResult(db, r.id) as unknown as Record<string, unknown>) : null,
      };
    });
  } finally {
    db.close();
  }
}

describe('retile sweep --shard + retile merge', () => {
  it('merges the shards into the unsharded sweep', () => {
    const r = retile(['merge', merged, ...shardFiles, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ runs: 8, sweep_cases: 8, missing_cases: [], unfinished_runs: [], complete: true });
    const a = runsWithResults(merged);
    const b = runsWithResults(whole);
    expect(a.map((x) => x.case)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // Settings differ only in the shard they name.
    const strip = (x: (typeof a)[number]) => ({ ...x, settings: { ...x.settings, sweep: { ...x.settings.sweep, shard: null } } });
    expect(a.map(strip)).toEqual(b.map(strip));
  });

  it('refuses a duplicate shard, the same case twice and an existing output', () => {
    const twice = retile(['merge', join(tmp.dir, 'm1.retile'), shardFiles[0]!, shardFiles[0]!]);
    expect(twice.status).toBe(2);
    expect(twice.stderr).toMatch(/shard-1\.retile: given twice/);

    const copy = join(tmp.dir, 'shard-1-copy.retile');
    copyFileSync(shardFiles[0]!, copy);
    const dup = retile(['merge', join(tmp.dir, 'm2.retile'), shardFiles[0]!, copy]);
    expect(dup.status).toBe(2);
    expect(dup.stderr).toMatch(/shard-1-copy\.retile: run #1 duplicates sweep case 0/);
    expect(existsSync(join(tmp.dir, 'm2.retile'))).toBe(false);

    expect(retile(['merge', merged, shardFiles[0]!]).status).toBe(2);
  });

  it('refuses shards of another study, naming the file and field', () => {
    const otherSpec = writeSpec(tmp.dir, { ...SMALL_SPEC, tenants: [{ ...SMALL_SPEC.tenants[0], batch: 3 }, SMALL_SPEC.tenants[1]] }, 'other.json');
    const other = join(tmp.dir, 'other.retile');
    expect(retile(['sweep', otherSpec, ...AXES, '--shard', '2/3', '--out', other]).status).toBe(0);
    const r = retile(['merge', join(tmp.dir, 'm3.retile'), shardFiles[0]!, other]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/other\.retile: field 'tenants\.0\.batch' differs from .*shard-1\.retile/);

    const axes = join(tmp.dir, 'axes.retile');
    expect(retile(['sweep', spec, '--mesh', '8x8', '--strategy', 'direct', '--shard', '2/3', '--out', axes]).status).toBe(0);
    const s = retile(['merge', join(tmp.dir, 'm4.retile'), shardFiles[0]!, axes]);
    expect(s.status).toBe(2);
    expect(s.stderr).toMatch(/axes\.retile: field 'sweep\.mesh/);
  });

  it('reports cases no shard holds and exits 1 unless told to accept them', () => {
    const r = retile(['merge', join(tmp.dir, 'partial.retile'), shardFiles[0]!, shardFiles[2]!, '--json']);
    expect(r.status).toBe(1);
    // shard 2 of 3 holds cases 1, 4, 7
    expect(JSON.parse(r.stdout)).toMatchObject({ missing_cases: [1, 4, 7], complete: false });
    expect(r.stderr).toMatch(/3 of 8 sweep case\(s\) are in no shard/);
    const ok = retile(['merge', join(tmp.dir, 'partial-ok.retile'), shardFiles[0]!, shardFiles[2]!, '--accept-incomplete']);
    expect(ok.status, ok.stderr).toBe(0);
  });

  it('reports runs that did not finish, and a re-run shard merges again with --replace', () => {
    // A task cut short by the time limit leaves an interrupted run in its shard (simulated on a copy).
    const cut = join(tmp.dir, 'shard-1-cut.retile');
    copyFileSync(shardFiles[0]!, cut);
    const db = new Database(cut);
    db.exec('DROP TRIGGER runs_finished_immutable');
    db.prepare("UPDATE runs SET status = 'interrupted' WHERE id = 2").run();
    db.close();
    const out = join(tmp.dir, 'remerge.retile');
    const first = retile(['merge', out, cut, shardFiles[1]!, shardFiles[2]!, '--json']);
    expect(first.status).toBe(1);
    // shard 1 of 3 holds cases 0, 3, 6: its second run is case 3
    expect(JSON.parse(first.stdout).unfinished_runs).toEqual([{ case: 3, status: 'interrupted', shard: cut }]);
    expect(first.stderr).toMatch(/1 run\(s\) did not finish: case 3 interrupted/);
    // Merging again into the same file is refused without --replace, and leaves it as it was.
    expect(retile(['merge', out, ...shardFiles]).status).toBe(2);
    expect(runsWithResults(out).map((x) => x.status)).toContain('interrupted');
    // After re-running that shard, --replace gives the complete merge.
    const again = retile(['merge', out, ...shardFiles, '--replace', '--json']);
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ runs: 8, missing_cases: [], unfinished_runs: [], complete: true });
    expect(runsWithResults(out).map((x) => x.status)).toEqual(Array(8).fill('finished'));
  }, 180_000);
});
