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
import { placedRunOf, runTile, type PlacedRun } from './placed-run';

/** What a fit part reads of its deployment. */
type FitDeployment = Pick<Deployment, 'chip' | 'tenants'>;

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
  /** Tiles whose working set exceeds the buffer (empty when everything fits). Both lists are built when first read. */
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

/**
 * The working sets of some re-operators, as numbers: the (round, phase, tile) of each tile they
 * hold, the spill of each layer on an overflowing tile, each re-operator's spill. The tiles' uses
 * (objects naming every layer) are built only when asked for: the optimizer reads the spills.
 */
export interface FitPart {
  /** (round, phase, tile) of each tile held, flat, in first-met order. */
  held: number[];
  /** (tenant, layer, spill bytes per MVM) of every layer on an overflowing tile, flat. */
  spill: number[];
  reopSpill: number[];
  /** The part's re-operators and their unspilled costs (index-aligned with reopSpill). */
  reops: ReOperator[];
  costs: ReopCosts[];
  /** Their costs with the spill, once asked for (placement/spilled-costs.ts). */
  spilled?: ReopCosts[];
  /** The part of the run these re-operators were mapped from (placement/placed-run.ts), whose spills and spilled costs are theirs. */
  source?: FitPart;
  /** Its tiles' uses in first-met order and those that overflow, built once when asked for. */
  tileUses: () => { uses: TileBufferUse[]; overflows: TileBufferUse[] };
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
const partMemo = new WeakMap<ReOperator, { chip: unknown; round: number; name: string; graph: unknown; mapped: unknown; reops: ReOperator[]; costs: ReopCosts[]; part: FitPart }>();

/** A part of `reops` from the part of the run they were mapped from, when they were (placement/placed-run.ts). */
function mappedPart(dep: Deployment, from: number, to: number, roundOf: Map<number, number>): FitPart | null {
  const made = placedRunOf(dep.reops, dep.reopCosts, from, to);
  if (!made) return null;
  const { source, held } = runPart(dep, made.placed, roundOf.get(made.placed.run[0]!.tenant) ?? 0);
  let built: { uses: TileBufferUse[]; overflows: TileBufferUse[] } | undefined;
  const tileUses = (): { uses: TileBufferUse[]; overflows: TileBufferUse[] } => {
    if (built) return built;
    const uses: TileBufferUse[] = [];
    const overflows: TileBufferUse[] = [];
    for (const u of source.tileUses().uses) {
      const tile = runTile(made.placed, u.tile);
      const use = { ...u, tile, layers: u.layers.map((n) => ({ ...n, tile })) };
      uses.push(use);
      if (use.needBytes > use.capacityBytes) overflows.push(use);
    }
    return (built = { uses, overflows });
  };
  return { held, spill: source.spill, reopSpill: source.reopSpill, reops: made.reops, costs: made.placed.costs, source, tileUses };
}

/**
 * The run's part and the tiles it holds as placed, by placed run (its orders share the run's
 * part, tile numbers mapped), with what the part depends on beside the run's re-operators and
 * costs (a placed run's never change).
 */
const runParts = new WeakMap<PlacedRun, { chip: unknown; round: number; name: string; graph: unknown; mapped: unknown; source: FitPart; held: number[] }>();

/**
 * The part of a placed run's re-operators (packing reads tiles by position only, so the run's
 * working sets and spills are theirs, tile for tile) and the (round, phase, tile) it holds with
 * the run's tiles mapped: what the fit of the re-operators made from it would be.
 */
export function runPart(dep: FitDeployment, placed: PlacedRun, round: number): { source: FitPart; held: number[] } {
  const ti = placed.run[0]!.tenant;
  const t = dep.tenants[ti]!;
  const known = runParts.get(placed);
  if (known && known.chip === dep.chip && known.round === round && known.name === t.name && known.graph === t.graph && known.mapped === t.mapped) return known;
  const source = tenantPart(dep, placed.run, placed.costs, 0, placed.run.length, new Map([[ti, round]]));
  const held = source.held.slice();
  for (let i = 2; i < held.length; i += 3) held[i] = runTile(placed, held[i]!);
  const made = { chip: dep.chip, round, name: t.name, graph: t.graph, mapped: t.mapped, source, held };
  runParts.set(placed, made);
  return made;
}

/** The part of the tenant whose re-operators are `reops[from..to)`, remembered by its first re-operator. */
function tenantPart(dep: FitDeployment, reops: ReOperator[], costs: ReopCosts[], from: number, to: number, roundOf: Map<number, number>): FitPart {
  const ti = reops[from]!.tenant;
  const t = dep.tenants[ti]!;
  const round = roundOf.get(ti) ?? 0;
  const known = partMemo.get(reops[from]!);
  if (known && known.chip === dep.chip && known.round === round && known.name === t.name && known.graph === t.graph && known.mapped === t.mapped && sameRun(known, reops, costs, from, to)) return known.part;
  const part = (reops === (dep as Partial<Deployment>).reops && mappedPart(dep as Deployment, from, to, roundOf)) || fitPart(dep, reops.slice(from, to), costs.slice(from, to), roundOf);
  partMemo.set(reops[from]!, { chip: dep.chip, round, name: t.name, graph: t.graph, mapped: t.mapped, reops: part.reops, costs: part.costs, part });
  return part;
}

/**
 * The fit assembled tenant by tenant, each tenant's part remembered, when that is the same as
 * the whole computation: re-operators grouped by tenant in order and no (round, phase, tile)
 * held by two tenants (so every tile's working set is one tenant's). Otherwise null.
 */
function tenantWiseFit(dep: Deployment): BufferFit | null {
  const parts = tenantFitParts(dep);
  return parts ? mergeParts(dep, parts) : null;
}

/** Whether `known` was made of the re-operators and costs from `from` on (and as many). */
function sameRun(known: { reops: ReOperator[]; costs: ReopCosts[] }, reops: ReOperator[], costs: ReopCosts[], from: number, to: number): boolean {
  if (known.reops.length !== to - from) return false;
  for (let k = 0; k < to - from; k++) if (known.reops[k] !== reops[from + k] || known.costs[k] !== costs[from + k]) return false;
  return true;
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
    parts.push(tenantPart(dep, dep.reops, dep.reopCosts, from, to, roundOf));
    from = to;
  }
  return heldApart(parts.map((p) => p.held)) ? parts : null;
}

