/**
 * The worker's deployment jobs: one run (strategy on the project's chip and tenants), a sweep
 * (the same over several square meshes) and a serving sweep (its deployment under request streams
 * at several rates). Zoo graphs are rebuilt here from their names; imported
 * ONNX graphs arrive as plain data. The optimizer (engine/optimize) does the work and reports
 * progress through the job's sink, which also carries cancellation.
 */
import type { SweepPoint } from '../api/contract';
import { withMesh } from '../engine/hardware';
import { toLayerGraph, zooGraph, type Graph } from '../engine/workload';
import { badInput } from '../engine/errors';
import type { ProgressSink } from '../engine/progress';
import type { RunResult } from '../engine/report/result';
import type { RetileWasmExports } from '../engine/sim/wasm';
import { assertObjective, assertStrategy } from '../engine/placement/spec';
import { runDeployment } from '../engine/pipeline/run';
import { serveSweep } from '../engine/pipeline/serve';
import type { ServeResult } from '../engine/report/serve-result';
import type { DeployJobArgs } from './project-model';
import { SimulationCache } from '../engine/sim/cache';
import { loadHighs } from './highs-node';
import type { SimulatorPool } from '../engine/sim/pool';

/** The engine process's simulations, kept across its jobs: a baseline or alone run met again (same tenants, chip, share, seed) is not simulated twice. */
const simCache = new SimulationCache();

interface JobContext {
  wasm: RetileWasmExports;
  progress: ProgressSink;
  simPool?: () => SimulatorPool | undefined;
}

/** The run context's pool, when the worker has one. */
const pooled = (ctx: JobContext): { simPool?: SimulatorPool } => {
  const simPool = ctx.simPool?.();
  return simPool ? { simPool } : {};
};

function request(args: DeployJobArgs, chip = args.chip) {
  return {
    chip,
    tenants: args.tenants.map((t) => ({
      name: t.name,
      model: t.model,
      graph: toLayerGraph(t.source === 'zoo' ? zooGraph(t.model) : (t.graph as Graph)),
      batch: t.batch,
      priority: t.priority,
      ...(t.slaMs !== undefined ? { slaMs: t.slaMs } : {}),
    })),
    strategy: assertStrategy(args.strategy),
    objective: assertObjective(args.objective),
    seed: args.seed,
  };
}

async function deployJob(raw: unknown, ctx: JobContext): Promise<RunResult> {
  const args = raw as DeployJobArgs;
  return runDeployment(request(args), { wasm: ctx.wasm, progress: ctx.progress, simCache, highs: loadHighs, ...pooled(ctx) });
}

/** Sweep: the strategy at each mesh size; the run's own direct baseline gives the speed-up and energy gain. */
async function sweepJob(raw: unknown, ctx: JobContext): Promise<SweepPoint[]> {
  const args = raw as DeployJobArgs;
  const sides = args.sides ?? [];
  const points: SweepPoint[] = [];
  for (let i = 0; i < sides.length; i++) {
    const side = sides[i];
    let chip;
    try {
      chip = withMesh(args.chip, [side, side]);
    } catch (e) {
      throw badInput(`chip size ${side}x${side}: ${(e as Error).message}`, { field: 'sides' });
    }
    const stage = `chip ${side}x${side} (${i + 1} of ${sides.length})`;
    const inner: ProgressSink = {
      report: (s, f) => ctx.progress.report(`${stage}: ${s}`, (i + Math.min(1, Math.max(0, f))) / sides.length),
      cancelled: () => ctx.progress.cancelled(),
    };
    inner.report('starting', 0);
    const r = await runDeployment(request(args, chip), { wasm: ctx.wasm, progress: inner, simCache, ...pooled(ctx) });
    points.push({
      mesh: [side, side],
      tiles: r.chip.tiles,
      strategy: r.strategy,
      makespan_s: r.makespan_s,
      energy_j: r.energy_j,
      direct_makespan_s: r.makespan_s * r.speedup_vs_direct,
      direct_energy_j: r.energy_j * r.energy_gain_vs_direct,
      speedup_vs_direct: r.speedup_vs_direct,
      energy_gain_vs_direct: r.energy_gain_vs_direct,
    });
  }
  return points;
}

/** Serving sweep: the strategy's deployment (or, with a serving objective, the best resident candidate at each rate) under Poisson request streams, every tenant at each rate in turn. */
async function serveJob(raw: unknown, ctx: JobContext): Promise<ServeResult[]> {
  const args = raw as DeployJobArgs;
  // servingObjective was validated with the call's arguments (api/schemas.ts).
  return serveSweep({ ...request(args), rates: args.rates ?? [], requests: args.requests ?? 0, ...(args.servingObjective ? { servingObjective: args.servingObjective } : {}) }, { wasm: ctx.wasm, progress: ctx.progress, simCache });
}

export const DEPLOY_JOBS = { deploy: deployJob, sweep: sweepJob, serve: serveJob };
