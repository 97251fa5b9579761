/**
 * One run, end to end: the tenants mapped once, the direct baseline, the strategy's candidates
 * (the optimizer is given the analytic evaluator), every candidate refereed by the event
 * simulator, the alone runs, then the result document (report/run-result.ts).
 * Same inputs and seed => the same RunResult apart from `seconds` and `events_per_s` (clock readings).
 */
import type { ChipSpec } from '../hardware/spec';
import { tileCount } from '../hardware/costs';
import { mapTenant, type RunTenant, type MappedTenant } from '../mapping/mapped-tenant';
import type { ObjectiveName, StrategyName } from '../placement/spec';
import type { Deployment } from '../placement/types';
import { directDeployment, DIRECT_DEFINITION } from '../placement/direct';
import { evaluateDeployment } from '../evaluate/deployment';
import { lowerBound } from '../evaluate/bound';
import { planLimits } from '../optimize/stage-levels';
import type { RetileWasmExports } from '../sim/wasm';
import { eventsPerSecond, simulateDeployment, simulateDeploymentPooled, type Simulated, type SimTally } from '../sim/referee';
import type { SimulatorPool } from '../sim/pool';
import { PooledRuns } from './pooled-runs';
import { SimulationCache } from '../sim/cache';
import type { FromDeploymentOptions } from '../sim/from-deployment';
import { scenarioRowsToCompute, type SimProgress } from '../sim/driver';
import { scenarioFromDeployment } from '../sim/from-deployment';
import { annealStrategy } from '../optimize/anneal';
import { optimumFigures, type HighsSolver, type SolveLimits } from '../optimize/analytic-optimum';
import { classifyTenant } from '../optimize/classify';
import { deployPlans, singleCopyNeed } from '../optimize/deploy-plans';
import { operatorLevel } from '../optimize/operator-level';
import { OPTIMIZER_SETTINGS } from '../optimize/settings';
import { beats, beatThreshold } from '../optimize/referee-order';
import { collaborativeStrategy, operatorStrategy, tenantStrategy, type StrategyContext, type StrategyOutcome } from '../optimize/strategies';
import { BALANCED_DEFINITION, balancedDeployment, SEQUENTIAL_DEFINITION, sequentialDeployment, type BaselineName } from '../optimize/baselines';
import type { RunResult } from '../report/result';
import { runResult, type RunFigures } from '../report/run-result';
import { checkCancelled, NO_PROGRESS, stagedProgress, type ProgressSink } from '../progress';
import { withMesh } from '../hardware/presets';
import { replicaBatch, replicaGrid, replicaMesh, replicateDeployment } from '../placement/replicas';
import { formRounds } from '../optimize/deploy-plans';

export { OPTIMIZER_SETTINGS } from '../optimize/settings';
export type { StrategyName, ObjectiveName } from '../placement/spec';

export type { RunTenant } from '../mapping/mapped-tenant';

export interface RunRequest {
  chip: ChipSpec;
  tenants: RunTenant[];
  strategy: StrategyName;
  objective: ObjectiveName;
  seed: number;
}

export interface RunContext {
  /** The Wasm module: the event simulator that referees every candidate. */
  wasm: RetileWasmExports;
  progress?: ProgressSink;
  /** Milliseconds (Date.now by default for `seconds`, performance.now for `events_per_s`); only those two depend on it. */
  clock?: () => number;
  /**
   * Tenants' alone times (simulated turnaround) when the caller already has them (the study
   * reuses them across strategies); keyed by tenant order.
   */
  aloneS?: number[];
  /** 'analytic' skips the alone simulations (the study needs no NTT); default 'simulated'. */
  alone?: 'simulated' | 'analytic';
  /**
   * Simulations already run (sim/cache.ts). A host running many runs in one process keeps one
   * across them, so a baseline or an alone run met again (same tenants, chip, share and seed) is
   * not simulated twice; without it, each run has its own.
   */
  simCache?: SimulationCache;
  /** false: simulate every runner-up, even one whose lower bound shows it cannot win (for the test that pruning changes no choice). */
  prune?: boolean;
  /**
   * The HiGHS solver (the `highs` package, loaded by the host as the Wasm simulator is), or the
   * host's loader of it (called only when a program is to be solved): with it the result carries
   * `analytic_optimum` (optimize/analytic-optimum.ts) for instances small enough to solve in a
   * run; without it the field is absent.
   */
  highs?: HighsSolver | (() => Promise<HighsSolver>);
  /** HiGHS's limits for `analytic_optimum` (default OPTIMUM_LIMITS: a node limit and a 20 s guard; tests pass the node limit alone). */
  optimumLimits?: SolveLimits;
  /** false: no request-level replicas candidate (the run that plans one replica sets it). */
  replicas?: boolean;
  /**
   * Worker threads of the host, each with its own Wasm instance (sim/pool.ts). The baselines and
   * the alone runs, which do not depend on the optimizer, are sent there when the run starts and
   * awaited where their results are needed, while this thread optimizes; the candidates and
   * their runners-up (which stop early against the best so far) stay on this thread. The same
   * result document either way, field by field (the clock readings aside). Without it, every
   * simulation runs on this thread.
   */
  simPool?: SimulatorPool;
}

