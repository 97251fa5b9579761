/**
 * The direct-deployment baseline (docs/method.md#baselines): every tenant as-is, one layer per tile,
 * tenants in order along the mesh. Its analytic figures come from evaluate/deployment.ts like
 * every other deployment's.
 */
import type { LayerGraph } from '../workload/ir';
import type { ChipSpec } from '../hardware/spec';
import { crossbarsPerTile, tileCount } from '../hardware/costs';
import { placementOrder } from '../hardware/topology';
import type { LayerMapping } from '../mapping/map-layer';
import { mapTenant } from '../mapping/mapped-tenant';
import type { PieceShape } from '../mapping/reop';
import { badInput } from '../errors';
import type { DeployedTenant, Deployment, ReOperator } from './types';
import { placedReopCosts } from './reop-costs';

export const DIRECT_STRATEGY = 'direct';

export const DIRECT_DEFINITION =
  'Direct deployment (docs/method.md#baselines): every tenant mapped as-is with one copy of every layer; ' +
  'one layer per tile (the MNSIM and NeuroSim convention), a layer needing more crossbars than one tile holds spans several whole tiles ' +
  '(a column block\'s row blocks kept on one tile, or with tile_packing fill the fewest tiles, row blocks merged across tiles); ' +
  'tenants placed in the given order along the mesh in snake order (MNSIM\'s spiral with topology.order spiral); consecutive tenants that fit together run concurrently in one round, ' +
  'otherwise a new round starts after the crossbars are reprogrammed (write time and energy charged); ' +
  'a tenant larger than the chip runs alone in phases with reprogramming between phases; ' +
  'makespan = sum over rounds of the round\'s time (each tenant of a later round starts once its weights are loaded, the loads sharing the off-chip link one after another, and the round ends when its slowest tenant does). The first round\'s weight load is charged when the schedule rewrites crossbars (more than one round, or phases: at steady state the previous repetition\'s last round held them), and not when every weight stays resident.';

export interface TenantInput {
  name: string;
  /** Zoo name or ONNX file name. */
  model: string;
  graph: LayerGraph;
  /** Inferences per run (default 1). */
  batch?: number;
  priority?: number;
  slaMs?: number;
  arrivalRate?: number;
}

/**
 * Cut one copy of a mapped layer into per-tile pieces. `column-blocks`: whole column blocks (with
 * all their row blocks) while a column block fits a tile; otherwise each column block is cut
 * along rows. `fill`: the grid of equal pieces (rb x cb blocks, rb x cb <= a tile) that needs the
 * fewest tiles, the most row blocks per piece among those (fewest cross-tile merges).
 */
export function tilePieces(m: LayerMapping, perTile: number, packing: ChipSpec['tile_packing'] = 'column-blocks'): PieceShape[] {
  if (m.digital || m.crossbars === 0) return [];
  if (packing === 'fill') return fillPieces(m, perTile);
  const pieces: PieceShape[] = [];
  if (m.rowBlocks <= perTile) {
    const colsPerPiece = Math.max(1, Math.floor(perTile / m.rowBlocks));
    for (let c = 0; c < m.colBlocks; c += colsPerPiece) {
      const cb = Math.min(colsPerPiece, m.colBlocks - c);
      pieces.push({ rowBlocks: m.rowBlocks, colBlocks: cb, crossbars: m.rowBlocks * cb, rowSplit: false });
    }
  } else {
    for (let c = 0; c < m.colBlocks; c++) {
      for (let r = 0; r < m.rowBlocks; r += perTile) {
        const rb = Math.min(perTile, m.rowBlocks - r);
        pieces.push({ rowBlocks: rb, colBlocks: 1, crossbars: rb, rowSplit: true });
      }
    }
  }
  return pieces;
}

