/**
 * ONNX -> Graph. Lowers ONNX nodes onto the GraphBuilder (our shape inference), folding the
 * constant sub-graphs exporters emit (Shape/Gather/Unsqueeze/Concat/Constant chains, Caffe2-era
 * ConstantOfShape weights, Identity aliases of initializers) so that weights are described by
 * their dims alone. Opsets 7..20 of the default domain. Every failure is a RetileError naming
 * the file, and the node and operator where one is at fault.
 */
import { RetileError } from '../../errors';
import { GraphBuilder } from '../builder';
import type { Graph, Shape } from '../ir';
import { MAX_BATCH, MAX_OPSET, MIN_OPSET } from '../limits';
import { LIMITS } from '../../limits';
import { broadcast, normAxis, numel, resolveReshape, samePads } from '../shapes';
import { decodeModel } from './proto';
import type { AttributeMsg, ModelMsg, NodeMsg, TensorMsg } from './schema';
import { constNumel, tensorValues } from './tensor';

export interface OnnxImportOptions {
  /** Value of a symbolic batch dimension (default 1). */
  batch?: number;
  /** Model name (default: the file name without extension). */
  name?: string;
}

/** A value flowing along an ONNX edge: an activation (a builder node) or a constant. */
type Val = { kind: 'act'; node: string } | { kind: 'const'; dims: number[]; data?: number[] };

/** Operators the importer understands (default domain). */
const ACTIVATIONS = new Set([
  'Relu', 'LeakyRelu', 'PRelu', 'Sigmoid', 'HardSigmoid', 'HardSwish', 'Tanh', 'Clip', 'Gelu', 'Erf', 'Elu', 'Selu',
  'Celu', 'Softplus', 'Softsign', 'Mish', 'Exp', 'Log', 'Sqrt', 'Neg', 'Abs', 'Reciprocal', 'Floor', 'Ceil', 'Round',
  'Sign', 'Sin', 'Cos', 'ThresholdedRelu', 'Shrink', 'Cast', 'Not', 'IsNaN', 'IsInf',
]);
const PASS_THROUGH = new Set(['Identity', 'Dropout', 'LRN']);
const BINARY = new Set(['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Sum', 'Mean', 'Equal', 'Less', 'Greater', 'Where', 'And', 'Or']);
const OTHER = new Set([
  'Conv', 'Gemm', 'MatMul', 'MaxPool', 'AveragePool', 'LpPool', 'GlobalAveragePool', 'GlobalMaxPool', 'GlobalLpPool',
  'BatchNormalization', 'InstanceNormalization', 'LayerNormalization', 'Softmax', 'LogSoftmax', 'Flatten', 'Reshape',
  'Transpose', 'Squeeze', 'Unsqueeze', 'Concat', 'Split', 'Slice', 'Gather', 'ReduceMean', 'ReduceSum', 'ReduceMax',
  'ReduceMin', 'ReduceProd', 'ReduceL2', 'Shape', 'Constant', 'ConstantOfShape', 'Size',
]);

export function isSupportedOp(op: string): boolean {
  return ACTIVATIONS.has(op) || PASS_THROUGH.has(op) || BINARY.has(op) || OTHER.has(op);
}

function attrMap(n: NodeMsg): Map<string, AttributeMsg> {
  return new Map((n.attribute ?? []).map((a) => [a.name ?? '', a]));
}

