/**
 * Hard limits of the workload importer and builders, in one place. Anything beyond them is
 * rejected with a RetileError ('limit') naming the file, node and operator, instead of
 * overflowing, allocating without bound or hanging.
 */

/** Largest element count of one tensor: 2^40 (1 Ti elements, 2 TB at fp16). Keeps every
 *  product of dims far below Number.MAX_SAFE_INTEGER (2^53), so MAC sums stay exact. */
export const MAX_TENSOR_ELEMENTS = 2 ** 40;

/** Largest single dimension accepted (a dim above this is certainly corrupt). */
export const MAX_DIM = 2 ** 31 - 1;

/** Largest tensor rank (ONNX models in practice stay at or below 6). */
export const MAX_RANK = 8;

/** Largest operator count of one graph (the largest public CNNs/LLM exports have ~10^4-10^5). */
export const MAX_NODES = 1_000_000;

/** Largest MAC total of one model (2^53: past it, sums stop being exact integers). */
export const MAX_MACS = Number.MAX_SAFE_INTEGER;

/** Largest batch a tenant may ask for. */
export const MAX_BATCH = 65_536;

/** Largest protobuf nesting we follow (ONNX: model > graph > node > attribute > tensor/graph). */
export const MAX_PROTO_DEPTH = 32;

/** ONNX default-domain opsets the importer supports (7 to 21). */
export const MIN_OPSET = 7;
export const MAX_OPSET = 21;

/** Largest ONNX file read whole (protobuf messages are limited to 2 GiB; bigger models use external data). */
export const MAX_ONNX_BYTES = 2 ** 31 - 1;
