/**
 * Shapes of an ONNX model's real inputs under the user's bindings: fixed dims stay, a symbolic
 * axis takes its `--dim` value (by the exporter's dim_param name), an `--input` shape sets one
 * input whole and binds the names of its symbolic axes for the other inputs (Hugging Face
 * exports share `batch` and `sequence` across input_ids, attention_mask and token_type_ids).
 * A symbolic batch axis (axis 0) defaults to the batch; any other unbound axis is an error that
 * lists every one of them with the flag that binds it.
 */
import type { InputBinding } from '../bindings';

type Dim = number | string | undefined;

export interface DeclaredInput {
  name: string;
  /** Fixed size, a dim_param name, or undefined (neither). */
  dims: Dim[];
}

export interface InputOptions {
  batch?: number;
  input?: InputBinding;
  dims?: Record<string, number>;
}

export type Fail = (message: string, field: string, code?: 'bad-input' | 'unsupported') => never;

export function bindInputs(inputs: DeclaredInput[], opts: InputOptions, fail: Fail): Map<string, number[]> {
  const symbols = new Map<string, number>(Object.entries(opts.dims ?? {}));
  const fixed = new Map<string, number[]>();
  if (opts.input) {
    const target = opts.input.name ? inputs.find((i) => i.name === opts.input!.name) : inputs[0];
    if (!target) fail(`--input names '${opts.input.name}', which is not an input of the model (inputs: ${inputs.map((i) => i.name).join(', ')})`, 'input');
    const t = target!;
    let dims = opts.input.dims;
    if (dims.length === t.dims.length - 1) dims = [opts.batch ?? bindingOf(t.dims[0], symbols) ?? 1, ...dims];
    if (dims.length !== t.dims.length) fail(`--input ${dims.join('x')} has rank ${dims.length}; input '${t.name}' has rank ${t.dims.length} [${t.dims.map(show).join(', ')}]`, 'input');
    t.dims.forEach((d, axis) => {
      if (typeof d === 'number' && d !== dims[axis]) fail(`--input sets axis ${axis} of '${t.name}' to ${dims[axis]}, but the model fixes it at ${d}`, 'input');
      if (typeof d === 'string' && !symbols.has(d)) symbols.set(d, dims[axis]);
    });
    fixed.set(t.name, dims);
  }
  const used = new Set<string>();
  const unbound: string[] = [];
  const shapes = new Map<string, number[]>();
  for (const inp of inputs) {
    const given = fixed.get(inp.name);
    const shape = inp.dims.map((d, axis) => {
      if (typeof d === 'string') used.add(d);
      if (given) return given[axis];
      if (typeof d === 'number') {
        if (axis === 0 && opts.batch !== undefined && d !== opts.batch)
          fail(`input '${inp.name}' has a fixed batch of ${d}; a batch setting applies only to a symbolic batch axis`, 'batch');
        return d;
      }
      const bound = bindingOf(d, symbols);
      if (bound !== undefined) return bound;
      if (axis === 0) return opts.batch ?? 1; // a symbolic batch ("batch", "N", 0 or missing)
      unbound.push(`'${inp.name}' axis ${axis} ${d ? `'${d}'` : '(unnamed)'}`);
      return 0;
    });
    shapes.set(inp.name, shape);
  }
  if (unbound.length) {
    const names = [...new Set(inputs.flatMap((i) => i.dims.filter((d, a) => a > 0 && typeof d === 'string' && !symbols.has(d)) as string[]))];
    const hint = names.length ? names.map((n) => `--dim ${n}=<n>`).join(' ') : `--input ${inputs[0].name}=<dims>`;
    fail(`unbound symbolic axes: ${unbound.join(', ')}; bind them with ${hint} (or give a whole shape with --input <name>=<dims>)`, 'graph.input', 'unsupported');
  }
  const unknown = Object.keys(opts.dims ?? {}).filter((k) => !used.has(k));
  if (unknown.length)
    fail(`--dim ${unknown.join(', ')}: the model has no symbolic axis of that name (its symbolic axes: ${[...used].join(', ') || 'none'})`, 'dims');
  return shapes;
}

function bindingOf(d: Dim, symbols: Map<string, number>): number | undefined {
  return typeof d === 'string' ? symbols.get(d) : undefined;
}

function show(d: Dim): string {
  return d === undefined ? '?' : String(d);
}
