/**
 * The simulator's bounded input buffers from a deployment (docs/simulator.md, "Bounded buffers"):
 * the rows a consumer row reads at once (ScenarioEdge.window), the rows a producer must be able
 * to keep in its consumer's buffer for the pipeline to progress (ScenarioEdge.hold), and each
 * tile's capacity for delivered rows (Scenario.tileBufferBytes).
 */
import type { LayerGraph, RowMap } from '../workload/ir';
import { topoOrder } from '../workload/topo-order';
import type { BufferFit } from '../placement/buffer-fit';

/**
 * Producer rows a consumer row reads at once: rows need(r) - window + 1 .. need(r). A k-row
 * window of stride s padded p has offset k - 1 - p, so 2 offset + s >= k whenever
 * p <= (k - 1) / 2 (the usual "same" and "valid" padding); an edge that needs every row (scale 0)
 * holds them all until the request is done.
 */
export function rowWindow(m: RowMap, producerRows: number): number {
  if (m.scale === 0) return producerRows;
  return Math.max(1, Math.min(producerRows, Math.ceil(2 * m.offset + m.scale)));
}

/** Rows of `outer`'s producer needed through `inner` then `outer` (the composition of workload/layers.ts). */
function compose(outer: RowMap, inner: RowMap): RowMap {
  return { scale: outer.scale * inner.scale, offset: outer.scale * inner.offset + outer.offset };
}

/**
 * Per edge of a tenant graph, the producer rows its consumer's buffer must be able to hold: the
 * window, plus the lag of the longest other path between the two layers, plus one row in flight
 * (double buffering). On a residual branch the consumer's row r waits for the longer path, whose
 * needs reach further into the producer's rows, while the short edge's rows wait in the buffer;
 * each stage of that path also keeps a row in computation and one on its way (2 rows per extra
 * hop). Paths compose the row maps with their most demanding scale and offset; a path whose scale
 * differs from the edge's holds every row. Capped at the producer's rows.
 */
export function edgeHoldRows(g: LayerGraph): readonly number[] {
  let hold = holdRows.get(g);
  if (!hold) holdRows.set(g, (hold = computeHoldRows(g)));
  return hold;
}

/** A graph's holds, computed once: every scenario of a run reads them again, and graphs are not changed once built. */
const holdRows = new WeakMap<LayerGraph, readonly number[]>();

function computeHoldRows(g: LayerGraph): readonly number[] {
  const order = topoOrder(g);
  const ins: { from: number; map: RowMap }[][] = g.layers.map(() => []);
  for (const e of g.edges) ins[e.to]!.push({ from: e.from, map: e.rowMap });
  const reach = new Map<number, (RowMap | undefined)[]>();
  const reachFrom = (a: number): (RowMap | undefined)[] => {
    let m = reach.get(a);
    if (m) return m;
    m = g.layers.map(() => undefined);
    m[a] = { scale: 1, offset: 0 };
    for (const v of order) {
      for (const { from, map } of ins[v]!) {
        const via = m[from];
        if (!via) continue;
        // every stage on a path keeps a row in computation and one in flight: 2 rows of lag per hop
        const c = compose(via, { scale: map.scale, offset: map.offset + 2 });
        const cur = m[v];
        m[v] = cur ? { scale: Math.max(cur.scale, c.scale), offset: Math.max(cur.offset, c.offset) } : c;
      }
    }
    reach.set(a, m);
    return m;
  };
  return g.edges.map((e) => {
    const rows = Math.max(1, g.layers[e.from]!.outRows);
    const window = rowWindow(e.rowMap, rows);
    if (e.rowMap.scale === 0) return rows;
    const all = reachFrom(e.from)[e.to]!;
    const lag = all.scale === e.rowMap.scale ? Math.max(0, all.offset - e.rowMap.offset - 2) : rows;
    return Math.min(rows, Math.ceil(window + lag + 1));
  });
}

/**
 * Capacity of each tile's buffer for delivered input rows: the chip's tile buffer, on every tile
 * that receives rows (0, unbounded and unused, elsewhere). The packing shares it among the
 * producers sending to the tile, none below its edges' hold (edgeHoldRows), so the pipeline
 * always progresses: a working set larger than the buffer is charged as off-chip spill
 * (docs/cost-model.md, "Buffers"), and the bound limits how far producers run ahead beyond it.
 */
export function inputBufferBytes(fit: BufferFit, tiles: number): number[] {
  return new Array<number>(tiles).fill(fit.capacityBytes);
}