/** Whether no (round, phase, tile) is in two of the lists (FitPart.held, flat). */
export function heldApart(helds: readonly number[][]): boolean {
  if (helds.length < 2) return true;
  let phaseSpan = 1;
  let tileSpan = 1;
  for (const h of helds) {
    for (let i = 0; i < h.length; i += 3) {
      if (h[i + 1]! >= phaseSpan) phaseSpan = h[i + 1]! + 1;
      if (h[i + 2]! >= tileSpan) tileSpan = h[i + 2]! + 1;
    }
  }
  const held = new Set<number>();
  for (const h of helds) {
    for (let i = 0; i < h.length; i += 3) {
      const tile = (h[i]! * phaseSpan + h[i + 1]!) * tileSpan + h[i + 2]!;
      if (held.has(tile)) return false;
      held.add(tile);
    }
  }
  return true;
}

/** The fit of the parts, in order (the whole computation is one part). */
function mergeParts(dep: Deployment, parts: FitPart[]): BufferFit {
  const spill = dep.tenants.map((t) => t.graph.layers.map(() => 0));
  for (const p of parts) {
    const s = p.spill;
    for (let i = 0; i < s.length; i += 3) spill[s[i]!]![s[i + 1]!] = Math.max(spill[s[i]!]![s[i + 1]!]!, s[i + 2]!);
  }
  let uses: TileBufferUse[] | undefined;
  let overflows: TileBufferUse[] | undefined;
  const fit: BufferFit = {
    capacityBytes: bufferCosts(dep.chip).capacityBytes,
    get uses() {
      return (uses ??= parts.flatMap((p) => p.tileUses().uses));
    },
    get overflows() {
      // A stable sort of the overflows in first-met order, as the whole computation sorts them.
      return (overflows ??= parts.flatMap((p) => p.tileUses().overflows).sort((a, b) => b.needBytes - a.needBytes));
    },
    spillBytesPerMvm: spill,
    reopSpillBytesPerMvm: parts.length === 1 ? parts[0]!.reopSpill : parts.flatMap((p) => p.reopSpill),
  };
  fitParts.set(fit, parts);
  return fit;
}

