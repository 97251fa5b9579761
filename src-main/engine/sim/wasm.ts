/**
 * Loading Retile's Wasm module. The engine is handed the module's bytes (or a compiled module)
 * by its host: Node reads build/wasm/retile.wasm, the renderer fetches it. No host imports here.
 */
/** The parts of the WebAssembly JS API used here (node tsconfig has no DOM lib, @types/node 20 no WebAssembly). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(deltaPages: number): number;
}
interface WasmModule {
  readonly __wasmModule?: never;
}
interface WasmApi {
  Module: abstract new (...args: never[]) => WasmModule;
  compile(bytes: ArrayBuffer | ArrayBufferView): Promise<WasmModule>;
  instantiate(module: WasmModule, imports: object): Promise<{ exports: unknown }>;
}
import { SIM_ABI_VERSION } from './layout';

const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export interface RetileWasmExports {
  memory: WasmMemory;
  abiVersion(): number;
  reserve(bytes: number): number;
  /** assembly/mac.ts: program conductances (returns physical columns), run vectors, exact product. */
  macProgram(wPtr: number, rows: number, cols: number, weightBits: number, cellBits: number, polarity: number,
    sigma: number, pSA0: number, pSA1: number, seed: number, gPtr: number, stride: number): number;
  macRun(gPtr: number, stride: number, xPtr: number, nVec: number, rows: number, cols: number, weightBits: number,
    cellBits: number, polarity: number, actBits: number, dacBits: number, adcBits: number, accPtr: number, outPtr: number): void;
  macExact(wPtr: number, xPtr: number, nVec: number, rows: number, cols: number, outPtr: number): void;
  /** assembly/sim.ts's event loop on the scenario laid out at `base` (see sim/layout.ts), in slices: simBegin lays the run out, each simResume runs at most `slice` events (3: paused; else 0 on success). */
  simBegin(base: number): void;
  simResume(slice: number): number;
}

/** The ABI this driver was written against (layout.ts); a mismatch means a stale build. */
export const WASM_ABI_VERSION = SIM_ABI_VERSION;

export async function instantiateRetileWasm(source: ArrayBuffer | ArrayBufferView | WasmModule): Promise<RetileWasmExports> {
  const module = source instanceof WA.Module ? (source as WasmModule) : await WA.compile(source as ArrayBuffer | ArrayBufferView);
  const instance = await WA.instantiate(module, {
    env: {
      abort(_msg: number, _file: number, line: number, column: number) {
        throw new Error(`retile.wasm aborted at ${line}:${column}`);
      },
    },
  });
  const exports = instance.exports as unknown as RetileWasmExports;
  const abi = exports.abiVersion();
  if (abi !== WASM_ABI_VERSION) {
    throw new Error(`retile.wasm ABI ${abi} does not match the driver's ${WASM_ABI_VERSION}: rebuild with npm run build:wasm`);
  }
  return exports;
}
