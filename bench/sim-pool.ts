/**
 * A run's simulation pool (docs/performance.md, "A run's simulations on a pool of threads"): the
 * four-tenant example at 32x32 and 64x64 as whole cold `retile run` processes (bench/cli-run.ts's
 * `once`: wall clock from outside, CPU of every thread from GNU time), with the pool
 * (RETILE_SIM_WORKERS=1) and without it (RETILE_SIM_WORKERS=0), in pairs whose order alternates
 * (with, without; without, with; ...) so neither side always runs first after the other. Recorded
 * per case: min and median of each side, and the ratio with/without taken pair by pair (min,
 * median) for wall time and CPU. The machine's load is in the record: on 2 cores shared with
 * other jobs the pool thread competes for a core, so the ratios, not the seconds, are the figure.
 * BENCH_REPS sets the pairs (default 5); BENCH_CLI_CASES=<text> runs the matching cases only.
 */
import { existsSync } from 'node:fs';
import { once, summary, type Sample } from './cli-run';

export const MEASURES = ['assembly', 'bin', 'projects/examples', 'scripts/ensure-build.mjs', 'src-main'];

const CASES = [
  { label: 'four-tenant-mix 32x32', args: ['run', 'projects/examples/four-tenant-mix.json', '--json'] },
  { label: 'four-tenant-mix 64x64', args: ['run', 'projects/examples/four-tenant-mix.json', '--mesh', '64x64', '--json'] },
];

const WITH = { RETILE_SIM_WORKERS: '1' };
const WITHOUT = { RETILE_SIM_WORKERS: '0' };
export default async function run(): Promise<object> {
  if (!existsSync('/usr/bin/time')) throw new Error('bench sim-pool needs GNU time at /usr/bin/time (apt-get install time)');
  const reps = Number(process.env.BENCH_REPS ?? 5);
  const only = process.env.BENCH_CLI_CASES;
  const cases = CASES.filter((c) => !only || c.label.includes(only));
  const root = process.cwd();
  // One untimed run first: its build check may rebuild, which is not what is measured.
  once(root, ['--help']);
  const pooled = new Map<string, Sample[]>(cases.map((c) => [c.label, []]));
  const inThread = new Map<string, Sample[]>(cases.map((c) => [c.label, []]));
  for (let i = 0; i < reps; i++) {
    for (const c of cases) {
      const first = i % 2 === 0 ? WITH : WITHOUT;
      const second = first === WITH ? WITHOUT : WITH;
      const a = once(root, c.args, 0, first);
      const b = once(root, c.args, 0, second);
      pooled.get(c.label)!.push(first === WITH ? a : b);
      inThread.get(c.label)!.push(first === WITH ? b : a);
      process.stderr.write(`${c.label} pair ${i + 1}: with ${pooled.get(c.label)!.at(-1)!.wall_s.toFixed(2)} s wall, without ${inThread.get(c.label)!.at(-1)!.wall_s.toFixed(2)} s\n`);
    }
  }
  const results = cases.map((c) => {
    const p = pooled.get(c.label)!;
    const t = inThread.get(c.label)!;
    return {
      case: c.label,
      command: `retile ${c.args.join(' ')}`,
      pooled: { wall_s: summary(p.map((x) => x.wall_s)), cpu_s: summary(p.map((x) => x.cpu_s)), peak_mib: summary(p.map((x) => x.peak_mib)) },
      in_thread: { wall_s: summary(t.map((x) => x.wall_s)), cpu_s: summary(t.map((x) => x.cpu_s)), peak_mib: summary(t.map((x) => x.peak_mib)) },
      ratio_wall: summary(p.map((x, k) => x.wall_s / t[k]!.wall_s)),
      ratio_cpu: summary(p.map((x, k) => x.cpu_s / t[k]!.cpu_s)),
    };
  });
  for (const r of results) {
    process.stdout.write(
      `${r.case.padEnd(24)} wall with/without ${r.ratio_wall.median.toFixed(3)}x (min ${r.ratio_wall.min.toFixed(3)}x)  cpu ${r.ratio_cpu.median.toFixed(3)}x (min ${r.ratio_cpu.min.toFixed(3)}x)\n`,
    );
  }
  return { reps, pool_threads: 1, cases: results };
}
