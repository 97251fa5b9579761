/**
 * Buffer capacity of a placed deployment: the working set each tile's buffer must hold at once,
 * per layer, against the tile's capacity (hardware/buffers.ts). A layer's working set on a tile:
 *  - input rows: its sliding window (Layer.inputWindowElems: d(k - 1) + 1 whole input rows of
 *    every channel for a conv, the whole operand for an fc after a flatten or an attention
 *    matmul), times the share of the inputs its pieces there read (row-split pieces read their
 *    own row blocks' inputs), for every copy on the tile (copies share output rows, so each holds
 *    the window);
 *  - partial sums: at the gather tile of a row-split copy, one output row of partial sums from
 *    each other piece (2 x activation bytes per output);
 *  - outputs: the copy's share of one output row, staged before it is sent.
 * Tiles are counted per round and phase (tiles reprogrammed between them hold other layers).
 * A tile whose working set exceeds its buffer keeps the excess in off-chip memory: a fraction
 * excess / need of the buffer's contents is not resident, so that fraction of every buffer access
 * of the re-operators on the tile (each MVM's input vector and outputs) crosses the off-chip link
 * instead, at the link's bandwidth and energy per byte. reopCosts (mapping/reop.ts) charges each
 * re-operator its own tile's spill, in the analytic model and the simulator alike.
 */
import type { Deployment, ReOperator } from './types';
import type { ReopCosts } from '../mapping/reop';
import { bufferCosts } from '../hardware/buffers';

export interface LayerBufferNeed {
  tenant: number;
  /** Tenant name and layer name, for messages. */
  tenantName: string;
  layer: number;
  name: string;
  tile: number;
  inputBytes: number;
  psumBytes: number;
  outputBytes: number;
  /** input + partial sums + outputs. */
  bytes: number;
}

export interface TileBufferUse {
  tile: number;
  round: number;
  phase: number;
  capacityBytes: number;
  needBytes: number;
  layers: LayerBufferNeed[];
}

export interface BufferFit {
  capacityBytes: number;
  /** Every tile's working set, per round and phase. */
  uses: TileBufferUse[];
  /** Tiles whose working set exceeds the buffer (empty when everything fits). */
  overflows: TileBufferUse[];
  /** Off-chip spill bytes per MVM of each (tenant, layer), its most spilling piece's: spill[tenant][layer] (the stage time). */
  spillBytesPerMvm: number[][];
  /** Off-chip spill bytes per MVM of each re-operator (Deployment.reops order): its tile's miss fraction of its own accesses. */
  reopSpillBytesPerMvm: number[];
}

/** Deployments are not changed after they are built (a changed placement is a new object), so one fit per Deployment serves the analytic evaluation and the scenario alike. */
const memo = new WeakMap<Deployment, BufferFit>();

export function bufferFit(dep: Deployment): BufferFit {
  let fit = memo.get(dep);
  if (!fit) {
    fit = tenantWiseFit(dep) ?? mergeParts(dep, [fitPart(dep, dep.reops, dep.reopCosts, roundsOf(dep))]);
    memo.set(dep, fit);
  }
  return fit;
}

/** The working sets of some re-operators: their tiles' uses in first-met order, each re-operator's spill, their layers' spill. */
export interface FitPart {
  uses: TileBufferUse[];
  overflows: TileBufferUse[];
  /** (tenant, layer, spill bytes per MVM) of every layer on an overflowing tile. */
  spill: [number, number, number][];
  reopSpill: number[];
  /** The part's re-operators and their unspilled costs (index-aligned with reopSpill). */
  reops: ReOperator[];
  costs: ReopCosts[];
  /** Their costs with the spill, once asked for (placement/spilled-costs.ts). */
  spilled?: ReopCosts[];
}

/** The parts each fit was assembled from, in order (a part's spilled costs are kept with it). */
export const fitParts = new WeakMap<BufferFit, readonly FitPart[]>();

function roundsOf(dep: Deployment): Map<number, number> {
  const roundOf = new Map<number, number>();
  dep.rounds.forEach((members, ri) => members.forEach((t) => roundOf.set(t, ri)));
  return roundOf;
}

