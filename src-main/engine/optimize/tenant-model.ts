/**
 * What the optimizer knows about one tenant before it places anything: each layer's mapping,
 * time per MVM, footprint, copy cap and work (docs/method.md#step-1-profile-and-classification, "profile every
 * tenant"). Computed once per run; every loop afterwards is arithmetic over these arrays.
 */
import type { ChipSpec } from '../hardware/spec';
import { crossbarsPerTile, nocCosts } from '../hardware/costs';
import { mapLayer, type LayerMapping } from '../mapping/map-layer';
import { reopCosts } from '../profile/reop';
import type { LayerGraph } from '../workload/ir';
import type { TenantWorkload } from '../deploy/types';
import { OPTIMIZER_SETTINGS as S } from './settings';

/** A tenant as the optimizer takes it: a graph of one inference; `batch` inferences per run. */
export type RunTenant = TenantWorkload;

export interface TenantModel {
  index: number;
  tenant: RunTenant;
  graph: LayerGraph;
  batch: number;
  priority: number;
  mappings: LayerMapping[];
  /** Time of one MVM of a whole copy, the merge of its own row blocks included (s). */
  mvmTime: number[];
  /** Crossbars of one copy (0 for digital layers). */
  xb: number[];
  /** Row blocks larger than a tile: pieces are cut along rows and merged (Splitter, row split). */
  rowSplit: boolean[];
  /** Most copies a layer may get (its MVMs, and the absolute cap in settings). */
  cap: number[];
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

export function tenantModel(index: number, t: RunTenant, chip: ChipSpec): TenantModel {
  const perTile = crossbarsPerTile(chip);
  const mappings = t.graph.layers.map((l) => mapLayer(l, chip));
  const mvmTime: number[] = [];
  const cap: number[] = [];
  let work = 0;
  t.graph.layers.forEach((l, i) => {
    const m = mappings[i]!;
    const c = reopCosts(chip, l, m);
    mvmTime.push(c.mvmTimeS + c.mergeTimeS);
    cap.push(Math.max(1, Math.min(l.mvms, S.maxCopiesPerLayer)));
    work += l.mvms * m.crossbars * (c.mvmTimeS + c.mergeTimeS);
  });
  const xb = mappings.map((m) => (m.digital ? 0 : m.crossbars));
  const linkBw = nocCosts(chip).linkBandwidthBytesPerS;
  const nocFloor = t.graph.layers.map(() => 0);
  for (const e of t.graph.edges) nocFloor[e.to]! += (Math.max(1, t.graph.layers[e.from]!.outRows) * e.bytesPerRow) / linkBw;
  return {
    index,
    tenant: t,
    graph: t.graph,
    batch: t.batch,
    priority: t.priority,
    mappings,
    mvmTime,
    xb,
    rowSplit: mappings.map((m) => !m.digital && m.rowBlocks > perTile),
    cap,
    nocFloor,
    footprint: xb.reduce((s, x) => s + x, 0),
    work,
    weightBytes: mappings.map((m) => (m.digital ? 0 : m.weightBytes)),
    cells: mappings.map((m) => (m.digital ? 0 : m.mappedCells)),
  };
}

/** Stage time of layer i with d copies: ceil(N / d) x t_mvm (docs/cost-model.md#analytic-profile), never below its NoC floor. */
export function layerTime(tm: TenantModel, i: number, d: number): number {
  return Math.max(Math.ceil(tm.graph.layers[i]!.mvms / d) * tm.mvmTime[i]!, tm.nocFloor[i]!);
}
