/**
 * Resolving a tenant's model reference on the host side: a zoo name, or an ONNX file read from
 * disk (relative paths resolve against the spec file's folder). The engine gets bytes, never paths.
 */
import { createHash } from 'node:crypto';
import { basename, isAbsolute, resolve } from 'node:path';
import { badInput } from '../engine/errors';
import { describeBindings, importNeurosimCsv, importOnnx, parseDimBindings, parseInputBinding, isZooName, toLayerGraph, zooGraph, type Graph, type LayerGraph, type ShapeBindings } from '../engine/workload';
import { LIMITS } from '../engine/limits';
import { readInputFile } from './input-file';

export interface ResolvedModel {
  /** What the user wrote (zoo name or path). */
  ref: string;
  /** Zoo name or the ONNX file's base name. */
  model: string;
  graph: Graph;
  layers: LayerGraph;
  /**
   * For ONNX files, and zoo models built with an input shape or dimensions: the name and the key
   * its graph is stored under in a project (SHA-256 of the file's bytes, and of the bindings when
   * there are any, so one file bound two ways gives two graphs).
   */
  file?: { name: string; sha256: string; bytes: number };
}

/** Import options of one model: its shape bindings and, for ONNX files, the batch. */
export type ModelOptions = ShapeBindings & { batch?: number };

/** The app's import settings: the CLI's `--input` text and a list of `--dim` texts ("sequence=128 batch=1"). */
export function importBindings(input?: string, dims?: string): ShapeBindings {
  const list = (dims ?? '').split(/[\s,]+/).filter(Boolean);
  return {
    ...(input?.trim() ? { input: parseInputBinding(input, 'input') } : {}),
    ...(list.length ? { dims: parseDimBindings(list, 'dims') } : {}),
  };
}

const hasBindings = (b: ShapeBindings): boolean => b.input !== undefined || Object.keys(b.dims ?? {}).length > 0;

export function isOnnxRef(ref: string): boolean {
  return /\.onnx$/i.test(ref);
}

export function isNeurosimRef(ref: string): boolean {
  return /\.csv$/i.test(ref);
}

/**
 * A model file's record with its SHA-256 computed when first read: a project stores the hash
 * (and `retile new` reads it), a spec run never does, so hashing a large file is left to the
 * commands that keep it.
 */
function fileRecord(name: string, bytes: number, digest: () => string): NonNullable<ResolvedModel['file']> {
  let sha256: string | undefined;
  return {
    name,
    get sha256() {
      sha256 ??= digest();
      return sha256;
    },
    bytes,
  };
}

/** Reads a NeuroSim network CSV (DNN+NeuroSim's layer table); kept in a project by the hash of its text. */
export function readNeurosimCsv(path: string): ResolvedModel {
  const bytes = readInputFile(path, 'NeuroSim network CSV', LIMITS.maxOnnxBytes);
  const name = basename(path);
  const graph = importNeurosimCsv(bytes.toString('utf8'), name);
  return { ref: path, model: name, graph, layers: toLayerGraph(graph), file: fileRecord(name, bytes.length, () => createHash('sha256').update(bytes).digest('hex')) };
}

/** Reads and imports an ONNX file with the size limit checked before reading. */
export function readOnnx(path: string, opts: ModelOptions = {}): ResolvedModel {
  const bytes = readInputFile(path, 'ONNX file', LIMITS.maxOnnxBytes);
  return fromOnnxBytes(bytes, basename(path), path, opts);
}

export function fromOnnxBytes(bytes: Uint8Array, name: string, ref: string, opts: ModelOptions = {}): ResolvedModel {
  const graph = importOnnx(bytes, name, opts);
  const digest = () => {
    const hash = createHash('sha256').update(bytes);
    if (hasBindings(opts)) hash.update(`\n${describeBindings(opts)}`);
    return hash.digest('hex');
  };
  return { ref, model: name, graph, layers: toLayerGraph(graph), file: fileRecord(name, bytes.length, digest) };
}

/**
 * A zoo name or an ONNX path (relative to `baseDir`), as a graph of ONE inference: a tenant's
 * batch is a stream of inferences through the pipeline (the optimizer and simulator count them),
 * not a wider tensor, so the graph always has batch 1 (a symbolic ONNX batch axis becomes 1).
 */
export function resolveModel(ref: string, opts: { baseDir?: string } & ShapeBindings = {}): ResolvedModel {
  const bindings: ShapeBindings = { input: opts.input, dims: opts.dims };
  const path = isAbsolute(ref) ? ref : resolve(opts.baseDir ?? process.cwd(), ref);
  if (isOnnxRef(ref)) return readOnnx(path, { batch: 1, ...bindings });
  if (isNeurosimRef(ref)) {
    if (hasBindings(bindings)) throw badInput('a NeuroSim network CSV fixes every layer shape; --input and --dim do not apply', { file: path, field: 'input' });
    return readNeurosimCsv(path);
  }
  if (!isZooName(ref)) throw badInput(`'${ref}' is neither a zoo model nor an .onnx or NeuroSim .csv file (see \`retile zoo\`)`, { field: 'model' });
  if (opts.input?.name) throw badInput(`--input ${opts.input.name}=... names an input; zoo models take --input <CxHxW>`, { field: 'input' });
  const graph = zooGraph(ref, { batch: 1, input: opts.input?.dims, dims: opts.dims });
  if (!hasBindings(bindings)) return { ref, model: ref, graph, layers: toLayerGraph(graph) };
  // A zoo model with its own shape is kept in a project as its built graph, like an imported file.
  const name = `${ref} ${describeBindings(bindings)}`;
  return { ref, model: name, graph, layers: toLayerGraph(graph), file: { name, sha256: createHash('sha256').update(name).digest('hex'), bytes: 0 } };
}