/**
 * Parts already computed, by a tenant's first re-operator object: the optimizer's deployments
 * share the re-operators of a tenant whose plan and tiles did not change (optimize/deploy-plans.ts),
 * and a tile holding one tenant's re-operators only fits or spills whatever the other tenants do.
 */
const partMemo = new WeakMap<ReOperator, { key: unknown[]; reops: ReOperator[]; costs: ReopCosts[]; part: FitPart }>();

/**
 * The fit assembled tenant by tenant, each tenant's part remembered, when that is the same as
 * the whole computation: re-operators grouped by tenant in order and no (round, phase, tile)
 * held by two tenants (so every tile's working set is one tenant's). Otherwise null.
 */
function tenantWiseFit(dep: Deployment): BufferFit | null {
  const parts = tenantFitParts(dep);
  return parts ? mergeParts(dep, parts) : null;
}

/**
 * The tenant-wise parts of the fit (tenantWiseFit), one per tenant with re-operators, in order,
 * or null when the fit is not tenant-wise. A part's `spill` entries are its tenant's own.
 */
export function tenantFitParts(dep: Deployment): FitPart[] | null {
  const n = dep.reops.length;
  for (let k = 1; k < n; k++) if (dep.reops[k]!.tenant < dep.reops[k - 1]!.tenant) return null;
  const roundOf = roundsOf(dep);
  const parts: FitPart[] = [];
  let from = 0;
  while (from < n) {
    const ti = dep.reops[from]!.tenant;
    let to = from;
    while (to < n && dep.reops[to]!.tenant === ti) to++;
    const t = dep.tenants[ti]!;
    const key = [dep.chip, roundOf.get(ti) ?? 0, t.name, t.graph, t.mapped];
    const known = partMemo.get(dep.reops[from]!);
    let part: FitPart;
    if (known && known.key.every((x, i) => x === key[i]) && known.reops.length === to - from && known.reops.every((r, k) => r === dep.reops[from + k] && known.costs[k] === dep.reopCosts[from + k])) {
      part = known.part;
    } else {
      const reops = dep.reops.slice(from, to);
      const costs = dep.reopCosts.slice(from, to);
      part = fitPart(dep, reops, costs, roundOf);
      partMemo.set(reops[0]!, { key, reops, costs, part });
    }
    parts.push(part);
    from = to;
  }
  // No (round, phase, tile) held by two parts.
  let phaseSpan = 1;
  let tileSpan = 1;
  for (const p of parts) {
    for (const u of p.uses) {
      phaseSpan = Math.max(phaseSpan, u.phase + 1);
      tileSpan = Math.max(tileSpan, u.tile + 1);
    }
  }
  const held = new Set<number>();
  for (const p of parts) {
    for (const u of p.uses) {
      const tile = (u.round * phaseSpan + u.phase) * tileSpan + u.tile;
      if (held.has(tile)) return null;
      held.add(tile);
    }
  }
  return parts;
}

/** The fit of the parts, in order (the whole computation is one part). */
function mergeParts(dep: Deployment, parts: FitPart[]): BufferFit {
  const spill = dep.tenants.map((t) => t.graph.layers.map(() => 0));
  for (const p of parts) for (const [t, l, v] of p.spill) spill[t]![l] = Math.max(spill[t]![l]!, v);
  // A stable sort of the overflows in first-met order, as the whole computation sorts them.
  const overflows = parts.flatMap((p) => p.overflows).sort((a, b) => b.needBytes - a.needBytes);
  const fit = {
    capacityBytes: bufferCosts(dep.chip).capacityBytes,
    uses: parts.flatMap((p) => p.uses),
    overflows,
    spillBytesPerMvm: spill,
    reopSpillBytesPerMvm: parts.flatMap((p) => p.reopSpill),
  };
  fitParts.set(fit, parts);
  return fit;
}

