/**
 * A tenant mapped onto a chip (docs/method.md#step-1-profile-and-classification, "profile every
 * tenant"): each layer's mapping, time per MVM, footprint, NoC floor and work. Built once per
 * tenant and chip; the optimizer's loops and the bounds are arithmetic over these arrays.
 */
import type { ChipSpec } from '../hardware/spec';
import { crossbarsPerTile, nocCosts } from '../hardware/costs';
import { mapLayer, type LayerMapping } from './map-layer';
import { reopCosts, type ReopCosts } from './reop';
import type { LayerGraph } from '../workload/ir';
import type { TenantWorkload } from '../workload/tenant';

/** A tenant as the optimizer takes it: a graph of one inference; `batch` inferences per run. */
export type RunTenant = TenantWorkload;

export interface MappedTenant {
  index: number;
  tenant: RunTenant;
  graph: LayerGraph;
  batch: number;
  priority: number;
  mappings: LayerMapping[];
  /** Per-MVM costs of one whole copy of each layer, nothing spilled (mapping/reop.ts). */
  costs: ReopCosts[];
  /** Time of one MVM of a whole copy, the merge of its own row blocks included (s). */
  mvmTime: number[];
  /** Crossbars of one copy (0 for digital layers). */
  xb: number[];
  /** Row blocks larger than a tile: pieces are cut along rows and merged (Splitter, row split). */
  rowSplit: boolean[];
  /**
   * NoC floor of each layer's stage time (s): every tile of a consumer receives the producers'
   * whole output rows over its router's input link, so a stage cannot be shorter than
   * sum over in-edges of (producer rows x bytes per row) / link bandwidth, whatever its copies.
   */
  nocFloor: number[];
  /** Crossbars of one copy of every layer (the single-copy footprint). */
  footprint: number;
  /** Crossbar-seconds of one inference: sum over layers of N x crossbars x t_mvm. */
  work: number;
  /** Weight bytes and mapped cells of one copy of each layer (for reprogramming). */
  weightBytes: number[];
  cells: number[];
}

export function mapTenant(index: number, t: RunTenant, chip: ChipSpec): MappedTenant {
  const perTile = crossbarsPerTile(chip);
  const mappings = t.graph.layers.map((l) => mapLayer(l, chip));
  const mvmTime: number[] = [];
  const costs: ReopCosts[] = [];
  let work = 0;
  t.graph.layers.forEach((l, i) => {
    const m = mappings[i]!;
    const c = reopCosts(chip, l, m);
    costs.push(c);
    mvmTime.push(c.mvmTimeS + c.mergeTimeS);
    work += l.mvms * m.crossbars * (c.mvmTimeS + c.mergeTimeS);
  });
  const xb = mappings.map((m) => (m.digital ? 0 : m.crossbars));
  const linkBw = nocCosts(chip).linkBandwidthBytesPerS;
  const nocFloor = t.graph.layers.map(() => 0);
  const actBytes = chip.precision.activation_bits / 8;
  for (const e of t.graph.edges) nocFloor[e.to]! += (Math.max(1, t.graph.layers[e.from]!.outRows) * e.elemsPerRow * actBytes) / linkBw;
  return {
    index,
    tenant: t,
    graph: t.graph,
    batch: t.batch,
    priority: t.priority,
    mappings,
    costs,
    mvmTime,
    xb,
    rowSplit: mappings.map((m) => !m.digital && m.rowBlocks > perTile),
    nocFloor,
    footprint: xb.reduce((s, x) => s + x, 0),
    work,
    weightBytes: mappings.map((m) => (m.digital ? 0 : m.weightBytes)),
    cells: mappings.map((m) => (m.digital ? 0 : m.mappedCells)),
  };
}

/** Stage time of layer i with d copies: ceil(N / d) x t_mvm (docs/cost-model.md#analytic-profile), never below its NoC floor. */
export function layerTime(tm: MappedTenant, i: number, d: number): number {
  return Math.max(Math.ceil(tm.graph.layers[i]!.mvms / d) * tm.mvmTime[i]!, tm.nocFloor[i]!);
}
