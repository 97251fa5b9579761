/**
 * The per-MVM costs of every placed re-operator, computed once when a deployment is built and
 * read by the buffer fit, the link loads and the simulator's scenario. A crossbar piece costs its
 * share of its copy (mapping/reop.ts); a digital layer (act x act matmul) costs what its whole
 * layer does. Nothing spilled: the spill a buffer overflow adds is known only after the buffer fit.
 */
import type { ChipSpec } from '../hardware/spec';
import { reopCosts, type ReopCosts } from '../mapping/reop';
import type { DeployedTenant, ReOperator } from './types';
import type { MappedTenant } from '../mapping/mapped-tenant';

export function placedReopCosts(chip: ChipSpec, tenants: DeployedTenant[], reops: ReOperator[]): ReopCosts[] {
  return reops.map((r) => placedReopCost(chip, tenants[r.tenant]!.mapped, r));
}

/** One re-operator's costs, `tm` its tenant as mapped. */
export function placedReopCost(chip: ChipSpec, tm: MappedTenant, r: ReOperator): ReopCosts {
  const m = tm.mappings[r.layer]!;
  return m.digital ? tm.costs[r.layer]! : reopCosts(chip, tm.graph.layers[r.layer]!, m, { rowBlocks: r.rowBlocks, colBlocks: r.colBlocks, crossbars: r.crossbars, rowSplit: r.rowSplit });
}
