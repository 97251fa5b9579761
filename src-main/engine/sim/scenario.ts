/**
 * The simulator's input: a flat, self-contained scenario (no chip or graph objects), and its
 * packing into typed arrays, which the Wasm event loop (assembly/sim.ts) reads through the layout
 * of layout.ts; docs/simulator.md describes every field and the semantics.
 */
import type { PowerParams } from '../hardware/power-policy';
import { badInput } from '../errors';
import { LIMITS } from '../limits';
import { appendAll, maxOf } from '../arrays';
import { routeUnions, type RouteUnions } from './route-unions';

export interface ScenarioTenant {
  name: string;
  /** Requests (inferences) to serve: the batch size B, or the length of the Poisson stream. */
  requests: number;
  /** Poisson arrival rate in requests/s; 0 or absent: all requests arrive at t = 0 (batch). */
  arrivalRate?: number;
  /** Seed of the arrival stream (mulberry32). */
  seed?: number;
  /**
   * Closed-loop clients: this many requests outstanding at once. The first `clients` arrive at
   * t = 0; each completion brings the next request at that instant. Excludes arrivalRate and arrivals.
   */
  clients?: number;
  /** Given arrival times in seconds (a trace), one per request, non-decreasing. Excludes arrivalRate and clients. */
  arrivals?: number[];
  /**
   * Served in turns (a schedule that reloads weights, docs/simulator.md "Turns"): each
   * time its first phase is ready, the requests arrived by then are the turn's, and its phases
   * (which must chain: one first, one last) serve exactly those; its first phase waits for an
   * arrival when none is waiting. Default false: every request goes through each phase once.
   */
  turns?: boolean;
}

/**
 * A phase groups layers whose weights are resident together. Its weights are written once the
 * last of its predecessors has finished all its work (at t = 0 without predecessors): the bytes
 * cross the chip's one off-chip link (`transferTimeS` = bytes / off-chip bandwidth), shared by
 * every tenant and served first come, first served; the crossbars program in parallel
 * (`writeTimeS` = rows x t_write). The phase starts at max(transfer end, grant + writeTimeS),
 * where grant is when the link takes its transfer (docs/simulator.md, "Phases and rounds").
 * Without a transfer the phase starts writeTimeS after it is ready (0 when preloaded).
 */
export interface ScenarioPhase {
  tenant: number;
  /** Crossbar programming time (rows x t_write, all crossbars in parallel); does not use the link. */
  writeTimeS: number;
  /** Off-chip link time of the phase's weight bytes (bytes / off-chip bandwidth). Default 0: the link is not used. */
  transferTimeS?: number;
  writeEnergyJ: number;
  after: number[];
  /** Phases whose end the phase also waits for from its second turn on: the edges that close the schedule's cycle (tenants in turns). */
  again?: number[];
}

export interface ScenarioLayer {
  name: string;
  tenant: number;
  phase: number;
  /** Output rows H streamed through the pipeline. */
  rows: number;
  /** Work units (MVMs) per output row W; copies split the H*W units round-robin (unit m -> copy m mod d). */
  unitsPerRow: number;
  /** Pieces of a copy hold row blocks whose partial sums a digital adder merges (at piece 0's tile). */
  rowSplit: boolean;
  /** Bytes of one full output row sent to each consumer tile. */
  outBytesPerRow: number;
  /** Bytes of partial sums per full row a non-first piece sends to piece 0 (row split), or its output share (column split). */
  psumBytesPerRow: number;
  /** Merge time and energy per unit when row-split pieces are merged. */
  mergeTimePerUnitS: number;
  mergeEnergyPerUnitJ: number;
}

export interface ScenarioReop {
  layer: number;
  copy: number;
  piece: number;
  /** Tile index (row-major on the chip's tile mesh; see tileRouter). */
  tile: number;
  /** Seconds per work unit (one MVM of this piece, row blocks' merge inside the piece included). */
  timePerUnitS: number;
  /**
   * Seconds per work unit on the tile's buffer port (hardware/buffers.ts). The port is one
   * resource per tile, shared by every re-operator on the tile, first come, first served: a row's
   * port time starts when the port is free and the row ends at max(compute end, port end).
   * Default 0: the port is not used.
   */
  portTimePerUnitS?: number;
  /** Energy per work unit by component (length = components.length). */
  energyPerUnitJ: number[];
  /** Crossbars held (for reporting only). */
  crossbars?: number;
}

