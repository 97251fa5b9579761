/**
 * ONNX -> Graph. Lowers ONNX nodes onto the GraphBuilder (our shape inference), folding the
 * constant sub-graphs exporters emit (Shape/Gather/Unsqueeze/Concat/Constant chains, Caffe2-era
 * ConstantOfShape weights, Identity aliases of initializers) so that weights are described by
 * their dims alone. Opsets 7..21 of the default domain. Every failure is a RetileError naming
 * the file, and the node and operator where one is at fault.
 */
import { RetileError } from '../../errors';
import { GraphBuilder } from '../builder';
import type { Graph } from '../ir';
import { LIMITS, MAX_BATCH, MAX_OPSET, MIN_OPSET } from '../../limits';
import type { ShapeBindings } from '../bindings';
import { bindInputs, type DeclaredInput } from './inputs';
import { CHECK_FILE, NodeCtx, type ImportState, type Val } from './context';
import { operatorHandler } from './ops';
import { decodeModel } from './proto';
import { DATA_TYPE, type ModelMsg, type NodeMsg, type TensorMsg } from './schema';
import { checkNodeOutputs, FoldBudget } from './budget';
import { constNumel, integerBits, tensorValues } from './tensor';

export interface OnnxImportOptions extends ShapeBindings {
  /** Value of a symbolic batch dimension (default 1). */
  batch?: number;
  /** Model name (default: the file name without extension). */
  name?: string;
}

export function isSupportedOp(op: string): boolean {
  return operatorHandler(op) !== undefined;
}

