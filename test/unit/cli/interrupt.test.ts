/** Ctrl-C: a real SIGINT to a sweep stops its workers promptly, exits 130 and leaves no run `running`. */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CLI, tempDir } from '../../helpers';
import { retile, writeSpec } from './cli-helpers';

const tmp = tempDir('retile-cli-sigint-');
afterAll(() => tmp.cleanup());

describe('interrupting a sweep', () => {
  it('exits 130 within a second and marks unfinished runs interrupted', async () => {
    const spec = writeSpec(tmp.dir);
    const out = join(tmp.dir, 'interrupted.retile');
    // 8 cases of tenant-level and collaborative partitioning take seconds each: still running when the signal comes.
    const child = spawn(process.execPath, [CLI, 'sweep', spec, '--mesh', '12x12,16x16,20x20,24x24', '--strategy', 'tenant,collaborative', '--workers', '2', '--out', out]);
    let stderr = '';
    const started = new Promise<void>((resolve) =>
      child.stderr.on('data', (d) => {
        stderr += d;
        if (stderr.includes('sweep: 8 case(s)')) resolve();
      }),
    );
    const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.on('exit', (code) => resolve({ code, at: Date.now() })));
    await started;
    await new Promise((r) => setTimeout(r, 800));
    const sent = Date.now();
    child.kill('SIGINT');
    const { code, at } = await exited;
    expect(code).toBe(130);
    expect(at - sent).toBeLessThan(1000);
    expect(stderr).toMatch(/interrupted; \d unfinished run\(s\) marked interrupted/);

    const runs = JSON.parse(retile(['runs', out, '--json']).stdout) as { status: string; message: string | null }[];
    expect(runs).toHaveLength(8);
    expect(runs.filter((r) => r.status === 'running')).toEqual([]);
    const interrupted = runs.filter((r) => r.status === 'interrupted');
    expect(interrupted.length).toBeGreaterThan(0);
    for (const r of interrupted) expect(r.message).toMatch(/Ctrl-C/);
  }, 60_000);
});
