/**
 * Event-loop throughput (events/s) of the Wasm simulator on the scale case: resnet50 + vgg16 +
 * mobilenet_v2 + vit_b_16, batch 8 each, on the isaac tile rescaled to a 64 x 64 mesh, direct
 * deployment. Target: the scale case in < 2 s and < 1 GB. Run by `npm run bench` (writes bench/results/sim.json).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chipPreset } from '../src-main/engine/hardware';
// direct module imports keep the bundle free of the ONNX importer
import { zooGraph } from '../src-main/engine/workload/zoo';
import { toLayerGraph } from '../src-main/engine/workload/layers';
import { directDeployment } from '../src-main/engine/placement/direct';
import { scenarioFromDeployment } from '../src-main/engine/sim/from-deployment';
import { packScenario } from '../src-main/engine/sim/scenario';
import { simulateWasm } from '../src-main/engine/sim/driver';
import { summarize } from '../src-main/engine/sim/summary';
import { instantiateRetileWasm } from '../src-main/engine/sim/wasm';

const MODELS = ['resnet50', 'vgg16', 'mobilenet_v2', 'vit_b_16'];
const BATCH = 8;
const MESH: [number, number] = [64, 64];
const REPS = 3;

export default async function run(): Promise<object> {
  const root = process.cwd();
  const wasm = await instantiateRetileWasm(readFileSync(join(root, 'build/wasm/retile.wasm')));
  const rssBefore = process.memoryUsage().rss;

  const tBuild = performance.now();
  const chip = chipPreset('isaac', MESH);
  const tenants = MODELS.map((m) => ({
    name: m,
    model: m,
    graph: toLayerGraph(zooGraph(m)),
    batch: BATCH,
  }));
  const dep = directDeployment(chip, tenants);
  const { scenario } = scenarioFromDeployment(dep);
  const packed = packScenario(scenario);
  const buildS = (performance.now() - tBuild) / 1000;

  // best of REPS (the first run also grows linear memory once)
  let wasmBest = Infinity;
  let rawW = simulateWasm(wasm, packed);
  for (let i = 0; i < REPS; i++) {
    const t0 = performance.now();
    rawW = simulateWasm(wasm, packed);
    wasmBest = Math.min(wasmBest, (performance.now() - t0) / 1000);
  }
  const t0 = performance.now();
  const summary = summarize(scenario, packed, rawW);
  const summarizeS = (performance.now() - t0) / 1000;
  const rssAfter = process.memoryUsage().rss;
  const wasmBytes = wasm.memory.buffer.byteLength;

  const result = {
    scenario: { models: MODELS, batch: BATCH, chip: 'isaac', mesh: MESH, deployment: 'direct', rounds: dep.rounds.length, reops: packed.R, layers: packed.L, slots: packed.S, requests: packed.totalReq },
    events: rawW.events,
    transfers: rawW.transfers,
    makespan_s: rawW.makespan,
    wasm_seconds: wasmBest,
    wasm_events_per_s: rawW.events / wasmBest,
    /** Whole scale case: deployment + scenario build + one Wasm run + summary. */
    scale_total_seconds: buildS + wasmBest + summarizeS,
    build_seconds: buildS,
    summarize_seconds: summarizeS,
    wasm_memory_bytes: wasmBytes,
    rss_bytes: rssAfter,
    rss_growth_bytes: rssAfter - rssBefore,
    tenants: summary.tenants.map((t) => ({ name: t.name, latency_mean_s: t.latency_mean_s, throughput_ips: t.throughput_ips, finish_s: t.finish_s })),
    targets: { scale_seconds_max: 2, memory_bytes_max: 1e9 },
  };
  console.log(`Event loop: ${MODELS.join(' + ')}, batch ${BATCH}, isaac ${MESH[0]}x${MESH[1]}, direct (${dep.rounds.length} round(s), ${packed.R} re-operators)`);
  console.log(`Wasm: ${wasmBest.toFixed(3)} s, ${(result.wasm_events_per_s / 1e6).toFixed(2)} M events/s, ${rawW.events} events`);
  console.log(`scale case total ${result.scale_total_seconds.toFixed(3)} s (target < 2 s), Wasm memory ${(wasmBytes / 2 ** 20).toFixed(1)} MiB, RSS ${(rssAfter / 2 ** 20).toFixed(0)} MiB (target < 1 GB)`);
  return result;
}
