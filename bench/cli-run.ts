/**
 * What a user waits for: whole `retile` processes, cold (a new Node process each time, start-up,
 * build check, worker thread, output and exit included), timed from outside. Per case: wall
 * seconds and the process's CPU seconds (user + system, every thread, as GNU time reports them
 * for the finished child), min and median over the repetitions, cases taken in turn (A B C A B C
 * ...) so that a drift in machine load spreads over all of them.
 *
 * With BENCH_BASE=<another checkout of Retile, built> each case also runs that checkout's CLI in
 * alternation with this one (this, base, this, base ...), and the ratio this/base is taken pair
 * by pair (min and median): the before/after figure of a change, measured the same way.
 * BENCH_CLI_CASES=<text> runs only the cases whose label contains the text; BENCH_REPS sets the
 * repetitions (default 3). Run by `npm run bench cli-run` (bench/results/cli-run.json).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What the measured processes run (scripts/bench.mjs adds it to the record's sources). */
export const MEASURES = ['assembly', 'bin', 'projects/examples', 'scripts/ensure-build.mjs', 'src-main'];

interface Case {
  label: string;
  /** `{project}` and `{spec}` stand for the small project and spec the bench writes first. */
  args: string[];
  /** The exit status the command ends with (0 unless a refusal is measured). */
  status?: number;
  /** The target for main-thread CPU on a 2-core machine, when it names one (seconds). */
  target_s?: number;
}

const CASES: Case[] = [
  { label: 'version', args: ['--version'] },
  { label: 'help', args: ['--help'] },
  { label: 'run --help', args: ['run', '--help'] },
  { label: 'refusal (missing spec)', args: ['run', 'no-such-spec.json'], status: 2 },
  { label: 'chip isaac', args: ['chip', 'isaac', '--json'] },
  { label: 'runs of a project', args: ['runs', '{project}', '--json'] },
  { label: 'small run (lenet5 direct 8x8)', args: ['run', '{spec}', '--json'] },
  { label: 'light-mix direct 32x32', args: ['run', 'projects/examples/light-mix.json', '--strategy', 'direct', '--mesh', '32x32', '--json'] },
  { label: 'four-tenant-mix 32x32', args: ['run', 'projects/examples/four-tenant-mix.json', '--json'], target_s: 0.5 },
  { label: 'four-tenant-mix 64x64', args: ['run', 'projects/examples/four-tenant-mix.json', '--mesh', '64x64', '--json'], target_s: 1 },
];

export interface Sample {
  wall_s: number;
  cpu_s: number;
  peak_mib: number;
}

/** The small spec and project the cases name (written once per bench run, read by both checkouts). */
const SMALL_SPEC = { name: 'bench small', chip: { preset: 'isaac', mesh: '8x8' }, tenants: [{ model: 'lenet5' }], strategy: 'direct', seed: 1 };
const inputs = { spec: '', project: '' };

/** One cold process of `root`'s CLI: GNU time's figures for the finished child. */
export function once(root: string, rawArgs: string[], status = 0, env: Record<string, string> = {}): Sample {
  const args = rawArgs.map((a) => (a === '{spec}' ? inputs.spec : a === '{project}' ? inputs.project : a));
  const dir = mkdtempSync(join(tmpdir(), 'retile-bench-cli-'));
  const timeFile = join(dir, 'time');
  try {
    const t0 = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-o', timeFile, '-f', '%U %S %M', process.execPath, join(root, 'bin/retile.mjs'), ...args], {
      cwd: process.cwd(),
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      env: { ...process.env, ...env },
    });
    const wall_s = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== status) throw new Error(`retile ${args.join(' ')} (${root}) exited ${r.status}: ${r.stderr.slice(-400)}`);
    const [user, sys, kb] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
    return { wall_s, cpu_s: user! + sys!, peak_mib: kb! / 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
export const summary = (xs: number[]) => ({ min: Math.min(...xs), median: median(xs), max: Math.max(...xs) });

function commitOf(root: string): string {
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

export default async function run(): Promise<object> {
  if (!existsSync('/usr/bin/time')) throw new Error('bench cli-run needs GNU time at /usr/bin/time (apt-get install time)');
  const base = process.env.BENCH_BASE;
  const reps = Number(process.env.BENCH_REPS ?? 3);
  const only = process.env.BENCH_CLI_CASES;
  const cases = CASES.filter((c) => !only || c.label.includes(only));
  const work = mkdtempSync(join(tmpdir(), 'retile-bench-inputs-'));
  inputs.spec = join(work, 'small.json');
  inputs.project = join(work, 'small.retile');
  writeFileSync(inputs.spec, JSON.stringify(SMALL_SPEC));
  // One untimed run of each CLI first: its build check may rebuild, which is not what is measured.
  once(process.cwd(), ['new', inputs.project, '--from', inputs.spec]);
  if (base) once(base, ['--help']);
  const a = new Map<string, Sample[]>(cases.map((c) => [c.label, []]));
  const b = new Map<string, Sample[]>(cases.map((c) => [c.label, []]));
  for (let i = 0; i < reps; i++) {
    for (const c of cases) {
      a.get(c.label)!.push(once(process.cwd(), c.args, c.status));
      if (base) b.get(c.label)!.push(once(base, c.args, c.status));
    }
  }
  const results = cases.map((c) => {
    const s = a.get(c.label)!;
    const row: Record<string, unknown> = {
      case: c.label,
      command: `retile ${c.args.join(' ')}`,
      target_cpu_s: c.target_s ?? null,
      wall_s: summary(s.map((x) => x.wall_s)),
      cpu_s: summary(s.map((x) => x.cpu_s)),
      peak_mib: summary(s.map((x) => x.peak_mib)),
      meets_target: c.target_s === undefined ? null : median(s.map((x) => x.cpu_s)) < c.target_s,
    };
    if (base) {
      const t = b.get(c.label)!;
      row.base = { cpu_s: summary(t.map((x) => x.cpu_s)), wall_s: summary(t.map((x) => x.wall_s)) };
      row.ratio_cpu = summary(s.map((x, k) => x.cpu_s / t[k]!.cpu_s));
      row.ratio_wall = summary(s.map((x, k) => x.wall_s / t[k]!.wall_s));
    }
    return row;
  });
  for (const r of results) {
    const cpu = r.cpu_s as ReturnType<typeof summary>;
    const ratio = r.ratio_cpu as ReturnType<typeof summary> | undefined;
    process.stdout.write(`${String(r.case).padEnd(26)} cpu median ${cpu.median.toFixed(2)} s (min ${cpu.min.toFixed(2)})` + (ratio ? `  vs base ${ratio.median.toFixed(3)}x (min ${ratio.min.toFixed(3)}x)` : '') + '\n');
  }
  rmSync(work, { recursive: true, force: true });
  return { reps, base_commit: base ? commitOf(base) : null, cases: results };
}
