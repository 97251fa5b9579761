/**
 * The shape flags shared by `model`, `map` and `simulate`: `--input <CxHxW>` or
 * `--input <name>=<dims>`, and `--dim <name>=<n>` (repeatable). Parsed by the engine's binding
 * parsers, so the CLI, spec files (`input`, `dims`) and the app accept the same text.
 */
import type { Command } from 'commander';
import { parseDimBindings, parseInputBinding, type ShapeBindings } from '../engine/workload';

export interface ShapeFlags {
  input?: string;
  dim?: string[];
}

export function addShapeFlags(cmd: Command): Command {
  return cmd
    .option('--input <shape>', 'input shape: <CxHxW> (zoo image models, or the first ONNX input) or <name>=<dims> (an ONNX input)')
    .option('--dim <name=n>', 'value of a named dimension: a symbolic ONNX axis, or seq / kv of zoo language models (repeatable)', (v: string, prev: string[] = []) => [...prev, v]);
}

export function shapeBindings(flags: ShapeFlags): ShapeBindings {
  return {
    ...(flags.input !== undefined ? { input: parseInputBinding(flags.input, '--input') } : {}),
    ...(flags.dim?.length ? { dims: parseDimBindings(flags.dim, '--dim') } : {}),
  };
}