/** Everything runDeployment computes before it formats the result (used by the study as well). */
export interface RunInternals {
  models: MappedTenant[];
  ctx: StrategyContext;
  direct: { deployment: Deployment; simulated: Simulated };
  /** The three baselines, simulated (docs/method.md, "Baselines"). */
  baselines: Record<BaselineName, { deployment: Deployment; simulated: Simulated; definition: string }>;
  chosen: { outcome: StrategyOutcome; simulated: Simulated };
  candidates: { strategy: string; makespan_s: number; energy_j: number }[];
  /** The deployment of every candidate in `candidates`, by name: for a referee other than the burst makespan (serving objectives). */
  candidateDeployments: { name: string; deployment: Deployment }[];
  /** Collaborative's learning-rate candidate as refereed (its loop's plan or a runner-up), apart from the portfolio. */
  learningRate?: { outcome: StrategyOutcome; simulated: Simulated };
  /** Which candidate produced the result (collaborative's portfolio; otherwise the strategy itself). */
  chosenName: string;
  aloneS: number[];
  /** The run's simulations: the cache every simulation of the run went through. */
  simCache: SimulationCache;
  /** Runners-up not simulated because their lower bound showed they could not win. */
  pruned: number;
  /** Runners-up whose simulation stopped once its clock passed the best makespan so far (they could not win either). */
  stopped: number;
  /** The events and clock time of the simulations run (remembered ones aside). */
  tally: SimTally;
}

export async function runDeployment(req: RunRequest, ctx: RunContext): Promise<RunResult> {
  const clock = ctx.clock ?? (() => Date.now());
  const t0 = clock();
  const internals = await runInternals(req, ctx);
  const optimum = ctx.highs ? await optimumFigures(req.chip, internals.models, internals.chosen.outcome.deployment, ctx.highs, ctx.optimumLimits) : undefined;
  const result = runResult({ ...runFigures(req, internals), ...(optimum ? { optimum } : {}) });
  result.seconds = (clock() - t0) / 1000;
  result.events_per_s = eventsPerSecond(internals.tally);
  return result;
}

export async function runInternals(req: RunRequest, rc: RunContext): Promise<RunInternals> {
  if (!rc.simPool) return runInternalsWith(req, rc, null);
  const pooled = new PooledRuns(rc.simPool, rc.progress ?? NO_PROGRESS);
  try {
    return await runInternalsWith(req, { ...rc, progress: pooled.progress }, pooled);
  } catch (e) {
    throw await pooled.failed(e);
  }
}

