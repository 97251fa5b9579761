/**
 * Turns the raw arrays of either event loop into the simulator's report: per-tenant latency
 * statistics, throughput, energy by component and tenant, per-tile busy time and the Gantt
 * timeline.
 */
import type { SimRaw } from './driver';
import type { PackedScenario, Scenario } from './scenario';
import { allocatedTileStaticJ, energySplit, idleTilesStaticJ, type EnergySplit, type PowerParams } from '../hardware/power-policy';

export interface SimTenantResult {
  name: string;
  requests: number;
  latency_mean_s: number;
  latency_p50_s: number;
  latency_p99_s: number;
  /** Completed requests / (finish - start). */
  throughput_ips: number;
  /** When the tenant could begin (first phase start, or first arrival if later) and its last completion. */
  start_s: number;
  finish_s: number;
  energy_j: number;
  energy_by_component: Record<string, number>;
  /** Dynamic, static (allocated tiles), reprogramming; sums to energy_j. */
  energy_split: EnergySplit;
}

/**
 * Every re-operator's busy intervals (start, end, busy seconds inside; down-sampled by pairwise
 * merging when more than timelineSlots), as typed arrays: a large chip places tens of thousands of
 * re-operators, and an object per interval cost more memory than the simulation itself. Those of
 * re-operator o (Scenario.reops order) are first[o] .. first[o + 1] - 1.
 */
export interface SimTimeline {
  /** One more entry than re-operators: first[R] is the number of intervals. */
  first: Int32Array;
  /** The tenant of each re-operator. */
  tenant: Int32Array;
  start: Float64Array;
  end: Float64Array;
  busy: Float64Array;
}

export interface SimResult {
  makespan_s: number;
  events: number;
  transfers: number;
  energy_j: number;
  energy_by_component: Record<string, number>;
  /** Dynamic, static on allocated tiles, static on idle tiles (policy `none`), reprogramming; sums to energy_j. */
  energy_split: EnergySplit;
  tenants: SimTenantResult[];
  /** Busy re-operator-seconds per occupied tile (re-operators of one tile run in parallel, so this can exceed the makespan). */
  tile_busy_s: { tile: number; busy_s: number; reops: number }[];
  /** Per re-operator (Scenario.reops order): busy seconds and units processed. */
  reop_busy_s: number[];
  reop_units: number[];
  phases: { tenant: number; start_s: number; end_s: number }[];
  /** Busiest link's busy time / makespan. */
  max_link_utilization: number;
  /** Seconds the chip's off-chip link carried weight transfers (reprogramming), one transfer at a time. */
  offchip_link_busy_s: number;
  /** Per re-operator (Scenario.reops order): seconds its copy waited, ready, for room in a consumer tile's buffer. */
  reop_stall_s: number[];
  /** Bounded input buffers (docs/simulator.md, "Bounded buffers"). */
  buffers: SimBuffers;
  timeline: SimTimeline;
}

export interface SimBuffers {
  /** Rows let through a full buffer to break a deadlock. */
  overcommits: number;
  /** Tiles that received rows: the bound the loop enforced (the producers' shares, each at least its hold; 0: unbounded) and peak bytes held. */
  tiles: { tile: number; capacity_bytes: number; peak_bytes: number }[];
  /** Per stage (scenario layer): the longest stall of its re-operators and the peak of the buffers it reads from. */
  stages: { tenant: number; layer: number; name: string; stall_s: number; peak_bytes: number; capacity_bytes: number }[];
}

/** Nearest-rank percentile (the smallest value with at least q of the sample at or below it). */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const k = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[k - 1];
}

