/**
 * The large cases of the speed targets, as cold `retile run` processes timed like
 * bench/cli-run.ts (CPU = user + system of every thread, GNU time): the four-tenant mix
 * (resnet50, vgg16, mobilenet_v2, vit_b_16) at 128x128 (target < 3 s) and at batch 64 on 32x32
 * (target < 8 s). One run each by default (each takes minutes today); BENCH_REPS sets more.
 * Run by `npm run bench large-runs` (bench/results/large-runs.json).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once, summary, type Sample } from './cli-run';

export { MEASURES } from './cli-run';

export default async function run(): Promise<object> {
  const reps = Number(process.env.BENCH_REPS ?? 1);
  const dir = mkdtempSync(join(tmpdir(), 'retile-bench-large-'));
  try {
    const spec = JSON.parse(readFileSync('projects/examples/four-tenant-mix.json', 'utf8')) as { tenants: { model: string; batch?: number }[] };
    const batch64 = join(dir, 'four-tenant-batch64.json');
    writeFileSync(batch64, JSON.stringify({ ...spec, tenants: spec.tenants.map((t) => ({ ...t, batch: 64 })) }));
    const cases = [
      { label: 'four-tenant-mix 128x128', args: ['run', 'projects/examples/four-tenant-mix.json', '--mesh', '128x128', '--json'], target_s: 3 },
      { label: 'four-tenant-mix batch 64, 32x32', args: ['run', batch64, '--json'], target_s: 8 },
    ];
    once(process.cwd(), ['--help']);
    const samples = new Map<string, Sample[]>(cases.map((c) => [c.label, []]));
    for (let i = 0; i < reps; i++) for (const c of cases) samples.get(c.label)!.push(once(process.cwd(), c.args));
    const results = cases.map((c) => {
      const s = samples.get(c.label)!;
      const cpu = summary(s.map((x) => x.cpu_s));
      process.stdout.write(`${c.label.padEnd(34)} cpu median ${cpu.median.toFixed(2)} s (target ${c.target_s} s)\n`);
      return {
        case: c.label,
        command: `retile ${c.args.join(' ').replace(batch64, 'four-tenant-mix.json with batch 64 per tenant')}`,
        target_cpu_s: c.target_s,
        cpu_s: cpu,
        wall_s: summary(s.map((x) => x.wall_s)),
        peak_mib: summary(s.map((x) => x.peak_mib)),
        meets_target: cpu.median < c.target_s,
      };
    });
    return { reps, cases: results };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