function fillPieces(m: LayerMapping, perTile: number): PieceShape[] {
  let best = { rb: 1, cb: 1, tiles: Infinity };
  for (let rb = 1; rb <= Math.min(m.rowBlocks, perTile); rb++) {
    const cb = Math.min(m.colBlocks, Math.floor(perTile / rb));
    const tiles = Math.ceil(m.rowBlocks / rb) * Math.ceil(m.colBlocks / cb);
    if (tiles <= best.tiles) best = { rb, cb, tiles };
  }
  const pieces: PieceShape[] = [];
  for (let c = 0; c < m.colBlocks; c += best.cb) {
    for (let r = 0; r < m.rowBlocks; r += best.rb) {
      const rowBlocks = Math.min(best.rb, m.rowBlocks - r);
      const colBlocks = Math.min(best.cb, m.colBlocks - c);
      pieces.push({ rowBlocks, colBlocks, crossbars: rowBlocks * colBlocks, rowSplit: best.rb < m.rowBlocks });
    }
  }
  return pieces;
}

/** Build the direct-deployment baseline for tenants in the given order. */
export function directDeployment(chip: ChipSpec, tenants: TenantInput[]): Deployment {
  if (tenants.length === 0) throw badInput('no tenants to deploy', { field: 'tenants' });
  const perTile = crossbarsPerTile(chip);
  const N = tileCount(chip);
  const order = placementOrder(chip);
  const reops: ReOperator[] = [];
  const deployed: DeployedTenant[] = [];
  const rounds: number[][] = [];
  let round: number[] = [];
  let cursor = 0;

  tenants.forEach((t, ti) => {
    const mapped = mapTenant(ti, { ...t, batch: t.batch ?? 1, priority: t.priority ?? 1 }, chip);
    const pieceLists = mapped.mappings.map((m) => tilePieces(m, perTile, chip.tile_packing));
    const need = pieceLists.reduce((s, p) => s + p.length, 0);
    const phased = need > N;
    if (phased || cursor + need > N) {
      if (round.length) rounds.push(round);
      round = [];
      cursor = 0;
    }
    round.push(ti);
    const tiles: number[] = [];
    let k = 0; // pieces placed for this tenant
    let lastTile = order[cursor] ?? 0;
    t.graph.layers.forEach((_, li) => {
      const pieces = pieceLists[li]!;
      if (pieces.length === 0) {
        // Digital layer (act x act matmul): runs on the digital unit of its producer's tile.
        reops.push(reop(ti, li, { rowBlocks: 0, colBlocks: 0, crossbars: 0, rowSplit: false }, 0, 1, lastTile, phased ? Math.floor(Math.max(0, k - 1) / N) : 0));
        return;
      }
      pieces.forEach((p, pi) => {
        const slot = phased ? k % N : cursor + k;
        const tile = order[slot]!;
        reops.push(reop(ti, li, p, pi, pieces.length, tile, phased ? Math.floor(k / N) : 0));
        if (!tiles.includes(tile)) tiles.push(tile);
        lastTile = tile;
        k++;
      });
    });
    if (phased) {
      rounds.push(round);
      round = [];
      cursor = 0;
    } else {
      cursor += need;
    }
    deployed.push({
      name: t.name,
      model: t.model,
      graph: t.graph,
      batch: t.batch ?? 1,
      priority: t.priority ?? 1,
      ...(t.slaMs !== undefined ? { slaMs: t.slaMs } : {}),
      ...(t.arrivalRate !== undefined ? { arrivalRate: t.arrivalRate } : {}),
      phases: phased ? Math.ceil(need / N) : 1,
      tiles,
      mapped,
    });
  });
  if (round.length) rounds.push(round);
  return { strategy: DIRECT_STRATEGY, chip, tenants: deployed, reops, reopCosts: placedReopCosts(chip, deployed, reops), rounds, definition: DIRECT_DEFINITION };
}

function reop(tenant: number, layer: number, p: PieceShape, piece: number, pieces: number, tile: number, phase: number): ReOperator {
  return {
    tenant,
    layer,
    copy: 0,
    copies: 1,
    piece,
    pieces,
    rowBlocks: p.rowBlocks,
    colBlocks: p.colBlocks,
    rowSplit: p.rowSplit ?? false,
    crossbars: p.crossbars,
    tile,
    pe: 0,
    phase,
  };
}