export function summarize(s: Scenario, p: PackedScenario, raw: SimRaw): SimResult {
  const K = s.components.length;
  const tenantE = s.tenants.map(() => new Float64Array(K));
  // compute energy: units x energy per unit
  for (let k = 0; k < p.R; k++) {
    const r = s.reops[p.reopOrder[k]];
    const t = s.layers[r.layer].tenant;
    for (let j = 0; j < K; j++) tenantE[t][j] += raw.rUnitsDone[k] * r.energyPerUnitJ[j];
  }
  for (let c = 0; c < p.C; c++) {
    const layer = s.layers[p.cLayer[c]];
    tenantE[layer.tenant][s.mergeComponent] += raw.cMergeUnits[c] * layer.mergeEnergyPerUnitJ;
  }
  for (let t = 0; t < p.T; t++) tenantE[t][s.nocComponent] += raw.tByteHops[t] * s.noc.energyPerByteHopJ;
  // each turn of a phase paid its load (one turn in a burst)
  s.phases.forEach((ph, pi) => (tenantE[ph.tenant][s.reprogramComponent] += ph.writeEnergyJ * raw.phTurns[pi]));
  // When each tenant holds its tiles: from its first phase start (or first arrival) to its last completion.
  const spans = s.tenants.map((_, ti) => {
    const base = p.tReqBase[ti];
    let finish = 0;
    for (let i = 0; i < p.tReq[ti]; i++) finish = Math.max(finish, raw.reqDone[base + i]);
    let start = Infinity;
    s.phases.forEach((ph, pi) => {
      if (ph.tenant === ti && raw.phStart[pi] >= 0) start = Math.min(start, raw.phStart[pi]);
    });
    return { start: Math.max(start === Infinity ? 0 : start, raw.reqArrival[base]), finish };
  });
  // Static energy under the power policy (hardware/power-policy.ts): per occupied tile, shared
  // evenly by the tenants on it.
  const power: PowerParams = { policy: s.powerPolicy ?? 'none', tileStaticW: s.tileLeakageW, wakeJ: s.wakeEnergyJ ?? 0 };
  // Per occupied tile, in the order the packed re-operators first name it (the order its static
  // energy is summed in): busy seconds and which tenants hold it.
  const tileBusyS = new Float64Array(p.tiles), tileReops = new Int32Array(p.tiles), onTile = new Uint8Array(p.tiles * p.T);
  const usedTiles: number[] = [];
  for (let k = 0; k < p.R; k++) {
    const tile = p.rTile[k]!;
    if (tileReops[tile] === 0) usedTiles.push(tile);
    tileReops[tile]++;
    onTile[tile * p.T + p.lTenant[p.cLayer[p.rCopy[k]!]!]!] = 1;
    tileBusyS[tile] += raw.rBusyTime[k]!;
  }
  let allocatedJ = 0;
  for (const tile of usedTiles) {
    let finish = -Infinity, start = Infinity, wakes = 0, members = 0;
    for (let t = 0; t < p.T; t++) {
      if (!onTile[tile * p.T + t]) continue;
      finish = Math.max(finish, spans[t]!.finish);
      start = Math.min(start, spans[t]!.start);
      wakes += p.tReq[t]!;
      members++;
    }
    // Re-operators of a tile run in parallel: the tile is busy at most the sum of their busy times.
    const tileJ = allocatedTileStaticJ(power, { heldS: finish - start, busyS: tileBusyS[tile]!, wakes });
    allocatedJ += tileJ;
    const share = tileJ / members;
    for (let t = 0; t < p.T; t++) if (onTile[tile * p.T + t]) tenantE[t]![s.leakageComponent] += share;
  }

  const byComp = (e: Float64Array): Record<string, number> => Object.fromEntries(s.components.map((n, j) => [n, e[j]]));
  const totalE = new Float64Array(K);
  for (const e of tenantE) for (let j = 0; j < K; j++) totalE[j] += e[j];
  const staticIdleJ = idleTilesStaticJ(power, (s.idleTiles ?? 0) + usedTiles.length, raw.makespan, allocatedJ);
  totalE[s.leakageComponent] += staticIdleJ;

  const tenants: SimTenantResult[] = s.tenants.map((t, ti) => {
    const base = p.tReqBase[ti];
    const n = p.tReq[ti];
    const lat = new Float64Array(n);
    let finish = 0;
    for (let i = 0; i < n; i++) {
      lat[i] = raw.reqDone[base + i] - raw.reqArrival[base + i];
      finish = Math.max(finish, raw.reqDone[base + i]);
    }
    const mean = lat.reduce((a, b) => a + b, 0) / n;
    lat.sort();
    const { start } = spans[ti]!;
    const e = tenantE[ti];
    return {
      name: t.name,
      requests: n,
      latency_mean_s: mean,
      latency_p50_s: percentile(lat, 0.5),
      latency_p99_s: percentile(lat, 0.99),
      throughput_ips: finish > start ? n / (finish - start) : 0,
      start_s: start,
      finish_s: finish,
      energy_j: e.reduce((a, b) => a + b, 0),
      energy_by_component: byComp(e),
      energy_split: energySplit(byComp(e)),
    };
  });

  const reopBusy = new Array<number>(p.R).fill(0);
  const reopUnits = new Array<number>(p.R).fill(0);
  const M = p.timelineSlots;
  const packedOf = new Int32Array(p.R);
  const first = new Int32Array(p.R + 1);
  const tlTenant = new Int32Array(p.R);
  for (let k = 0; k < p.R; k++) {
    const o = p.reopOrder[k]!;
    packedOf[o] = k;
    first[o + 1] = raw.tlCount[k]!;
    tlTenant[o] = p.lTenant[p.cLayer[p.rCopy[k]!]!]!;
    reopBusy[o] = raw.rBusyTime[k]!;
    reopUnits[o] = raw.rUnitsDone[k]!;
  }
  for (let o = 0; o < p.R; o++) first[o + 1] += first[o];
  const timeline: SimTimeline = { first, tenant: tlTenant, start: new Float64Array(first[p.R]), end: new Float64Array(first[p.R]), busy: new Float64Array(first[p.R]) };
  for (let o = 0; o < p.R; o++) {
    const k = packedOf[o];
    for (let j = 0; j < raw.tlCount[k]; j++) {
      timeline.start[first[o] + j] = raw.tlStart[k * M + j];
      timeline.end[first[o] + j] = raw.tlEnd[k * M + j];
      timeline.busy[first[o] + j] = raw.tlBusy[k * M + j];
    }
  }
  const tileBusy: SimResult['tile_busy_s'] = [];
  for (let tile = 0; tile < p.tiles; tile++) if (tileReops[tile]! > 0) tileBusy.push({ tile, busy_s: tileBusyS[tile]!, reops: tileReops[tile]! });
  let maxLink = 0;
  for (let i = 0; i < raw.linkBusy.length; i++) maxLink = Math.max(maxLink, raw.linkBusy[i]);
  const reopStall = new Array<number>(p.R).fill(0);
  for (let k = 0; k < p.R; k++) reopStall[p.reopOrder[k]] = raw.cStall[p.rCopy[k]];

  return {
    makespan_s: raw.makespan,
    events: raw.events,
    transfers: raw.transfers,
    energy_j: totalE.reduce((a, b) => a + b, 0),
    energy_by_component: byComp(totalE),
    energy_split: energySplit(byComp(totalE), staticIdleJ),
    tenants,
    tile_busy_s: tileBusy,
    reop_busy_s: reopBusy,
    reop_units: reopUnits,
    phases: s.phases.map((ph, i) => ({ tenant: ph.tenant, start_s: raw.phStart[i], end_s: raw.phEnd[i] })),
    max_link_utilization: raw.makespan > 0 ? maxLink / raw.makespan : 0,
    offchip_link_busy_s: raw.offchipBusy,
    reop_stall_s: reopStall,
    buffers: bufferReport(s, p, raw, reopStall, packedOf),
    timeline,
  };
}

