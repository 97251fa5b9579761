/**
 * Request-level replicas (docs/method.md, "Step 4: packing and placement", "Replicas"): the
 * chip cut into k equal rectangles of whole routers, one deployment planned for one rectangle (a
 * sub-chip with the same tiles) and copied into every rectangle, each copy serving its share of
 * every tenant's requests.
 *
 * Why: the copies of one layer split every output row round-robin (docs/simulator.md,
 * "Copies"), so every router holding a consumer copy takes in the producer's whole output, over
 * at most four links. One pipeline stops there whatever area it gets (VGG-16 at batch 16: the
 * same 149 copies on 32x32 and on 64x64). Independent pipelines divide that traffic by k. XY
 * routing keeps a route between two tiles of a rectangle inside it (x first along the source's
 * row, then y along the destination's column, both inside the rectangle's span), so on a mesh
 * the replicas share no link and each runs exactly as the planned one does alone. A torus's
 * wrap-around links would leave the rectangle, so tori are not cut.
 */
import type { ChipSpec } from '../hardware/spec';
import { concentrationShape } from '../hardware/spec';
import { tileCount } from '../hardware/costs';
import type { DeployedTenant, Deployment, ReOperator } from './types';
import { placedReopCosts } from './reop-costs';
import { minOf } from '../arrays';

/** Rectangles along the tile rows and columns: k = rows x cols replicas. */
export interface ReplicaGrid {
  rows: number;
  cols: number;
}

/**
 * The grid of replicas to try on a chip for tenants with these batches, or null: 2 x 2 when both
 * sides split into whole routers, else 2 along the longer side; never on a torus, and only when
 * every tenant has at least one request per replica.
 */
export function replicaGrid(chip: ChipSpec, batches: number[]): ReplicaGrid | null {
  if (chip.topology.kind === 'torus') return null;
  const [cr, cc] = concentrationShape(chip.topology.concentration);
  const { rows, cols } = chip.topology;
  const splits = (n: number, block: number): boolean => n % (2 * block) === 0;
  const minBatch = minOf(batches);
  const options: ReplicaGrid[] = [];
  if (splits(rows, cr) && splits(cols, cc)) options.push({ rows: 2, cols: 2 });
  if (rows >= cols && splits(rows, cr)) options.push({ rows: 2, cols: 1 });
  if (cols > rows && splits(cols, cc)) options.push({ rows: 1, cols: 2 });
  return options.find((g) => g.rows * g.cols <= minBatch) ?? null;
}

/** Tile mesh of one rectangle. */
export function replicaMesh(chip: ChipSpec, g: ReplicaGrid): [number, number] {
  return [chip.topology.rows / g.rows, chip.topology.cols / g.cols];
}

/** Requests of replica q of k when a tenant's `batch` requests are dealt out in turn. */
export function replicaBatch(batch: number, q: number, k: number): number {
  return Math.floor(batch / k) + (q < batch % k ? 1 : 0);
}

/**
 * The deployment `sub` (planned on the rectangle's sub-chip, one round) copied into every
 * rectangle of `chip`. Tenants 0..n-1 are the first rectangle's (the spec's tenants, in order);
 * replica q of tenant i is tenant q n + i, named "<name> (replica q+1 of k)", with `replicaOf` = i.
 * Each serves replicaBatch of its tenant's `batches[i]` requests.
 */
export function replicateDeployment(sub: Deployment, chip: ChipSpec, g: ReplicaGrid, batches: number[]): Deployment {
  const [subRows, subCols] = [sub.chip.topology.rows, sub.chip.topology.cols];
  if (subRows * g.rows !== chip.topology.rows || subCols * g.cols !== chip.topology.cols) {
    throw new Error(`replicas: a ${subRows}x${subCols} plan does not tile a ${chip.topology.rows}x${chip.topology.cols} chip ${g.rows}x${g.cols} times`);
  }
  const k = g.rows * g.cols;
  const n = sub.tenants.length;
  const tenants: DeployedTenant[] = [];
  const reops: ReOperator[] = [];
  for (let q = 0; q < k; q++) {
    const r0 = Math.floor(q / g.cols) * subRows;
    const c0 = (q % g.cols) * subCols;
    const at = (t: number): number => (r0 + Math.floor(t / subCols)) * chip.topology.cols + c0 + (t % subCols);
    sub.tenants.forEach((t, i) => {
      tenants.push({
        ...t,
        name: q === 0 ? t.name : `${t.name} (replica ${q + 1} of ${k})`,
        batch: replicaBatch(batches[i]!, q, k),
        tiles: t.tiles.map(at),
        ...(q > 0 ? { replicaOf: i } : {}),
      });
    });
    for (const r of sub.reops) reops.push({ ...r, tenant: q * n + r.tenant, tile: at(r.tile) });
  }
  const used = new Set(reops.map((r) => r.tile)).size;
  if (used > tileCount(chip)) throw new Error('replicas: more tiles than the chip has');
  return {
    strategy: sub.strategy,
    chip,
    tenants,
    reops,
    reopCosts: placedReopCosts(chip, tenants, reops),
    rounds: [tenants.map((_, i) => i)],
    definition: `${sub.definition} Replicated: ${k} request-level replicas, the plan above made for one ${subRows}x${subCols}-tile rectangle and copied into each of the chip's ${g.rows}x${g.cols} rectangles, every tenant's requests dealt out among them in turn (docs/method.md, "Replicas").`,
  };
}