export function importOnnx(bytes: Uint8Array, fileName: string, opts: OnnxImportOptions = {}): Graph {
  const file = fileName;
  const fail = (message: string, where: { node?: string; op?: string; field?: string } = {}, code: 'bad-input' | 'unsupported' | 'limit' = 'bad-input'): never => {
    throw new RetileError(code, message, { file, ...where });
  };
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) fail('empty file: not an ONNX model');
  if (bytes.length > LIMITS.maxOnnxBytes) fail(`file size is ${bytes.length} bytes, above the limit of ${LIMITS.maxOnnxBytes} (setting maxOnnxBytes)`, {}, 'limit');

  let model: ModelMsg;
  try {
    model = decodeModel(bytes);
  } catch (e) {
    return fail(`not a valid ONNX file: ${(e as Error).message}`);
  }
  const g = model.graph;
  if (!g || model.ir_version === undefined || !model.opset_import?.length)
    fail('not an ONNX model: missing ir_version, opset_import or graph');
  const graph = g!;
  const opsetEntry = model.opset_import!.find((o) => !o.domain || o.domain === 'ai.onnx');
  const opset = opsetEntry?.version ?? 0;
  if (!Number.isSafeInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET)
    fail(`opset ${opset} of the default domain is not supported (supported: ${MIN_OPSET} to ${MAX_OPSET})`, { field: 'opset_import' }, 'unsupported');
  const nodes = graph.node ?? [];
  if (nodes.length === 0) fail('empty graph: no operators');
  if (nodes.length > LIMITS.maxOperators) fail(`operator count is ${nodes.length}, above the limit of ${LIMITS.maxOperators} (setting maxOperators)`, {}, 'limit');
  const batch = opts.batch ?? 1;
  if (!Number.isSafeInteger(batch) || batch < 1 || batch > MAX_BATCH) fail(`batch ${batch} must be an integer in 1..${MAX_BATCH}`, { field: 'batch' });

  const nodeLabel = (n: NodeMsg, i: number) => n.name || `#${i}`;

  // 1. Every operator must be known: list all the unsupported ones at once.
  const unsupported = new Map<string, string[]>();
  nodes.forEach((n, i) => {
    const op = n.op_type ?? '';
    const domainOk = !n.domain || n.domain === 'ai.onnx';
    if (!domainOk || !isSupportedOp(op)) {
      const key = domainOk ? op || '(empty op_type)' : `${n.domain}::${op}`;
      const list = unsupported.get(key) ?? [];
      list.push(nodeLabel(n, i));
      unsupported.set(key, list);
    }
  });
  if (unsupported.size > 0) {
    const parts = [...unsupported].map(([op, ns]) => `${op} (${ns.length} node${ns.length > 1 ? 's' : ''}, first '${ns[0]}')`);
    throw new RetileError('unsupported', `unsupported operators: ${parts.join('; ')}`, { file, op: [...unsupported.keys()].join(', ') });
  }

  // 2. Tensor producers: initializers, graph inputs, node outputs. Missing inputs and cycles are errors.
  const initializers = new Map<string, TensorMsg>();
  for (const t of graph.initializer ?? []) if (t.name) initializers.set(t.name, t);
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => {
    for (const o of n.output ?? []) {
      if (!o) continue;
      if (producer.has(o)) fail(`tensor '${o}' is produced by two operators`, { node: nodeLabel(n, i), op: n.op_type });
      producer.set(o, i);
    }
  });
  const graphInputs = new Set((graph.input ?? []).map((v) => v.name ?? ''));
  for (let i = 0; i < nodes.length; i++) {
    for (const inp of nodes[i].input ?? []) {
      if (inp && !producer.has(inp) && !initializers.has(inp) && !graphInputs.has(inp))
        fail(`input '${inp}' is not produced by any operator, initializer or graph input`, { node: nodeLabel(nodes[i], i), op: nodes[i].op_type });
    }
  }
  const order = topoOrder(nodes, producer, (i) => fail('the graph has a cycle', { node: nodeLabel(nodes[i], i), op: nodes[i].op_type }));

  // 3. Values: initializers are constants; real inputs (not initializers, not node outputs) are activations.
  const name = opts.name ?? fileName.replace(/^.*[\\/]/, '').replace(/\.onnx$/i, '');
  const b = new GraphBuilder(name, file);
  const values = new Map<string, Val>();
  for (const [tname, t] of initializers) {
    try {
      const dims = t.dims ?? [];
      constNumel(dims);
      values.set(tname, { kind: 'const', dims, data: tensorValues(bytes, t) });
    } catch (e) {
      fail((e as Error).message, { field: `initializer '${tname}'` }, 'limit');
    }
  }
  let realInputs = 0;
  for (const v of graph.input ?? []) {
    const vname = v.name ?? '';
    if (!vname || initializers.has(vname) || producer.has(vname)) continue;
    const dims = v.type?.tensor_type?.shape?.dim;
    if (!dims) fail(`graph input '${vname}' has no shape`, { field: 'graph.input' });
    const shape = dims!.map((d, axis) => {
      if (d.dim_value !== undefined && d.dim_value > 0) {
        if (axis === 0 && opts.batch !== undefined && d.dim_value !== opts.batch)
          fail(`input '${vname}' has a fixed batch of ${d.dim_value}; a batch setting applies only to a symbolic batch axis`, { field: 'batch' });
        return d.dim_value;
      }
      if (axis === 0) return batch; // symbolic batch ("batch", "N", 0 or missing)
      return fail(`input '${vname}' has a symbolic dimension '${d.dim_param ?? '?'}' at axis ${axis}; only the batch axis may be symbolic`, { field: 'graph.input' }, 'unsupported');
    });
    if (!b.has(vname)) values.set(vname, { kind: 'act', node: b.input(shape, vname) });
    realInputs++;
  }
  if (realInputs === 0) fail('the graph has no input tensor (every graph input is an initializer)');

  // Consumer counts, for MatMul + Add bias fusion.
  const uses = new Map<string, number>();
  for (const n of nodes) for (const i of n.input ?? []) if (i) uses.set(i, (uses.get(i) ?? 0) + 1);
  for (const o of graph.output ?? []) if (o.name) uses.set(o.name, (uses.get(o.name) ?? 0) + 1);

  for (const idx of order) {
    const n = nodes[idx];
    const op = n.op_type!;
    const label = nodeLabel(n, idx);
    try {
      lowerNode(n, op, b.uniqueName(n.name || `${op}_${idx}`), label);
    } catch (e) {
      if (e instanceof RetileError) {
        if (e.where.node || e.where.file !== file) throw e;
        throw new RetileError(e.code, e.message.replace(`${file}: `, ''), { file, node: label, op });
      }
      throw new RetileError('bad-input', (e as Error).message, { file, node: label, op });
    }
  }
  return b.build();

  function get(inputName: string | undefined, label: string, op: string, what: string): Val {
    const v = inputName ? values.get(inputName) : undefined;
    if (!v) return fail(`missing ${what} input${inputName ? ` '${inputName}'` : ''}`, { node: label, op });
    return v;
  }

  function lowerNode(n: NodeMsg, op: string, nm: string, label: string): void {
    const ins = n.input ?? [];
    const outs = n.output ?? [];
    const a = attrMap(n);
    const ai = (k: string, d: number): number => a.get(k)?.i ?? d;
    const ints = (k: string): number[] | undefined => a.get(k)?.ints;
    const inVals = ins.map((i) => (i ? values.get(i) : undefined));
    const optional = (j: number): Val | undefined => inVals[j];
    const x = (j = 0): Val => get(ins[j], label, op, j === 0 ? 'data' : `#${j}`);
    const act = (j = 0): string => {
      const v = x(j);
      if (v.kind !== 'act') return fail(`expects an activation at input ${j}, got a constant`, { node: label, op }, 'unsupported');
      return v.node;
    };
    const constData = (j: number, what: string): number[] => {
      const v = x(j);
      if (v.kind !== 'const' || !v.data) return fail(`${what} (input ${j}) must be a constant with known values`, { node: label, op }, 'unsupported');
      return v.data;
    };
    const setAct = (node: string, k = 0) => {
      if (outs[k]) values.set(outs[k], { kind: 'act', node });
    };
    const setConst = (dims: number[], data?: number[], k = 0) => {
      constNumel(dims);
      if (outs[k]) values.set(outs[k], { kind: 'const', dims, data });
    };
    const allConst = inVals.every((v) => v === undefined || v.kind === 'const') && ins.some(Boolean);

    // Constant producers and folding of constant-only sub-graphs.
    if (op === 'Constant') {
      const t = a.get('value')?.t;
      if (t) return setConst(t.dims ?? [], tensorValues(bytes, t));
      const f = a.get('value_float')?.f ?? a.get('value_int')?.i;
      if (f !== undefined) return setConst([], [f]);
      const fs = a.get('value_floats')?.floats ?? a.get('value_ints')?.ints;
      if (fs) return setConst([fs.length], fs);
      return fail('Constant without a supported value attribute', { node: label, op }, 'unsupported');
    }
    if (op === 'Shape') {
      const v = x();
      const dims = v.kind === 'act' ? b.shape(v.node) : v.dims;
      const r = dims.length;
      const start = normClamp(ai('start', 0), r);
      const end = normClamp(a.has('end') ? ai('end', r) : r, r);
      const vals = dims.slice(start, end);
      return setConst([vals.length], vals);
    }
    if (op === 'Size') {
      const v = x();
      return setConst([], [numel(v.kind === 'act' ? b.shape(v.node) : v.dims)]);
    }
    if (op === 'ConstantOfShape') {
      const shape = constData(0, 'shape');
      const value = a.get('value')?.t;
      const fill = value ? (tensorValues(bytes, value)?.[0] ?? 0) : 0;
      const count = constNumel(shape);
      return setConst(shape, count <= 65536 ? new Array(count).fill(fill) : undefined);
    }
    if (allConst && foldable(op)) return foldConst(op, n, label);

    // Activations.
    if (PASS_THROUGH.has(op) || ACTIVATIONS.has(op)) {
      const v = x();
      if (v.kind === 'const') return setConst(v.dims, op === 'Identity' ? v.data : undefined);
      const node = b.unary(PASS_THROUGH.has(op) ? 'identity' : 'act', nm, v.node, op);
      for (let k = 0; k < outs.length; k++) setAct(node, k); // Dropout mask aliases the output
      return;
    }
    switch (op) {
      case 'Conv': {
        const w = x(1);
        if (w.kind !== 'const') return fail('weights must be a constant (initializer) tensor', { node: label, op }, 'unsupported');
        if (w.dims.length !== 4) return fail(`only 2-D convolutions are supported (weight rank ${w.dims.length})`, { node: label, op }, 'unsupported');
        const input = act();
        const inShape = b.shape(input);
        if (inShape.length !== 4) return fail(`expects a 4-D NCHW input, got [${inShape.join(', ')}]`, { node: label, op });
        const [cout, , kH, kW] = w.dims;
        const ks = ints('kernel_shape') ?? [kH, kW];
        if (ks[0] !== kH || ks[1] !== kW) return fail(`kernel_shape [${ks.join(', ')}] disagrees with the weight [${w.dims.join(', ')}]`, { node: label, op });
        const strides = (ints('strides') ?? [1, 1]) as [number, number];
        const dil = (ints('dilations') ?? [1, 1]) as [number, number];
        const pads = windowPads(a, inShape, [kH, kW], strides, dil, label, op);
        const groups = ai('group', 1);
        if (w.dims[1] * groups !== inShape[1])
          return fail(`weight [${w.dims.join(', ')}] with group ${groups} expects ${w.dims[1] * groups} input channels, input has ${inShape[1]}`, { node: label, op });
        const bias = optional(2);
        return setAct(b.conv(nm, input, { out: cout, k: [kH, kW], s: strides, p: pads, d: dil, groups, bias: bias !== undefined, sourceOp: op }));
      }
      case 'Gemm': {
        const w = x(1);
        if (w.kind !== 'const') return fail('B must be a constant (initializer) weight', { node: label, op }, 'unsupported');
        if (ai('transA', 0) !== 0) return fail('transA = 1 is not supported', { node: label, op }, 'unsupported');
        if (w.dims.length !== 2) return fail(`B must be 2-D, got [${w.dims.join(', ')}]`, { node: label, op });
        const input = act();
        if (b.shape(input).length !== 2) return fail(`A must be 2-D, got [${b.shape(input).join(', ')}]`, { node: label, op });
        const [k, out] = ai('transB', 0) ? [w.dims[1], w.dims[0]] : [w.dims[0], w.dims[1]];
        const c = optional(2);
        return setAct(b.fc(nm, input, out, c !== undefined && c.kind === 'const', op, k));
      }
      case 'MatMul': {
        const [p, q] = [x(0), x(1)];
        if (p.kind === 'act' && q.kind === 'const') {
          if (q.dims.length !== 2) return fail(`constant weight must be 2-D, got [${q.dims.join(', ')}]`, { node: label, op }, 'unsupported');
          return setAct(b.fc(nm, p.node, q.dims[1], false, op, q.dims[0]));
        }
        if (p.kind === 'act' && q.kind === 'act') return setAct(b.matmul(nm, p.node, q.node, op));
        return fail('a constant left operand (weight x activation) is not supported', { node: label, op }, 'unsupported');
      }
      case 'MaxPool':
      case 'AveragePool':
      case 'LpPool': {
        const input = act();
        const inShape = b.shape(input);
        const k = ints('kernel_shape');
        if (!k || k.length !== 2) return fail('only 2-D pooling with kernel_shape is supported', { node: label, op }, 'unsupported');
        const s = (ints('strides') ?? [1, 1]) as [number, number];
        const d = (ints('dilations') ?? [1, 1]) as [number, number];
        const pads = windowPads(a, inShape, k as [number, number], s, d, label, op);
        const node = b.pool(op === 'MaxPool' ? 'maxpool' : 'avgpool', nm, input, { k: k as [number, number], s, p: pads, d, ceil: ai('ceil_mode', 0) === 1, sourceOp: op });
        setAct(node);
        return setAct(node, 1); // MaxPool indices output (never consumed for cost)
      }
      case 'GlobalAveragePool':
      case 'GlobalMaxPool':
      case 'GlobalLpPool':
        return setAct(b.globalPool(nm, act(), op));
      case 'BatchNormalization':
      case 'InstanceNormalization':
        return setAct(b.bn(nm, act(), op));
      case 'LayerNormalization':
        return setAct(b.ln(nm, act(), op, optional(1) !== undefined));
      case 'Softmax':
      case 'LogSoftmax':
        return setAct(b.softmax(nm, act(), ai('axis', opset < 13 ? 1 : -1), op));
      case 'Flatten': {
        const input = act();
        const r = b.shape(input).length;
        const axis = ai('axis', 1);
        return setAct(b.flatten(nm, input, axis < 0 ? axis + r : axis, op));
      }
      case 'Reshape': {
        const input = act();
        const target = opset >= 5 && ins.length > 1 ? constData(1, 'shape') : (ints('shape') ?? fail('Reshape without a shape', { node: label, op }));
        const outShape = resolveReshape(b.shape(input), target, ai('allowzero', 0) === 1);
        return setAct(b.reshape(nm, input, outShape, op));
      }
      case 'Transpose': {
        const input = act();
        const r = b.shape(input).length;
        const perm = ints('perm') ?? [...Array(r).keys()].reverse();
        return setAct(b.transpose(nm, input, perm, op));
      }
      case 'Squeeze':
      case 'Unsqueeze': {
        const input = act();
        const axes = opset >= 13 && ins.length > 1 ? constData(1, 'axes') : ints('axes');
        return setAct(b.reshape(nm, input, squeezeShape(op, b.shape(input), axes), op));
      }
      case 'Concat': {
        const axis = ai('axis', 0);
        const parts = ins.map((iname, j) => {
          const v = x(j);
          if (v.kind === 'act') return v.node;
          // A learned constant joined to activations (e.g. a class token): a parameter tensor.
          const dims = v.dims.length ? v.dims : [1];
          return b.embedding(b.uniqueName(`${nm}/${iname}`), null, numel(dims.slice(0, -1)), dims[dims.length - 1], dims, 'Parameter');
        });
        return setAct(b.concat(nm, parts, axis, op));
      }
      case 'Split': {
        const input = act();
        const shape = b.shape(input);
        const axis = normAxis(ai('axis', 0), shape.length);
        let sizes = opset >= 13 && ins.length > 1 && ins[1] ? constData(1, 'split') : ints('split');
        if (!sizes) {
          const k = a.get('num_outputs')?.i ?? outs.length;
          const each = Math.ceil(shape[axis] / k);
          sizes = Array.from({ length: k }, (_, i) => Math.min(each, shape[axis] - i * each));
        }
        const parts = b.split(nm, input, axis, sizes, op);
        parts.forEach((p, k) => setAct(p, k));
        return;
      }
      case 'Slice': {
        const input = act();
        const shape = b.shape(input);
        const starts = opset >= 10 ? constData(1, 'starts') : (ints('starts') ?? []);
        const ends = opset >= 10 ? constData(2, 'ends') : (ints('ends') ?? []);
        const axes = opset >= 10 ? (ins[3] ? constData(3, 'axes') : undefined) : ints('axes');
        const steps = opset >= 10 && ins[4] ? constData(4, 'steps') : undefined;
        const out = sliceShape(shape, starts, ends, axes, steps);
        return setAct(b.add({ name: nm, op: 'split', sourceOp: op, inputs: [input], outShape: out, attrs: { axis: axes?.[0] ?? 0 } }));
      }
      case 'Gather': {
        const [data, idx] = [x(0), x(1)];
        const axis = ai('axis', 0);
        if (data.kind === 'const' && idx.kind === 'act') {
          if (data.dims.length !== 2 || axis !== 0) return fail('only 2-D embedding tables gathered on axis 0 are supported', { node: label, op }, 'unsupported');
          return setAct(b.embedding(nm, idx.node, data.dims[0], data.dims[1], undefined, op));
        }
        if (data.kind === 'act' && idx.kind === 'const') {
          const s = b.shape(data.node);
          const ax = normAxis(axis, s.length);
          const out = [...s.slice(0, ax), ...idx.dims, ...s.slice(ax + 1)];
          return setAct(b.add({ name: nm, op: 'split', sourceOp: op, inputs: [data.node], outShape: out, attrs: { axis: ax } }));
        }
        return fail('gathering with activation indices from an activation is not supported', { node: label, op }, 'unsupported');
      }
      case 'ReduceMean':
      case 'ReduceSum':
      case 'ReduceMax':
      case 'ReduceMin':
      case 'ReduceProd':
      case 'ReduceL2': {
        const input = act();
        const r = b.shape(input).length;
        const axesFromInput = (op === 'ReduceSum' ? opset >= 13 : opset >= 18) && ins.length > 1 && ins[1];
        let axes = axesFromInput ? constData(1, 'axes') : ints('axes');
        if (!axes || axes.length === 0) axes = ai('noop_with_empty_axes', 0) ? [] : [...Array(r).keys()];
        return setAct(b.reduce(nm, input, axes, ai('keepdims', 1) === 1, op));
      }
    }
    if (BINARY.has(op)) return lowerBinary(n, op, nm, label);
    return fail('operator not handled', { node: label, op }, 'unsupported');
  }

  function lowerBinary(n: NodeMsg, op: string, nm: string, label: string): void {
    const names = (n.input ?? []).filter(Boolean);
    const vals = names.map((i, j) => get(i, label, op, `#${j}`));
    const actIdx = vals.map((v, j) => (v.kind === 'act' ? j : -1)).filter((j) => j >= 0);
    const actNodes = actIdx.map((j) => (vals[j] as { node: string }).node);
    const consts = vals.filter((v): v is { kind: 'const'; dims: number[]; data?: number[] } => v.kind === 'const');
    const set = (node: string) => {
      const o = n.output?.[0];
      if (o) values.set(o, { kind: 'act', node });
    };
    const outShape = [...actNodes.map((v) => b.shape(v)), ...consts.map((c) => c.dims)].reduce((p, q) => broadcast(p, q));
    // MatMul + Add = a linear layer with bias (PyTorch's export of nn.Linear on 3-D inputs).
    if (op === 'Add' && actNodes.length === 1 && consts.length === 1) {
      const fc = b.node(actNodes[0]);
      const c = consts[0];
      const features = fc?.outShape[fc.outShape.length - 1];
      if (
        fc && fc.op === 'fc' && fc.sourceOp === 'MatMul' && !fc.hasBias &&
        numel(c.dims) === features && c.dims.filter((d) => d !== 1).length <= 1 &&
        (uses.get(names[actIdx[0]]) ?? 0) === 1 && outShape.join() === fc.outShape.join()
      ) {
        fc.hasBias = true;
        fc.sourceOp = 'MatMul+Add';
        return set(fc.name);
      }
    }
    const kind = op === 'Mul' || op === 'Div' ? 'mul' : 'add';
    if (actNodes.length === 1) {
      const src = actNodes[0];
      if (outShape.join() === b.shape(src).join()) return set(b.unary(kind, nm, src, op));
      return set(b.add({ name: nm, op: kind, sourceOp: op, inputs: [src], outShape }));
    }
    return set(b.binary(kind, nm, actNodes, op));
  }

  function foldConst(op: string, n: NodeMsg, label: string): void {
    const ins = n.input ?? [];
    const outs = n.output ?? [];
    const a = attrMap(n);
    const vals = ins.map((i) => (i ? (values.get(i) as { kind: 'const'; dims: number[]; data?: number[] } | undefined) : undefined));
    const v0 = vals[0]!;
    const set = (dims: number[], data?: number[], k = 0) => {
      constNumel(dims);
      if (outs[k]) values.set(outs[k], { kind: 'const', dims, data: data && data.length === numel(dims) ? data : undefined });
    };
    const intsOrInput = (attr: string, j: number): number[] | undefined => a.get(attr)?.ints ?? vals[j]?.data;
    switch (op) {
      case 'Identity':
      case 'Cast':
      case 'Dropout':
        return set(v0.dims, v0.data);
      case 'Reshape': {
        const target = vals[1]?.data ?? a.get('shape')?.ints;
        if (!target) return fail('Reshape target shape is not a known constant', { node: label, op }, 'unsupported');
        return set(resolveReshape(v0.dims.length ? v0.dims : [1], target, (a.get('allowzero')?.i ?? 0) === 1), v0.data);
      }
      case 'Flatten': {
        const axis = a.get('axis')?.i ?? 1;
        const ax = axis < 0 ? axis + v0.dims.length : axis;
        return set([numel(v0.dims.slice(0, ax)), numel(v0.dims.slice(ax))], v0.data);
      }
      case 'Transpose': {
        const perm = a.get('perm')?.ints ?? [...v0.dims.keys()].reverse();
        return set(perm.map((p) => v0.dims[p]));
      }
      case 'Squeeze':
      case 'Unsqueeze':
        return set(squeezeShape(op, v0.dims, intsOrInput('axes', 1)), v0.data);
      case 'Concat': {
        const axis = a.get('axis')?.i ?? 0;
        const dims = [...vals[0]!.dims];
        if (dims.length === 0) return fail('cannot concat scalars', { node: label, op });
        const ax = normAxis(axis, dims.length);
        dims[ax] = vals.reduce((s, v) => s + (v?.dims[ax] ?? 0), 0);
        const data = dims.length === 1 && vals.every((v) => v?.data) ? vals.flatMap((v) => v!.data!) : undefined;
        return set(dims, data);
      }
      case 'Gather': {
        const idx = vals[1]!;
        const axis = normAxis(a.get('axis')?.i ?? 0, Math.max(1, v0.dims.length));
        const dims = [...v0.dims.slice(0, axis), ...idx.dims, ...v0.dims.slice(axis + 1)];
        let data: number[] | undefined;
        if (v0.dims.length === 1 && v0.data && idx.data) data = idx.data.map((i) => v0.data![i < 0 ? i + v0.dims[0] : i]);
        return set(dims, data);
      }
      case 'Slice': {
        const starts = intsOrInput('starts', 1) ?? [];
        const ends = intsOrInput('ends', 2) ?? [];
        const axes = a.get('axes')?.ints ?? vals[3]?.data;
        const steps = vals[4]?.data;
        const dims = sliceShape(v0.dims, starts, ends, axes, steps);
        let data: number[] | undefined;
        if (v0.dims.length === 1 && v0.data) {
          const [s, e, st] = sliceRange(v0.dims[0], starts[0], ends[0], steps?.[0] ?? 1);
          data = [];
          for (let i = s; st > 0 ? i < e : i > e; i += st) data.push(v0.data[i]);
        }
        return set(dims, data);
      }
      default: {
        // Element-wise arithmetic on constants (shape computations such as Div(Add(dim, 1), 3)).
        const present = vals.filter((v): v is NonNullable<typeof v> => v !== undefined);
        const dims = present.map((v) => v.dims).reduce((p, q) => broadcast(p, q));
        let data: number[] | undefined;
        const total = numel(dims);
        if (present.every((v) => v.data) && total <= 65536) {
          data = [];
          for (let i = 0; i < total; i++) {
            const xs = present.map((v) => v.data![v.data!.length === 1 ? 0 : i]);
            data.push(arith(op, xs));
          }
        }
        return set(dims, data);
      }
    }
  }
}

