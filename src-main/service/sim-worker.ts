/**
 * A thread of the simulation pool (bundled as out/main/sim-worker.js, run by piscina for
 * service/sim-pool.ts): its own Wasm instance, loaded once; each task is one scenario, simulated
 * whole. It keeps nothing between tasks: the run's cache lives on the engine's thread.
 * Errors come back as values (an Error crossing threads loses the engine's code and setting).
 */
import { workerData } from 'piscina';
import { loadWasm } from './wasm-node';
import { setLimits, type Limits } from '../engine/limits';
import { simulate, type Scenario } from '../engine/sim';
import { isRetileError, type ErrorCode, type ErrorWhere } from '../engine/errors';
import type { PooledSimulation } from '../engine/sim/pool';

export interface SimWorkerInit {
  wasmPath: string;
  /** The host's engine limits (the event budget among them), as the engine's thread has them. */
  limits?: Partial<Limits>;
}

export type SimWorkerReply = ({ ok: true } & PooledSimulation) | { ok: false; code: ErrorCode; message: string; where: ErrorWhere };

const init = workerData as SimWorkerInit;
if (init.limits) setLimits(init.limits);
const wasmReady = loadWasm(init.wasmPath);

export default async function simulateTask(scenario: Scenario): Promise<SimWorkerReply> {
  const wasm = await wasmReady;
  try {
    const t0 = performance.now();
    const sim = simulate(scenario, wasm);
    return { ok: true, sim, ms: performance.now() - t0 };
  } catch (e) {
    if (isRetileError(e)) return { ok: false, code: e.code, message: e.detail, where: e.where };
    return { ok: false, code: 'internal', message: (e as Error).message, where: {} };
  }
}
