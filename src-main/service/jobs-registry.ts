/**
 * The kinds of work the engine worker can run. Each job gets its validated arguments, the
 * loaded Wasm module and a progress sink, and returns plain data.
 */
import type { ProgressSink } from '../engine/progress';
import type { RetileWasmExports } from '../engine/sim/wasm';
import type { SimulatorPool } from '../engine/sim/pool';
import { fromOnnxBytes, importBindings } from './models';
import { DEPLOY_JOBS } from './deploy-jobs';

export interface JobContext {
  wasm: RetileWasmExports;
  progress: ProgressSink;
  /** The worker's simulation pool, started on first use (none when the host set no threads). */
  simPool?: () => SimulatorPool | undefined;
}

export type JobFn = (args: unknown, ctx: JobContext) => Promise<unknown>;

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
  importOnnx: importOnnxJob,
  ...DEPLOY_JOBS,
};
