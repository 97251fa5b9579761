/**
 * A thread of the simulation pool (bundled as out/main/sim-worker.js, run by piscina for
 * service/sim-pool.ts): its own Wasm instance, loaded once; each task is one packed scenario whose
 * event loop it runs whole (the run's thread packs and summarizes). It keeps nothing between
 * tasks: the run's cache lives on the engine's thread. Errors come back as values (an Error
 * crossing threads loses the engine's code and setting). The event budget came packed with the
 * scenario, so the thread needs none of the host's limits.
 */
import { workerData } from 'piscina';
import { loadWasm } from './wasm-node';
import { simulateWasm } from '../engine/sim/driver';
import type { PackedScenario } from '../engine/sim/scenario';
import { isRetileError, type ErrorCode, type ErrorWhere } from '../engine/errors';
import type { PooledSimulation } from '../engine/sim/pool';

export interface SimWorkerInit {
  wasmPath: string;
}

export type SimWorkerReply = ({ ok: true } & PooledSimulation) | { ok: false; code: ErrorCode; message: string; where: ErrorWhere };

const init = workerData as SimWorkerInit;
const wasmReady = loadWasm(init.wasmPath);

export default async function simulateTask(packed: PackedScenario): Promise<SimWorkerReply> {
  const wasm = await wasmReady;
  try {
    const t0 = performance.now();
    const raw = simulateWasm(wasm, packed);
    return { ok: true, raw, ms: performance.now() - t0 };
  } catch (e) {
    if (isRetileError(e)) return { ok: false, code: e.code, message: e.detail, where: e.where };
    return { ok: false, code: 'internal', message: (e as Error).message, where: {} };
  }
}
