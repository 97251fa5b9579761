/**
 * The Wasm event loop alone, before and after a change, paired and alternating. The scenarios:
 * the scale case of bench/sim.ts, and every simulation of one `collaborative` run of the
 * four-tenant mix (resnet50, vgg16, mobilenet_v2, vit_b_16) at batch 4 on 32x32 (the direct
 * baseline, the balanced and sequential baselines, the chosen candidate). Each is written as the
 * simulator's input (a Scenario, JSON) once; a fresh Node process per checkout then loads the
 * module as its Node hosts do (service/wasm-node.ts), packs and
 * simulates each of them in turn, twice (the first run cold as in a CLI run, before the engine
 * has compiled the loop's optimized code; the second warm), and reports the CPU time of the
 * simulation alone (process.cpuUsage around it) and a digest of every output but `events`.
 *
 * With BENCH_BASE=<another checkout, built with npm run build:wasm> the two checkouts run
 * alternately (this, base, this, base ...; BENCH_REPS rounds, default 4), the ratio base/this
 * is taken round by round (min and median) and the outputs are compared digest by digest.
 * Run by `npm run bench loop-pair` (bench/results/loop-pair.json).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { chipPreset } from '../src-main/engine/hardware/presets';
import { toLayerGraph, zooGraph } from '../src-main/engine/workload';
import { directDeployment } from '../src-main/engine/placement/direct';
import { scenarioFromDeployment } from '../src-main/engine/sim/from-deployment';
import { instantiateRetileWasm } from '../src-main/engine/sim/wasm';
import { runInternals } from '../src-main/engine/pipeline/run';

const MIX = ['resnet50', 'vgg16', 'mobilenet_v2', 'vit_b_16'];

/** The child: this entry is bundled against each checkout's own sources (`@root`). */
const CHILD = `
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { packScenario } from '@root/src-main/engine/sim/scenario';
import { simulateWasm } from '@root/src-main/engine/sim/driver';
import { loadWasm } from '@root/src-main/service/wasm-node';
const [root, ...files] = process.argv.slice(2);
// As the Node hosts load it (their V8 flags included), so that the cold figure is a CLI run's.
const wasm = await loadWasm(root + '/build/wasm/retile.wasm');
const out = [];
for (const f of files) {
  const packed = packScenario(JSON.parse(readFileSync(f, 'utf8')));
  const runs = [];
  let raw;
  for (let k = 0; k < 2; k++) {
    const c0 = process.cpuUsage();
    raw = simulateWasm(wasm, packed);
    const d = process.cpuUsage(c0);
    runs.push((d.user + d.system) / 1e6);
  }
  const h = createHash('sha256');
  for (const key of Object.keys(raw).filter((k) => k !== 'events').sort()) {
    const v = raw[key];
    h.update(key);
    h.update(typeof v === 'number' ? new Uint8Array(new Float64Array([v]).buffer) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  }
  out.push({ cold_s: runs[0], warm_s: runs[1], events: raw.events, digest: h.digest('hex') });
}
process.stdout.write(JSON.stringify(out));
`;

interface ChildRun {
  cold_s: number;
  warm_s: number;
  events: number;
  digest: string;
}