/** Peak occupancy per receiving tile and, per stage, its longest stall and the fullest buffer it reads. */
function bufferReport(s: Scenario, p: PackedScenario, raw: SimRaw, reopStall: number[], packedOf: Int32Array): SimBuffers {
  // the bound the loop enforced: the tile's slots' shares (each at least its edges' hold)
  const capacity = new Float64Array(p.tiles), receiving = new Uint8Array(p.tiles);
  for (let sl = 0; sl < p.S; sl++) {
    capacity[p.sTile[sl]!] += p.slotCap[sl]!;
    receiving[p.sTile[sl]!] = 1;
  }
  const tiles: SimBuffers['tiles'] = [];
  for (let tile = 0; tile < p.tiles; tile++) if (receiving[tile]) tiles.push({ tile, capacity_bytes: capacity[tile]!, peak_bytes: raw.bufPeak[tile]! });
  const stages = s.layers.map((l, layer) => ({ tenant: l.tenant, layer, name: l.name, stall_s: 0, peak_bytes: 0, capacity_bytes: 0 }));
  for (let i = 0; i < p.R; i++) {
    const r = s.reops[i]!;
    const st = stages[r.layer]!;
    st.stall_s = Math.max(st.stall_s, reopStall[i]!);
    if (receiving[r.tile] && p.rInCount[packedOf[i]!]! > 0 && raw.bufPeak[r.tile]! >= st.peak_bytes) {
      st.peak_bytes = raw.bufPeak[r.tile]!;
      st.capacity_bytes = capacity[r.tile]!;
    }
  }
  return { overcommits: raw.overcommits, tiles, stages };
}
