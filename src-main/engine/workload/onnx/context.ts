/**
 * What an operator handler sees while one ONNX node is lowered: the node's inputs as values
 * (activations on the builder, or constants with dims and, when small, their numbers), its
 * attributes, and setters for its outputs. Errors raised here name the node and operator; the
 * importer adds the file.
 */
import { RetileError } from '../../errors';
import type { GraphBuilder } from '../builder';
import { numel } from '../shapes';
import type { AttributeMsg, GraphMsg, NodeMsg, TensorMsg } from './schema';
import type { FoldBudget } from './budget';
import { constNumel, tensorValues } from './tensor';

/** A constant tensor: dims always, values only when small enough to fold. */
export interface ConstVal {
  kind: 'const';
  dims: number[];
  data?: number[];
  /** Integer width of a quantized tensor (int8 weights, QuantizeLinear outputs). */
  bits?: number;
  /** The initializer this constant is (or is a transpose of): ties a weight to an embedding table. */
  origin?: string;
  /** A floating-point initializer (or a transpose of one): a learned tensor unless it is a scalar. */
  float?: boolean;
}

/** An activation: a builder node, with its integer width when a QuantizeLinear set one. */
export interface ActVal {
  kind: 'act';
  node: string;
  bits?: number;
}

/** A value flowing along an ONNX edge: an activation (a builder node) or a constant. */
export type Val = ActVal | ConstVal;

type ErrorCode = 'bad-input' | 'unsupported' | 'limit';

/** What to do about a node the file itself gets wrong (inconsistent shapes, missing attributes). */
export const CHECK_FILE = 'the file is inconsistent here: check it with onnx.checker.check_model(model, full_check=True) and export it again';

/** State shared by every node of one import. */
export interface ImportState {
  /** File name, named in every error. */
  readonly file: string;
  readonly bytes: Uint8Array;
  readonly b: GraphBuilder;
  readonly opset: number;
  readonly values: Map<string, Val>;
  /** Consumer count of each tensor (graph outputs count once). */
  readonly uses: Map<string, number>;
  /** Folded values held so far (workload/onnx/budget.ts). */
  readonly budget: FoldBudget;
  /** Embedding tables looked up so far: initializer name -> the embedding node (weight tying). */
  readonly tables: Map<string, string>;
  /** Initializers already counted as element-wise parameters (an affine scale shared by two nodes counts once). */
  readonly counted: Set<string>;
  /** Lowers the nodes of a nested graph (an If branch) in this scope; `via` names the parent node. */
  readonly lowerSubgraph: (graph: GraphMsg, via: string) => void;
}

export class NodeCtx {
  readonly ins: string[];
  readonly outs: string[];
  private readonly attrs: Map<string, AttributeMsg>;

  /** @param nm unique builder name for the node's main output; @param label the node as named in errors */
  constructor(
    readonly st: ImportState,
    readonly node: NodeMsg,
    readonly op: string,
    readonly nm: string,
    readonly label: string,
  ) {
    this.ins = node.input ?? [];
    this.outs = node.output ?? [];
    this.attrs = new Map((node.attribute ?? []).map((a) => [a.name ?? '', a]));
  }

  get b(): GraphBuilder {
    return this.st.b;
  }

  get opset(): number {
    return this.st.opset;
  }

  fail(message: string, code: ErrorCode = 'bad-input'): never {
    throw new RetileError(code, message, { file: this.st.file, node: this.label, op: this.op });
  }

  hasAttr(k: string): boolean {
    return this.attrs.has(k);
  }

  attr(k: string): AttributeMsg | undefined {
    return this.attrs.get(k);
  }

  ai(k: string, d: number): number {
    return this.attrs.get(k)?.i ?? d;
  }

  ints(k: string): number[] | undefined {
    return this.attrs.get(k)?.ints;
  }

  /** Values of a tensor-valued attribute (Constant value, ConstantOfShape fill). */
  tensorValues(t: TensorMsg): number[] | undefined {
    return tensorValues(this.st.bytes, t);
  }

  /** Input j, or undefined when it is absent (optional inputs are empty names). */
  optional(j: number): Val | undefined {
    const name = this.ins[j];
    return name ? this.st.values.get(name) : undefined;
  }

  /** Input j, which must be present. */
  x(j = 0): Val {
    const name = this.ins[j];
    const v = name ? this.st.values.get(name) : undefined;
    if (!v) return this.fail(`missing ${j === 0 ? 'data' : `#${j}`} input${name ? ` '${name}'` : ''}; ${CHECK_FILE}`);
    return v;
  }

  /** Input j as an activation (builder node name). */
  act(j = 0): string {
    const v = this.x(j);
    if (v.kind !== 'act') return this.fail(`expects an activation at input ${j}, got a constant; simplify the model so this node folds away (onnxsim) or feed it from the model input`, 'unsupported');
    return v.node;
  }

  /** Input j as a constant whose values are known (shape vectors, axes). */
  constData(j: number, what: string): number[] {
    const v = this.x(j);
    if (v.kind !== 'const' || !v.data) return this.fail(`${what} (input ${j}) must be a constant with known values; bind the symbolic axes with --dim or --input so the shape arithmetic folds, or export with static shapes`, 'unsupported');
    return v.data;
  }

  /** True when every present input is a constant (and there is at least one). */
  allConst(): boolean {
    return this.ins.some(Boolean) && this.ins.every((i) => !i || this.st.values.get(i)?.kind === 'const');
  }

  setAct(node: string, k = 0, bits?: number): void {
    if (this.outs[k]) this.st.values.set(this.outs[k], bits ? { kind: 'act', node, bits } : { kind: 'act', node });
  }

  setConst(dims: number[], data?: number[], k = 0, bits?: number): void {
    constNumel(dims);
    const kept = this.st.budget.charge(data);
    if (this.outs[k]) this.st.values.set(this.outs[k], bits ? { kind: 'const', dims, data: kept, bits } : { kind: 'const', dims, data: kept });
  }

  /** Whether a folded constant of `count` elements may have its values computed: ask before allocating them. */
  canFold(count: number): boolean {
    return this.st.budget.fits(count);
  }

  /** A folded constant: values kept only when they match the dims. */
  setFolded(dims: number[], data?: number[], k = 0): void {
    this.setConst(dims, data && data.length === numel(dims) ? data : undefined, k);
  }
}