async function runInternalsWith(req: RunRequest, rc: RunContext, pooled: PooledRuns | null): Promise<RunInternals> {
  // Weights: the candidates' optimization and simulation dominate a run; the alone baselines are
  // one simulation per tenant on a smaller deployment.
  const progress = stagedProgress(rc.progress ?? NO_PROGRESS, [
    [['profile'], 1],
    [['direct baseline'], 2],
    [['baselines'], 3],
    [['optimize', 'simulate'], 6],
    [['alone baselines'], 2],
    [['metrics'], 0.5],
  ]);
  const { chip } = req;
  const N = tileCount(chip);
  const simCache = rc.simCache ?? new SimulationCache();
  // performance.now by default: a simulation of a small chip takes well under Date.now's millisecond
  const tally: SimTally = { clock: rc.clock ?? (() => performance.now()), events: 0, ms: 0 };
  /** Every simulation of the run: the same seed, through the cache (a candidate equal to a baseline, or one tenant alone equal to its sequential turn, is simulated once). */
  const sim = (dep: Deployment, progress: SimProgress, scenario?: Omit<FromDeploymentOptions, 'seed'>): Simulated => simulateDeployment(dep, rc.wasm, req.seed, { progress, scenario, cache: simCache, tally });
  const refereeOutcome = { bounded: 0, stopped: 0 };
  /**
   * A runner-up, simulated only if its proven bound says it could beat `toBeat` (sim/bound.ts),
   * and only until its clock shows it cannot (null either way).
   */
  const simToBeat = (dep: Deployment, progress: SimProgress, toBeat: number): Simulated | null =>
    simulateDeployment(dep, rc.wasm, req.seed, { progress, cache: simCache, tally, toBeat: rc.prune === false ? undefined : toBeat, outcome: refereeOutcome });
  progress.report('profile', 0);
  /**
   * A simulation sent to the pool (when the run has one and the scenario is worth the trip,
   * SimulatorPool.minRows) or run here at once, to be awaited where its result is needed.
   */
  const early = (dep: Deployment, progress: SimProgress, scenario?: Omit<FromDeploymentOptions, 'seed'>, beforeOptimizer = true): Promise<Simulated> => {
    if (!pooled) return Promise.resolve(sim(dep, progress, scenario));
    const built = scenarioFromDeployment(dep, { ...scenario, seed: req.seed });
    if (scenarioRowsToCompute(built.scenario) < pooled.pool.minRows) return Promise.resolve(simulateDeployment(dep, rc.wasm, req.seed, { progress, cache: simCache, tally, built }));
    return pooled.send(simulateDeploymentPooled(dep, pooled.pool, req.seed, { built, cache: simCache, tally, signal: pooled.signal }), beforeOptimizer);
  };
  const wait = (p: Promise<Simulated>): Promise<Simulated> => (pooled ? pooled.wait(p) : p);
  const models = req.tenants.map((t, i) => mapTenant(i, t, chip));
  const need = singleCopyNeed(models, chip);
  // Alone on the whole chip with its best duplication: the NTT reference, and the loops' scale.
  const alonePlans = models.map((tm) => operatorLevel(tm, chip, N, 'bottleneck'));
  const alone = alonePlans.map((p) => ({ runTimeS: p.runTimeS, latencyS: p.latencyS }));
  // The simulator in the learning loops, within their budget of rows (settings.loopSimRows).
  const measure = (dep: Deployment, maxRows: number): { finishS: number[]; rows: number } | null => {
    // Built once: counted here, simulated (or found in the cache) below.
    const built = scenarioFromDeployment(dep, { seed: req.seed });
    const rows = scenarioRowsToCompute(built.scenario);
    if (rows > maxRows) return null;
    const s = simulateDeployment(dep, rc.wasm, req.seed, { progress: () => checkCancelled(progress), cache: simCache, tally, built });
    return { finishS: s.sim.tenants.map((t) => t.finish_s), rows };
  };
  const ctx: StrategyContext = { chip, models, objective: req.objective, seed: req.seed, need, alone, progress, evaluate: evaluateDeployment, measure };
  progress.report('profile', 1);
  checkCancelled(progress);

  progress.report('direct baseline', 0);
  const directDep = directDeployment(chip, req.tenants);
  const directRun = early(directDep, within(progress, 'direct baseline', 0, 1));
  progress.report('direct baseline', 1);
  checkCancelled(progress);
  progress.report('baselines', 0);
  const balancedDep = balancedDeployment(ctx);
  const balancedRun = early(balancedDep, within(progress, 'baselines', 0, 0.5));
  progress.report('baselines', 0.5);
  checkCancelled(progress);
  const sequentialDep = sequentialDeployment(ctx);
  // A repeating schedule: with several tenants every turn starts by loading its weights.
  const sequentialRun = early(sequentialDep, within(progress, 'baselines', 0.5, 1), { chargeInitialLoad: models.length > 1 });
  progress.report('baselines', 1);
  checkCancelled(progress);
  // Alone on the whole chip, each tenant (the NTT reference, unless the caller has it): with a
  // pool, from the start (sent, or simulated here when too small to send); without one, after the
  // candidates, as the progress plan says.
  const aloneNeeded = !rc.aloneS && rc.alone !== 'analytic';
  const aloneDeployment = (i: number): Deployment =>
    deployPlans(evaluateDeployment, chip, 'alone', 'alone on the whole chip', [{ ...models[i]!, index: 0 }], [[0]], [N], [alonePlans[i]!]);
  const aloneRuns = pooled && aloneNeeded ? models.map((_, i) => early(aloneDeployment(i), () => checkCancelled(progress), undefined, false)) : null;
  /** The direct baseline's simulation, where a candidate needs it. */
  let directSim = pooled ? null : await directRun;
  const direct = async (): Promise<Simulated> => (directSim ??= await wait(directRun));

  let chosen: { outcome: StrategyOutcome; simulated: Simulated };
  let chosenName: string = req.strategy;
  let learningRate: RunInternals['learningRate'];
  const candidates: RunInternals['candidates'] = [];
  const candidateDeployments: RunInternals['candidateDeployments'] = [];
  const directOutcome = (d: Simulated): StrategyOutcome => ({ deployment: directDep, trace: [], shares: directDep.tenants.map((t) => t.tiles.length), plans: [], value: d.sim.makespan_s });
  const note = (name: string, s: Simulated, deployment: Deployment): void => {
    candidates.push({ strategy: name, makespan_s: s.sim.makespan_s, energy_j: s.sim.energy_j });
    candidateDeployments.push({ name, deployment });
  };
  if (req.strategy === 'direct') {
    const d = await direct();
    chosen = { outcome: directOutcome(d), simulated: d };
    note('direct', d, directDep);
  } else if (req.strategy === 'collaborative') {
    // Portfolio by construction: the learning-rate candidate and the ablations' candidates are all
    // simulated; the fastest is the result (makespans tied within settings.makespanTieRel: the
    // lower energy, then the earlier in this list), so collaborative is never slower than tenant,
    // operator or direct under the simulator beyond that tolerance.
    const built: [string, () => StrategyOutcome][] = [
      ['learning-rate', () => collaborativeStrategy(ctx)],
      ['operator', () => operatorStrategy(ctx)],
      ['tenant', () => tenantStrategy(ctx)],
    ];
    let best: { name: string; outcome: StrategyOutcome; simulated: Simulated } | null = null;
    built.forEach(([name, make], k) => {
      progress.report('optimize', k / built.length);
      checkCancelled(progress);
      const made = make();
      progress.report('simulate', (k + 0.5) / built.length);
      const p = within(progress, 'simulate', (k + 0.5) / built.length, (k + 1) / built.length);
      const { outcome, simulated } = refereed(made, (d) => sim(d, p), (d, toBeat) => simToBeat(d, p, toBeat));
      note(name, simulated, outcome.deployment);
      if (name === 'learning-rate') learningRate = { outcome, simulated };
      if (!best || beats(simulated.sim, best.simulated.sim)) best = { name, outcome, simulated };
    });
    const replicated = rc.replicas === false ? null : await replicasCandidate(req, rc, simCache, best!.outcome.deployment);
    if (replicated) {
      checkCancelled(progress);
      const simulated = sim(replicated.deployment, within(progress, 'simulate', 0.99, 1));
      note('replicas', simulated, replicated.deployment);
      if (beats(simulated.sim, best!.simulated.sim)) best = { name: 'replicas', outcome: replicated, simulated };
    }
    const d = await direct();
    note('direct', d, directDep);
    if (beats(d.sim, best!.simulated.sim)) best = { name: 'direct', outcome: directOutcome(d), simulated: d };
    const b = best!;
    chosenName = b.name;
    // The result is the collaborative strategy whichever candidate won; its trace is the learning loop's.
    const learned = b.outcome;
    chosen = {
      outcome: { ...learned, deployment: { ...learned.deployment, strategy: 'collaborative', definition: `${DEFINITIONS_COLLAB} Chosen candidate: ${b.name}.` } },
      simulated: b.simulated,
    };
  } else {
    progress.report('optimize', 0);
    const made = req.strategy === 'tenant' ? tenantStrategy(ctx) : req.strategy === 'operator' ? operatorStrategy(ctx) : annealStrategy(ctx);
    checkCancelled(progress);
    progress.report('simulate', 0.5);
    const p = within(progress, 'simulate', 0.5, 1);
    chosen = refereed(made, (d) => sim(d, p), (d, toBeat) => simToBeat(d, p, toBeat));
    note(req.strategy, chosen.simulated, chosen.outcome.deployment);
  }
  progress.report('simulate', 1);

  const baselines: RunInternals['baselines'] = {
    direct: { deployment: directDep, simulated: await direct(), definition: DIRECT_DEFINITION },
    balanced: { deployment: balancedDep, simulated: await wait(balancedRun), definition: BALANCED_DEFINITION },
    sequential: { deployment: sequentialDep, simulated: await wait(sequentialRun), definition: SEQUENTIAL_DEFINITION },
  };

  // Alone turnaround, simulated like the run (unless the caller has them).
  let aloneS = rc.aloneS ?? (rc.alone === 'analytic' ? alone.map((a) => a.runTimeS) : undefined);
  if (aloneRuns) {
    progress.report('alone baselines', 0);
    aloneS = [];
    for (const run of aloneRuns) aloneS.push((await wait(run)).sim.tenants[0]!.finish_s);
  } else if (!aloneS) {
    aloneS = models.map((_, i) => {
      checkCancelled(progress);
      progress.report('alone baselines', i / models.length);
      return sim(aloneDeployment(i), within(progress, 'alone baselines', i / models.length, (i + 1) / models.length)).sim.tenants[0]!.finish_s;
    });
  }
  progress.report('metrics', 1);
  return { models, ctx, direct: { deployment: directDep, simulated: await direct() }, baselines, chosen, candidates, candidateDeployments, chosenName, learningRate, aloneS, simCache, pruned: refereeOutcome.bounded, stopped: refereeOutcome.stopped, tally };
}

