/**
 * Resolving a tenant's model reference on the host side: a zoo name, or an ONNX file read from
 * disk (relative paths resolve against the spec file's folder). The engine gets bytes, never paths.
 */
import { createHash } from 'node:crypto';
import { basename, isAbsolute, resolve } from 'node:path';
import { badInput } from '../engine/errors';
import { importOnnx, isZooName, toLayerGraph, zooGraph, type Graph, type LayerGraph } from '../engine/workload';
import { LIMITS } from '../engine/limits';
import { readInputFile } from './input-file';

export interface ResolvedModel {
  /** What the user wrote (zoo name or path). */
  ref: string;
  /** Zoo name or the ONNX file's base name. */
  model: string;
  graph: Graph;
  layers: LayerGraph;
  /** For ONNX files: the file name and the SHA-256 of its bytes (stored with the project). */
  file?: { name: string; sha256: string; bytes: number };
}

export function isOnnxRef(ref: string): boolean {
  return /\.onnx$/i.test(ref);
}

/** Reads and imports an ONNX file with the size limit checked before reading. */
export function readOnnx(path: string, opts: { batch?: number } = {}): ResolvedModel {
  const bytes = readInputFile(path, 'ONNX file', LIMITS.maxOnnxBytes);
  return fromOnnxBytes(bytes, basename(path), path, opts);
}

export function fromOnnxBytes(bytes: Uint8Array, name: string, ref: string, opts: { batch?: number } = {}): ResolvedModel {
  const graph = importOnnx(bytes, name, opts);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { ref, model: name, graph, layers: toLayerGraph(graph), file: { name, sha256, bytes: bytes.length } };
}

/**
 * A zoo name or an ONNX path (relative to `baseDir`), as a graph of ONE inference: a tenant's
 * batch is a stream of inferences through the pipeline (the optimizer and simulator count them),
 * not a wider tensor, so the graph always has batch 1 (a symbolic ONNX batch axis becomes 1).
 */
export function resolveModel(ref: string, opts: { baseDir?: string } = {}): ResolvedModel {
  if (isOnnxRef(ref)) {
    const path = isAbsolute(ref) ? ref : resolve(opts.baseDir ?? process.cwd(), ref);
    return readOnnx(path, { batch: 1 });
  }
  if (!isZooName(ref)) throw badInput(`'${ref}' is neither a zoo model nor an .onnx file (see \`retile zoo\`)`, { field: 'model' });
  const graph = zooGraph(ref, { batch: 1 });
  return { ref, model: ref, graph, layers: toLayerGraph(graph) };
}
