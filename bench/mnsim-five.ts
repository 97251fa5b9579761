/**
 * MNSIM 2.0's five CIFAR-10 networks (zoo `mnsim-lenet`, `mnsim-alexnet`, `mnsim-vgg8`,
 * `mnsim-vgg16`, `mnsim-resnet18`) on the `mnsim` preset at 32x32, as docs/validation.md compares
 * them: each placed by direct deployment and simulated by the Wasm event loop (with the analytic
 * profile of the same placement, as `retile simulate` reports), one after another in one process.
 * Timed: the five together (graph building, placement, scenario, simulation, report), CPU of this
 * thread and wall clock, the first pass (cold: V8 has not yet optimized the engine's code, as in
 * a CLI process) and the median of REPS warm passes. Target: the five in under 1 % of MNSIM 2.0's
 * summed wall time on the same networks (about 115 ms; docs/performance.md).
 * Run by `npm run bench mnsim-five` (bench/results/mnsim-five.json).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chipPreset } from '../src-main/engine/hardware/presets';
import { toLayerGraph, zooGraph } from '../src-main/engine/workload';
import { instantiateRetileWasm, type RetileWasmExports } from '../src-main/engine/sim/wasm';
import { directDeployment } from '../src-main/engine/placement/direct';
import { simulateDeployment } from '../src-main/engine/pipeline/simulate-report';

const NETWORKS = ['mnsim-lenet', 'mnsim-alexnet', 'mnsim-vgg8', 'mnsim-vgg16', 'mnsim-resnet18'];
const TARGET_S = 0.115;
const REPS = 7;

interface Pass {
  cpu_s: number;
  wall_s: number;
  per_network: Record<string, { cpu_s: number; events: number; makespan_s: number }>;
}

function pass(wasm: RetileWasmExports): Pass {
  const chip = chipPreset('mnsim', [32, 32]);
  const per_network: Pass['per_network'] = {};
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  for (const name of NETWORKS) {
    const c = process.cpuUsage();
    const tenants = [{ name, model: name, graph: toLayerGraph(zooGraph(name)), batch: 1 }];
    const { report } = simulateDeployment(directDeployment(chip, tenants), wasm);
    const u = process.cpuUsage(c);
    per_network[name] = { cpu_s: (u.user + u.system) / 1e6, events: report.events, makespan_s: report.makespan_s };
  }
  const u = process.cpuUsage(c0);
  return { cpu_s: (u.user + u.system) / 1e6, wall_s: (performance.now() - w0) / 1000, per_network };
}

export default async function run(): Promise<object> {
  const wasm = await instantiateRetileWasm(readFileSync(join(process.cwd(), 'build/wasm/retile.wasm')));
  const cold = pass(wasm);
  const warm: Pass[] = [];
  for (let i = 0; i < REPS; i++) warm.push(pass(wasm));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const warmCpu = median(warm.map((p) => p.cpu_s));
  const result = {
    networks: NETWORKS,
    chip: 'mnsim 32x32, direct deployment, batch 1',
    target_s: TARGET_S,
    cold,
    warm_cpu_s: { min: Math.min(...warm.map((p) => p.cpu_s)), median: warmCpu },
    warm_wall_s: { min: Math.min(...warm.map((p) => p.wall_s)), median: median(warm.map((p) => p.wall_s)) },
    cold_within_target: cold.cpu_s < TARGET_S,
    warm_within_target: warmCpu < TARGET_S,
  };
  process.stdout.write(`five MNSIM networks: cold ${(cold.cpu_s * 1000).toFixed(0)} ms CPU, warm median ${(warmCpu * 1000).toFixed(0)} ms CPU (target ${TARGET_S * 1000} ms)\n`);
  return result;
}
