/**
 * The per-MVM costs of every placed re-operator (Deployment.reops order) with its own tile's
 * off-chip spill (buffer-fit.ts): Deployment.reopCosts where its tile fits, costed again with the
 * spill where it overflows. The simulator's scenario charges each re-operator these; the analytic
 * evaluation sums them per layer, so both count every tile's own buffer accesses (each tile
 * holding a piece reads the piece's input vector from its buffer).
 */
import type { Deployment, ReOperator } from './types';
import { reopCosts, type ReopCosts } from '../mapping/reop';
import { bufferFit, fitParts, type BufferFit, type FitPart } from './buffer-fit';

export function spilledReopCosts(dep: Deployment, fit: BufferFit = bufferFit(dep)): ReopCosts[] {
  // A fit assembled from parts (buffer-fit.ts): each part's spilled costs once, kept with the part.
  const parts = fitParts.get(fit);
  if (!parts) return spilled(dep, dep.reops, dep.reopCosts, fit.reopSpillBytesPerMvm);
  return parts.flatMap((p) => partSpilledCosts(dep, p));
}

/** One part's re-operators' costs with their spill (kept with the part). */
export function partSpilledCosts(dep: Deployment, part: FitPart): ReopCosts[] {
  return (part.spilled ??= part.source ? partSpilledCosts(dep, part.source) : spilled(dep, part.reops, part.costs, part.reopSpill));
}

function spilled(dep: Deployment, reops: ReOperator[], costs: ReopCosts[], spill: number[]): ReopCosts[] {
  return reops.map((r, i) => {
    if (spill[i] === 0) return costs[i]!;
    const tm = dep.tenants[r.tenant]!.mapped;
    const layer = tm.graph.layers[r.layer]!;
    const m = tm.mappings[r.layer]!;
    return m.digital
      ? reopCosts(dep.chip, layer, m, undefined, spill[i]!)
      : reopCosts(dep.chip, layer, m, { rowBlocks: r.rowBlocks, colBlocks: r.colBlocks, crossbars: r.crossbars, rowSplit: r.rowSplit }, spill[i]!);
  });
}
