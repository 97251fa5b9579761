/**
 * The workload intermediate representations shared by every engine stage.
 *
 * Two levels:
 *  - `Graph`: the full operator graph with inferred shapes (what an ONNX file or a zoo builder
 *    produces). Every tensor has a static shape after shape inference.
 *  - `LayerGraph`: only the operators that cost time on the chip (crossbar-mappable convs and
 *    linear layers, and activation x activation matmuls that run on digital units), with the
 *    producer -> consumer edges between them after collapsing the cheap operators in between
 *    (pooling, activations, reshapes, element-wise ops). This is what mapping, profiling, the
 *    optimizer and the simulator consume.
 */

/** Scalar operations of an operator's digital work (counted in digital-ops.ts, costed by hardware/digital-units.ts). */
export interface OpCounts {
  add: number;
  mul: number;
  div: number;
  exp: number;
}

/** Tensor shape, NCHW for images, [batch, tokens, features] for sequences. */
export type Shape = number[];

export type OpType =
  | 'input'
  | 'conv'
  | 'fc' // Gemm or MatMul with a constant weight (a linear layer; per token for sequences)
  | 'matmul' // MatMul of two activations (attention): not crossbar-mappable
  | 'maxpool'
  | 'avgpool'
  | 'globalpool'
  | 'add'
  | 'mul'
  | 'concat'
  | 'split'
  | 'reshape' // also flatten, squeeze, unsqueeze
  | 'transpose'
  | 'batchnorm'
  | 'layernorm'
  | 'act' // relu, gelu, sigmoid, hardswish, tanh, clip, ...
  | 'softmax'
  | 'embedding'
  | 'identity' // dropout, identity, LRN and other shape-preserving ops with no crossbar work
  | 'resample' // pad, resize, expand, tile: data movement that changes a shape
  | 'reduce'; // reduce-mean and similar

/** One operator of the full graph, with shapes inferred. */
export interface GraphNode {
  /** Unique within the graph. */
  name: string;
  op: OpType;
  /** Original operator type (ONNX op_type or the zoo builder's name), for messages. */
  sourceOp: string;
  /** Names of producer nodes (activations only; weights are described by `weight`). */
  inputs: string[];
  outShape: Shape;
  /** conv: kernel [kH, kW]; pools too. */
  kernel?: [number, number];
  strides?: [number, number];
  /** [top, left, bottom, right] */
  pads?: [number, number, number, number];
  dilations?: [number, number];
  groups?: number;
  /** Weight tensor shape of conv ([Cout, Cin/g, kH, kW]), fc ([out, in]) or embedding ([vocab, dim]). */
  weight?: Shape;
  hasBias?: boolean;
  /** fc whose weight is an embedding table counted elsewhere (GPT-2's LM head tied to its token embedding). */
  tiedWeight?: string;
  /** conv from ONNX ConvTranspose: each input position scatters a [Cin/g] x [Cout/g*kH*kW] product. */
  transposed?: { inputPositions: number };
  /** Integer widths taken from a quantized model (QDQ, QLinear*, *Integer); absent: the chip's precision. */
  weightBits?: number;
  activationBits?: number;
  /** Parameters that are not crossbar weights: BN/LN affine (2 x channels). */
  normParams?: number;
  /** Free-form attributes kept for display (axis, perm, ...). */
  attrs?: Record<string, number | number[] | string>;
}

export interface Graph {
  name: string;
  /** Shape of the (first) real input, batch included. */
  inputShape: Shape;
  nodes: GraphNode[];
  /** Where the graph came from, for messages: zoo name or file name. */
  source: string;
}

/** Kinds of time-costing layers. `matmul` is activation x activation (digital units). */
export type LayerKind = 'conv' | 'fc' | 'matmul';

/**
 * Producer rows a consumer row needs: consumer output row r needs producer output rows
 * [0, min(producerRows - 1, scale * r + offset)]. scale = 0 with offset = producerRows - 1
 * means "needs everything" (flatten -> fc, attention, global pooling).
 */