/** Operators we evaluate when every input is a constant. */
function foldable(op: string): boolean {
  return [
    'Identity', 'Cast', 'Dropout', 'Reshape', 'Flatten', 'Transpose', 'Squeeze', 'Unsqueeze', 'Concat', 'Gather', 'Slice',
    'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Sqrt', 'Neg', 'Floor', 'Ceil', 'Equal', 'Less', 'Greater', 'Where',
  ].includes(op);
}

function arith(op: string, xs: number[]): number {
  const [p, q, r] = xs;
  switch (op) {
    case 'Add': return p + q;
    case 'Sub': return p - q;
    case 'Mul': return p * q;
    case 'Div': return Number.isInteger(p) && Number.isInteger(q) && q !== 0 ? Math.trunc(p / q) : p / q;
    case 'Pow': return p ** q;
    case 'Max': return Math.max(...xs);
    case 'Min': return Math.min(...xs);
    case 'Sqrt': return Math.sqrt(p);
    case 'Neg': return -p;
    case 'Floor': return Math.floor(p);
    case 'Ceil': return Math.ceil(p);
    case 'Equal': return p === q ? 1 : 0;
    case 'Less': return p < q ? 1 : 0;
    case 'Greater': return p > q ? 1 : 0;
    case 'Where': return p ? q : r;
    default: return NaN;
  }
}

