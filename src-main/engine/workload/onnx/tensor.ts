/**
 * Reading small constant tensors (shape vectors, axes, scalars) out of TensorProtos whose bulk
 * payload stayed a view. Weights are never decoded: only their dims matter.
 */
import protobuf from 'protobufjs/minimal.js';
import { listPreview } from '../../errors';
import { LIMITS, MAX_TENSOR_ELEMENTS } from '../../limits';
import { DATA_TYPE, type BytesView, type TensorMsg } from './schema';

/** Validates a constant's dims (0 allowed: empty tensors) and returns its element count. */
export function constNumel(dims: number[]): number {
  let n = 1;
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) throw new Error(`invalid dimension ${d} in [${listPreview(dims)}]`);
    n *= d;
    if (n > MAX_TENSOR_ELEMENTS) throw new Error(`tensor [${listPreview(dims)}] exceeds the limit of 2^40 elements`);
  }
  return n;
}

const BYTES: Partial<Record<number, number>> = {
  [DATA_TYPE.FLOAT]: 4,
  [DATA_TYPE.UINT8]: 1,
  [DATA_TYPE.INT8]: 1,
  [DATA_TYPE.UINT16]: 2,
  [DATA_TYPE.INT16]: 2,
  [DATA_TYPE.INT32]: 4,
  [DATA_TYPE.INT64]: 8,
  [DATA_TYPE.BOOL]: 1,
  [DATA_TYPE.DOUBLE]: 8,
  [DATA_TYPE.UINT32]: 4,
  [DATA_TYPE.UINT64]: 8,
};

/** Width of an integer element type (quantized tensors), undefined for floats and bool. */
export function integerBits(type: number | undefined): number | undefined {
  switch (type) {
    case DATA_TYPE.INT8:
    case DATA_TYPE.UINT8:
      return 8;
    case DATA_TYPE.INT16:
    case DATA_TYPE.UINT16:
      return 16;
    case DATA_TYPE.INT4:
    case DATA_TYPE.UINT4:
      return 4;
    default:
      return undefined;
  }
}

function readRaw(bytes: Uint8Array, v: BytesView, type: number, n: number): number[] | undefined {
  const size = BYTES[type];
  if (!size || v.length < n * size) return undefined;
  const dv = new DataView(bytes.buffer, bytes.byteOffset + v.offset, n * size);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const o = i * size;
    switch (type) {
      case DATA_TYPE.FLOAT: out.push(dv.getFloat32(o, true)); break;
      case DATA_TYPE.DOUBLE: out.push(dv.getFloat64(o, true)); break;
      case DATA_TYPE.INT64: out.push(Number(dv.getBigInt64(o, true))); break;
      case DATA_TYPE.UINT64: out.push(Number(dv.getBigUint64(o, true))); break;
      case DATA_TYPE.INT32: out.push(dv.getInt32(o, true)); break;
      case DATA_TYPE.UINT32: out.push(dv.getUint32(o, true)); break;
      case DATA_TYPE.INT16: out.push(dv.getInt16(o, true)); break;
      case DATA_TYPE.UINT16: out.push(dv.getUint16(o, true)); break;
      case DATA_TYPE.INT8: out.push(dv.getInt8(o)); break;
      default: out.push(dv.getUint8(o));
    }
  }
  return out;
}

function readPacked(bytes: Uint8Array, v: BytesView | number[], kind: 'varint' | 'f32' | 'f64', n: number): number[] | undefined {
  if (Array.isArray(v)) return v.length >= n ? v.slice(0, n) : undefined;
  const r = protobuf.Reader.create(bytes.subarray(v.offset, v.offset + v.length));
  const out: number[] = [];
  while (r.pos < r.len && out.length < n) {
    if (kind === 'f32') out.push(r.float());
    else if (kind === 'f64') out.push(r.double());
    else {
      const x = r.int64() as unknown as number | { toNumber(): number };
      out.push(typeof x === 'number' ? x : x.toNumber());
    }
  }
  return out.length === n ? out : undefined;
}

/**
 * Values of a small tensor (at most maxFoldedElements, a limit setting), or undefined when it is large,
 * external, absent or of a type we do not fold.
 */
export function tensorValues(bytes: Uint8Array, t: TensorMsg): number[] | undefined {
  const dims = t.dims ?? [];
  const n = constNumel(dims);
  if (n > LIMITS.maxFoldedElements) return undefined;
  if (n === 0) return [];
  const type = t.data_type ?? 0;
  if (t.raw_data) return readRaw(bytes, t.raw_data, type, n);
  if (type === DATA_TYPE.FLOAT && t.float_data) return readPacked(bytes, t.float_data, 'f32', n);
  if (type === DATA_TYPE.DOUBLE && t.double_data) return readPacked(bytes, t.double_data, 'f64', n);
  if ((type === DATA_TYPE.INT64 || type === DATA_TYPE.UINT64) && t.int64_data) return readPacked(bytes, t.int64_data, 'varint', n);
  if (t.int32_data) return readPacked(bytes, t.int32_data, 'varint', n);
  return undefined;
}
