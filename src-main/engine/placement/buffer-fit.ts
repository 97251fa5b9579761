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
import type { Deployment } from './types';
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
    fit = computeBufferFit(dep);
    memo.set(dep, fit);
  }
  return fit;
}

function computeBufferFit(dep: Deployment): BufferFit {
  const chip = dep.chip;
  const actBytes = chip.precision.activation_bits / 8;
  const capacity = bufferCosts(chip).capacityBytes;
  const roundOf = new Map<number, number>();
  dep.rounds.forEach((members, ri) => members.forEach((t) => roundOf.set(t, ri)));
  // Numeric keys (Maps keep insertion order, as string keys did): (round, phase, tile) and, on a
  // tile, (tenant, layer, copy). Their ranges first.
  let tileSpan = 1;
  let phaseSpan = 1;
  let copySpan = 1;
  for (const r of dep.reops) {
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
  dep.reops.forEach((r, k) => {
    const t = dep.tenants[r.tenant]!;
    const layer = t.graph.layers[r.layer]!;
    const m = t.mapped.mappings[r.layer]!;
    const c = dep.reopCosts[k]!;
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
  const spill = dep.tenants.map((t) => t.graph.layers.map(() => 0));
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
    for (const n of layers) spill[n.tenant]![n.layer] = Math.max(spill[n.tenant]![n.layer]!, miss * perMvm.get(n)!);
  }
  overflows.sort((a, b) => b.needBytes - a.needBytes);
  const reopSpill = reopAccess.map((a) => a.entry.miss * a.bytes);
  return { capacityBytes: capacity, uses, overflows, spillBytesPerMvm: spill, reopSpillBytesPerMvm: reopSpill };
}
