/** The referee: a Deployment replayed by the Wasm event simulator. */
import type { Deployment } from '../placement/types';
import { packForLoop, simulate, simulateToBeat, summarizeLoop, type SimProgress, type SimResult, type SimStopped } from './index';
import { scenarioFromDeployment, type FromDeploymentOptions } from './from-deployment';
import type { RetileWasmExports } from './wasm';
import type { SimulationCache } from './cache';
import { scenarioLowerBoundS } from './bound';
import type { SimulatorPool } from './pool';

export interface Simulated {
  sim: SimResult;
  /** Scenario re-operator index of each deployment re-operator. */
  reopOf: number[];
  /** Crossbars of each scenario re-operator. */
  crossbars: number[];
}

/** Events the loop ran and the clock's milliseconds it took, summed over the simulations run (not remembered ones). */
export interface SimTally {
  clock: () => number;
  events: number;
  ms: number;
}

/** Events per second of the simulations a tally counted (0 when none ran or the clock stood still). */
export function eventsPerSecond(t: SimTally): number {
  return t.ms > 0 ? t.events / (t.ms / 1000) : 0;
}

export interface RefereeOptions {
  /** Follows the event loop's slices. */
  progress?: SimProgress;
  /** Shape the scenario (e.g. charging the first load). */
  scenario?: Omit<FromDeploymentOptions, 'seed'>;
  /** A scenario simulated before is not simulated again. */
  cache?: SimulationCache;
  /**
   * Simulate only if the deployment could be faster than this makespan: when its proven lower
   * bound (bound.ts) is at least this, it cannot be, and nothing is simulated (null); otherwise
   * the simulation stops (null) once its clock reaches this with a request still open.
   */
  toBeat?: number;
  /** Counts the deployments a `toBeat` left unsimulated (bound) or stopped early (clock). */
  outcome?: { bounded: number; stopped: number };
  /** Counts the events and time of each simulation actually run. */
  tally?: SimTally;
  /** The scenario of `dep` with these options when the caller has already built it (not built again). */
  built?: ReturnType<typeof scenarioFromDeployment>;
}

export function simulateDeployment(dep: Deployment, wasm: RetileWasmExports, seed: number, o?: Omit<RefereeOptions, 'toBeat'>): Simulated;
export function simulateDeployment(dep: Deployment, wasm: RetileWasmExports, seed: number, o: RefereeOptions): Simulated | null;
export function simulateDeployment(dep: Deployment, wasm: RetileWasmExports, seed: number, o: RefereeOptions = {}): Simulated | null {
  const { scenario, index } = o.built ?? scenarioFromDeployment(dep, { ...o.scenario, seed });
  const toBeat = o.toBeat;
  if (toBeat !== undefined && scenarioLowerBoundS(scenario) >= toBeat) {
    if (o.outcome) o.outcome.bounded++;
    return null;
  }
  let ran = false;
  const run = (): SimResult | SimStopped => {
    ran = true;
    const t0 = o.tally?.clock() ?? 0;
    const r = toBeat === undefined ? simulate(scenario, wasm, o.progress) : simulateToBeat(scenario, wasm, toBeat, o.progress);
    if (o.tally) {
      o.tally.ms += o.tally.clock() - t0;
      o.tally.events += r.events;
    }
    return r;
  };
  const sim = o.cache ? o.cache.get(scenario, run) : run();
  // A remembered result: the loop's last report (and its cancel check) still comes.
  if (!ran) o.progress?.(1);
  if ('stopped' in sim) {
    if (o.outcome) o.outcome.stopped++;
    return null;
  }
  return { sim, reopOf: index.reopOf, crossbars: scenario.reops.map((r) => r.crossbars ?? 0) };
}

/**
 * simulateDeployment with its event loop on a pool thread (pool.ts): the scenario is built and
 * packed here, its loop run there (only typed arrays cross), and the result summarized and
 * remembered here, in the run's cache, like any other. No progress and no early stop: the pool
 * runs whole loops.
 */
export async function simulateDeploymentPooled(
  dep: Deployment,
  pool: SimulatorPool,
  seed: number,
  o: Pick<RefereeOptions, 'scenario' | 'cache' | 'tally' | 'built'> & { signal?: AbortSignal } = {},
): Promise<Simulated> {
  const { scenario, index } = o.built ?? scenarioFromDeployment(dep, { ...o.scenario, seed });
  const run = async (): Promise<SimResult> => {
    const packed = packForLoop(scenario);
    const { raw, ms } = await pool.simulate(packed, o.signal);
    if (o.tally) {
      o.tally.ms += ms;
      o.tally.events += raw.events;
    }
    return summarizeLoop(scenario, packed, raw);
  };
  const sim = await (o.cache ? o.cache.getAsync(scenario, run) : run());
  return { sim, reopOf: index.reopOf, crossbars: scenario.reops.map((r) => r.crossbars ?? 0) };
}
