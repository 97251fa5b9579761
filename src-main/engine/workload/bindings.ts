/**
 * Shape bindings chosen by the user for a model: `--input <CxHxW>` or `--input <name>=<dims>`
 * (a whole input shape) and `--dim <name>=<n>` (one symbolic axis by name). The same fields are
 * `input` and `dims` in spec tenants. Parsing lives here so the CLI, specs and the app agree.
 */
import { badInput } from '../errors';
import { MAX_DIM } from '../limits';

export interface InputBinding {
  /** Graph input name; absent: the model's first input. */
  name?: string;
  /** Dims with the batch (N x C x H x W), or without it (C x H x W): the batch is prepended. */
  dims: number[];
}

export interface ShapeBindings {
  input?: InputBinding;
  /** Values of symbolic axes by name (`seq`, `batch`, `kv`, or an exporter's dim_param). */
  dims?: Record<string, number>;
}

function dimValue(text: string, what: string, field: string): number {
  const v = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(v) || v < 1 || v > MAX_DIM) throw badInput(`${what}: '${text}' is not a positive integer`, { field });
  return v;
}

/** `3x32x32` or `input_ids=1x128` (x or X or * between dims). */
export function parseInputBinding(text: string, field = 'input'): InputBinding {
  const m = /^(?:([^=\s]+)=)?(\d+(?:[xX*]\d+)*)$/.exec(text.trim());
  if (!m) throw badInput(`'${text}' is not an input shape; expected <CxHxW> (e.g. 3x32x32) or <name>=<dims> (e.g. input_ids=1x128)`, { field });
  const dims = m[2].split(/[xX*]/).map((d) => dimValue(d, 'input shape', field));
  return m[1] ? { name: m[1], dims } : { dims };
}

/** `seq=128` (repeatable); later values override earlier ones. */
export function parseDimBindings(texts: string[], field = 'dims'): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of texts) {
    const m = /^([^=\s]+)=(\S+)$/.exec(t.trim());
    if (!m) throw badInput(`'${t}' is not a dimension binding; expected <name>=<n> (e.g. seq=128)`, { field });
    out[m[1]] = dimValue(m[2], `dimension '${m[1]}'`, field);
  }
  return out;
}

/** Validates a spec's `dims` object (already JSON). */
export function checkDimBindings(dims: Record<string, number>, field = 'dims'): Record<string, number> {
  for (const [k, v] of Object.entries(dims)) dimValue(String(v), `dimension '${k}'`, field);
  return dims;
}

/** One-line description of bindings, for messages and stored tenants. */
export function describeBindings(b: ShapeBindings): string {
  const parts: string[] = [];
  if (b.input) parts.push(`--input ${b.input.name ? `${b.input.name}=` : ''}${b.input.dims.join('x')}`);
  for (const [k, v] of Object.entries(b.dims ?? {})) parts.push(`--dim ${k}=${v}`);
  return parts.join(' ');
}