function fitPart(dep: FitDeployment, reops: ReOperator[], costs: ReopCosts[], roundOf: Map<number, number>): FitPart {
  const chip = dep.chip;
  const actBytes = chip.precision.activation_bits / 8;
  const capacity = bufferCosts(chip).capacityBytes;
  // Numeric keys: (round, phase, tile) and, on a tile, (tenant, layer, copy). Their ranges first.
  let tileSpan = 1;
  let phaseSpan = 1;
  let copySpan = 1;
  for (const r of reops) {
    if (r.tile >= tileSpan) tileSpan = r.tile + 1;
    if (r.phase >= phaseSpan) phaseSpan = r.phase + 1;
    if (r.copy >= copySpan) copySpan = r.copy + 1;
  }
  const layerSpan = dep.tenants.reduce((m, t) => Math.max(m, t.graph.layers.length), 1);
  const needSpan = dep.tenants.length * layerSpan * copySpan;
  // Tiles (entries) in first-met order, each with its needs as a list in first-met order.
  const entryOf = new Map<number, number>();
  const held: number[] = [];
  const eFirst: number[] = [];
  const eLast: number[] = [];
  // Needs: (tenant, layer, copy) on a tile, its bytes and the largest buffer bytes per MVM (input vector + outputs) of its re-operators.
  const needOf = new Map<number, number>();
  const nTenant: number[] = [];
  const nLayer: number[] = [];
  const nNext: number[] = [];
  const nInput: number[] = [];
  const nPsum: number[] = [];
  const nOutput: number[] = [];
  const nPerMvm: number[] = [];
  // Each re-operator's tile entry and own buffer bytes per MVM.
  const reopEntry = new Int32Array(reops.length);
  const reopBytes = new Float64Array(reops.length);
  // Pieces of a copy come one after another: the last tile and need found are asked again first.
  let lastKey = -1;
  let e = -1;
  let lastNeedKey = -1;
  let n = -1;
  for (let k = 0; k < reops.length; k++) {
    const r = reops[k]!;
    const t = dep.tenants[r.tenant]!;
    const layer = t.graph.layers[r.layer]!;
    const m = t.mapped.mappings[r.layer]!;
    const c = costs[k]!;
    const fullInput = m.digital ? c.inputBytesPerMvm : m.rowsPerGroup * m.groups * actBytes;
    const inputShare = fullInput > 0 ? Math.min(1, c.inputBytesPerMvm / fullInput) : 1;
    const unitsPerRow = Math.ceil(layer.mvmsPerRow / Math.max(1, r.copies));
    const round = roundOf.get(r.tenant) ?? 0;
    const key = (round * phaseSpan + r.phase) * tileSpan + r.tile;
    if (key !== lastKey) {
      let found = entryOf.get(key);
      if (found === undefined) {
        found = eFirst.length;
        entryOf.set(key, found);
        held.push(round, r.phase, r.tile);
        eFirst.push(-1);
        eLast.push(-1);
      }
      lastKey = key;
      e = found;
      lastNeedKey = -1;
    }
    const needKey = e * needSpan + (r.tenant * layerSpan + r.layer) * copySpan + r.copy;
    if (needKey !== lastNeedKey) {
      let found = needOf.get(needKey);
      if (found === undefined) {
        found = nTenant.length;
        needOf.set(needKey, found);
        nTenant.push(r.tenant);
        nLayer.push(r.layer);
        nNext.push(-1);
        nInput.push(0);
        nPsum.push(0);
        nOutput.push(0);
        nPerMvm.push(0);
        if (eLast[e]! < 0) eFirst[e] = found;
        else nNext[eLast[e]!] = found;
        eLast[e] = found;
      }
      lastNeedKey = needKey;
      n = found;
    }
    // Pieces of one copy on one tile: the input window once (the largest share), outputs and partial sums add.
    nInput[n] = Math.max(nInput[n]!, layer.inputWindowElems * actBytes * inputShare);
    nOutput[n] = nOutput[n]! + c.outputBytesPerMvm * unitsPerRow;
    if (r.rowSplit && r.piece === 0 && r.pieces > 1) nPsum[n] = nPsum[n]! + (r.pieces - 1) * c.psumBytesPerMvm * unitsPerRow;
    nPerMvm[n] = Math.max(nPerMvm[n]!, c.inputBytesPerMvm + c.outputBytesPerMvm);
    reopEntry[k] = e;
    reopBytes[k] = c.inputBytesPerMvm + c.outputBytesPerMvm;
  }
  const entries = eFirst.length;
  const eNeed = new Float64Array(entries);
  const eMiss = new Float64Array(entries);
  const spill: number[] = [];
  for (let x = 0; x < entries; x++) {
    let need = 0;
    for (let y = eFirst[x]!; y >= 0; y = nNext[y]!) need += nInput[y]! + nPsum[y]! + nOutput[y]!;
    eNeed[x] = need;
    if (need <= capacity) continue;
    // The non-resident fraction of every buffer access goes off-chip.
    const miss = (need - capacity) / need;
    eMiss[x] = miss;
    for (let y = eFirst[x]!; y >= 0; y = nNext[y]!) spill.push(nTenant[y]!, nLayer[y]!, miss * nPerMvm[y]!);
  }
  const reopSpill = new Array<number>(reops.length);
  for (let k = 0; k < reops.length; k++) reopSpill[k] = eMiss[reopEntry[k]!]! * reopBytes[k]!;
  let built: { uses: TileBufferUse[]; overflows: TileBufferUse[] } | undefined;
  // The tenants only, not `dep`: the part is remembered by its first re-operator, and a deployment
  // held here would keep every other tenant's re-operators, and through them their parts, alive.
  const tenants = dep.tenants;
  const tileUses = (): { uses: TileBufferUse[]; overflows: TileBufferUse[] } => {
    if (built) return built;
    const uses: TileBufferUse[] = [];
    const overflows: TileBufferUse[] = [];
    for (let x = 0; x < entries; x++) {
      const tile = held[3 * x + 2]!;
      const layers: LayerBufferNeed[] = [];
      for (let y = eFirst[x]!; y >= 0; y = nNext[y]!) {
        const t = tenants[nTenant[y]!]!;
        const inputBytes = nInput[y]!;
        const psumBytes = nPsum[y]!;
        const outputBytes = nOutput[y]!;
        layers.push({ tenant: nTenant[y]!, tenantName: t.name, layer: nLayer[y]!, name: t.graph.layers[nLayer[y]!]!.name, tile, inputBytes, psumBytes, outputBytes, bytes: inputBytes + psumBytes + outputBytes });
      }
      const use = { tile, round: held[3 * x]!, phase: held[3 * x + 1]!, capacityBytes: capacity, needBytes: eNeed[x]!, layers };
      uses.push(use);
      if (eNeed[x]! > capacity) overflows.push(use);
    }
    return (built = { uses, overflows });
  };
  return { held, spill, reopSpill, reops, costs, tileUses };
}