/** Consumer row r of `to` needs producer rows 0..min(H_from - 1, floor(scale * r + offset)) (RowMap in workload/ir.ts). */
export interface ScenarioEdge {
  from: number;
  to: number;
  scale: number;
  offset: number;
  /**
   * Producer rows one consumer row reads at once, ending at the row it needs: row r reads rows
   * need(r) - window + 1 .. need(r), so rows below the next row's window leave the consumer's
   * tile buffer when a row completes. Default: the producer's rows (held until the request is done).
   */
  window?: number;
  /**
   * Producer rows the consumer's tile buffer reserves for this edge at least (its share of a
   * bounded buffer never falls below it). Default: window + 1 (the window and one row in flight).
   */
  hold?: number;
}

export interface Scenario {
  /** Router grid; XY routing on it (torus: wrap-around links, the shorter way round). */
  mesh: { rows: number; cols: number; torus?: boolean };
  /**
   * Router of each tile (a concentrated mesh puts several tiles on one router). Absent: one tile
   * per router, tile = router index. Re-operators name tiles; transfers between different tiles
   * cross h links and h + 1 routers (h = 0 between tiles of one router).
   */
  tileRouter?: number[];
  /** Per directed link: bandwidth, per-hop latency, energy per byte per hop. */
  noc: { linkBytesPerS: number; hopLatencyS: number; energyPerByteHopJ: number };
  /** Energy component names; re-operator energies index into it. */
  components: string[];
  /** Component indices for NoC traffic, partial-sum merges, reprogramming writes and leakage. */
  nocComponent: number;
  mergeComponent: number;
  reprogramComponent: number;
  leakageComponent: number;
  /** Leakage power per occupied tile, charged to the tenants on the tile as the power policy says. */
  tileLeakageW: number;
  /** Power policy (hardware/power-policy.ts); default `none`: every tile leaks over the makespan. */
  powerPolicy?: PowerParams['policy'];
  /** Energy of one tile wake-up under the `idle` policy (J). Default 0. */
  wakeEnergyJ?: number;
  /** Tiles without re-operators (they leak over the makespan only under policy `none`; chip total only, no tenant). Default 0. */
  idleTiles?: number;
  /** Timeline intervals kept per re-operator (even; intervals are merged pairwise when full). Default 16. */
  timelineSlots?: number;
  /** Stop after this many events (status 2, a 'limit' error); capped by LIMITS.maxSimEvents (engine/limits.ts). */
  maxEvents?: number;
  /** Record the start, end and execution count of every (re-operator, request, row) (SimRaw.trace). Default false. */
  trace?: boolean;
  /**
   * Input buffer capacity of each tile in bytes (tileRouter's order; 0: unbounded), shared by the
   * producers that send rows to the tile in proportion to their edges' hold x row bytes (a share
   * never below that), among producers whose phases are at the same depth of the phase graph. Rows delivered to a tile occupy its producer's share until the consumers'
   * windows move past them; a producer copy sends a finished row only when every consumer tile's
   * share has room (docs/simulator.md, "Bounded buffers"). Default: every tile unbounded.
   */
  tileBufferBytes?: number[];
  tenants: ScenarioTenant[];
  phases: ScenarioPhase[];
  layers: ScenarioLayer[];
  reops: ScenarioReop[];
  edges: ScenarioEdge[];
}

/** The scenario as flat typed arrays; field names match the AssemblyScript layout (layout.ts). */
export interface PackedScenario extends RouteUnions {
  T: number; P: number; L: number; C: number; R: number; S: number;
  totalReq: number; meshRows: number; meshCols: number; timelineSlots: number; numLinks: number;
  /** Tiles of the chip (tileRouter's length) and length of the row trace (0 without `trace`). */
  tiles: number; traceLen: number;
  linkBw: number; hopLat: number; torus: number;
  /** Event budget of the loop (params[7] in Wasm). */
  maxEvents: number;
  tReq: Int32Array; tReqBase: Int32Array; tCopies: Int32Array; tRate: Float64Array; tSeed: Int32Array; tSrcStart: Int32Array; tSrcCount: Int32Array;
  tClients: Int32Array; tGiven: Int32Array; reqGiven: Float64Array;
  /** Tenants in turns (ScenarioTenant.turns) and their first and last phases (-1 for the others); each phase's predecessors from its second turn on. */
  tTurn: Int32Array; tFirstPh: Int32Array; tLastPh: Int32Array; phAgain: Int32Array;
  srcReops: Int32Array;
  phPreds: Int32Array; phSuccStart: Int32Array; phSuccCount: Int32Array; phSucc: Int32Array; phWrite: Float64Array; phXfer: Float64Array;
  phCopies: Int32Array; phReopStart: Int32Array; phReopCount: Int32Array; phReops: Int32Array; phTenant: Int32Array;
  /** Input buffer capacity of each tile and each slot's share of it (bytes, 0: unbounded); rows each input entry reads at once (ScenarioEdge.window). */
  tileCap: Float64Array; slotCap: Float64Array; inWindow: Int32Array;
  /** 1 when a layer sends rows to a bounded tile buffer (its copies then hold at most one unsent row). */
  lBounded: Int32Array;
  lRows: Int32Array; lUnits: Int32Array; lCopies: Int32Array; lPhase: Int32Array; lTenant: Int32Array;
  lSlotStart: Int32Array; lSlotCount: Int32Array; lRowSplit: Int32Array;
  lOutBytes: Float64Array; lPsumBytes: Float64Array; lMergeTime: Float64Array;
  cLayer: Int32Array; cIndex: Int32Array; cFirstReop: Int32Array; cPieces: Int32Array; cGather: Int32Array;
  rCopy: Int32Array; rTile: Int32Array; rInStart: Int32Array; rInCount: Int32Array; rTpu: Float64Array; rPort: Float64Array;
  /** First trace entry of each re-operator: entry of (request i, row r) = rTraceBase + i x rows + r. */
  rTraceBase: Int32Array;
  inSlot: Int32Array; inNeedBase: Int32Array; needTab: Int32Array;
  sLayer: Int32Array; sTile: Int32Array; sConsStart: Int32Array; sConsCount: Int32Array; sCons: Int32Array;
  /** Parallel to sCons: the consumer's first input (index into inSlot) that reads the slot. */
  sConsIn: Int32Array;
  tileRouter: Int32Array;
  /** Re-operator ids in layer/copy/piece order: packing sorts re-operators; reopOrder[k] = index in scenario.reops. */
  reopOrder: Int32Array;
}