function normClamp(v: number, r: number): number {
  const x = v < 0 ? v + r : v;
  return Math.min(Math.max(0, x), r);
}

/** ONNX Slice semantics for one axis: clamp starts/ends, return [start, end, step]. */
function sliceRange(len: number, start: number, end: number, step: number): [number, number, number] {
  if (!step) throw new Error('Slice step 0');
  let s = start < 0 ? start + len : start;
  let e = end < 0 ? end + len : end;
  if (step > 0) {
    s = Math.min(Math.max(s, 0), len);
    e = Math.min(Math.max(e, 0), len);
  } else {
    s = Math.min(Math.max(s, -1), len - 1);
    e = Math.min(Math.max(e, -1), len - 1);
  }
  return [s, e, step];
}

function sliceShape(shape: Shape, starts: number[], ends: number[], axes?: number[], steps?: number[]): Shape {
  const out = [...shape];
  const ax = axes ?? starts.map((_, i) => i);
  if (starts.length !== ends.length || ax.length !== starts.length) throw new Error('Slice starts, ends and axes differ in length');
  ax.forEach((axis, i) => {
    const a = normAxis(axis, shape.length);
    const [s, e, st] = sliceRange(shape[a], starts[i], ends[i], steps?.[i] ?? 1);
    out[a] = Math.max(0, Math.ceil((e - s) / st));
  });
  return out;
}

