/**
 * MNSIM 2.0's five CIFAR-10 networks (zoo `mnsim-lenet`, `mnsim-alexnet`, `mnsim-vgg8`,
 * `mnsim-vgg16`, `mnsim-resnet18`) on the `mnsim` preset at 32x32, as docs/validation.md compares
 * them: each placed by direct deployment and simulated by the Wasm event loop (with the analytic
 * profile of the same placement, as `retile simulate` reports), one after another in one process.
 * Timed: the five together (graph building, placement, scenario, simulation, report), CPU of the
 * process and wall clock, the first pass (cold: V8 has not yet optimized the engine's code, as in
 * a CLI process) and the median of WARM_PASSES warm passes. Each sample is a fresh Node process
 * that runs with the engine's V8 flags (service/engine-v8.ts, as the CLI's workers and the hosts'
 * engine process do) and loads the Wasm module as the CLI does (service/wasm-node.ts), so
 * the cold pass is not run in a process that has just bundled the benches; BENCH_REPS processes
 * (default 5), min and median over them. Target: the five in under 1 % of MNSIM 2.0's summed
 * wall time on the same networks (about 115 ms; docs/performance.md).
 * Run by `npm run bench mnsim-five` (bench/results/mnsim-five.json).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chipPreset } from '../src-main/engine/hardware/presets';
import { toLayerGraph, zooGraph } from '../src-main/engine/workload';
import type { RetileWasmExports } from '../src-main/engine/sim/wasm';
import { loadWasm } from '../src-main/service/wasm-node';
import { engineV8Flags } from '../src-main/service/engine-v8';
import { directDeployment } from '../src-main/engine/placement/direct';
import { simulateDeployment } from '../src-main/engine/pipeline/simulate-report';

const NETWORKS = ['mnsim-lenet', 'mnsim-alexnet', 'mnsim-vgg8', 'mnsim-vgg16', 'mnsim-resnet18'];
const TARGET_S = 0.115;
const WARM_PASSES = 7;
const CHILD_ENV = 'RETILE_BENCH_MNSIM_FIVE_CHILD';

interface Pass {
  cpu_s: number;
  wall_s: number;
  per_network: Record<string, { wall_s: number; events: number; makespan_s: number }>;
}

interface ChildRun {
  cold: Pass;
  warm: Pass[];
}

function pass(wasm: RetileWasmExports): Pass {
  const chip = chipPreset('mnsim', [32, 32]);
  const per_network: Pass['per_network'] = {};
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  for (const name of NETWORKS) {
    const w = performance.now();
    const tenants = [{ name, model: name, graph: toLayerGraph(zooGraph(name)), batch: 1 }];
    const { report } = simulateDeployment(directDeployment(chip, tenants), wasm);
    per_network[name] = { wall_s: (performance.now() - w) / 1000, events: report.events, makespan_s: report.makespan_s };
  }
  const wall_s = (performance.now() - w0) / 1000;
  const u = process.cpuUsage(c0);
  return { cpu_s: (u.user + u.system) / 1e6, wall_s, per_network };
}

// The child: one fresh process, its first pass and its warm ones.
if (process.env[CHILD_ENV]) {
  const wasm = await loadWasm(join(process.cwd(), 'build/wasm/retile.wasm'));
  const run: ChildRun = { cold: pass(wasm), warm: [] };
  for (let i = 0; i < WARM_PASSES; i++) run.warm.push(pass(wasm));
  process.stdout.write(JSON.stringify(run));
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const stats = (xs: number[]): { min: number; median: number } => ({ min: Math.min(...xs), median: median(xs) });

export default async function run(): Promise<object> {
  const reps = Number(process.env.BENCH_REPS ?? 5);
  const self = fileURLToPath(import.meta.url);
  const runs: ChildRun[] = [];
  for (let i = 0; i < reps; i++) {
    const out = execFileSync(process.execPath, [...engineV8Flags(), self], { encoding: 'utf8', env: { ...process.env, [CHILD_ENV]: '1' } });
    runs.push(JSON.parse(out) as ChildRun);
  }
  const coldWall = stats(runs.map((r) => r.cold.wall_s));
  const warmWall = stats(runs.map((r) => median(r.warm.map((p) => p.wall_s))));
  const result = {
    networks: NETWORKS,
    chip: 'mnsim 32x32, direct deployment, batch 1',
    target_s: TARGET_S,
    processes: reps,
    cold_wall_s: coldWall,
    cold_process_cpu_s: stats(runs.map((r) => r.cold.cpu_s)),
    warm_wall_s: warmWall,
    warm_process_cpu_s: stats(runs.map((r) => median(r.warm.map((p) => p.cpu_s)))),
    cold_per_network_wall_s: Object.fromEntries(NETWORKS.map((n) => [n, stats(runs.map((r) => r.cold.per_network[n]!.wall_s))])),
    per_network: Object.fromEntries(NETWORKS.map((n) => [n, { events: runs[0]!.cold.per_network[n]!.events, makespan_s: runs[0]!.cold.per_network[n]!.makespan_s }])),
    cold_within_target: coldWall.median < TARGET_S,
    warm_within_target: warmWall.median < TARGET_S,
  };
  process.stdout.write(`five MNSIM networks, ${reps} processes: cold ${(coldWall.median * 1000).toFixed(0)} ms wall (min ${(coldWall.min * 1000).toFixed(0)}), warm ${(warmWall.median * 1000).toFixed(0)} ms (target ${TARGET_S * 1000} ms)\n`);
  return result;
}