async function bundleChild(root: string, dir: string): Promise<string> {
  const entry = join(dir, 'loop-child.ts');
  writeFileSync(entry, CHILD);
  const outDir = join(root, 'out/bench-loop');
  mkdirSync(outDir, { recursive: true });
  await build({
    root,
    logLevel: 'warn',
    configFile: false,
    resolve: { alias: { '@root': root } },
    build: { ssr: true, target: 'node20', outDir, emptyOutDir: true, minify: false, rollupOptions: { input: { 'loop-child': entry }, output: { format: 'es', entryFileNames: '[name].mjs' } } },
  });
  return join(outDir, 'loop-child.mjs');
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const stats = (xs: number[]): { min: number; median: number; max: number } => ({ min: Math.min(...xs), median: median(xs), max: Math.max(...xs) });

export default async function run(): Promise<object> {
  const root = process.cwd();
  const base = process.env.BENCH_BASE;
  const reps = Number(process.env.BENCH_REPS ?? 4);
  const dir = mkdtempSync(join(tmpdir(), 'retile-bench-loop-'));
  try {
    const scenarios: { name: string; file: string }[] = [];
    const put = (name: string, scenario: unknown): void => {
      const file = join(dir, `${scenarios.length}.json`);
      writeFileSync(file, JSON.stringify(scenario));
      scenarios.push({ name, file });
    };
    const graphs = MIX.map((m) => ({ name: m, model: m, graph: toLayerGraph(zooGraph(m)) }));
    put('scale case (bench/sim.ts)', scenarioFromDeployment(directDeployment(chipPreset('isaac', [64, 64]), graphs.map((g) => ({ ...g, batch: 8 })))).scenario);
    const wasm = await instantiateRetileWasm(readFileSync(join(root, 'build/wasm/retile.wasm')));
    const tenants = graphs.map((g) => ({ ...g, batch: 4, priority: 1 }));
    const it = await runInternals({ chip: chipPreset('isaac', [32, 32]), tenants, strategy: 'collaborative', objective: 'makespan', seed: 1 }, { wasm, alone: 'analytic' });
    const deps = { direct: it.direct.deployment, ...Object.fromEntries(Object.entries(it.baselines).map(([k, v]) => [k, v.deployment])), [`chosen (${it.chosenName})`]: it.chosen.outcome.deployment };
    for (const [name, dep] of Object.entries(deps)) put(`four-tenant batch 4 32x32: ${name}`, scenarioFromDeployment(dep, { seed: 1 }).scenario);

    const roots = base ? [root, base] : [root];
    const children = await Promise.all(roots.map((r) => bundleChild(r, dir)));
    const runs: ChildRun[][][] = roots.map(() => []);
    for (let i = 0; i < reps; i++) {
      roots.forEach((r, j) => {
        const out = execFileSync(process.execPath, [children[j]!, r, ...scenarios.map((s) => s.file)], { encoding: 'utf8', maxBuffer: 1 << 26 });
        runs[j]!.push(JSON.parse(out) as ChildRun[]);
      });
    }
    const total = (rs: ChildRun[], k: 'cold_s' | 'warm_s'): number => rs.reduce((a, r) => a + r[k], 0);
    const perScenario = scenarios.map((s, n) => {
      const mine = runs[0]!.map((rs) => rs[n]!);
      const row: Record<string, unknown> = {
        scenario: s.name,
        events: mine[0]!.events,
        cold_s: stats(mine.map((r) => r.cold_s)),
        warm_s: stats(mine.map((r) => r.warm_s)),
        events_per_s_warm: mine[0]!.events / median(mine.map((r) => r.warm_s)),
      };
      if (base) {
        const theirs = runs[1]!.map((rs) => rs[n]!);
        row.base_events = theirs[0]!.events;
        row.base_warm_s = stats(theirs.map((r) => r.warm_s));
        row.speedup_warm = stats(theirs.map((r, i) => r.warm_s / mine[i]!.warm_s));
        row.speedup_cold = stats(theirs.map((r, i) => r.cold_s / mine[i]!.cold_s));
        row.outputs_identical = theirs.every((r, i) => r.digest === mine[i]!.digest);
      }
      return row;
    });
    const result: Record<string, unknown> = { reps, base: base ? execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: base, encoding: 'utf8' }).trim() : null, scenarios: perScenario };
    if (base) {
      result.speedup_total_warm = stats(runs[1]!.map((rs, i) => total(rs, 'warm_s') / total(runs[0]![i]!, 'warm_s')));
      result.speedup_total_cold = stats(runs[1]!.map((rs, i) => total(rs, 'cold_s') / total(runs[0]![i]!, 'cold_s')));
    }
    for (const r of perScenario) {
      const sp = r.speedup_warm as { median: number; min: number } | undefined;
      process.stdout.write(`${String(r.scenario).padEnd(52)} ${String(r.events).padStart(9)} events  warm ${(r.warm_s as { median: number }).median.toFixed(3)} s${sp ? `  x${sp.median.toFixed(2)} (min ${sp.min.toFixed(2)}) identical: ${String(r.outputs_identical)}` : ''}\n`);
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
