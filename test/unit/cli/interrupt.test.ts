/**
 * Ctrl-C (SIGINT) and SIGTERM stop every long command of the built CLI, run as a subprocess:
 * `run` (spec and project), `study`, `sweep`, `simulate` and `serve` exit 130 without printing a result,
 * and a project they were writing stays consistent: no run left `running`, integrity ok.
 * Each command is signalled once it has said on stderr that its work started, while that work
 * still has seconds to go. How fast they stop is measured in bench/responsiveness.ts, not here.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { openDatabase } from '../../../src-main/store';
import { CLI, REPO_ROOT, tempDir } from '../../helpers';
import { retile, writeSpec } from './cli-helpers';

const tmp = tempDir('retile-cli-signal-');
afterAll(() => tmp.cleanup());

const FOUR = join(REPO_ROOT, 'projects/examples/four-tenant-mix.json');

interface Stopped {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Spawns the CLI, waits until stderr matches `started`, sends `signal`, and resolves on exit. */
function signalled(args: string[], started: RegExp, signal: NodeJS.Signals): Promise<Stopped> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: tmp.dir });
  let stdout = '';
  let stderr = '';
  let sent = false;
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => {
    stderr += d;
    if (!sent && started.test(stderr)) {
      sent = true;
      // A moment into the work, so the signal lands in the engine, not in start-up.
      setTimeout(() => child.kill(signal), 300);
    }
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

function runsOf(file: string): { status: string; message: string | null }[] {
  const db = openDatabase(file);
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    return db.prepare('SELECT status, message FROM runs ORDER BY id').all() as { status: string; message: string | null }[];
  } finally {
    db.close();
  }
}

describe('signals stop long commands with exit 130', () => {
  it.each([
    ['SIGINT', 'interrupted \\(Ctrl-C\\)'],
    ['SIGTERM', 'stopped by SIGTERM'],
  ] as const)('run <spec.json> (%s)', async (signal, said) => {
    const r = await signalled(['run', FOUR], /running collaborative on isaac 32x32/, signal);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`retile: ${said}`));
  }, 120_000);

  it('study --quick (SIGINT): no table, no files', async () => {
    const r = await signalled(['study', '--quick', '--out', 'study-out'], /study: 5 case\(s\)/, 'SIGINT');
    expect(r.code, r.stderr).toBe(130);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/wrote /);
  }, 120_000);

  it('simulate (SIGTERM)', async () => {
    const r = await signalled(['simulate', 'resnet50', 'vgg16', '--chip', 'isaac', '--mesh', '64x64', '--batch', '64'], /simulating 2 tenant\(s\)/, 'SIGTERM');
    expect(r.code, r.stderr).toBe(130);
    expect(r.stdout).toBe('');
  }, 120_000);

  it('serve (SIGTERM)', async () => {
    const r = await signalled(['serve', FOUR, '--rate', '50', '--requests', '20000'], /serving 4 tenant\(s\)/, 'SIGTERM');
    expect(r.code, r.stderr).toBe(130);
    expect(r.stdout).toBe('');
  }, 120_000);

  it('run <file.retile> (SIGINT): the run is saved as interrupted', async () => {
    const project = join(tmp.dir, 'four.retile');
    expect(retile(['new', project, '--from', FOUR]).status).toBe(0);
    const r = await signalled(['run', project], /running collaborative on 32x32/, 'SIGINT');
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/1 unfinished run\(s\) marked interrupted/);
    expect(runsOf(project)).toEqual([{ status: 'interrupted', message: expect.stringMatching(/Ctrl-C/) }]);
  }, 120_000);

  it.each(['SIGINT', 'SIGTERM'] as const)('sweep (%s): unfinished runs interrupted, the rest finished', async (signal) => {
    const spec = writeSpec(tmp.dir);
    const out = join(tmp.dir, `sweep-${signal}.retile`);
    // 8 cases of tenant-level and collaborative partitioning take seconds each: still running when the signal comes.
    const r = await signalled(['sweep', spec, '--mesh', '12x12,16x16,20x20,24x24', '--strategy', 'tenant,collaborative', '--workers', '2', '--out', out], /sweep: 8 case\(s\)/, signal);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/\d unfinished run\(s\) marked interrupted/);
    const runs = runsOf(out);
    expect(runs).toHaveLength(8);
    expect(runs.filter((x) => x.status !== 'finished' && x.status !== 'interrupted')).toEqual([]);
    const interrupted = runs.filter((x) => x.status === 'interrupted');
    expect(interrupted.length).toBeGreaterThan(0);
    for (const x of interrupted) expect(x.message).toMatch(signal === 'SIGINT' ? /Ctrl-C/ : /SIGTERM/);
  }, 120_000);
});
