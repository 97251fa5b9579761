/**
 * Optimizer benchmark: `collaborative` on resnet50 + vgg16 + mobilenet_v2 + vit_b_16,
 * simulation included (direct baseline, the candidates and the alone references), on the ISAAC
 * tile at 32x32 (target < 1 s) and 64x64 (target < 3 s). Run by `npm run bench`, which writes
 * bench/results/optimize.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chipPreset } from '../src-main/engine/hardware/presets';
import { toLayerGraph, zooGraph } from '../src-main/engine/workload';
import { instantiateRetileWasm } from '../src-main/engine/sim/wasm';
import { runDeployment } from '../src-main/engine/pipeline/run';

const MIX = ['resnet50', 'vgg16', 'mobilenet_v2', 'vit_b_16'];

export default async function run(): Promise<object> {
  const wasm = await instantiateRetileWasm(readFileSync(join(process.cwd(), 'build/wasm/retile.wasm')));
  const tenants = MIX.map((n) => ({ name: n, model: n, graph: toLayerGraph(zooGraph(n)), batch: 1, priority: 1 }));
  const out: Record<string, unknown> = { mix: MIX, strategy: 'collaborative', objective: 'makespan', seed: 1 };
  for (const [mesh, target] of [[32, 1], [64, 3]] as const) {
    const chip = chipPreset('isaac', [mesh, mesh]);
    const runs: number[] = [];
    let last: Awaited<ReturnType<typeof runDeployment>> | null = null;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      last = await runDeployment({ chip, tenants, strategy: 'collaborative', objective: 'makespan', seed: 1 }, { wasm });
      runs.push((performance.now() - t0) / 1000);
    }
    runs.sort((a, b) => a - b);
    out[`${mesh}x${mesh}`] = {
      target_s: target,
      median_s: runs[1],
      runs_s: runs,
      within_target: runs[1]! < target,
      makespan_s: last!.makespan_s,
      speedup_vs_direct: last!.speedup_vs_direct,
      energy_gain_vs_direct: last!.energy_gain_vs_direct,
      chosen_candidate: last!.chosen_candidate,
      events: last!.events,
      reops: last!.placement.reops.length,
    };
  }
  return out;
}