export function importOnnx(bytes: Uint8Array, fileName: string, opts: OnnxImportOptions = {}): Graph {
  const file = fileName;
  const fail = (message: string, where: { node?: string; op?: string; field?: string; setting?: string } = {}, code: 'bad-input' | 'unsupported' | 'limit' = 'bad-input'): never => {
    throw new RetileError(code, message, { file, ...where });
  };
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) fail('empty file: not an ONNX model; export the model again (torch.onnx.export, tf2onnx) and check that the whole file was copied');
  if (bytes.length > LIMITS.maxOnnxBytes) fail(`file size is ${bytes.length} bytes, above the limit of ${LIMITS.maxOnnxBytes}`, { setting: 'maxOnnxBytes' }, 'limit');

  let model: ModelMsg;
  try {
    model = decodeModel(bytes);
  } catch (e) {
    return fail(`not a valid ONNX file (${(e as Error).message}); the file is cut short or not ONNX: export it again and check it with onnx.checker.check_model`);
  }
  const g = model.graph;
  if (!g || model.ir_version === undefined || !model.opset_import?.length)
    fail('not an ONNX model: missing ir_version, opset_import or graph; export the model again with an ONNX exporter');
  const graph = g!;
  const opsetEntry = model.opset_import!.find((o) => !o.domain || o.domain === 'ai.onnx');
  const opset = opsetEntry?.version ?? 0;
  if (!Number.isSafeInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET)
    fail(`opset ${opset} of the default domain is not supported (supported: ${MIN_OPSET} to ${MAX_OPSET})`, { field: 'opset_import' }, 'unsupported');
  const nodes = graph.node ?? [];
  if (nodes.length === 0) fail('empty graph: no operators; export the model itself, not an empty wrapper');
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
      if (producer.has(o)) fail(`tensor '${o}' is produced by two operators; ${CHECK_FILE}`, { node: nodeLabel(n, i), op: n.op_type });
      producer.set(o, i);
    }
  });
  const graphInputs = new Set((graph.input ?? []).map((v) => v.name ?? ''));
  for (let i = 0; i < nodes.length; i++) {
    for (const inp of nodes[i].input ?? []) {
      if (inp && !producer.has(inp) && !initializers.has(inp) && !graphInputs.has(inp))
        fail(`input '${inp}' is not produced by any operator, initializer or graph input; ${CHECK_FILE}`, { node: nodeLabel(nodes[i], i), op: nodes[i].op_type });
    }
  }
  const order = topoOrder(nodes, producer, (i) => fail(`the graph has a cycle; ${CHECK_FILE}`, { node: nodeLabel(nodes[i], i), op: nodes[i].op_type }));

  // 3. Values: initializers are constants; real inputs (not initializers, not node outputs) are activations.
  const name = opts.name ?? fileName.replace(/^.*[\\/]/, '').replace(/\.onnx$/i, '');
  const b = new GraphBuilder(name, file);
  const values = new Map<string, Val>();
  const budget = new FoldBudget();
  for (const [tname, t] of initializers) {
    try {
      const dims = t.dims ?? [];
      constNumel(dims);
      values.set(tname, constOf(bytes, t, budget));
    } catch (e) {
      fail((e as Error).message, { field: `initializer '${tname}'` }, 'limit');
    }
  }
  const declared: DeclaredInput[] = [];
  for (const v of graph.input ?? []) {
    const vname = v.name ?? '';
    if (!vname || initializers.has(vname) || producer.has(vname) || declared.some((d) => d.name === vname)) continue;
    const dims = v.type?.tensor_type?.shape?.dim;
    if (!dims) fail(`graph input '${vname}' has no shape; export with an example input so that the exporter records its shape`, { field: 'graph.input' });
    declared.push({ name: vname, dims: dims!.map((d) => (d.dim_value !== undefined && d.dim_value > 0 ? d.dim_value : d.dim_param || undefined)) });
  }
  const realInputs = declared.length;
  const bound = bindInputs(declared, opts, (message, field, code = 'bad-input') => fail(message, { field }, code));
  for (const d of declared) values.set(d.name, { kind: 'act', node: b.input(bound.get(d.name)!, d.name) });
  if (realInputs === 0) fail('the graph has no input tensor (every graph input is an initializer); export the model with its data input');

  // Consumer counts, for MatMul + Add bias fusion.
  const uses = new Map<string, number>();
  for (const n of nodes) for (const i of n.input ?? []) if (i) uses.set(i, (uses.get(i) ?? 0) + 1);
  for (const o of graph.output ?? []) if (o.name) uses.set(o.name, (uses.get(o.name) ?? 0) + 1);

  const lowerOne = (n: NodeMsg, idx: number, via?: string): void => {
    const op = n.op_type ?? '';
    const label = via ? `${via}/${nodeLabel(n, idx)}` : nodeLabel(n, idx);
    try {
      const h = !n.domain || n.domain === 'ai.onnx' ? operatorHandler(op) : undefined;
      checkNodeOutputs(n.output?.length ?? 0);
      if (!h) fail(`unsupported operator ${n.domain ? `${n.domain}::` : ''}${op}; see docs/workloads.md for the operators the importer maps`, { node: label, op }, 'unsupported');
      const c = new NodeCtx(state, n, op, b.uniqueName(n.name || `${op}_${idx}`), label);
      if (h!.fold && c.allConst()) h!.fold(c);
      else h!.lower(c);
    } catch (e) {
      if (e instanceof RetileError) {
        if (e.where.node || (e.where.file !== undefined && e.where.file !== file)) throw e;
        throw new RetileError(e.code, e.message.replace(`${file}: `, ''), { file, node: label, op });
      }
      throw new RetileError('bad-input', `${(e as Error).message}; ${CHECK_FILE}`, { file, node: label, op });
    }
  };
  const state: ImportState = {
    file,
    bytes,
    b,
    opset,
    values,
    uses,
    budget,
    tables: new Map(),
    counted: new Set(),
    lowerSubgraph(sub, via) {
      for (const t of sub.initializer ?? []) if (t.name) values.set(t.name, constOf(bytes, t, budget));
      (sub.node ?? []).forEach((n, i) => lowerOne(n, i, via));
    },
  };
  for (const idx of order) lowerOne(nodes[idx], idx);
  return b.build();
}

/** Floating-point element types (FLOAT, FLOAT16, DOUBLE, BFLOAT16): the types of learned tensors. */
const FLOAT_TYPES = new Set<number>([DATA_TYPE.FLOAT, DATA_TYPE.FLOAT16, DATA_TYPE.DOUBLE, DATA_TYPE.BFLOAT16]);

/** An initializer as a constant value: dims always, values when small, width when an integer type. */
function constOf(bytes: Uint8Array, t: TensorMsg, budget: FoldBudget): Val {
  const dims = t.dims ?? [];
  constNumel(dims);
  const bits = integerBits(t.data_type);
  const data = budget.charge(tensorValues(bytes, t));
  const float = FLOAT_TYPES.has(t.data_type ?? DATA_TYPE.FLOAT);
  return { kind: 'const', dims, data, origin: t.name, ...(bits ? { bits } : {}), ...(float ? { float } : {}) };
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
