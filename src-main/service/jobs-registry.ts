/**
 * The kinds of work the engine worker can run. Each job gets its validated arguments, the
 * loaded Wasm module and a progress sink, and returns plain data.
 */
import type { ProgressSink } from '../engine/progress';
import { checkCancelled } from '../engine/progress';
import { wasmDot, type RetileWasmExports } from '../engine/sim/wasm';
import type { SelfTestArgs } from '../api/contract';
import { fromOnnxBytes, importBindings } from './models';
import { DEPLOY_JOBS } from './deploy-jobs';

export interface JobContext {
  wasm: RetileWasmExports;
  progress: ProgressSink;
}

export type JobFn = (args: unknown, ctx: JobContext) => Promise<unknown>;

/** Busy-waits `ms` while polling for cancellation (stands in for a slice of real engine work). */
function workFor(ms: number, progress: ProgressSink): void {
  const end = Date.now() + ms;
  while (Date.now() < end) checkCancelled(progress);
}

export interface SelfTestResult {
  size: number;
  dot: number;
  expected: number;
  wasmAbi: number;
}

/**
 * Foundation round trip: the dot product of a = (1..n) and b = (1,1,...) computed in Wasm, with
 * progress reported per step. The expected value n(n+1)/2 is independent of the Wasm code.
 */
async function selfTest(rawArgs: unknown, ctx: JobContext): Promise<SelfTestResult> {
  const args = rawArgs as SelfTestArgs;
  const a = new Float64Array(args.size).map((_, i) => i + 1);
  const b = new Float64Array(args.size).fill(1);
  let dot = 0;
  for (let step = 0; step < args.steps; step++) {
    checkCancelled(ctx.progress);
    workFor(args.stepMs, ctx.progress);
    dot = wasmDot(ctx.wasm, a, b);
    ctx.progress.report('wasm dot product', (step + 1) / args.steps);
  }
  return { size: args.size, dot, expected: (args.size * (args.size + 1)) / 2, wasmAbi: ctx.wasm.abiVersion() };
}

export interface ImportOnnxResult {
  graph: unknown;
  sha256: string;
  bytes: number;
}

/** ONNX import (protobuf parse and shape inference) off the host thread: bytes in, graph IR out. */
async function importOnnxJob(rawArgs: unknown, ctx: JobContext): Promise<ImportOnnxResult> {
  const { bytes, fileName, input, dims } = rawArgs as { bytes: Uint8Array; fileName: string; input?: string; dims?: string };
  ctx.progress.report(`importing ${fileName}`, 0);
  const m = fromOnnxBytes(bytes, fileName, fileName, importBindings(input, dims));
  ctx.progress.report(`importing ${fileName}`, 1);
  return { graph: m.graph, sha256: m.file!.sha256, bytes: m.file!.bytes };
}

export const JOBS: Record<string, JobFn> = {
  selftest: selfTest,
  importOnnx: importOnnxJob,
  ...DEPLOY_JOBS,
};
