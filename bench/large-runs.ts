/**
 * The large cases of the speed targets, as cold `retile run` processes timed like
 * bench/cli-run.ts (CPU = user + system of every thread, GNU time): the four-tenant mix
 * (resnet50, vgg16, mobilenet_v2, vit_b_16) at 128x128 (target < 3 s), at 256x256 (target
 * < 20 s and < 1 GB), at batch 64 on 32x32 (target < 8 s), and the sixteen-tenant mix at 256x256
 * (target < 20 s and < 1 GB). One run each by default (each takes minutes today); BENCH_REPS sets
 * more, BENCH_CASES a comma-separated list of case labels (or parts of them) to run alone.
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
      { label: 'four-tenant-mix 256x256', args: ['run', 'projects/examples/four-tenant-mix.json', '--mesh', '256x256', '--json'], target_s: 20, target_mib: 1024 },
      { label: 'sixteen-tenant-mix 256x256', args: ['run', 'projects/examples/sixteen-tenant-mix.json', '--json'], target_s: 20, target_mib: 1024 },
    ].filter((c) => !process.env.BENCH_CASES || process.env.BENCH_CASES.split(',').some((part) => c.label.includes(part.trim())));
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
        ...('target_mib' in c ? { target_peak_mib: c.target_mib } : {}),
        meets_target: cpu.median < c.target_s && (!('target_mib' in c) || summary(s.map((x) => x.peak_mib)).median < c.target_mib!),
      };
    });
    // Cases left out by BENCH_CASES keep their previous record, marked with the commit it measured.
    const previous = ((): { commit: string; results: { cases: { case: string; commit?: string }[] } } | null => {
      try {
        return JSON.parse(readFileSync('bench/results/large-runs.json', 'utf8'));
      } catch {
        return null;
      }
    })();
    const kept = (previous?.results.cases ?? []).filter((p) => !cases.some((c) => c.label === p.case)).map((p) => ({ ...p, commit: p.commit ?? previous!.commit }));
    return { reps, cases: [...results, ...kept] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