const MAX_EVENTS_HINT = 2 ** 31 - 1;

function fail(msg: string, field: string): never {
  throw badInput(msg, { field });
}

// The checks below run for every tile, layer, re-operator and edge of every simulation: a field's
// name is built only when the check fails.
function isInt(v: number, lo: number, hi: number): boolean {
  return Number.isInteger(v) && v >= lo && v <= hi;
}

function isReal(v: number, positive = false): boolean {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 && !(positive && v === 0);
}

function badInt(v: number, lo: number, hi: number, field: string): never {
  fail(`must be an integer in [${lo}, ${hi}], got ${v}`, field);
}

function badReal(v: number, field: string, positive = false): never {
  fail(`must be a finite ${positive ? 'positive' : 'non-negative'} number, got ${v}`, field);
}

function checkInt(v: number, lo: number, hi: number, field: string): void {
  if (!isInt(v, lo, hi)) badInt(v, lo, hi, field);
}

function checkReal(v: number, field: string, positive = false): void {
  if (!isReal(v, positive)) badReal(v, field, positive);
}

/** Validates a scenario and packs it into flat arrays (topology lists, slots, row-need tables). */
export function packScenario(s: Scenario): PackedScenario {
  const T = s.tenants.length;
  const P = s.phases.length;
  const L = s.layers.length;
  if (T === 0) fail('needs at least one tenant', 'tenants');
  checkInt(s.mesh.rows, 1, 4096, 'mesh.rows');
  checkInt(s.mesh.cols, 1, 4096, 'mesh.cols');
  checkReal(s.noc.linkBytesPerS, 'noc.linkBytesPerS', true);
  checkReal(s.noc.hopLatencyS, 'noc.hopLatencyS');
  const routers = s.mesh.rows * s.mesh.cols;
  const tileRouter = new Int32Array(s.tileRouter ? s.tileRouter.length : routers);
  for (let i = 0; i < tileRouter.length; i++) {
    const r = s.tileRouter ? s.tileRouter[i]! : i;
    if (!isInt(r, 0, routers - 1)) badInt(r, 0, routers - 1, `tileRouter[${i}]`);
    tileRouter[i] = r;
  }
  const tiles = tileRouter.length;
  const tileCap = new Float64Array(tiles);
  if (s.tileBufferBytes) {
    if (s.tileBufferBytes.length !== tiles) fail(`needs one capacity per tile (${tiles}), got ${s.tileBufferBytes.length}`, 'tileBufferBytes');
    for (let i = 0; i < tiles; i++) {
      const b = s.tileBufferBytes[i]!;
      if (!isReal(b)) badReal(b, `tileBufferBytes[${i}]`);
      tileCap[i] = b;
    }
  }
  const maxEvents = Math.min(s.maxEvents ?? LIMITS.maxSimEvents, LIMITS.maxSimEvents);
  if (!Number.isSafeInteger(maxEvents) || maxEvents < 1) fail(`must be a positive integer, got ${s.maxEvents}`, 'maxEvents');
  const M = s.timelineSlots ?? 16;
  if (!Number.isInteger(M) || M < 2 || M % 2 !== 0) fail('must be an even integer >= 2', 'timelineSlots');

  // tenants and requests
  const tReq = new Int32Array(T), tReqBase = new Int32Array(T), tRate = new Float64Array(T), tSeed = new Int32Array(T);
  const tClients = new Int32Array(T), tGiven = new Int32Array(T);
  let totalReq = 0;
  s.tenants.forEach((t, i) => {
    checkInt(t.requests, 1, 1 << 24, `tenants[${i}].requests`);
    checkReal(t.arrivalRate ?? 0, `tenants[${i}].arrivalRate`);
    const modes = [(t.arrivalRate ?? 0) > 0, t.clients !== undefined, t.arrivals !== undefined].filter(Boolean).length;
    if (modes > 1) fail('give at most one of arrivalRate, clients and arrivals', `tenants[${i}]`);
    if (t.clients !== undefined) checkInt(t.clients, 1, t.requests, `tenants[${i}].clients`);
    if (t.arrivals !== undefined) {
      if (t.arrivals.length !== t.requests) fail(`needs one arrival time per request (${t.requests}), got ${t.arrivals.length}`, `tenants[${i}].arrivals`);
      for (let k = 0; k < t.arrivals.length; k++) {
        const a = t.arrivals[k]!;
        if (!isReal(a)) badReal(a, `tenants[${i}].arrivals[${k}]`);
        if (k > 0 && a < t.arrivals[k - 1]!) fail('arrival times must not decrease', `tenants[${i}].arrivals[${k}]`);
      }
    }
    tReq[i] = t.requests;
    tReqBase[i] = totalReq;
    totalReq += t.requests;
    tRate[i] = t.arrivalRate ?? 0;
    tSeed[i] = (t.seed ?? 1) | 0;
    tClients[i] = t.clients ?? 0;
    tGiven[i] = t.arrivals !== undefined ? 1 : 0;
  });
  if (totalReq * 1 > MAX_EVENTS_HINT) fail('too many requests', 'tenants');
  const reqGiven = new Float64Array(totalReq);
  s.tenants.forEach((t, i) => {
    if (t.arrivals) reqGiven.set(t.arrivals, tReqBase[i]!);
  });

  // phases
  const phPreds = new Int32Array(P), phWrite = new Float64Array(P), phXfer = new Float64Array(P), phTenant = new Int32Array(P);
  const succ: number[][] = Array.from({ length: P }, () => []);
  s.phases.forEach((ph, i) => {
    checkInt(ph.tenant, 0, T - 1, `phases[${i}].tenant`);
    checkReal(ph.writeTimeS, `phases[${i}].writeTimeS`);
    checkReal(ph.writeEnergyJ, `phases[${i}].writeEnergyJ`);
    checkReal(ph.transferTimeS ?? 0, `phases[${i}].transferTimeS`);
    phWrite[i] = ph.writeTimeS;
    phTenant[i] = ph.tenant;
    phXfer[i] = ph.transferTimeS ?? 0;
    for (const a of ph.after) {
      checkInt(a, 0, P - 1, `phases[${i}].after`);
      if (a === i) fail('a phase cannot follow itself', `phases[${i}].after`);
      succ[a].push(i);
      phPreds[i]++;
    }
  });
  assertAcyclic(P, succ, phPreds);
  // turns: the closing edges join the successor lists once the forward graph is checked acyclic
  const phAgain = Int32Array.from(phPreds);
  const succAll = succ.map((l) => [...l]);
  s.phases.forEach((ph, i) => {
    for (const a of ph.again ?? []) {
      checkInt(a, 0, P - 1, `phases[${i}].again`);
      succAll[a]!.push(i);
      phAgain[i]++;
    }
  });
  const tTurn = new Int32Array(T), tFirstPh = new Int32Array(T).fill(-1), tLastPh = new Int32Array(T).fill(-1);
  s.tenants.forEach((t, ti) => {
    if (!t.turns) return;
    tTurn[ti] = 1;
    const own = s.phases.flatMap((ph, i) => (ph.tenant === ti ? [i] : []));
    const first = own.filter((i) => !s.phases[i]!.after.some((a) => s.phases[a]!.tenant === ti));
    const last = own.filter((i) => !succ[i]!.some((b) => s.phases[b]!.tenant === ti));
    if (first.length !== 1 || last.length !== 1) fail('a tenant served in turns needs its phases in one chain (one first, one last)', `tenants[${ti}].turns`);
    tFirstPh[ti] = first[0]!;
    tLastPh[ti] = last[0]!;
  });

  // layers
  const lRows = new Int32Array(L), lUnits = new Int32Array(L), lPhase = new Int32Array(L), lTenant = new Int32Array(L);
  const lRowSplit = new Int32Array(L), lOutBytes = new Float64Array(L), lPsumBytes = new Float64Array(L), lMergeTime = new Float64Array(L);
  for (let i = 0; i < L; i++) {
    const l = s.layers[i]!;
    if (!isInt(l.tenant, 0, T - 1)) badInt(l.tenant, 0, T - 1, `layers[${i}].tenant`);
    if (!isInt(l.phase, 0, P - 1)) badInt(l.phase, 0, P - 1, `layers[${i}].phase`);
    if (s.phases[l.phase]!.tenant !== l.tenant) fail('phase belongs to another tenant', `layers[${i}].phase`);
    if (!isInt(l.rows, 1, 1 << 20)) badInt(l.rows, 1, 1 << 20, `layers[${i}].rows`);
    if (!isInt(l.unitsPerRow, 1, 1 << 20)) badInt(l.unitsPerRow, 1, 1 << 20, `layers[${i}].unitsPerRow`);
    if (l.rows * l.unitsPerRow * 1 > 2 ** 30) fail('rows x unitsPerRow above 2^30', `layers[${i}].unitsPerRow`);
    if (!isReal(l.outBytesPerRow)) badReal(l.outBytesPerRow, `layers[${i}].outBytesPerRow`);
    if (!isReal(l.psumBytesPerRow)) badReal(l.psumBytesPerRow, `layers[${i}].psumBytesPerRow`);
    if (!isReal(l.mergeTimePerUnitS)) badReal(l.mergeTimePerUnitS, `layers[${i}].mergeTimePerUnitS`);
    if (!isReal(l.mergeEnergyPerUnitJ)) badReal(l.mergeEnergyPerUnitJ, `layers[${i}].mergeEnergyPerUnitJ`);
    lRows[i] = l.rows;
    lUnits[i] = l.unitsPerRow;
    lPhase[i] = l.phase;
    lTenant[i] = l.tenant;
    lRowSplit[i] = l.rowSplit ? 1 : 0;
    lOutBytes[i] = l.outBytesPerRow;
    lPsumBytes[i] = l.psumBytesPerRow;
    lMergeTime[i] = l.mergeTimePerUnitS;
  }

  // re-operators, sorted by (layer, copy, piece) so copies and pieces are contiguous
  const K = s.components.length;
  const R = s.reops.length;
  let sorted = true;
  for (let i = 0; i < R; i++) {
    const r = s.reops[i]!;
    if (!isInt(r.layer, 0, L - 1)) badInt(r.layer, 0, L - 1, `reops[${i}].layer`);
    if (!isInt(r.copy, 0, 1 << 16)) badInt(r.copy, 0, 1 << 16, `reops[${i}].copy`);
    if (!isInt(r.piece, 0, 1 << 16)) badInt(r.piece, 0, 1 << 16, `reops[${i}].piece`);
    if (!isInt(r.tile, 0, tiles - 1)) badInt(r.tile, 0, tiles - 1, `reops[${i}].tile`);
    if (!isReal(r.timePerUnitS)) badReal(r.timePerUnitS, `reops[${i}].timePerUnitS`);
    if (r.energyPerUnitJ.length !== K) fail(`needs ${K} components, got ${r.energyPerUnitJ.length}`, `reops[${i}].energyPerUnitJ`);
    if (i > 0 && sorted) {
      const q = s.reops[i - 1]!;
      sorted = (q.layer - r.layer || q.copy - r.copy || q.piece - r.piece) < 0;
    }
  }
  // Scenarios built from a deployment come in this order already: no sort then.
  const order = new Int32Array(R);
  for (let i = 0; i < R; i++) order[i] = i;
  if (!sorted) {
    order.sort((a, b) => {
      const x = s.reops[a]!, y = s.reops[b]!;
      return x.layer - y.layer || x.copy - y.copy || x.piece - y.piece || a - b;
    });
  }
  const rCopy = new Int32Array(R), rTile = new Int32Array(R), rTpu = new Float64Array(R), rPort = new Float64Array(R);
  const lCopies = new Int32Array(L);
  const copyLayer: number[] = [], copyIndex: number[] = [], copyFirst: number[] = [], copyPieces: number[] = [];
  for (let k = 0; k < R; k++) {
    const r = s.reops[order[k]!]!;
    const prev = k > 0 ? s.reops[order[k - 1]!] : undefined;
    const newCopy = !prev || prev.layer !== r.layer || prev.copy !== r.copy;
    if (newCopy) {
      const expectCopy = prev && prev.layer === r.layer ? prev.copy + 1 : 0;
      if (r.copy !== expectCopy) fail(`layer ${r.layer}: copies must be numbered 0..d-1 (missing copy ${expectCopy})`, 'reops.copy');
      if (r.piece !== 0) fail(`layer ${r.layer} copy ${r.copy}: pieces must be numbered 0..n-1`, 'reops.piece');
      copyLayer.push(r.layer);
      copyIndex.push(r.copy);
      copyFirst.push(k);
      copyPieces.push(0);
      lCopies[r.layer] = r.copy + 1;
    } else if (r.piece !== prev!.piece + 1) fail(`layer ${r.layer} copy ${r.copy}: pieces must be numbered 0..n-1`, 'reops.piece');
    copyPieces[copyPieces.length - 1]++;
    rCopy[k] = copyLayer.length - 1;
    rTile[k] = r.tile;
    rTpu[k] = r.timePerUnitS;
    const port = r.portTimePerUnitS ?? 0;
    if (!isReal(port)) badReal(port, `reops[${order[k]}].portTimePerUnitS`);
    rPort[k] = port;
  }
  for (let l = 0; l < L; l++) if (lCopies[l] === 0) fail('layer has no re-operator', `layers[${l}]`);
  const C = copyLayer.length;
  const cGather = new Int32Array(C);
  for (let c = 0; c < C; c++) cGather[c] = rTile[copyFirst[c]!]!;

  // tenant and phase copy counts (an inference completes when every copy emitted its last row)
  const tCopies = new Int32Array(T), phCopies = new Int32Array(P);
  for (let c = 0; c < C; c++) {
    tCopies[lTenant[copyLayer[c]]]++;
    phCopies[lPhase[copyLayer[c]]]++;
  }
  for (let p = 0; p < P; p++) if (phCopies[p] === 0) fail('phase has no layer', `phases[${p}]`);

  // edges: in-edges per consumer, row-need tables
  const E = s.edges.length;
  const inEdges: number[][] = Array.from({ length: L }, () => []);
  const layerSucc: number[][] = Array.from({ length: L }, () => []);
  const indeg = new Int32Array(L);
  const edgeNeedBase = new Int32Array(E);
  let needLen = 0;
  for (let i = 0; i < E; i++) {
    const e = s.edges[i]!;
    if (!isInt(e.from, 0, L - 1)) badInt(e.from, 0, L - 1, `edges[${i}].from`);
    if (!isInt(e.to, 0, L - 1)) badInt(e.to, 0, L - 1, `edges[${i}].to`);
    if (!Number.isFinite(e.scale) || !Number.isFinite(e.offset) || e.scale < 0) fail('row map needs finite scale >= 0 and offset', `edges[${i}]`);
    if (e.window !== undefined && !isInt(e.window, 1, 1 << 20)) badInt(e.window, 1, 1 << 20, `edges[${i}].window`);
    if (e.hold !== undefined && !isInt(e.hold, 1, 1 << 20)) badInt(e.hold, 1, 1 << 20, `edges[${i}].hold`);
    if (lTenant[e.from] !== lTenant[e.to]) fail('edges cannot cross tenants', `edges[${i}]`);
    if (s.phases[lPhase[e.to]] && lPhase[e.from] !== lPhase[e.to] && !phaseReaches(succ, lPhase[e.from], lPhase[e.to])) {
      fail('consumer phase does not follow the producer phase', `edges[${i}]`);
    }
    inEdges[e.to].push(i);
    layerSucc[e.from].push(e.to);
    indeg[e.to]++;
    edgeNeedBase[i] = needLen;
    needLen += lRows[e.to]!;
  }
  assertAcyclic(L, layerSucc, indeg, 'edges');
  const needTab = new Int32Array(needLen);
  for (let i = 0; i < E; i++) {
    const e = s.edges[i]!;
    const hp = lRows[e.from]!;
    const base = edgeNeedBase[i]!;
    for (let r = 0; r < lRows[e.to]!; r++) needTab[base + r] = Math.max(0, Math.min(hp - 1, Math.floor(e.scale * r + e.offset)));
  }

  // slots: (producer layer, consumer tile) pairs where a producer's rows are delivered
  const slotOf = new Map<number, number>();
  const sLayer: number[] = [], sTile: number[] = [];
  const slotCons: number[][] = [];
  // each consumer's first input reading the slot (the loop reads its window there without a search)
  const slotConsIn: number[][] = [];
  const rInStart = new Int32Array(R), rInCount = new Int32Array(R);
  let inputs = 0;
  for (let k = 0; k < R; k++) inputs += inEdges[copyLayer[rCopy[k]!]!]!.length;
  const inSlot = new Int32Array(inputs), inNeedBase = new Int32Array(inputs), inWindow = new Int32Array(inputs), inHold = new Int32Array(inputs);
  let n = 0;
  for (let k = 0; k < R; k++) {
    const layer = copyLayer[rCopy[k]!]!;
    rInStart[k] = n;
    for (const ei of inEdges[layer]!) {
      const e = s.edges[ei]!;
      const from = e.from;
      const key = from * tiles + rTile[k]!;
      let slot = slotOf.get(key);
      if (slot === undefined) {
        slot = sLayer.length;
        slotOf.set(key, slot);
        sLayer.push(from);
        sTile.push(rTile[k]!);
        slotCons.push([]);
        slotConsIn.push([]);
      }
      // consumers join in increasing k: k is on the slot already only as its last
      const cons = slotCons[slot]!;
      if (cons.length === 0 || cons[cons.length - 1] !== k) {
        cons.push(k);
        slotConsIn[slot]!.push(n);
      }
      inSlot[n] = slot;
      inNeedBase[n] = edgeNeedBase[ei]!;
      const window = Math.min(e.window ?? lRows[from]!, lRows[from]!);
      inWindow[n] = window;
      inHold[n] = Math.min(e.hold ?? window + 1, lRows[from]!);
      n++;
    }
    rInCount[k] = n - rInStart[k]!;
  }
  const S = sLayer.length;
  const lBounded = new Int32Array(L);
  for (let sl = 0; sl < S; sl++) if (tileCap[sTile[sl]!]! > 0) lBounded[sLayer[sl]!] = 1;
  // each slot's share of its tile: in proportion to the bytes its edges hold, never below them,
  // among the slots of phases at the same depth of the phase graph (later rounds and phases reuse
  // the tile after the earlier ones are done)
  const depth = phaseDepths(P, s.phases);
  const depths = P === 0 ? 1 : maxOf(depth) + 1;
  const groupOf = (sl: number): number => sTile[sl]! * depths + depth[lPhase[sLayer[sl]!]!]!;
  const slotNeed = new Float64Array(S);
  const groupNeed = new Map<number, number>();
  for (let k = 0; k < inputs; k++) {
    const sl = inSlot[k]!;
    slotNeed[sl] = Math.max(slotNeed[sl]!, inHold[k]! * lOutBytes[sLayer[sl]!]!);
  }
  for (let sl = 0; sl < S; sl++) groupNeed.set(groupOf(sl), (groupNeed.get(groupOf(sl)) ?? 0) + slotNeed[sl]!);
  // slots of each producer layer, contiguous (in the order they were found)
  const lSlotStart = new Int32Array(L), lSlotCount = new Int32Array(L);
  for (let sl = 0; sl < S; sl++) lSlotCount[sLayer[sl]!]++;
  for (let l = 1; l < L; l++) lSlotStart[l] = lSlotStart[l - 1]! + lSlotCount[l - 1]!;
  const newIndex = new Int32Array(S);
  const fill = lSlotStart.slice();
  for (let sl = 0; sl < S; sl++) newIndex[sl] = fill[sLayer[sl]!]++;
  const sLayerP = new Int32Array(S), sTileP = new Int32Array(S), sConsStart = new Int32Array(S), sConsCount = new Int32Array(S), slotCap = new Float64Array(S);
  for (let old = 0; old < S; old++) {
    const nw = newIndex[old]!;
    sLayerP[nw] = sLayer[old]!;
    sTileP[nw] = sTile[old]!;
    sConsCount[nw] = slotCons[old]!.length;
    const cap = tileCap[sTile[old]!]!;
    const group = groupNeed.get(groupOf(old))!;
    slotCap[nw] = cap > 0 ? Math.max(slotNeed[old]!, group > 0 ? (cap * slotNeed[old]!) / group : cap) : 0;
  }
  let consLen = 0;
  for (let nw = 0; nw < S; nw++) {
    sConsStart[nw] = consLen;
    consLen += sConsCount[nw]!;
  }
  const sCons = new Int32Array(consLen), sConsIn = new Int32Array(consLen);
  for (let old = 0; old < S; old++) {
    const at = sConsStart[newIndex[old]!]!;
    sCons.set(slotCons[old]!, at);
    sConsIn.set(slotConsIn[old]!, at);
  }
  for (let k = 0; k < inputs; k++) inSlot[k] = newIndex[inSlot[k]!]!;

  // sources (layers without in-edges read the request's input, available on arrival), and each phase's re-operators
  const reopTenant = new Int32Array(R), reopPhase = new Int32Array(R), isSource = new Int32Array(R);
  for (let k = 0; k < R; k++) {
    const layer = copyLayer[rCopy[k]!]!;
    reopTenant[k] = lTenant[layer]!;
    reopPhase[k] = lPhase[layer]!;
    isSource[k] = rInCount[k] === 0 ? 1 : 0;
  }
  const [srcReops, tSrcStart, tSrcCount] = groupBy(T, reopTenant, isSource);
  const [phReops, phReopStart, phReopCount] = groupBy(P, reopPhase);

  // the row trace: one entry per (re-operator, request, row), in packed re-operator order
  const rTraceBase = new Int32Array(R);
  let traceLen = 0;
  if (s.trace) {
    for (let k = 0; k < R; k++) {
      rTraceBase[k] = traceLen;
      const layer = copyLayer[rCopy[k]];
      traceLen += lRows[layer] * tReq[lTenant[layer]];
    }
    if (traceLen > 2 ** 28) fail(`the row trace would hold ${traceLen} entries, above 2^28: trace a smaller batch`, 'trace');
  }

  const cLayer = Int32Array.from(copyLayer);
  const unions = routeUnions({ meshRows: s.mesh.rows, meshCols: s.mesh.cols, torus: !!s.mesh.torus, tileRouter, cLayer, cGather, lSlotStart, lSlotCount, sTile: sTileP });
  const [phSucc, phSuccStart, phSuccCount] = flatten(succAll);

  return {
    T, P, L, C, R, S, totalReq, meshRows: s.mesh.rows, meshCols: s.mesh.cols, timelineSlots: M, numLinks: routers * 4,
    tiles, traceLen,
    linkBw: s.noc.linkBytesPerS, hopLat: s.noc.hopLatencyS, torus: s.mesh.torus ? 1 : 0, maxEvents,
    tReq, tReqBase, tCopies, tRate, tSeed, tSrcStart, tSrcCount, srcReops, tClients, tGiven, reqGiven, tTurn, tFirstPh, tLastPh, phAgain,
    phPreds, phSuccStart, phSuccCount, phSucc, phWrite, phXfer, phCopies, phReopStart, phReopCount, phReops, phTenant,
    tileCap, slotCap, inWindow, lBounded,
    lRows, lUnits, lCopies, lPhase, lTenant, lSlotStart, lSlotCount, lRowSplit, lOutBytes, lPsumBytes, lMergeTime,
    cLayer, cIndex: Int32Array.from(copyIndex), cFirstReop: Int32Array.from(copyFirst), cPieces: Int32Array.from(copyPieces), cGather,
    rCopy, rTile, rInStart, rInCount, rTpu, rPort, rTraceBase,
    inSlot, inNeedBase, needTab,
    sLayer: sLayerP, sTile: sTileP, sConsStart, sConsCount, sCons, sConsIn,
    ...unions,
    tileRouter,
    reopOrder: order,
  };
}

