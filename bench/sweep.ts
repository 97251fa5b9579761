/**
 * Sweep parallelism: `retile sweep` of 4 meshes x 2 strategies (8 cases) on a
 * two-tenant spec (ResNet-20 and LeNet-5, 16 inferences each: a few seconds per case, so worker
 * start-up is a small part), with --workers 1 and --workers 2, through the built CLI (out/main/cli.js) as a
 * user runs it, in pairs whose order alternates (1, 2; 2, 1; ...; BENCH_REPS pairs, default 4):
 * wall time and the process's CPU time (every thread, from GNU time), min and median of each, and
 * the ratio 1 / 2 pair by pair (min, median): on a machine shared with other jobs the wall times
 * follow the load, the CPU times much less. The cases' results must be identical apart from `seconds` (the
 * pool changes only the wall time). Acceptance: --workers 2 takes less wall time than
 * --workers 1. Run by `npm run bench sweep` (bench/results/sweep.json).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

/** The sweeps run the built CLI in child processes: what those run (scripts/bench.mjs adds it to the record's sources). */
export { MEASURES } from './cli-run';

const SPEC = {
  name: 'bench sweep',
  chip: 'isaac',
  tenants: [
    { model: 'resnet20-cifar', batch: 16 },
    { model: 'lenet5', batch: 16 },
  ],
};
const MESHES = '8x8,16x16,24x24,32x32';
const STRATEGIES = 'direct,operator';
const REPS = Number(process.env.BENCH_REPS ?? 4);

interface Case {
  case: number;
  makespan_s: number;
  energy_j: number;
  speedup_vs_direct: number;
  seconds: number;
}

function sweep(dir: string, workers: number, rep: number): { wall_s: number; cpu_s: number; cases: Case[] } {
  const out = join(dir, `w${workers}-r${rep}.retile`);
  const timeFile = join(dir, `w${workers}-r${rep}.time`);
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-o', timeFile, '-f', '%U %S', process.execPath, join(process.cwd(), 'out/main/cli.js'), 'sweep', join(dir, 'spec.json'), '--mesh', MESHES, '--strategy', STRATEGIES, '--workers', String(workers), '--out', out, '--json'], {
    encoding: 'utf8',
  });
  const wall_s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`sweep --workers ${workers} exited ${r.status}: ${r.stderr}`);
  const [user, sys] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  return { wall_s, cpu_s: user! + sys!, cases: JSON.parse(r.stdout) as Case[] };
}

export default async function run(): Promise<object> {
  const dir = mkdtempSync(join(tmpdir(), 'retile-bench-sweep-'));
  try {
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(SPEC));
    const wall: Record<1 | 2, number[]> = { 1: [], 2: [] };
    const cpu: Record<1 | 2, number[]> = { 1: [], 2: [] };
    let reference: string | null = null;
    let caseSeconds = 0;
    for (let rep = 0; rep < REPS; rep++) {
      for (const workers of rep % 2 === 0 ? ([1, 2] as const) : ([2, 1] as const)) {
        const s = sweep(dir, workers, rep);
        wall[workers].push(s.wall_s);
        cpu[workers].push(s.cpu_s);
        const same = JSON.stringify(s.cases.map(({ seconds: _s, ...rest }) => ({ ...rest, run_id: 0 })));
        if (reference === null) reference = same;
        else if (same !== reference) throw new Error(`--workers ${workers} gave different results than --workers 1`);
        if (workers === 1 && rep === 0) caseSeconds = s.cases.reduce((a, c) => a + c.seconds, 0);
        process.stdout.write(`  rep ${rep + 1}: --workers ${workers}: ${s.wall_s.toFixed(2)} s (CPU ${s.cpu_s.toFixed(2)} s)\n`);
      }
    }
    const w1 = Math.min(...wall[1]);
    const w2 = Math.min(...wall[2]);
    const median = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
    };
    const pairs = wall[1].map((t, i) => t / wall[2][i]!);
    const cpuPairs = cpu[1].map((t, i) => t / cpu[2][i]!);
    const r2 = (x: number) => Number(x.toFixed(2));
    const result = {
      cases: 8,
      meshes: MESHES,
      strategies: STRATEGIES,
      tenants: SPEC.tenants.map((t) => `${t.model} x${t.batch}`).join(' + '),
      cores: availableParallelism(),
      workers_1_wall_s: Number(w1.toFixed(3)),
      workers_2_wall_s: Number(w2.toFixed(3)),
      /** > 1: --workers 2 is faster (best against best). */
      speedup_2_vs_1: Number((w1 / w2).toFixed(2)),
      workers_1_wall_median_s: Number(median(wall[1]).toFixed(3)),
      workers_2_wall_median_s: Number(median(wall[2]).toFixed(3)),
      /** Wall time of --workers 1 / --workers 2, pair by pair. */
      paired_speedup: { min: r2(Math.min(...pairs)), median: r2(median(pairs)), all: pairs.map(r2) },
      /** CPU time of --workers 1 / --workers 2, pair by pair (< 1: two workers spend more CPU). */
      paired_cpu_ratio: { min: r2(Math.min(...cpuPairs)), median: r2(median(cpuPairs)) },
      sum_of_case_seconds: Number(caseSeconds.toFixed(3)),
      identical_results: true,
      all_wall_s: wall,
      /** CPU seconds of the whole process (every thread), least of the repetitions. */
      workers_1_cpu_s: Number(Math.min(...cpu[1]).toFixed(2)),
      workers_2_cpu_s: Number(Math.min(...cpu[2]).toFixed(2)),
      workers_1_cpu_median_s: r2(median(cpu[1])),
      workers_2_cpu_median_s: r2(median(cpu[2])),
      all_cpu_s: cpu,
    };
    process.stdout.write(`sweep 8 cases: --workers 1 ${w1.toFixed(2)} s, --workers 2 ${w2.toFixed(2)} s: ${(w1 / w2).toFixed(2)}x (paired median ${median(pairs).toFixed(2)}x)\n`);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
