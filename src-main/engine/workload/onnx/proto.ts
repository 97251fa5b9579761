/**
 * A lazy, schema-driven protobuf walk over ONNX bytes with protobufjs's Reader.
 * It decodes the fields listed in ONNX_SCHEMA into plain objects, keeps bulk payloads as
 * views (offset + length into the caller's buffer), and skips everything else by wire type.
 * Cost is linear in the number of fields, not in payload bytes; memory holds no second copy.
 */
import protobuf from 'protobufjs/minimal.js';
import { MAX_PROTO_DEPTH } from '../../limits';
import { ONNX_SCHEMA, type BytesView, type GraphMsg, type MessageName, type ModelMsg } from './schema';

type Reader = protobuf.Reader;

const NUMERIC = new Set(['int64', 'int32', 'float']);

function toNumber(v: number | { toNumber(): number }): number {
  return typeof v === 'number' ? v : v.toNumber();
}

function readScalar(r: Reader, type: string, wire: number): number | string {
  switch (type) {
    case 'string':
      return r.string();
    case 'int64':
      return toNumber(r.int64() as unknown as number | { toNumber(): number });
    case 'int32':
      return r.int32();
    case 'float':
      // Proto `float` arrives as fixed32 (wire 5); TensorProto.double_data as fixed64 (wire 1).
      return wire === 1 ? r.double() : r.float();
    default:
      throw new Error(`unexpected scalar type ${type}`);
  }
}

/** Wire type a scalar of this type must arrive with (unpacked). */
function scalarWire(type: string, isDouble: boolean): number {
  if (type === 'string') return 2;
  if (type === 'float') return isDouble ? 1 : 5;
  return 0;
}

function decodeMessage(r: Reader, end: number, type: MessageName, depth: number): Record<string, unknown> {
  if (depth > MAX_PROTO_DEPTH) throw new Error(`messages nested deeper than ${MAX_PROTO_DEPTH}`);
  const spec = ONNX_SCHEMA[type];
  const out: Record<string, unknown> = {};
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 0) throw new Error(`illegal field number 0 at byte ${r.pos}`);
    const f = spec[field];
    if (!f) {
      r.skipType(wire, depth);
      continue;
    }
    const isDouble = f.name === 'double_data';
    let value: unknown;
    if (f.type === 'skip' || f.type === 'view') {
      if (wire !== 2) throw new Error(`field ${type}.${f.name} has wire type ${wire}, expected 2`);
      const len = r.uint32();
      if (r.pos + len > end) throw new Error(`field ${type}.${f.name} runs past its message (truncated file?)`);
      value = { offset: r.pos, length: len, wire } satisfies BytesView;
      r.skip(len);
    } else if (NUMERIC.has(f.type) && f.repeated && wire === 2) {
      // Packed repeated numbers.
      const len = r.uint32();
      const stop = r.pos + len;
      if (stop > end) throw new Error(`field ${type}.${f.name} runs past its message (truncated file?)`);
      if (f.lazy) {
        out[f.name] = { offset: r.pos, length: len, wire } satisfies BytesView;
        r.skip(len);
        continue;
      }
      const arr = (out[f.name] as number[] | undefined) ?? [];
      while (r.pos < stop) arr.push(readScalar(r, f.type, scalarWire(f.type, isDouble)) as number);
      if (r.pos !== stop) throw new Error(`packed field ${type}.${f.name} is malformed`);
      out[f.name] = arr;
      continue;
    } else if (f.type in ONNX_SCHEMA) {
      if (wire !== 2) throw new Error(`field ${type}.${f.name} has wire type ${wire}, expected 2`);
      const len = r.uint32();
      const stop = r.pos + len;
      if (stop > end) throw new Error(`message ${type}.${f.name} runs past its parent (truncated file?)`);
      value = decodeMessage(r, stop, f.type as MessageName, depth + 1);
      if (r.pos !== stop) throw new Error(`message ${type}.${f.name} is malformed`);
    } else {
      const want = scalarWire(f.type, isDouble);
      if (wire !== want) throw new Error(`field ${type}.${f.name} has wire type ${wire}, expected ${want}`);
      value = readScalar(r, f.type, wire);
    }
    if (f.repeated) {
      const prev = out[f.name];
      if (Array.isArray(prev)) prev.push(value);
      else out[f.name] = [value];
    } else out[f.name] = value;
  }
  if (r.pos !== end) throw new Error(`message ${type} overruns its length`);
  return out;
}

/**
 * Decodes an ONNX ModelProto. Throws a plain Error with a byte position on malformed or
 * truncated input; the importer turns it into a RetileError naming the file.
 */
export function decodeModel(bytes: Uint8Array): ModelMsg {
  const r = protobuf.Reader.create(bytes);
  try {
    return decodeMessage(r, bytes.length, 'ModelProto', 0) as ModelMsg;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/index out of range/.test(msg)) throw new Error(`truncated or corrupt protobuf near byte ${r.pos} of ${bytes.length}`);
    throw new Error(`${msg} (near byte ${r.pos})`);
  }
}

/** Decodes a nested GraphProto (an If/Loop branch) kept as a view into the file's bytes. */
export function decodeGraph(bytes: Uint8Array, view: BytesView): GraphMsg {
  const r = protobuf.Reader.create(bytes);
  r.pos = view.offset;
  return decodeMessage(r, view.offset + view.length, 'GraphProto', 2) as GraphMsg;
}
