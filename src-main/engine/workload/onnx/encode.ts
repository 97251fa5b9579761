/**
 * A minimal ONNX encoder for the same schema subset (ONNX_SCHEMA field numbers). Used to make
 * test fixtures and the large benchmark model programmatically; not a general exporter.
 */
import protobuf from 'protobufjs/minimal.js';

export interface EncTensor {
  name: string;
  dims: number[];
  dataType?: number;
  /** Raw little-endian payload; omit for an initializer with dims only (absent payload). */
  raw?: Uint8Array;
  int64s?: number[];
  /** Payload stored in a side file (ONNX external data): only its location is recorded. */
  external?: string;
}

/** Attribute values: int, ints, string, tensor, float(s), or a nested graph (If/Loop bodies). */
export type EncAttr = number | number[] | string | EncTensor | { float: number } | { floats: number[] } | { graph: EncModel };

export interface EncNode {
  op: string;
  name?: string;
  inputs: string[];
  outputs: string[];
  attrs?: Record<string, EncAttr>;
  domain?: string;
}

export interface EncModel {
  irVersion?: number;
  opset?: number;
  nodes: EncNode[];
  initializers?: EncTensor[];
  /** Graph inputs: name and dims (a string dim is symbolic). */
  inputs: { name: string; dims: (number | string)[] }[];
  outputs?: string[];
}

type W = protobuf.Writer;

export function writeTensor(w: W, t: EncTensor): W {
  if (t.dims.length) {
    w.uint32((1 << 3) | 2).fork();
    for (const d of t.dims) w.int64(d);
    w.ldelim();
  }
  w.uint32((2 << 3) | 0).int32(t.dataType ?? (t.int64s ? 7 : 1));
  if (t.int64s) {
    w.uint32((7 << 3) | 2).fork();
    for (const v of t.int64s) w.int64(v);
    w.ldelim();
  }
  w.uint32((8 << 3) | 2).string(t.name);
  if (t.raw) w.uint32((9 << 3) | 2).bytes(t.raw);
  if (t.external) {
    w.uint32((13 << 3) | 2).fork().uint32((1 << 3) | 2).string('location').uint32((2 << 3) | 2).string(t.external).ldelim();
    w.uint32((14 << 3) | 0).int32(1);
  }
  return w;
}

function writeValueInfo(w: W, field: number, name: string, dims: (number | string)[]): void {
  w.uint32((field << 3) | 2).fork();
  w.uint32((1 << 3) | 2).string(name);
  w.uint32((2 << 3) | 2).fork(); // TypeProto
  w.uint32((1 << 3) | 2).fork(); // tensor_type
  w.uint32((1 << 3) | 0).int32(1);
  w.uint32((2 << 3) | 2).fork(); // shape
  for (const d of dims) {
    w.uint32((1 << 3) | 2).fork();
    if (typeof d === 'number') w.uint32((1 << 3) | 0).int64(d);
    else w.uint32((2 << 3) | 2).string(d);
    w.ldelim();
  }
  w.ldelim().ldelim().ldelim().ldelim();
}

function writeNode(w: W, n: EncNode): void {
  w.uint32((1 << 3) | 2).fork();
  for (const i of n.inputs) w.uint32((1 << 3) | 2).string(i);
  for (const o of n.outputs) w.uint32((2 << 3) | 2).string(o);
  if (n.name !== undefined) w.uint32((3 << 3) | 2).string(n.name);
  w.uint32((4 << 3) | 2).string(n.op);
  for (const [k, v] of Object.entries(n.attrs ?? {})) {
    w.uint32((5 << 3) | 2).fork();
    w.uint32((1 << 3) | 2).string(k);
    if (typeof v === 'number') w.uint32((3 << 3) | 0).int64(v).uint32((20 << 3) | 0).int32(2);
    else if (typeof v === 'string') w.uint32((4 << 3) | 2).string(v).uint32((20 << 3) | 0).int32(3);
    else if (Array.isArray(v)) {
      w.uint32((8 << 3) | 2).fork();
      for (const x of v) w.int64(x);
      w.ldelim().uint32((20 << 3) | 0).int32(7);
    } else if ('float' in v) w.uint32((2 << 3) | 5).float(v.float).uint32((20 << 3) | 0).int32(1);
    else if ('floats' in v) {
      w.uint32((7 << 3) | 2).fork();
      for (const x of v.floats) w.float(x);
      w.ldelim().uint32((20 << 3) | 0).int32(6);
    } else if ('graph' in v) {
      w.uint32((6 << 3) | 2).fork();
      encodeGraph(v.graph, w).ldelim();
      w.uint32((20 << 3) | 0).int32(5);
    } else {
      w.uint32((5 << 3) | 2).fork();
      writeTensor(w, v).ldelim();
      w.uint32((20 << 3) | 0).int32(4);
    }
    w.ldelim();
  }
  if (n.domain) w.uint32((7 << 3) | 2).string(n.domain);
  w.ldelim();
}

/** Graph body (GraphProto fields) without the payload-heavy initializers when `skipInit`. */
export function encodeGraph(m: EncModel, w: W = protobuf.Writer.create()): W {
  for (const n of m.nodes) writeNode(w, n);
  w.uint32((2 << 3) | 2).string('g');
  for (const t of m.initializers ?? []) {
    w.uint32((5 << 3) | 2).fork();
    writeTensor(w, t).ldelim();
  }
  for (const i of m.inputs) writeValueInfo(w, 11, i.name, i.dims);
  for (const o of m.outputs ?? []) writeValueInfo(w, 12, o, []);
  return w;
}

/** ModelProto header fields (ir_version, producer, opset_import) before the graph. */
export function encodeModelHeader(m: EncModel, w: W = protobuf.Writer.create()): W {
  w.uint32((1 << 3) | 0).int64(m.irVersion ?? 7);
  w.uint32((2 << 3) | 2).string('retile-test');
  w.uint32((8 << 3) | 2).fork().uint32((2 << 3) | 0).int64(m.opset ?? 13).ldelim();
  return w;
}

export function encodeModel(m: EncModel): Uint8Array {
  const w = encodeModelHeader(m);
  w.uint32((7 << 3) | 2).fork();
  encodeGraph(m, w);
  w.ldelim();
  return w.finish();
}