/**
 * Collaborative's request-level replicas candidate (placement/replicas.ts), or null where it does
 * not apply: every tenant's batch shared among k rectangles of the chip, the tenants with
 * ceil(B / k) requests each run as a collaborative run of their own on one rectangle (its whole
 * portfolio, refereed by the simulator there), and its result copied into every rectangle. Only
 * where the extra tiles are idle: the best single-pipeline candidate (`best`) holds at most one
 * rectangle's worth of tiles (its Duplicator stopped at the NoC floors, not at the area), and all
 * tenants fit one rectangle together (one round; a rectangle that reloads weights gains nothing).
 */
async function replicasCandidate(req: RunRequest, rc: RunContext, simCache: SimulationCache, best: Deployment): Promise<StrategyOutcome | null> {
  const batches = req.tenants.map((t) => t.batch ?? 1);
  const grid = replicaGrid(req.chip, batches);
  if (!grid) return null;
  const k = grid.rows * grid.cols;
  if (new Set(best.reops.map((r) => r.tile)).size > tileCount(req.chip) / k) return null;
  const subChip = withMesh(req.chip, replicaMesh(req.chip, grid));
  const tenants = req.tenants.map((t, i) => ({ ...t, batch: replicaBatch(batches[i]!, 0, k) }));
  const need = singleCopyNeed(tenants.map((t, i) => mapTenant(i, t, subChip)), subChip);
  if (formRounds(need, tileCount(subChip)).length > 1) return null;
  const outer = rc.progress ?? NO_PROGRESS;
  const quiet: ProgressSink = { report: () => undefined, cancelled: () => outer.cancelled() };
  const inner = await runInternals({ ...req, chip: subChip, tenants, strategy: 'collaborative' }, { wasm: rc.wasm, progress: quiet, alone: 'analytic', simCache, replicas: false, ...(rc.prune === false ? { prune: false } : {}), ...(rc.simPool ? { simPool: rc.simPool } : {}) });
  const o = inner.chosen.outcome;
  const deployment = replicateDeployment(o.deployment, req.chip, grid, batches);
  return { deployment, trace: o.trace, shares: deployment.tenants.map((_, i) => o.shares[i % tenants.length]!), plans: o.plans, value: inner.chosen.simulated.sim.makespan_s };
}

