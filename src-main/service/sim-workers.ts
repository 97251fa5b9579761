/**
 * How many simulation threads a run gets (RETILE_SIM_WORKERS), apart from the pool itself so that
 * a command deciding it does not load piscina (only a run that sends a scenario does).
 */
import { availableParallelism } from 'node:os';
import { badInput } from '../engine/errors';

/**
 * Simulation threads for a run (RETILE_SIM_WORKERS, docs/cli.md): the variable when set (0: none,
 * every simulation on the run's own thread), else one when the machine has two cores beyond the
 * `busy` threads already running jobs (the run's worker, or a sweep's workers), else none. One
 * spare core is not enough: V8's compiler and collector threads use it, and on 2 cores the pool
 * saved no time and cost 255-300 MB at 256x256 (docs/performance.md).
 */
export function simWorkersFromEnv(busy: number, env: NodeJS.ProcessEnv = process.env, cores = availableParallelism()): number {
  const v = env.RETILE_SIM_WORKERS;
  if (v === undefined || v === '') return cores >= busy + 2 ? 1 : 0;
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n > MAX_SIM_WORKERS) {
    throw badInput(`expects an integer from 0 to ${MAX_SIM_WORKERS}, got '${v}'`, { field: 'RETILE_SIM_WORKERS' });
  }
  return n;
}

/** More threads than the simulations a run can send at once (three baselines and the alone runs of 16 tenants) would sit idle. */
const MAX_SIM_WORKERS = 64;
