/**
 * Crash safety with the real host process (browser-mode server: service, engine worker, store):
 * SIGKILL during a run and at three moments of a burst of saves. Afterwards the project file
 * passes SQLite's integrity check, every run finished before the kill is intact (same status,
 * same stored result), no finished run lacks its results (a run and its results commit in one
 * transaction), and the killed run is marked interrupted when Retile starts again.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase, getRunResults, listRuns } from '../../../src-main/store';
import { hostFixture, until, type RunRow } from './host-process';
import { collaborativeRun, directRun, tinyProject } from '../../jobs';

const fixture = hostFixture('retile-crash-');
const host = fixture.host;
const tmp = { get dir() { return fixture.dir(); } };

/** Opens the file as a fresh process would (WAL recovery included) and checks it. */
function inspect(file: string) {
  const db = openDatabase(file);
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    const runs = listRuns(db).map((r) => ({ id: r.id, status: r.status, results: JSON.stringify(getRunResults(db, r.id)) }));
    return { integrity, runs };
  } finally {
    db.close();
  }
}

describe('crash safety (SIGKILL of the host process)', () => {
  it('a run killed mid-way: earlier runs intact, the killed run interrupted, integrity ok', async () => {
    const ws = join(tmp.dir, 'ws1');
    const a = await host(ws);
    const project = await tinyProject(a.call, 'crash');
    await a.call('addZooTenant', { project, model: 'resnet20-cifar', batch: 2 });
    for (const seed of [1, 2, 3]) await a.call('startRun', directRun(project, seed));
    const done = await until(
      () => a.call<RunRow[]>('listRuns', { project }),
      (rs) => rs.length === 3 && rs.every((r) => r.status !== 'running'),
    );
    expect(done.map((r) => r.status)).toEqual(['finished', 'finished', 'finished']);
    const before = inspect(join(ws, project));

    // A long run (three ImageNet CNNs more, placed collaboratively: seconds), killed once it is under way.
    for (const model of ['resnet18', 'mobilenet_v2', 'squeezenet1_1']) await a.call('addZooTenant', { project, model, batch: 4 });
    const { runId } = await a.call<{ runId: number }>('startRun', collaborativeRun(project));
    await until(
      () => a.call<{ runId: number; fraction: number }[]>('listJobs'),
      (js) => js.some((j) => j.runId === runId && j.fraction > 0),
    );
    expect(await a.kill('SIGKILL')).toBeNull(); // killed by the signal, no exit code

    // Before any Retile starts: the file is consistent and the run still says `running`.
    const after = inspect(join(ws, project));
    expect(after.integrity).toBe('ok');
    expect(after.runs.slice(0, 3)).toEqual(before.runs);
    expect(after.runs[3]).toMatchObject({ id: runId, status: 'running', results: '{}' });

    // The next start marks it interrupted and leaves the rest alone.
    const b = await host(ws);
    const runs = await b.call<RunRow[]>('listRuns', { project });
    expect(runs.map((r) => r.status)).toEqual(['finished', 'finished', 'finished', 'interrupted']);
    expect(runs[3]!.id).toBe(runId);
    await b.kill('SIGTERM');
    const final = inspect(join(ws, project));
    expect(final.integrity).toBe('ok');
    expect(final.runs.slice(0, 3)).toEqual(before.runs);
  }, 120_000);

  it('killed at three moments of a burst of saves: committed runs survive, no half-saved run', async () => {
    const ws = join(tmp.dir, 'ws2');
    const project = 'burst.retile';
    let committed: { id: number; status: string; results: string }[] = [];
    let cut = 0;
    // Kill delays (ms after the burst's first run finished), spread over the rest of the burst.
    const delays = [0, 35, 120];
    for (const [i, delay] of delays.entries()) {
      const h = await host(ws);
      if (i === 0) expect(await tinyProject(h.call, 'burst')).toBe(project);
      // Many short runs (each a save of a running row, then results + status in one transaction) and tenant edits.
      const finishedBefore = (await h.call<RunRow[]>('listRuns', { project })).filter((r) => r.status === 'finished').length;
      const burst = [
        // Direct runs of lenet5 on an 8x8 chip, one after another: the burst lasts well past the kill.
        ...Array.from({ length: 60 }, (_, k) => h.call('startRun', directRun(project, k)).catch(() => undefined)),
        ...Array.from({ length: 10 }, (_, k) => h.call('updateTenant', { project, id: 1, batch: 1 + k }).catch(() => undefined)),
      ];
      // Independent of machine load: kill only once this burst is saving runs.
      await until(
        () => h.call<RunRow[]>('listRuns', { project }),
        (rs) => rs.filter((r) => r.status === 'finished').length > finishedBefore,
        30_000,
        5,
      );
      await new Promise((r) => setTimeout(r, delay));
      await h.kill('SIGKILL');
      await Promise.allSettled(burst);

      const seen = inspect(join(ws, project));
      expect(seen.integrity, `kill ${i}`).toBe('ok');
      // Every run committed before an earlier kill is still there, unchanged (interrupted ones were marked at the restart).
      const byId = new Map(seen.runs.map((r) => [r.id, r]));
      for (const r of committed) expect(byId.get(r.id), `kill ${i}, run ${r.id}`).toEqual(r);
      // A finished run always has its results: never a finished row without them.
      for (const r of seen.runs) if (r.status === 'finished') expect(JSON.parse(r.results), `run ${r.id}`).toHaveProperty('result.makespan_s');
      // Runs left `running` now are marked interrupted by the next start; remember the rest as committed.
      committed = seen.runs.filter((r) => r.status !== 'running');
      cut += seen.runs.filter((r) => r.status === 'running').length;
    }
    const last = await host(ws);
    const runs = await last.call<RunRow[]>('listRuns', { project });
    // Not vacuous: kills landed while runs were in flight, and runs did finish between kills.
    expect(cut).toBeGreaterThan(0);
    expect(runs.filter((r) => r.status === 'finished').length).toBeGreaterThan(0);
    expect(runs.some((r) => r.status === 'running')).toBe(false);
    await last.kill('SIGTERM');
    expect(inspect(join(ws, project)).integrity).toBe('ok');
  }, 240_000);
});
