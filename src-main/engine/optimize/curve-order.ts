/**
 * The optimizer's tile order (docs/method.md#step-4-packing-and-placement: "each tenant contiguous on the mesh,
 * producers next to their consumers, so NoC hops stay short"). Tenants take consecutive runs of
 * this order and their layers stream along their run (deploy-plans.ts, pack.ts).
 *
 * The order walks the router grid along a generalized Hilbert curve ("gilbert", J. Cervený,
 * github.com/jakubcerveny/gilbert, any W x H rectangle) and visits the tiles of each router
 * (a concentrated mesh puts 2 or 4 tiles on one router) before moving on. Why not the snake
 * (boustrophedon) of the direct baseline: a run of the snake is a 1-D strip along the rows, so
 * consecutive layers lie in a line and a producer's multicast to its consumer's tiles travels
 * through the consumer's region on the same links, in the same direction, as the consumer's own
 * output (docs/simulator.md, "Where the simulator and the profiler differ"). A run of a Hilbert
 * curve is a compact 2-D blob (any run of n cells fits in a box of O(sqrt n) side), so a layer's
 * tiles sit on few routers, its consumers are a few hops away in several directions, and the
 * traffic of a tenant spreads over more links. Router-major order also stops two layers far
 * apart in the order from sharing one router's links (the snake puts tile rows 2k and 2k+1, a
 * whole mesh row apart in the order, on the same routers).
 * The direct baseline keeps the snake (placement/direct.ts: the paper's baseline definition).
 * deploy-plans.ts tries both orientations of the curve and the snake and keeps the best by the
 * analytic makespan.
 */
import type { ChipSpec } from '../hardware/spec';
import { concentrationShape } from '../hardware/spec';
import { routerGrid, snakeOrder } from '../hardware/topology';

/**
 * Cells of a W x H grid as [x, y] along a generalized Hilbert curve from (0, 0); consecutive
 * cells are grid neighbours (when one side is even and the other odd, one step may be diagonal:
 * gilbert's documented exception; router grids of the presets are even). Port of gilbert2d
 * (BSD-2-Clause).
 */
export function gilbertCurve(width: number, height: number): [number, number][] {
  const out: [number, number][] = [];
  if (width <= 0 || height <= 0) return out;
  const sgn = (v: number): number => (v > 0 ? 1 : v < 0 ? -1 : 0);
  // Python's // floors; so does Math.floor on negatives.
  const half = (v: number): number => Math.floor(v / 2);
  const gen = (x: number, y: number, ax: number, ay: number, bx: number, by: number): void => {
    const w = Math.abs(ax + ay);
    const h = Math.abs(bx + by);
    const dax = sgn(ax);
    const day = sgn(ay);
    const dbx = sgn(bx);
    const dby = sgn(by);
    if (h === 1) {
      for (let i = 0; i < w; i++) {
        out.push([x, y]);
        x += dax;
        y += day;
      }
      return;
    }
    if (w === 1) {
      for (let i = 0; i < h; i++) {
        out.push([x, y]);
        x += dbx;
        y += dby;
      }
      return;
    }
    let ax2 = half(ax);
    let ay2 = half(ay);
    let bx2 = half(bx);
    let by2 = half(by);
    const w2 = Math.abs(ax2 + ay2);
    const h2 = Math.abs(bx2 + by2);
    if (2 * w > 3 * h) {
      // Long case: split in two along the major axis (prefer even halves).
      if (w2 % 2 !== 0 && w > 2) {
        ax2 += dax;
        ay2 += day;
      }
      gen(x, y, ax2, ay2, bx, by);
      gen(x + ax2, y + ay2, ax - ax2, ay - ay2, bx, by);
    } else {
      // Standard case: one step up, one long run across, one step down.
      if (h2 % 2 !== 0 && h > 2) {
        bx2 += dbx;
        by2 += dby;
      }
      gen(x, y, bx2, by2, ax2, ay2);
      gen(x + bx2, y + by2, ax, ay, bx - bx2, by - by2);
      gen(x + (ax - dax) + (bx2 - dbx), y + (ay - day) + (by2 - dby), -bx2, -by2, -(ax - ax2), -(ay - ay2));
    }
  };
  if (width >= height) gen(0, 0, width, 0, 0, height);
  else gen(0, 0, 0, height, width, 0);
  return out;
}

/** The orders deploy-plans.ts tries: the curve with its long run along the router grid's x axis, along its y axis, or the snake. */
export type CurveAxis = 'x' | 'y' | 'snake';
export const CURVE_AXES: readonly CurveAxis[] = ['x', 'y', 'snake'];

/**
 * Every tile of the chip once, in the optimizer's placement order: routers along the gilbert
 * curve of the router grid (major axis x, or transposed: major axis y), the tiles of one router
 * together (row-major within the router); or the direct baseline's snake, kept as a third
 * candidate because the analytic choice in deploy-plans.ts prefers it on some torus and 64x64
 * cases. Deterministic: depends only on the mesh, its concentration and the axis.
 */
export function placementOrder(chip: ChipSpec, axis: CurveAxis = 'x'): readonly number[] {
  // Once per (chip object, axis): the operator level places every plan it weighs along it.
  let byAxis = orders.get(chip);
  if (!byAxis) orders.set(chip, (byAxis = new Map()));
  let order = byAxis.get(axis);
  if (!order) byAxis.set(axis, (order = buildOrder(chip, axis)));
  return order;
}

const orders = new WeakMap<ChipSpec, Map<CurveAxis, readonly number[]>>();

function buildOrder(chip: ChipSpec, axis: CurveAxis): number[] {
  if (axis === 'snake') return snakeOrder(chip);
  const [gr, gc] = routerGrid(chip);
  const [cr, cc] = concentrationShape(chip.topology.concentration);
  const cols = chip.topology.cols;
  const cells: [number, number][] = axis === 'x' ? gilbertCurve(gc, gr) : gilbertCurve(gr, gc).map(([a, b]) => [b, a]);
  const out: number[] = [];
  for (const [x, y] of cells) {
    for (let i = 0; i < cr; i++) for (let j = 0; j < cc; j++) out.push((y * cr + i) * cols + x * cc + j);
  }
  return out;
}