/**
 * The simulator as referee of a learning loop: the outcome and its runners-up by the analytic
 * objective are simulated and the fastest is kept (makespans tied within settings.makespanTieRel:
 * the lower energy, then the analytic best; optimize/referee-order.ts). The analytic model ranks
 * close share vectors unreliably (docs/simulator.md). A runner-up whose proven lower bound is
 * already past the best's makespan and its tie band cannot win and is not simulated
 * (`simulateToBeat` answers null): the choice is the same.
 */
export function refereed(
  outcome: StrategyOutcome,
  simulate: (d: Deployment) => Simulated,
  simulateToBeat: (d: Deployment, toBeat: number) => Simulated | null = simulate,
): { outcome: StrategyOutcome; simulated: Simulated } {
  // The outcome kept without its runners-up, and each runner-up's deployment made in turn: only
  // the best so far and the one under the referee are held.
  const { alternatives, ...first } = outcome;
  let best: { outcome: StrategyOutcome; simulated: Simulated } = { outcome: first, simulated: simulate(first.deployment) };
  for (const { deploy, ...alt } of alternatives ?? []) {
    const deployment = deploy();
    const simulated = simulateToBeat(deployment, beatThreshold(best.simulated.sim));
    if (simulated && beats(simulated.sim, best.simulated.sim)) best = { outcome: { ...alt, deployment }, simulated };
  }
  return best;
}

