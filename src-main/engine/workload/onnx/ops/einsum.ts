/**
 * Einsum with two operands, the forms attention exporters emit: batched matmuls of two
 * activations ("bhid,bhjd->bhij", "bhij,bhjd->bhid") become act x act matmuls, and an
 * activation contracted with a constant ("bsd,dh->bsh") a linear layer. MACs are the output
 * size times the size of the contracted indices (ONNX Einsum spec, numpy einsum semantics).
 */
import { numel } from '../../shapes';
import { CHECK_FILE, type NodeCtx } from '../context';
import type { OpHandler } from './handler';

interface Parsed {
  ins: string[];
  out: string;
  size: Map<string, number>;
}

function parse(c: NodeCtx, eq: string, shapes: number[][]): Parsed {
  const clean = eq.replace(/\s+/g, '');
  const [lhs, rhs] = clean.split('->');
  let ins = lhs.split(',');
  if (ins.length !== shapes.length) return c.fail(`equation '${eq}' has ${ins.length} operands, the node ${shapes.length}; ${CHECK_FILE}`);
  // '...' stands for the leading axes an operand has beyond its letters: give them capital letters.
  const spare = (n: number) => Array.from({ length: n }, (_, i) => String.fromCharCode(65 + i)).join('');
  let ell = 0;
  ins = ins.map((t, j) => {
    if (!t.includes('...')) return t;
    const n = shapes[j].length - (t.length - 3);
    ell = Math.max(ell, n);
    return t.replace('...', spare(n));
  });
  const size = new Map<string, number>();
  ins.forEach((t, j) => {
    if (t.length !== shapes[j].length) c.fail(`operand ${j} '${t}' has rank ${t.length}, the input [${shapes[j].join(', ')}]; ${CHECK_FILE}`);
    [...t].forEach((l, a) => {
      const d = shapes[j][a];
      const prev = size.get(l);
      if (prev !== undefined && prev !== d && prev !== 1 && d !== 1) c.fail(`index '${l}' is ${prev} in one operand and ${d} in another; ${CHECK_FILE}`);
      size.set(l, Math.max(prev ?? 1, d));
    });
  });
  let out: string;
  if (rhs === undefined) {
    const once = [...size.keys()].filter((l) => ins.join('').split(l).length === 2 && l >= 'a');
    out = spare(ell) + once.sort().join('');
  } else out = rhs.replace('...', spare(ell));
  for (const l of out) if (!size.has(l)) c.fail(`output index '${l}' appears in no operand; ${CHECK_FILE}`);
  return { ins, out, size };
}

function lowerEinsum(c: NodeCtx): void {
  const eq = c.attr('equation')?.s;
  if (!eq) return c.fail(`Einsum without an equation; ${CHECK_FILE}`);
  const vals = c.ins.map((_, j) => c.x(j));
  if (vals.length !== 2) return c.fail(`only two-operand Einsum is mapped (this one has ${vals.length}); export attention as MatMul`, 'unsupported');
  const shapes = vals.map((v) => (v.kind === 'act' ? c.b.shape(v.node) : v.dims));
  const { ins, out, size } = parse(c, eq, shapes);
  const outShape = [...out].map((l) => size.get(l)!);
  const contracted = [...new Set(ins.join(''))].filter((l) => !out.includes(l));
  const k = numel(contracted.map((l) => size.get(l)!));
  const [p, q] = vals;
  if (p.kind === 'act' && q.kind === 'act') {
    if (contracted.length === 0) return c.setAct(c.b.add({ name: c.nm, op: 'mul', sourceOp: c.op, inputs: [p.node, q.node], outShape }));
    return c.setAct(c.b.add({ name: c.nm, op: 'matmul', sourceOp: c.op, inputs: [p.node, q.node], outShape, attrs: { k, equation: eq } }));
  }
  const [a, w, wIdx] = p.kind === 'act' ? [p, q, 1] : [q, p, 0];
  if (a.kind !== 'act' || w.kind !== 'const') return c.fail('Einsum of two constants should have been folded', 'unsupported');
  // Weight letters: contracted ones form K, the rest must be the trailing output letters (N).
  const wl = ins[wIdx];
  const wOut = [...wl].filter((l) => out.includes(l));
  const trailing = out.slice(out.length - wOut.length);
  if (contracted.length === 0 || [...contracted].some((l) => !wl.includes(l)) || wOut.join('') !== trailing || wl.length !== contracted.length + wOut.length)
    return c.fail(`Einsum '${eq}' with a constant operand is not a linear layer over trailing axes; export it as MatMul`, 'unsupported');
  const n = numel(wOut.map((l) => size.get(l)!));
  c.setAct(c.b.add({ name: c.nm, op: 'fc', sourceOp: c.op, inputs: [a.node], outShape, weight: [n, k], hasBias: false }));
}

export const EINSUM_OPS: Record<string, OpHandler> = {
  Einsum: { placement: 'crossbar', lower: lowerEinsum },
};