function fitPart(dep: Deployment, reops: ReOperator[], costs: ReopCosts[], roundOf: Map<number, number>): FitPart {
  const chip = dep.chip;
  const actBytes = chip.precision.activation_bits / 8;
  const capacity = bufferCosts(chip).capacityBytes;
  // Numeric keys (Maps keep insertion order, as string keys did): (round, phase, tile) and, on a
  // tile, (tenant, layer, copy). Their ranges first.
  let tileSpan = 1;
  let phaseSpan = 1;
  let copySpan = 1;
  for (const r of reops) {
    tileSpan = Math.max(tileSpan, r.tile + 1);
    phaseSpan = Math.max(phaseSpan, r.phase + 1);
    copySpan = Math.max(copySpan, r.copy + 1);
  }
  const layerSpan = dep.tenants.reduce((m, t) => Math.max(m, t.graph.layers.length), 1);
  type TileEntry = { tile: number; round: number; phase: number; needs: Map<number, LayerBufferNeed>; miss: number };
  // per (round, phase, tile) -> per (tenant, layer, copy) need
  const tiles = new Map<number, TileEntry>();
  /** Buffer bytes per MVM (input vector + outputs) of each need's re-operators, the largest. */
  const perMvm = new Map<LayerBufferNeed, number>();
  /** Each re-operator's tile entry and own buffer bytes per MVM. */
  const reopAccess: { entry: TileEntry; bytes: number }[] = [];
  reops.forEach((r, k) => {
    const t = dep.tenants[r.tenant]!;
    const layer = t.graph.layers[r.layer]!;
    const m = t.mapped.mappings[r.layer]!;
    const c = costs[k]!;
    const fullInput = m.digital ? c.inputBytesPerMvm : m.rowsPerGroup * m.groups * actBytes;
    const inputShare = fullInput > 0 ? Math.min(1, c.inputBytesPerMvm / fullInput) : 1;
    const unitsPerRow = Math.ceil(layer.mvmsPerRow / Math.max(1, r.copies));
    const round = roundOf.get(r.tenant) ?? 0;
    const key = (round * phaseSpan + r.phase) * tileSpan + r.tile;
    let entry = tiles.get(key);
    if (!entry) tiles.set(key, (entry = { tile: r.tile, round, phase: r.phase, needs: new Map(), miss: 0 }));
    const nk = (r.tenant * layerSpan + r.layer) * copySpan + r.copy;
    let n = entry.needs.get(nk);
    if (!n) {
      n = { tenant: r.tenant, tenantName: t.name, layer: r.layer, name: layer.name, tile: r.tile, inputBytes: 0, psumBytes: 0, outputBytes: 0, bytes: 0 };
      entry.needs.set(nk, n);
    }
    // Pieces of one copy on one tile: the input window once (the largest share), outputs and partial sums add.
    n.inputBytes = Math.max(n.inputBytes, layer.inputWindowElems * actBytes * inputShare);
    n.outputBytes += c.outputBytesPerMvm * unitsPerRow;
    if (r.rowSplit && r.piece === 0 && r.pieces > 1) n.psumBytes += (r.pieces - 1) * c.psumBytesPerMvm * unitsPerRow;
    n.bytes = n.inputBytes + n.psumBytes + n.outputBytes;
    perMvm.set(n, Math.max(perMvm.get(n) ?? 0, c.inputBytesPerMvm + c.outputBytesPerMvm));
    reopAccess.push({ entry, bytes: c.inputBytesPerMvm + c.outputBytesPerMvm });
  });
  const overflows: TileBufferUse[] = [];
  const uses: TileBufferUse[] = [];
  const spill: FitPart['spill'] = [];
  for (const e of tiles.values()) {
    const layers = [...e.needs.values()];
    const need = layers.reduce((s, n) => s + n.bytes, 0);
    const use = { tile: e.tile, round: e.round, phase: e.phase, capacityBytes: capacity, needBytes: need, layers };
    uses.push(use);
    if (need <= capacity) continue;
    overflows.push(use);
    // The non-resident fraction of every buffer access goes off-chip.
    const miss = (need - capacity) / need;
    e.miss = miss;
    for (const n of layers) spill.push([n.tenant, n.layer, miss * perMvm.get(n)!]);
  }
  return { uses, overflows, spill, reopSpill: reopAccess.map((a) => a.entry.miss * a.bytes), reops, costs };
}
