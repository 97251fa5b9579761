/**
 * Responsiveness: the figures tests must not assert because they depend on the machine's load.
 *  - profile: profiling every layer of the whole zoo on each preset (ms per preset).
 *  - progress: a collaborative run through the service and its worker; the largest gap between
 *    two progress events (the worker throttles to one update per 100 ms per stage).
 *  - cancel: the service's cancel of a second collaborative run of the same mix, from the call to
 *    the `cancelled` event.
 *  - signals: the built CLI's long commands (run, study, sweep, simulate) as subprocesses, signalled
 *    once their work started; from the signal to the process's exit, and the exit status.
 * Run by `npm run bench responsiveness` (bench/results/responsiveness.json).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZOO_NAMES, toLayerGraph, zooGraph } from '../src-main/engine/workload';
import { chipPreset } from '../src-main/engine/hardware/presets';
import { profileTenant } from '../src-main/engine/evaluate/profile-tenant';
import { createService, type Service } from '../src-main/service/service';
import { paths } from '../src-main/service/paths';
import type { ApiEvent } from '../src-main/api/contract';

const REPS = 3;

function profileZoo(): Record<string, number> {
  const graphs = ZOO_NAMES.map((n) => toLayerGraph(zooGraph(n)));
  const out: Record<string, number> = {};
  for (const preset of ['isaac', 'puma', 'mnsim']) {
    const chip = chipPreset(preset);
    let best = Infinity;
    for (let r = 0; r < REPS; r++) {
      const t0 = performance.now();
      for (const g of graphs) profileTenant(g, chip);
      best = Math.min(best, performance.now() - t0);
    }
    out[preset] = Number(best.toFixed(1));
  }
  return out;
}

/** The service's next event that `pred` accepts. */
export function nextEvent(service: Service, pred: (e: ApiEvent) => boolean): Promise<ApiEvent> {
  return new Promise((resolve) => {
    const off = service.onEvent((e) => {
      if (pred(e)) {
        off();
        resolve(e);
      }
    });
  });
}

async function serviceFigures(): Promise<{ progress_events: number; max_progress_gap_ms: number; max_gap_before_stage: string; cancel_ms: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'retile-bench-resp-'));
  const service = createService({ host: 'browser', workspaceDir: dir, workerUrl: paths.worker, wasmPath: paths.wasm, configDir: join(dir, '.config'), examplesDir: paths.examples });
  try {
    const p = await service.createProject({ name: 'mix', preset: 'isaac' });
    for (const model of ['lenet5', 'resnet20-cifar', 'vgg8-cifar']) await service.addZooTenant({ project: p.file, model });
    const stamps: { t: number; stage: string }[] = [];
    const off = service.onEvent((e) => e.type === 'progress' && stamps.push({ t: performance.now(), stage: e.stage }));
    // `project` events (other tabs refreshing) also arrive during a run: wait for its end.
    const done = nextEvent(service, (e) => e.type === 'finished' || e.type === 'failed' || e.type === 'cancelled');
    await service.startRun({ project: p.file, strategy: 'collaborative', objective: 'makespan', seed: 1 });
    await done;
    off();
    if (stamps.length < 2) throw new Error(`the run sent ${stamps.length} progress event(s): nothing to measure`);
    // The gap before each event, and the stage that event reports (the stage that ran silently).
    let widest = { ms: 0, stage: '' };
    for (let i = 1; i < stamps.length; i++) {
      const ms = stamps[i]!.t - stamps[i - 1]!.t;
      if (ms > widest.ms) widest = { ms, stage: stamps[i]!.stage };
    }

    const job = await service.startRun({ project: p.file, strategy: 'collaborative', objective: 'makespan', seed: 2 });
    await nextEvent(service, (e) => e.type === 'progress');
    const cancelled = nextEvent(service, (e) => e.type === 'cancelled');
    const t0 = performance.now();
    await service.cancelJob({ jobId: job.jobId });
    await cancelled;
    return { progress_events: stamps.length, max_progress_gap_ms: Math.round(widest.ms), max_gap_before_stage: widest.stage, cancel_ms: Math.round(performance.now() - t0) };
  } finally {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Milliseconds from the signal to the exit of `retile <args>`, signalled 0.5 s after `started` shows on stderr. */
function signalLatency(args: string[], started: RegExp, signal: NodeJS.Signals, cwd: string): Promise<{ exit: number | null; ms: number }> {
  const child = spawn(process.execPath, [join(process.cwd(), 'out/main/cli.js'), ...args], { cwd });
  let stderr = '';
  let sentAt = 0;
  child.stderr.on('data', (d) => {
    stderr += d;
    if (!sentAt && started.test(stderr)) {
      setTimeout(() => {
        sentAt = performance.now();
        child.kill(signal);
      }, 500);
      sentAt = -1;
    }
  });
  // A command that ends before its signal measured nothing: say so rather than time from nowhere.
  return new Promise((resolve, reject) =>
    child.on('exit', (exit) => (sentAt > 0 ? resolve({ exit, ms: Math.round(performance.now() - sentAt) }) : reject(new Error(`retile ${args.join(' ')} ended (exit ${exit}) before it was signalled: give it longer work`)))),
  );
}

async function signalFigures(): Promise<Record<string, { exit: number | null; ms: number }>> {
  const dir = mkdtempSync(join(tmpdir(), 'retile-bench-signal-'));
  const four = join(process.cwd(), 'projects/examples/four-tenant-mix.json');
  const spec = join(dir, 'spec.json');
  writeFileSync(spec, JSON.stringify({ chip: 'isaac', tenants: [{ model: 'lenet5', batch: 4 }, { model: 'resnet20-cifar', batch: 2 }] }));
  const commands: [string, string[], RegExp][] = [
    ['run', ['run', four], /running collaborative/],
    ['study', ['study', '--quick'], /study: 5 case/],
    ['sweep', ['sweep', spec, '--mesh', '12x12,16x16,20x20,24x24', '--strategy', 'tenant,collaborative', '--workers', '2', '--out', join(dir, 's.retile')], /sweep: 8 case/],
    // Long enough to be under way when signalled (batch 64 of two tenants now ends within 0.5 s).
    ['simulate', ['simulate', 'resnet50', 'vgg16', 'vit_b_16', '--chip', 'isaac', '--mesh', '64x64', '--batch', '256'], /simulating/],
  ];
  const out: Record<string, { exit: number | null; ms: number }> = {};
  try {
    for (const [name, args, started] of commands) {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        rmSync(join(dir, 's.retile'), { force: true });
        out[`${name} ${signal}`] = await signalLatency(args, started, signal, dir);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

export default async function run(): Promise<object> {
  const profile_zoo_ms = profileZoo();
  process.stdout.write(`profile of the whole zoo (${ZOO_NAMES.length} models), best of ${REPS}: ${JSON.stringify(profile_zoo_ms)} ms\n`);
  const service = await serviceFigures();
  process.stdout.write(`service: ${service.progress_events} progress events, largest gap ${service.max_progress_gap_ms} ms (before "${service.max_gap_before_stage}"); cancel ${service.cancel_ms} ms\n`);
  const signals = await signalFigures();
  for (const [k, v] of Object.entries(signals)) process.stdout.write(`${k}: exit ${v.exit} after ${v.ms} ms\n`);
  return { zoo_models: ZOO_NAMES.length, profile_zoo_ms, service, signals };
}