/** Indices 0..n-1 (those with `keep` set, when given) grouped by `group`, in increasing index within a group: [members, start, count]. */
function groupBy(groups: number, group: Int32Array, keep?: Int32Array): [Int32Array, Int32Array, Int32Array] {
  const start = new Int32Array(groups), count = new Int32Array(groups);
  for (let i = 0; i < group.length; i++) if (!keep || keep[i]) count[group[i]!]++;
  for (let g = 1; g < groups; g++) start[g] = start[g - 1]! + count[g - 1]!;
  const members = new Int32Array(groups > 0 ? start[groups - 1]! + count[groups - 1]! : 0);
  const at = start.slice();
  for (let i = 0; i < group.length; i++) if (!keep || keep[i]) members[at[group[i]!]++] = i;
  return [members, start, count];
}

/** Each phase's depth: the longest chain of predecessors before it (phases of one depth may run together). */
function phaseDepths(P: number, phases: ScenarioPhase[]): Int32Array {
  const depth = new Int32Array(P).fill(-1);
  const visit = (p: number): number => {
    if (depth[p] >= 0) return depth[p];
    let d = 0;
    for (const a of phases[p].after) d = Math.max(d, visit(a) + 1);
    depth[p] = d;
    return d;
  };
  for (let p = 0; p < P; p++) visit(p);
  return depth;
}

function flatten(lists: number[][]): [Int32Array, Int32Array, Int32Array] {
  const start = new Int32Array(lists.length), count = new Int32Array(lists.length);
  const flat: number[] = [];
  lists.forEach((l, i) => {
    start[i] = flat.length;
    count[i] = l.length;
    appendAll(flat, l);
  });
  return [Int32Array.from(flat), start, count];
}

function phaseReaches(succ: number[][], from: number, to: number): boolean {
  const seen = new Set<number>([from]);
  const stack = [from];
  while (stack.length) {
    const p = stack.pop()!;
    for (const q of succ[p]) {
      if (q === to) return true;
      if (!seen.has(q)) {
        seen.add(q);
        stack.push(q);
      }
    }
  }
  return false;
}

function assertAcyclic(n: number, succ: number[][], indegIn: Int32Array, field = 'phases'): void {
  const indeg = indegIn.slice();
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (indeg[i] === 0) queue.push(i);
  let seen = 0;
  while (queue.length) {
    const v = queue.pop()!;
    seen++;
    for (const w of succ[v]) if (--indeg[w] === 0) queue.push(w);
  }
  if (seen !== n) fail('dependencies form a cycle', field);
}
