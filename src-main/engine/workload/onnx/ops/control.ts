/**
 * Control flow with a path known at import time: If with a constant condition is replaced by the
 * branch it takes; Loop with a constant trip count (and a condition that stays constant) is
 * unrolled. Anything else is refused naming the node, since the work it does depends on data.
 */
import { CHECK_FILE, type NodeCtx, type Val } from '../context';
import { decodeGraph } from '../proto';
import type { GraphMsg } from '../schema';
import type { OpHandler } from './handler';

/** Largest trip count unrolled (exporters' constant loops are short: per-layer caches, fixed repeats). */
const MAX_UNROLL = 1024;

function branch(c: NodeCtx, attr: string): GraphMsg {
  const g = c.attr(attr)?.g;
  if (!g) return c.fail(`missing graph attribute '${attr}'; ${CHECK_FILE}`);
  return decodeGraph(c.st.bytes, g);
}

function outputsOf(c: NodeCtx, g: GraphMsg, what: string): Val[] {
  return (g.output ?? []).map((o) => {
    const v = o.name ? c.st.values.get(o.name) : undefined;
    if (!v) return c.fail(`${what} output '${o.name ?? ''}' is not produced by the branch; ${CHECK_FILE}`);
    return v;
  });
}

function lowerIf(c: NodeCtx): void {
  const cond = c.x(0);
  if (cond.kind !== 'const' || !cond.data || cond.data.length !== 1)
    return c.fail('the If condition depends on the input, so the executed branch is unknown at import; export with a fixed path (torch.onnx.export traces one) or bind the symbolic axes with --dim', 'unsupported');
  const g = branch(c, cond.data[0] ? 'then_branch' : 'else_branch');
  c.st.lowerSubgraph(g, c.label);
  outputsOf(c, g, 'If').forEach((v, k) => c.outs[k] && c.st.values.set(c.outs[k], v));
}

function lowerLoop(c: NodeCtx): void {
  const trip = c.optional(0);
  const cond0 = c.optional(1);
  const known = (v: Val | undefined) => v === undefined || (v.kind === 'const' && v.data?.length === 1);
  if (!known(trip) || !known(cond0) || (trip === undefined && cond0 === undefined))
    return c.fail('the Loop trip count or condition depends on the input, so its work is unknown at import; export with a fixed trip count', 'unsupported');
  const m = trip?.kind === 'const' ? trip.data![0] : Infinity;
  let go = cond0?.kind === 'const' ? cond0.data![0] !== 0 : true;
  if (Number.isFinite(m) && m > MAX_UNROLL) return c.fail(`Loop trip count ${m} is above the unroll limit of ${MAX_UNROLL}; export the loop unrolled or with fewer iterations`, 'limit');
  const body = branch(c, 'body');
  const bodyIn = (body.input ?? []).map((v) => v.name ?? '');
  let carried = c.ins.slice(2).map((_, j) => c.x(j + 2));
  const nScan = (body.output?.length ?? 0) - 1 - carried.length;
  if (nScan > 0) return c.fail('Loop scan outputs are not supported, only loop-carried values are; export with the loop unrolled (torch.jit.trace does)', 'unsupported');
  let i = 0;
  for (; go && i < m; i++) {
    if (i >= MAX_UNROLL) return c.fail(`Loop does not stop within ${MAX_UNROLL} iterations at import; export with a fixed trip count of at most ${MAX_UNROLL}`, 'limit');
    c.st.values.set(bodyIn[0], { kind: 'const', dims: [], data: [i] });
    c.st.values.set(bodyIn[1], { kind: 'const', dims: [], data: [1] });
    carried.forEach((v, j) => c.st.values.set(bodyIn[j + 2], v));
    c.st.lowerSubgraph(body, `${c.label}[${i}]`);
    const [condOut, ...rest] = outputsOf(c, body, 'Loop');
    if (condOut.kind !== 'const' || condOut.data?.length !== 1)
      return c.fail('the Loop condition computed by the body depends on the input; export with a fixed trip count', 'unsupported');
    go = condOut.data[0] !== 0;
    carried = rest;
  }
  carried.forEach((v, k) => c.outs[k] && c.st.values.set(c.outs[k], v));
}

export const CONTROL_OPS: Record<string, OpHandler> = {
  If: { placement: 'folded', lower: lowerIf },
  Loop: { placement: 'folded', lower: lowerLoop },
};
