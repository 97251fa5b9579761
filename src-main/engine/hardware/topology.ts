/**
 * Tile coordinates and router distances. Tiles are numbered row-major: tile = r x cols + c.
 * A concentrated mesh groups 2 (1x2) or 4 (2x2) neighbouring tiles on one router (ISAAC: 4).
 */
import { concentrationShape, type ChipSpec } from './spec';

export function tileCoord(chip: ChipSpec, tile: number): [number, number] {
  return [Math.floor(tile / chip.topology.cols), tile % chip.topology.cols];
}

/** Router of a tile, as [row, col] in the router grid. */
export function routerCoord(chip: ChipSpec, tile: number): [number, number] {
  const [r, c] = tileCoord(chip, tile);
  const [cr, cc] = concentrationShape(chip.topology.concentration);
  return [Math.floor(r / cr), Math.floor(c / cc)];
}

/** Router grid size [rows, cols]. */
export function routerGrid(chip: ChipSpec): [number, number] {
  const [cr, cc] = concentrationShape(chip.topology.concentration);
  return [Math.ceil(chip.topology.rows / cr), Math.ceil(chip.topology.cols / cc)];
}

/**
 * Router-to-router hops between two tiles under XY routing: Manhattan distance on the router
 * grid, with wrap-around links on a torus. 0 for tiles on the same router.
 */
export function tileDistance(chip: ChipSpec, a: number, b: number): number {
  const [ra, ca] = routerCoord(chip, a);
  const [rb, cb] = routerCoord(chip, b);
  let dr = Math.abs(ra - rb);
  let dc = Math.abs(ca - cb);
  if (chip.topology.kind === 'torus') {
    const [gr, gc] = routerGrid(chip);
    dr = Math.min(dr, gr - dr);
    dc = Math.min(dc, gc - dc);
  }
  return dr + dc;
}

/** Fewest hops between any tile of one set and any tile of another (a layer may span several tiles). */
export function setDistance(chip: ChipSpec, from: number[], to: number[]): number {
  let best = Infinity;
  for (const a of from) for (const b of to) best = Math.min(best, tileDistance(chip, a, b));
  return best;
}

/**
 * Tiles in snake (boustrophedon) order: row 0 left to right, row 1 right to left, ... so
 * consecutive tiles in the order are mesh neighbours. Used to place tenants "in order along the mesh".
 */
export function snakeOrder(chip: ChipSpec): number[] {
  const out: number[] = [];
  const { rows, cols } = chip.topology;
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < cols; i++) out.push(r * cols + (r % 2 === 0 ? i : cols - 1 - i));
  }
  return out;
}

/**
 * Tiles in MNSIM 2.0's spiral order (Tile_connection_graph.py, generate_hui_matrix): (0,0), then
 * L-shaped shells that grow a square from the corner, each walked from its far end: shell s odd
 * from (0,s) down to (s,s) and left to (s,0), s even from (s,0) right to (s,s) and up to (0,s).
 * The first n^2 tiles fill an n x n corner square; consecutive tiles are neighbours.
 */
export function spiralOrder(chip: ChipSpec): number[] {
  const { rows, cols } = chip.topology;
  const out: number[] = [];
  const add = (r: number, c: number) => {
    if (r < rows && c < cols) out.push(r * cols + c);
  };
  for (let s = 0; s < Math.max(rows, cols); s++) {
    const shell: [number, number][] = [];
    for (let i = 0; i <= s; i++) shell.push([i, s]); // column s, top to corner
    for (let i = s - 1; i >= 0; i--) shell.push([s, i]); // row s, corner to left
    for (const [r, c] of s % 2 === 1 ? shell : shell.reverse()) add(r, c);
  }
  return out;
}

/** The order the direct deployment places tiles in (`topology.order`). */
export function placementOrder(chip: ChipSpec): number[] {
  return chip.topology.order === 'spiral' ? spiralOrder(chip) : snakeOrder(chip);
}