export interface RowMap {
  scale: number;
  offset: number;
}

export interface LayerEdge {
  /** Index into LayerGraph.layers of the producer. */
  from: number;
  /** Index of the consumer. */
  to: number;
  rowMap: RowMap;
  /**
   * Activation elements the consumer reads from this producer per producer output row. The
   * graph carries no bytes: a chip's precision.activation_bits / 8 turns elements into bytes.
   */
  elemsPerRow: number;
}

/** One time-costing layer, as mapping and profiling see it. */
export interface Layer {
  index: number;
  name: string;
  kind: LayerKind;
  /** Weight-matrix rows per group as mapped to crossbars: kH*kW*Cin/groups, or fc `in`. For matmul: inner dimension K. */
  rows: number;
  /** Rows one input channel takes: kH*kW for a conv (its window), 1 otherwise. */
  rowsPerChannel: number;
  /**
   * Share of a window's inputs that are new from one MVM to the next along an output row:
   * stride_w / k_w for a conv whose windows overlap, 1 otherwise (absent: 1).
   */
  slideShare?: number;
  /** Weight-matrix cols per group: Cout/groups, or fc `out`. For matmul: N. */
  cols: number;
  groups: number;
  /** MVMs per inference: Hout*Wout for conv, tokens for a per-token linear layer, 1 for fc; for matmul the number of vector products (M per head x heads). */
  mvms: number;
  /** Multiply-accumulates per inference. */
  macs: number;
  hasBias: boolean;
  /** Integer widths from a quantized model; absent: the chip's precision applies. */
  weightBits?: number;
  activationBits?: number;
  /** Output rows the pipeline streams (Hout for conv, tokens for sequences, 1 for fc). */
  outRows: number;
  /** MVMs per output row (= mvms / outRows). */
  mvmsPerRow: number;
  outShape: Shape;
  /** Elements produced per output row (for NoC volume). */
  outElemsPerRow: number;
  /**
   * Work of the cheap operators that run after this layer on its tile's digital unit (pooling,
   * activations, norms, softmax, element-wise adds), in elementary operations per inference
   * (workload/digital-ops.ts). Absent: none.
   */
  digitalOps?: OpCounts;
  /**
   * Input elements one output row reads at once, summed over the layer's operands: the sliding
   * window of a conv (d(k - 1) + 1 input rows of the full width and all channels), one row for
   * per-row layers, the whole operand for layers that need all of it (fc after flatten, attention).
   * Sizes the input buffer (mapping/buffer-fit.ts).
   */
  inputWindowElems: number;
}

export interface LayerGraph {
  model: string;
  layers: Layer[];
  edges: LayerEdge[];
  /** Layers that read the network input directly. */
  sources: number[];
  /** Rows of the network input, and the input row map of each source layer. */
  inputRows: number;
  /** Row map of each source layer onto the network input rows, parallel to `sources`. */
  sourceRowMaps?: RowMap[];
}

/** Per-operator row of a model summary (`retile model --json` ops[]). */
export interface OpSummary {
  name: string;
  kind: LayerKind;
  rows: number;
  cols: number;
  groups: number;
  mvms: number;
  macs: number;
  out_shape: Shape;
  /** Integer widths taken from a quantized model (absent: the chip's precision). */
  weight_bits?: number;
  activation_bits?: number;
}

export interface ModelSummary {
  name: string;
  source: string;
  input_shape: Shape;
  /** Weights + biases of crossbar-mappable operators. */
  params: number;
  /** BN/LN affine parameters, kept apart. */
  bn_params: number;
  /** Embedding table parameters (lookups, not MVMs), kept apart. */
  embedding_params: number;
  /** Weight MACs (conv + fc + act x act). 1 MAC = 1 multiply + 1 add. */
  macs: number;
  /** FLOPs = 2 x MACs. */
  flops: number;
  /** Activation x activation MACs (included in `macs`). */
  act_act_macs: number;
  layers: { conv: number; fc: number; matmul: number };
  ops: OpSummary[];
}