/**
 * One simulation's progress as the [from, to] part of a stage, checking for a cancel between the
 * loop's slices (a long simulation is then stopped within one slice).
 */
function within(progress: ProgressSink, stage: string, from: number, to: number): SimProgress {
  return (f) => {
    checkCancelled(progress);
    progress.report(stage, from + (to - from) * f);
  };
}

const DEFINITIONS_COLLAB =
  `Collaborative (docs/method.md#step-2-tenant-level with docs/method.md#step-3-operator-level inside): learning-rate tenant-level partitioning with the operator level (Duplicator/Splitter) evaluated inside every share; the final deployment is the fastest by the event simulator (makespans within a relative ${OPTIMIZER_SETTINGS.makespanTieRel}: the lower energy) among this candidate (listed as learning-rate in candidates) and the operator-only, tenant-only and direct candidates built from the same inputs.`;


/** What the result document shows beyond the run itself: the analytic evaluation, the bound and the classes. */
function runFigures(req: RunRequest, x: RunInternals): RunFigures {
  const { chip } = req;
  const dep = x.chosen.outcome.deployment;
  return {
    chip,
    strategy: req.strategy,
    objective: req.objective,
    seed: req.seed,
    deployment: dep,
    simulated: x.chosen.simulated,
    trace: x.chosen.outcome.trace,
    shares: x.chosen.outcome.shares,
    direct: x.direct.simulated.sim,
    baselines: {
      direct: { sim: x.baselines.direct.simulated.sim, definition: x.baselines.direct.definition, deployment: x.baselines.direct.deployment },
      balanced: { sim: x.baselines.balanced.simulated.sim, definition: x.baselines.balanced.definition, deployment: x.baselines.balanced.deployment },
      sequential: { sim: x.baselines.sequential.simulated.sim, definition: x.baselines.sequential.definition, deployment: x.baselines.sequential.deployment },
    },
    aloneS: x.aloneS,
    analytic: evaluateDeployment(dep),
    bound: lowerBound(chip, x.models, planLimits(chip, x.models)),
    // The deployed graphs (the Splitter may have cut wide layers) classified as placed.
    layerClasses: dep.tenants.map((t) => classifyTenant(t.mapped, chip).classes),
    classification: x.models.map((tm) => ({ tenant: tm.tenant.name, ...classifyTenant(tm, chip) })),
    candidates: x.candidates,
    chosenCandidate: x.chosenName,
    settings: { ...OPTIMIZER_SETTINGS },
  };
}
