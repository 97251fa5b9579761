/**
 * A short soak of the real browser-mode server process: `npm run soak` (scripts/soak-server.mjs)
 * for a few seconds, the same script a long soak runs for minutes. Malformed and half-sent
 * requests, refused calls (no token, foreign Host), event-stream clients that drop, and runs
 * started and cancelled on two projects, all at once: the script exits 0 only if the server
 * lived, answered every well-formed call without a 5xx and every run ended finished, failed or
 * cancelled.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers';

describe('server soak (short)', () => {
  it('lives through malformed, refused and concurrent requests, dropped event streams and cancelled runs', () => {
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/soak-server.mjs'), '--seconds', '6'], { encoding: 'utf8', timeout: 150_000 });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    const summary = JSON.parse(r.stdout) as { counts: Record<string, number>; runs: Record<string, number>; server_alive_to_the_end: boolean; problems: string[] };
    expect(summary.problems).toEqual([]);
    expect(summary.server_alive_to_the_end).toBe(true);
    const tried = (prefix: string) => Object.entries(summary.counts).filter(([k]) => k.startsWith(prefix)).reduce((n, [, v]) => n + v, 0);
    for (const kind of ['malformed', 'refused', 'events dropped', 'bad-args', 'foreign host', 'runs started']) expect(tried(kind), kind).toBeGreaterThan(0);
    expect(Object.keys(summary.runs).every((s) => ['finished', 'failed', 'cancelled'].includes(s))).toBe(true);
  }, 180_000);
});
