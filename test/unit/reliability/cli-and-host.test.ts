/**
 * The app (browser-mode host) and the command line on one project at once, and the CLI killed
 * mid-run: `retile run <project.retile>` saves into the same file the host writes to. Every run
 * of both lands finished, the file passes the integrity check; a CLI killed with SIGKILL leaves
 * its run `running` in the file, which the next `retile runs` reports interrupted without writing
 * and the next CLI command that writes (or the next host start) marks interrupted.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, listRuns } from '../../../src-main/store';
import { CLI } from '../../helpers';
import { hostFixture, until, type RunRow } from './host-process';

const fixture = hostFixture('retile-cli-host-');
const host = fixture.host;
const tmp = { get dir() { return fixture.dir(); } };

function cli(args: string[], cwd: string) {
  const proc = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout.on('data', (c) => (out += c));
  proc.stderr.on('data', (c) => (err += c));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal, out, err })),
  );
  return { proc, done };
}

function makeProject(ws: string, name: string): string {
  mkdirSync(ws, { recursive: true });
  const spec = join(ws, `${name}.json`);
  writeFileSync(spec, JSON.stringify({ chip: { preset: 'isaac', mesh: '8x8' }, tenants: [{ model: 'lenet5', batch: 2 }, { model: 'resnet20-cifar', batch: 2 }] }));
  return spec;
}

const statuses = (file: string) => {
  const db = openDatabase(file);
  try {
    return { runs: listRuns(db).map((r) => ({ id: r.id, status: r.status })), integrity: db.pragma('integrity_check', { simple: true }) };
  } finally {
    db.close();
  }
};

describe('the app and the CLI on one project', () => {
  it('runs from both at once all land; the file stays consistent', async () => {
    const ws = join(tmp.dir, 'ws-both');
    const spec = makeProject(ws, 'both');
    const created = await cli(['new', 'both.retile', '--from', spec, '--json'], ws).done;
    expect(created.code, created.err).toBe(0);
    const h = await host(ws);
    const project = 'both.retile';
    const fromCli = [1, 2, 3].map((seed) => cli(['run', project, '--strategy', 'direct', '--seed', String(seed), '--json'], ws).done);
    const fromApp = [1, 2, 3].map((seed) => h.call('startRun', { project, strategy: 'direct', objective: 'makespan', seed }));
    const cliResults = await Promise.all(fromCli);
    for (const r of cliResults) expect(r.code, r.err).toBe(0);
    await Promise.all(fromApp);
    const runs = await until(
      () => h.call<RunRow[]>('listRuns', { project }),
      (rs) => rs.length === 6 && rs.every((r) => r.status !== 'running'),
      60_000,
      100,
    );
    expect(runs.map((r) => r.status)).toEqual(Array(6).fill('finished'));
    // Same chip, tenants and strategy: every run, from either side, has the same makespan.
    expect(new Set(runs.map((r) => r.headline)).size).toBe(1);
    await h.kill('SIGTERM');
    expect(statuses(join(ws, project)).integrity).toBe('ok');
  }, 120_000);

  it('a CLI run killed with SIGKILL is reported interrupted by the next CLI, marked so by its next write, and by the host', async () => {
    const ws = join(tmp.dir, 'ws-kill');
    const spec = makeProject(ws, 'killed');
    expect((await cli(['new', 'killed.retile', '--from', spec], ws).done).code).toBe(0);
    const file = join(ws, 'killed.retile');
    expect((await cli(['run', 'killed.retile', '--strategy', 'direct'], ws).done).code).toBe(0);
    const run = cli(['run', 'killed.retile', '--strategy', 'anneal'], ws);
    await until(
      async () => statuses(file).runs,
      (rs) => rs.some((r) => r.status === 'running'),
      30_000,
      5,
    );
    run.proc.kill('SIGKILL');
    expect((await run.done).signal).toBe('SIGKILL');
    const after = statuses(file);
    expect(after.integrity).toBe('ok');
    expect(after.runs.map((r) => r.status)).toEqual(['finished', 'running']);
    // `retile runs` only reads: it reports the dead run interrupted and leaves the file as it is.
    const listed = await cli(['runs', 'killed.retile', '--json'], ws).done;
    expect(listed.code, listed.err).toBe(0);
    expect(JSON.parse(listed.out).map((r: { status: string; message: string | null }) => [r.status, r.message])).toEqual([
      ['finished', null],
      ['interrupted', 'Retile stopped before the run finished'],
    ]);
    expect(statuses(file).runs.map((r) => r.status)).toEqual(['finished', 'running']);
    // The next CLI command that writes marks it in the file.
    expect((await cli(['run', 'killed.retile', '--strategy', 'direct'], ws).done).code).toBe(0);
    expect(statuses(file).runs.map((r) => r.status)).toEqual(['finished', 'interrupted', 'finished']);
    const h = await host(ws);
    const runs = await h.call<RunRow[]>('listRuns', { project: 'killed.retile' });
    expect(runs.map((r) => r.status)).toEqual(['finished', 'interrupted', 'finished']);
    await h.kill('SIGTERM');
  }, 120_000);
});