/**
 * The XY route between two routers of a `rows` x `cols` grid (router index = row x cols + col),
 * as the directed links it takes, id router x 4 + direction (0 +x, 1 -x, 2 +y, 3 -y): X first,
 * then Y; on a torus the shorter way round, ties +. The same walk as the event simulator's
 * routeDir (assembly/sim.ts); test/unit/sim/route.test.ts compares the two on every pair.
 */
export function xyRoute(rows: number, cols: number, torus: boolean, src: number, dst: number, visit: (link: number) => void): void {
  let x = src % cols;
  let y = Math.floor(src / cols);
  const dx = dst % cols;
  const dy = Math.floor(dst / cols);
  while (x !== dx) {
    const up = routeUp(torus, x, dx, cols);
    visit((y * cols + x) * 4 + (up ? 0 : 1));
    x = up ? (x + 1 === cols ? 0 : x + 1) : x === 0 ? cols - 1 : x - 1;
  }
  while (y !== dy) {
    const up = routeUp(torus, y, dy, rows);
    visit((y * cols + x) * 4 + (up ? 2 : 3));
    y = up ? (y + 1 === rows ? 0 : y + 1) : y === 0 ? rows - 1 : y - 1;
  }
}

/** Whether XY routing goes up (+1) from c to d along a dimension of n routers (a torus takes the shorter way, up on a tie). */
function routeUp(torus: boolean, c: number, d: number, n: number): boolean {
  return torus ? ((d - c + n) % n) * 2 <= n : d > c;
}

/** Marks of the links a union already holds (the union's number), kept between calls so no union clears them. */
let unionMarks = new Int32Array(0);
let unionMark = 0;

/**
 * The union of the XY routes from router `src` to each of `dsts` (as xyRoute takes them), each
 * link visited once, in no particular order. Every route starts its X leg at the source along
 * the source's row and its Y leg at the source's row along the destination's column, so a link
 * the union already holds has its whole leg before it held too: each leg is walked back from its
 * far end until it meets the union (the union's size, not every route's length). The analytic
 * link loads and the simulator's multicast (sim/route-unions.ts) both walk their unions here.
 */
export function xyRouteUnion(rows: number, cols: number, torus: boolean, src: number, dsts: Iterable<number>, visit: (link: number) => void): void {
  const size = rows * cols * 4;
  if (unionMarks.length < size) unionMarks = new Int32Array(size);
  if (unionMark === 0x7fffffff) {
    unionMarks.fill(0);
    unionMark = 0;
  }
  const u = ++unionMark;
  const marks = unionMarks;
  const plus = routeUp;
  const back = (c: number, up: boolean, n: number): number => (up ? (c === 0 ? n - 1 : c - 1) : c + 1 === n ? 0 : c + 1);
  const sx = src % cols;
  const sy = Math.floor(src / cols);
  // An array walks without an iterator result per element (a Set of 10^4 routers per call adds up).
  const list = Array.isArray(dsts) ? (dsts as number[]) : [...dsts];
  for (let k = 0; k < list.length; k++) {
    const dst = list[k]!;
    const dx = dst % cols;
    const dy = Math.floor(dst / cols);
    if (dy !== sy) {
      const up = plus(torus, sy, dy, rows);
      for (let y = back(dy, up, rows); ; y = back(y, up, rows)) {
        const link = (y * cols + dx) * 4 + (up ? 2 : 3);
        if (marks[link] === u) break;
        marks[link] = u;
        visit(link);
        if (y === sy) break;
      }
    }
    if (dx !== sx) {
      const up = plus(torus, sx, dx, cols);
      for (let x = back(dx, up, cols); ; x = back(x, up, cols)) {
        const link = (sy * cols + x) * 4 + (up ? 0 : 1);
        if (marks[link] === u) break;
        marks[link] = u;
        visit(link);
        if (x === sx) break;
      }
    }
  }
}
