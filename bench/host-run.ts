/**
 * What a user of the app waits for: a run through the hosts' service and its engine process, as
 * the browser-mode server (`npm start`) and the desktop app start it (service/engine-process.ts:
 * a Node process of its own running the engine's worker thread; the app's utility process is the
 * same script). Per sample a fresh service and so a fresh engine process: the four-tenant mix
 * (projects/examples/four-tenant-mix.json's tenants) on a 32x32 ISAAC chip, as `retile run` of that
 * file, collaborative,
 * from `startRun` to the `finished` event (the engine process's start and its loading of the
 * engine and the Wasm module included, as at a user's first run after launch): wall seconds, and
 * the engine process's CPU seconds (user + system of all its threads, from /proc at `finished`).
 * BENCH_REPS samples (default 5), min and median. Run by `npm run bench host-run`
 * (bench/results/host-run.json).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createService } from '../src-main/service/service';
import { paths } from '../src-main/service/paths';
import { chipPreset } from '../src-main/engine/hardware/presets';
import { nextEvent } from './responsiveness';

/** What the measured engine process runs besides the bench's bundle (scripts/bench.mjs adds it to the record's sources). */
export const MEASURES = ['assembly', 'src-main'];

/** CPU seconds (user + system, every thread) of this process's engine process, by its /proc entry. */
function engineCpuS(): number {
  const children = execFileSync('ps', ['--ppid', String(process.pid), '-o', 'pid='], { encoding: 'utf8' }).trim().split(/\s+/);
  for (const pid of children) {
    const dir = `/proc/${pid}`;
    if (!existsSync(dir) || !readFileSync(`${dir}/cmdline`, 'utf8').includes('job-host')) continue;
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th, in clock ticks.
    const f = readFileSync(`${dir}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return (Number(f[11]) + Number(f[12])) / ticks;
  }
  throw new Error('no engine process found among this process\'s children');
}

const stats = (xs: number[]): { min: number; median: number } => ({ min: Math.min(...xs), median: [...xs].sort((a, b) => a - b)[xs.length >> 1]! });

export default async function run(): Promise<object> {
  if (!existsSync('/proc/self/stat')) throw new Error('bench host-run reads the engine process\'s CPU from /proc (Linux)');
  const reps = Number(process.env.BENCH_REPS ?? 5);
  const spec = JSON.parse(readFileSync('projects/examples/four-tenant-mix.json', 'utf8')) as { tenants: { model: string; batch?: number }[] };
  const wall: number[] = [];
  const cpu: number[] = [];
  // The engine process's IPC channel is unref'd (a host's server keeps the process alive): so does this.
  const alive = setInterval(() => undefined, 1000);
  try {
    for (let i = 0; i < reps; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'retile-bench-host-'));
      const service = createService({ host: 'browser', workspaceDir: dir, workerUrl: paths.worker, wasmPath: paths.wasm, jobHost: paths.jobHost, configDir: join(dir, '.config'), examplesDir: paths.examples });
      try {
        const p = await service.createProject({ name: 'mix', preset: 'isaac' });
        await service.setChip({ project: p.file, preset: 'isaac', spec: chipPreset('isaac', [32, 32]) });
        for (const t of spec.tenants) await service.addZooTenant({ project: p.file, model: t.model, ...(t.batch ? { batch: t.batch } : {}) });
        const done = nextEvent(service, (e) => e.type === 'finished' || e.type === 'failed');
        const t0 = performance.now();
        await service.startRun({ project: p.file, strategy: 'collaborative', objective: 'makespan', seed: 1 });
        const end = await done;
        if (end.type !== 'finished') throw new Error(`the run failed: ${JSON.stringify(end)}`);
        wall.push((performance.now() - t0) / 1000);
        cpu.push(engineCpuS());
      } finally {
        await service.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    clearInterval(alive);
  }
  const w = stats(wall), c = stats(cpu);
  process.stdout.write(`four-tenant mix through the engine process, ${reps} fresh engines: wall ${w.median.toFixed(2)} s (min ${w.min.toFixed(2)}), engine CPU ${c.median.toFixed(2)} s (min ${c.min.toFixed(2)})\n`);
  return { case: 'four-tenant-mix, isaac 32x32, collaborative, through the service and its engine process', reps, wall_s: { ...w, all: wall }, engine_cpu_s: { ...c, all: cpu } };
}
