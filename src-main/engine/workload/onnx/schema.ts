/**
 * The subset of the ONNX protobuf schema the importer reads, as a descriptor built in code
 * (field numbers from onnx/onnx.proto3, IR version 10; unchanged since IR 3 for these fields).
 * Fields not listed are skipped by wire type. Bulk payloads (raw_data and packed numeric arrays
 * of TensorProto) are kept as views into the file's bytes, never copied or decoded up front:
 * a 500 MB model is walked, not materialized.
 */

export type FieldType =
  | 'string'
  | 'int64'
  | 'int32'
  | 'float'
  /** length-delimited bytes kept as a view (offset, length) into the input buffer */
  | 'view'
  /** skipped entirely (nested graphs of control-flow attributes) */
  | 'skip'
  | MessageName;

export type MessageName =
  | 'ModelProto'
  | 'OperatorSetIdProto'
  | 'GraphProto'
  | 'NodeProto'
  | 'AttributeProto'
  | 'TensorProto'
  | 'ValueInfoProto'
  | 'TypeProto'
  | 'TypeProtoTensor'
  | 'TensorShapeProto'
  | 'Dimension'
  | 'StringStringEntryProto';

export interface FieldSpec {
  name: string;
  type: FieldType;
  repeated?: boolean;
  /** Repeated numeric field kept as a view when packed (TensorProto payload arrays). */
  lazy?: boolean;
}

export const ONNX_SCHEMA: Record<MessageName, Record<number, FieldSpec>> = {
  ModelProto: {
    1: { name: 'ir_version', type: 'int64' },
    2: { name: 'producer_name', type: 'string' },
    3: { name: 'producer_version', type: 'string' },
    7: { name: 'graph', type: 'GraphProto' },
    8: { name: 'opset_import', type: 'OperatorSetIdProto', repeated: true },
  },
  OperatorSetIdProto: {
    1: { name: 'domain', type: 'string' },
    2: { name: 'version', type: 'int64' },
  },
  GraphProto: {
    1: { name: 'node', type: 'NodeProto', repeated: true },
    2: { name: 'name', type: 'string' },
    5: { name: 'initializer', type: 'TensorProto', repeated: true },
    11: { name: 'input', type: 'ValueInfoProto', repeated: true },
    12: { name: 'output', type: 'ValueInfoProto', repeated: true },
    13: { name: 'value_info', type: 'ValueInfoProto', repeated: true },
    15: { name: 'sparse_initializer', type: 'skip', repeated: true },
  },
  NodeProto: {
    1: { name: 'input', type: 'string', repeated: true },
    2: { name: 'output', type: 'string', repeated: true },
    3: { name: 'name', type: 'string' },
    4: { name: 'op_type', type: 'string' },
    5: { name: 'attribute', type: 'AttributeProto', repeated: true },
    7: { name: 'domain', type: 'string' },
  },
  AttributeProto: {
    1: { name: 'name', type: 'string' },
    2: { name: 'f', type: 'float' },
    3: { name: 'i', type: 'int64' },
    4: { name: 's', type: 'string' },
    5: { name: 't', type: 'TensorProto' },
    6: { name: 'g', type: 'skip' },
    7: { name: 'floats', type: 'float', repeated: true },
    8: { name: 'ints', type: 'int64', repeated: true },
    9: { name: 'strings', type: 'string', repeated: true },
    10: { name: 'tensors', type: 'TensorProto', repeated: true },
    11: { name: 'graphs', type: 'skip', repeated: true },
    20: { name: 'type', type: 'int32' },
  },
  TensorProto: {
    1: { name: 'dims', type: 'int64', repeated: true },
    2: { name: 'data_type', type: 'int32' },
    4: { name: 'float_data', type: 'float', repeated: true, lazy: true },
    5: { name: 'int32_data', type: 'int32', repeated: true, lazy: true },
    7: { name: 'int64_data', type: 'int64', repeated: true, lazy: true },
    8: { name: 'name', type: 'string' },
    9: { name: 'raw_data', type: 'view' },
    10: { name: 'double_data', type: 'float', repeated: true, lazy: true },
    13: { name: 'external_data', type: 'StringStringEntryProto', repeated: true },
    14: { name: 'data_location', type: 'int32' },
  },
  ValueInfoProto: {
    1: { name: 'name', type: 'string' },
    2: { name: 'type', type: 'TypeProto' },
  },
  TypeProto: {
    1: { name: 'tensor_type', type: 'TypeProtoTensor' },
  },
  TypeProtoTensor: {
    1: { name: 'elem_type', type: 'int32' },
    2: { name: 'shape', type: 'TensorShapeProto' },
  },
  TensorShapeProto: {
    1: { name: 'dim', type: 'Dimension', repeated: true },
  },
  Dimension: {
    1: { name: 'dim_value', type: 'int64' },
    2: { name: 'dim_param', type: 'string' },
  },
  StringStringEntryProto: {
    1: { name: 'key', type: 'string' },
    2: { name: 'value', type: 'string' },
  },
};

/** ONNX TensorProto.DataType codes used when decoding small constants. */
export const DATA_TYPE = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  BFLOAT16: 16,
  UINT4: 21,
  INT4: 22,
  UINT32: 12,
  UINT64: 13,
} as const;

/** Plain decoded shapes of the messages above (only what the importer uses). */
export interface BytesView {
  offset: number;
  length: number;
  /** Wire type the field arrived with (2 = packed / bytes). */
  wire: number;
}

export interface TensorMsg {
  dims?: number[];
  data_type?: number;
  name?: string;
  raw_data?: BytesView;
  float_data?: BytesView | number[];
  int32_data?: BytesView | number[];
  int64_data?: BytesView | number[];
  double_data?: BytesView | number[];
  external_data?: { key?: string; value?: string }[];
  data_location?: number;
}

export interface AttributeMsg {
  name?: string;
  f?: number;
  i?: number;
  s?: string;
  t?: TensorMsg;
  floats?: number[];
  ints?: number[];
  strings?: string[];
  tensors?: TensorMsg[];
  g?: BytesView;
  graphs?: BytesView[];
  type?: number;
}

export interface NodeMsg {
  input?: string[];
  output?: string[];
  name?: string;
  op_type?: string;
  attribute?: AttributeMsg[];
  domain?: string;
}

export interface ValueInfoMsg {
  name?: string;
  type?: { tensor_type?: { elem_type?: number; shape?: { dim?: { dim_value?: number; dim_param?: string }[] } } };
}

export interface GraphMsg {
  node?: NodeMsg[];
  name?: string;
  initializer?: TensorMsg[];
  input?: ValueInfoMsg[];
  output?: ValueInfoMsg[];
  value_info?: ValueInfoMsg[];
}

export interface ModelMsg {
  ir_version?: number;
  producer_name?: string;
  producer_version?: string;
  graph?: GraphMsg;
  opset_import?: { domain?: string; version?: number }[];
}