function squeezeShape(op: string, shape: Shape, axes?: number[]): Shape {
  if (op === 'Squeeze') {
    const set = new Set((axes ?? shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0)).map((v) => normAxis(v, shape.length)));
    for (const i of set) if (shape[i] !== 1) throw new Error(`cannot squeeze axis ${i} of size ${shape[i]}`);
    return shape.filter((_, i) => !set.has(i));
  }
  if (!axes) throw new Error('Unsqueeze without axes');
  const r = shape.length + axes.length;
  const set = new Set(axes.map((v) => normAxis(v, r)));
  const out: number[] = [];
  let k = 0;
  for (let i = 0; i < r; i++) out.push(set.has(i) ? 1 : shape[k++]);
  return out;
}

/** Pads [top, left, bottom, right] of a 2-D window op from `pads` or `auto_pad`. */
function windowPads(
  a: Map<string, AttributeMsg>,
  inShape: Shape,
  k: [number, number],
  s: [number, number],
  d: [number, number],
  label: string,
  op: string,
): [number, number, number, number] {
  const auto = a.get('auto_pad')?.s ?? 'NOTSET';
  if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') {
    const [t, bt] = samePads(inShape[2], k[0], s[0], d[0], auto === 'SAME_UPPER');
    const [l, r] = samePads(inShape[3], k[1], s[1], d[1], auto === 'SAME_UPPER');
    return [t, l, bt, r];
  }
  if (auto === 'VALID') return [0, 0, 0, 0];
  if (auto !== 'NOTSET' && auto !== '') throw new RetileError('bad-input', `unknown auto_pad '${auto}'`, { node: label, op });
  const p = a.get('pads')?.ints ?? [0, 0, 0, 0];
  if (p.length !== 4) throw new RetileError('unsupported', `pads must have 4 values for a 2-D window, got ${p.length}`, { node: label, op });
  // ONNX pads order: [x1_begin, x2_begin, x1_end, x2_end] = [top, left, bottom, right].
  return [p[0], p[1], p[2], p[3]];
}

/** Kahn's topological order; calls onCycle with a node index stuck in a cycle. */
function topoOrder(nodes: NodeMsg[], producer: Map<string, number>, onCycle: (i: number) => never): number[] {
  const indeg = new Array<number>(nodes.length).fill(0);
  const consumers: number[][] = nodes.map(() => []);
  nodes.forEach((n, i) => {
    const deps = new Set<number>();
    for (const inp of n.input ?? []) {
      const p = inp ? producer.get(inp) : undefined;
      if (p !== undefined) deps.add(p);
    }
    if (deps.has(i)) onCycle(i);
    indeg[i] = deps.size;
    for (const p of deps) consumers[p].push(i);
  });
  const queue: number[] = [];
  indeg.forEach((d, i) => d === 0 && queue.push(i));
  const order: number[] = [];
  for (let h = 0; h < queue.length; h++) {
    const i = queue[h];
    order.push(i);
    for (const c of consumers[i]) if (--indeg[c] === 0) queue.push(c);
  }
  if (order.length !== nodes.length) onCycle(indeg.findIndex((d) => d > 0));
  return order;
}
