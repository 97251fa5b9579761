/**
 * TypeScript reference of the event loop in assembly/sim.ts: same events, same order of
 * operations, same f64 arithmetic, so results are bit-identical (test/unit/sim). Written for
 * speed as well (typed arrays, no allocation per event) so the benchmark compares compilers.
 *
 * Semantics (docs/simulator.md): every re-operator (piece of a copy of a layer) processes its
 * units of output row r of request i in order (i, r) lexicographic; a row starts when the
 * re-operator is idle, its phase has started, request i has arrived, and, for each producer
 * layer, producer rows up to the row map's need have been delivered to its tile by every copy.
 * Pieces send partial sums (or column shares) to piece 0's tile; row-split pieces are merged
 * there; each copy then sends its share of the row to every consumer tile over XY routes,
 * holding every link of the route for bytes / bandwidth (first come, first served). A phase's
 * weights cross the chip's one off-chip link, shared by all tenants, in the order phases become
 * ready (writePhase).
 */
import type { PackedScenario } from './scenario';
import { Rng, detLn } from './rng';

export const EV_DONE = 0;
export const EV_ARRIVE = 1;
export const EV_GATHER = 2;
export const EV_MERGE = 3;
export const EV_REQUEST = 4;
export const EV_PHASE = 5;

/** Raw results, identical in layout for both engines (summary.ts turns them into metrics). */
export interface SimRaw {
  /** 0 ok; 1 stalled (some request never completed: inconsistent scenario). */
  status: number;
  events: number;
  transfers: number;
  makespan: number;
  /** Seconds the off-chip link carried weight transfers (sum of phase transfer times). */
  offchipBusy: number;
  reqArrival: Float64Array;
  reqDone: Float64Array;
  /** Per packed re-operator (layer/copy/piece order; PackedScenario.reopOrder maps back). */
  rBusyTime: Float64Array;
  rUnitsDone: Float64Array;
  cMergeUnits: Float64Array;
  /** Bytes x routers traversed (h + 1 per transfer over h links), per tenant. */
  tByteHops: Float64Array;
  phStart: Float64Array;
  phEnd: Float64Array;
  linkBusy: Float64Array;
  tlStart: Float64Array;
  tlEnd: Float64Array;
  tlBusy: Float64Array;
  tlCount: Int32Array;
}

/** Poisson arrivals: t_i = t_{i-1} - ln(u)/rate per tenant (seeded); batch tenants arrive at 0. */
export function arrivalTimes(p: PackedScenario, out: Float64Array): void {
  for (let t = 0; t < p.T; t++) {
    const base = p.tReqBase[t];
    const rate = p.tRate[t];
    if (rate > 0.0) {
      const rng = new Rng(p.tSeed[t] >>> 0);
      let now = 0.0;
      for (let i = 0; i < p.tReq[t]; i++) {
        now = now + -detLn(rng.uniform()) / rate;
        out[base + i] = now;
      }
    } else {
      for (let i = 0; i < p.tReq[t]; i++) out[base + i] = 0.0;
    }
  }
}

/** Units (MVMs) of output row r that copy c of d handles: units m in [r*W, (r+1)*W) with m mod d == c. */
export function unitsOf(c: number, d: number, w: number, r: number): number {
  const hi = (r + 1) * w;
  const lo = r * w;
  const a = hi > c ? Math.floor((hi - c - 1) / d) + 1 : 0;
  const b = lo > c ? Math.floor((lo - c - 1) / d) + 1 : 0;
  return a - b;
}

export function simulateReference(p: PackedScenario): SimRaw {
  const { R, C, T, P } = p;
  const M = p.timelineSlots;
  const raw: SimRaw = {
    status: 0, events: 0, transfers: 0, makespan: 0, offchipBusy: 0,
    reqArrival: new Float64Array(p.totalReq), reqDone: new Float64Array(p.totalReq).fill(-1),
    rBusyTime: new Float64Array(R), rUnitsDone: new Float64Array(R), cMergeUnits: new Float64Array(C),
    tByteHops: new Float64Array(T), phStart: new Float64Array(P).fill(-1), phEnd: new Float64Array(P).fill(-1),
    linkBusy: new Float64Array(p.numLinks),
    tlStart: new Float64Array(R * M), tlEnd: new Float64Array(R * M), tlBusy: new Float64Array(R * M), tlCount: new Int32Array(R),
  };
  // state
  const rReq = new Int32Array(R), rRow = new Int32Array(R), rBusy = new Int32Array(R), rStart = new Float64Array(R);
  const gathered = new Int32Array(R), lastGatherArr = new Float64Array(R);
  const cEmitted = new Int32Array(C), cMergeBusy = new Int32Array(C);
  const delivered = new Int32Array(p.deliveredLen), lastArr = new Float64Array(p.deliveredLen);
  const linkFree = new Float64Array(p.numLinks);
  const linkStamp = new Int32Array(p.numLinks);
  let stampBase = 2;
  const phStarted = new Int32Array(P), phPending = p.phPreds.slice(), phDoneCopies = new Int32Array(P);
  const reqCopiesDone = new Int32Array(p.totalReq);
  const portFree = new Float64Array(p.tileRouter.length);
  const arrival = raw.reqArrival;
  arrivalTimes(p, arrival);

  // binary min-heap on (time, seq)
  let cap = 1024;
  let hT = new Float64Array(cap), hS = new Int32Array(cap), hK = new Int32Array(cap), hI = new Int32Array(cap);
  let size = 0;
  let seq = 0;
  function push(t: number, kind: number, id: number): void {
    if (size === cap) {
      cap *= 2;
      const nT = new Float64Array(cap); nT.set(hT); hT = nT;
      const nS = new Int32Array(cap); nS.set(hS); hS = nS;
      const nK = new Int32Array(cap); nK.set(hK); hK = nK;
      const nI = new Int32Array(cap); nI.set(hI); hI = nI;
    }
    const s = seq++;
    let i = size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (hT[parent] < t || (hT[parent] === t && hS[parent] < s)) break;
      hT[i] = hT[parent]; hS[i] = hS[parent]; hK[i] = hK[parent]; hI[i] = hI[parent];
      i = parent;
    }
    hT[i] = t; hS[i] = s; hK[i] = kind; hI[i] = id;
  }
  let popT = 0, popK = 0, popI = 0;
  function pop(): void {
    popT = hT[0]; popK = hK[0]; popI = hI[0];
    size--;
    const t = hT[size], s = hS[size], k = hK[size], id = hI[size];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      const right = child + 1;
      if (right < size && (hT[right] < hT[child] || (hT[right] === hT[child] && hS[right] < hS[child]))) child = right;
      if (t < hT[child] || (t === hT[child] && s < hS[child])) break;
      hT[i] = hT[child]; hS[i] = hS[child]; hK[i] = hK[child]; hI[i] = hI[child];
      i = child;
    }
    hT[i] = t; hS[i] = s; hK[i] = k; hI[i] = id;
  }

  let now = 0.0;
  /** When the off-chip link (one FIFO resource for the whole chip) is next free. */
  let offchipFree = 0.0;
  const meshCols = p.meshCols;
  const meshRows = p.meshRows;
  const torus = p.torus !== 0;

  /**
   * Reserves the XY route from tile src to tile dst for `bytes`; returns the arrival time.
   * Routes run on the router grid (a concentrated mesh puts several tiles on one router; a torus
   * takes the shorter way round, ties going +). h links cross h + 1 routers, each adding hopLat.
   */
  function transfer(srcTile: number, dstTile: number, bytes: number, tenant: number): number {
    const dur = bytes / p.linkBw;
    const src = p.tileRouter[srcTile];
    const dst = p.tileRouter[dstTile];
    let x = src % meshCols, y = (src / meshCols) | 0;
    const dx = dst % meshCols, dy = (dst / meshCols) | 0;
    let start = now;
    let hops = 0;
    // pass 1: the route is free when its busiest link is
    let cx = x, cy = y;
    while (cx !== dx) {
      const plus = torus ? ((dx - cx + meshCols) % meshCols) * 2 <= meshCols : dx > cx;
      const link = (cy * meshCols + cx) * 4 + (plus ? 0 : 1);
      if (linkFree[link] > start) start = linkFree[link];
      cx = plus ? (cx + 1 === meshCols ? 0 : cx + 1) : cx === 0 ? meshCols - 1 : cx - 1;
      hops++;
    }
    while (cy !== dy) {
      const plus = torus ? ((dy - cy + meshRows) % meshRows) * 2 <= meshRows : dy > cy;
      const link = (cy * meshCols + cx) * 4 + (plus ? 2 : 3);
      if (linkFree[link] > start) start = linkFree[link];
      cy = plus ? (cy + 1 === meshRows ? 0 : cy + 1) : cy === 0 ? meshRows - 1 : cy - 1;
      hops++;
    }
    // pass 2: hold every link for the serialization time
    const end = start + dur;
    while (x !== dx) {
      const plus = torus ? ((dx - x + meshCols) % meshCols) * 2 <= meshCols : dx > x;
      const link = (y * meshCols + x) * 4 + (plus ? 0 : 1);
      linkFree[link] = end;
      raw.linkBusy[link] += dur;
      x = plus ? (x + 1 === meshCols ? 0 : x + 1) : x === 0 ? meshCols - 1 : x - 1;
    }
    while (y !== dy) {
      const plus = torus ? ((dy - y + meshRows) % meshRows) * 2 <= meshRows : dy > y;
      const link = (y * meshCols + x) * 4 + (plus ? 2 : 3);
      linkFree[link] = end;
      raw.linkBusy[link] += dur;
      y = plus ? (y + 1 === meshRows ? 0 : y + 1) : y === 0 ? meshRows - 1 : y - 1;
    }
    raw.tByteHops[tenant] += bytes * (hops + 1);
    raw.transfers++;
    return end + (hops + 1) * p.hopLat;
  }

  /**
   * Sends one row share from copy c's gather tile to every remote consumer tile of its layer as
   * one multicast along the union of the XY routes: every link of the union is held once, from
   * when the busiest is free, for bytes / bandwidth; each destination gets it (h + 1) hop
   * latencies after the serialization ends. Link stamps mark the union without allocation.
   */
  function multicast(c: number, layer: number, bytes: number, tenant: number): void {
    const dur = bytes / p.linkBw;
    const src = p.tileRouter[p.cGather[c]];
    const g = p.cGather[c];
    const slotStart = p.lSlotStart[layer];
    const slotEnd = slotStart + p.lSlotCount[layer];
    const seen = stampBase;
    const held = stampBase + 1;
    stampBase += 2;
    let start = now;
    let links = 0;
    for (let pass = 0; pass < 2; pass++) {
      const end = start + dur;
      for (let slot = slotStart; slot < slotEnd; slot++) {
        if (p.sTile[slot] === g) continue;
        const dst = p.tileRouter[p.sTile[slot]];
        let x = src % meshCols, y = (src / meshCols) | 0;
        const dx = dst % meshCols, dy = (dst / meshCols) | 0;
        let hops = 0;
        while (x !== dx || y !== dy) {
          let link: number;
          if (x !== dx) {
            const plus = torus ? ((dx - x + meshCols) % meshCols) * 2 <= meshCols : dx > x;
            link = (y * meshCols + x) * 4 + (plus ? 0 : 1);
            x = plus ? (x + 1 === meshCols ? 0 : x + 1) : x === 0 ? meshCols - 1 : x - 1;
          } else {
            const plus = torus ? ((dy - y + meshRows) % meshRows) * 2 <= meshRows : dy > y;
            link = (y * meshCols + x) * 4 + (plus ? 2 : 3);
            y = plus ? (y + 1 === meshRows ? 0 : y + 1) : y === 0 ? meshRows - 1 : y - 1;
          }
          hops++;
          if (pass === 0) {
            if (linkStamp[link] !== seen) {
              linkStamp[link] = seen;
              if (linkFree[link] > start) start = linkFree[link];
              links++;
            }
          } else if (linkStamp[link] !== held) {
            linkStamp[link] = held;
            linkFree[link] = end;
            raw.linkBusy[link] += dur;
          }
        }
        if (pass === 1) {
          const di = p.sDelivBase[slot] + p.cIndex[c];
          let arr = end + (hops + 1) * p.hopLat;
          if (lastArr[di] > arr) arr = lastArr[di];
          lastArr[di] = arr;
          push(arr, EV_ARRIVE, di);
        }
      }
    }
    raw.tByteHops[tenant] += bytes * (links + 1);
    raw.transfers++;
  }

  /**
   * Phase ph is ready now (its predecessors finished): write its weights. The transfer waits for
   * the off-chip link (first come, first served: phases are served in the order they become
   * ready) and holds it for phXfer; crossbars program in parallel from the grant on, so the
   * phase starts at max(grant + phXfer, grant + phWrite): uncontended, that is the cost model's
   * max(bytes / bandwidth, rows x t_write). A phase without a transfer does not use the link.
   */
  function writePhase(ph: number): void {
    const x = p.phXfer[ph];
    if (x > 0.0) {
      let grant = now;
      if (offchipFree > grant) grant = offchipFree;
      const xEnd = grant + x;
      let end = grant + p.phWrite[ph];
      if (xEnd > end) end = xEnd;
      offchipFree = xEnd;
      raw.offchipBusy += x;
      push(end, EV_PHASE, ph);
    } else push(now + p.phWrite[ph], EV_PHASE, ph);
  }

  function tryStart(x: number): void {
    if (rBusy[x] !== 0) return;
    const c = p.rCopy[x];
    const layer = p.cLayer[c];
    const t = p.lTenant[layer];
    const i = rReq[x];
    if (i >= p.tReq[t]) return;
    if (phStarted[p.lPhase[layer]] === 0) return;
    if (arrival[p.tReqBase[t] + i] > now) return;
    const r = rRow[x];
    const inEnd = p.rInStart[x] + p.rInCount[x];
    for (let k = p.rInStart[x]; k < inEnd; k++) {
      const slot = p.inSlot[k];
      const prod = p.sLayer[slot];
      const required = i * p.lRows[prod] + p.needTab[p.inNeedBase[k] + r] + 1;
      const base = p.sDelivBase[slot];
      const d = p.lCopies[prod];
      for (let cc = 0; cc < d; cc++) if (delivered[base + cc] < required) return;
    }
    const units = unitsOf(p.cIndex[c], p.lCopies[layer], p.lUnits[layer], r);
    rBusy[x] = 1;
    rStart[x] = now;
    // The tile's buffer port: one FIFO resource per tile; the row ends when both compute and port are done.
    let end = now + units * p.rTpu[x];
    const port = units * p.rPort[x];
    if (port > 0) {
      const tile = p.rTile[x];
      const ps = portFree[tile] > now ? portFree[tile] : now;
      portFree[tile] = ps + port;
      if (ps + port > end) end = ps + port;
    }
    push(end, EV_DONE, x);
  }

  function wakeSlot(slot: number): void {
    const end = p.sConsStart[slot] + p.sConsCount[slot];
    for (let k = p.sConsStart[slot]; k < end; k++) tryStart(p.sCons[k]);
  }

  function recordBusy(x: number, s: number, e: number): void {
    raw.rBusyTime[x] += e - s;
    const base = x * M;
    let n = raw.tlCount[x];
    if (n > 0 && raw.tlEnd[base + n - 1] === s) {
      raw.tlEnd[base + n - 1] = e;
      raw.tlBusy[base + n - 1] += e - s;
      return;
    }
    if (n === M) {
      // full: merge neighbours pairwise (bounded memory, coarser timeline)
      for (let j = 0; j < M / 2; j++) {
        const a = base + 2 * j;
        raw.tlStart[base + j] = raw.tlStart[a];
        raw.tlEnd[base + j] = raw.tlEnd[a + 1];
        raw.tlBusy[base + j] = raw.tlBusy[a] + raw.tlBusy[a + 1];
      }
      n = M / 2;
    }
    raw.tlStart[base + n] = s;
    raw.tlEnd[base + n] = e;
    raw.tlBusy[base + n] = e - s;
    raw.tlCount[x] = n + 1;
  }

  /** Emits copy c's next row to every consumer tile of its layer; handles request and phase completion. */
  function emitRow(c: number): void {
    const layer = p.cLayer[c];
    const t = p.lTenant[layer];
    const H = p.lRows[layer];
    const e = cEmitted[c];
    const i = (e / H) | 0;
    const r = e - i * H;
    cEmitted[c] = e + 1;
    const units = unitsOf(p.cIndex[c], p.lCopies[layer], p.lUnits[layer], r);
    const g = p.cGather[c];
    const slotStart = p.lSlotStart[layer];
    const slotEnd = slotStart + p.lSlotCount[layer];
    // same-tile consumers read the row from the tile's buffer at once
    let remote = 0;
    for (let slot = slotStart; slot < slotEnd; slot++) {
      if (p.sTile[slot] === g) {
        delivered[p.sDelivBase[slot] + p.cIndex[c]]++;
        wakeSlot(slot);
      } else remote++;
    }
    if (remote > 0) multicast(c, layer, (p.lOutBytes[layer] * units) / p.lUnits[layer], t);
    if (r === H - 1) {
      const q = p.tReqBase[t] + i;
      if (++reqCopiesDone[q] === p.tCopies[t]) {
        raw.reqDone[q] = now;
        if (now > raw.makespan) raw.makespan = now;
      }
      if (i === p.tReq[t] - 1) {
        const ph = p.lPhase[layer];
        if (++phDoneCopies[ph] === p.phCopies[ph]) {
          raw.phEnd[ph] = now;
          const sEnd = p.phSuccStart[ph] + p.phSuccCount[ph];
          for (let k = p.phSuccStart[ph]; k < sEnd; k++) {
            const nx = p.phSucc[k];
            if (--phPending[nx] === 0) writePhase(nx);
          }
        }
      }
    }
  }

  /** Emits (or starts merging) every row of copy c whose pieces have all been gathered. */
  function copyTryEmit(c: number): void {
    if (cMergeBusy[c] !== 0) return;
    const layer = p.cLayer[c];
    const H = p.lRows[layer];
    const total = p.tReq[p.lTenant[layer]] * H;
    const first = p.cFirstReop[c];
    const pieces = p.cPieces[c];
    for (;;) {
      const e = cEmitted[c];
      if (e >= total) return;
      for (let k = 0; k < pieces; k++) if (gathered[first + k] <= e) return;
      if (pieces > 1 && p.lRowSplit[layer] !== 0) {
        const r = e % H;
        const units = unitsOf(p.cIndex[c], p.lCopies[layer], p.lUnits[layer], r);
        const mt = units * p.lMergeTime[layer];
        if (mt > 0.0) {
          cMergeBusy[c] = 1;
          raw.cMergeUnits[c] += units;
          push(now + mt, EV_MERGE, c);
          return;
        }
      }
      emitRow(c);
    }
  }

  /** Re-operator x finished (i, r): its piece output goes to the copy's gather tile. */
  function pieceFinished(x: number, r: number): void {
    const c = p.rCopy[x];
    const layer = p.cLayer[c];
    const g = p.cGather[c];
    if (p.cPieces[c] === 1 || p.rTile[x] === g) {
      gathered[x]++;
      copyTryEmit(c);
      return;
    }
    const units = unitsOf(p.cIndex[c], p.lCopies[layer], p.lUnits[layer], r);
    const bytes = (p.lPsumBytes[layer] * units) / p.lUnits[layer];
    let arr = transfer(p.rTile[x], g, bytes, p.lTenant[layer]);
    if (lastGatherArr[x] > arr) arr = lastGatherArr[x];
    lastGatherArr[x] = arr;
    push(arr, EV_GATHER, x);
  }

  // initial events: phases without predecessors, then Poisson arrivals
  for (let ph = 0; ph < P; ph++) if (phPending[ph] === 0) writePhase(ph);
  for (let t = 0; t < T; t++) {
    if (p.tRate[t] > 0.0) for (let i = 0; i < p.tReq[t]; i++) push(arrival[p.tReqBase[t] + i], EV_REQUEST, t);
  }

  let limited = false;
  while (size > 0) {
    // The event budget (engine/limits.ts maxSimEvents): checked before each pop, as in Wasm.
    if (raw.events >= p.maxEvents) {
      limited = true;
      break;
    }
    pop();
    now = popT;
    raw.events++;
    const id = popI;
    switch (popK) {
      case EV_DONE: {
        const x = id;
        rBusy[x] = 0;
        const c = p.rCopy[x];
        const layer = p.cLayer[c];
        const r = rRow[x];
        const units = unitsOf(p.cIndex[c], p.lCopies[layer], p.lUnits[layer], r);
        if (units > 0) {
          raw.rUnitsDone[x] += units;
          recordBusy(x, rStart[x], now);
        }
        if (r + 1 === p.lRows[layer]) {
          rRow[x] = 0;
          rReq[x]++;
        } else rRow[x] = r + 1;
        pieceFinished(x, r);
        tryStart(x);
        break;
      }
      case EV_ARRIVE:
        delivered[id]++;
        wakeSlot(p.delivSlot[id]);
        break;
      case EV_GATHER:
        gathered[id]++;
        copyTryEmit(p.rCopy[id]);
        break;
      case EV_MERGE:
        cMergeBusy[id] = 0;
        emitRow(id);
        copyTryEmit(id);
        break;
      case EV_REQUEST: {
        const end = p.tSrcStart[id] + p.tSrcCount[id];
        for (let k = p.tSrcStart[id]; k < end; k++) tryStart(p.srcReops[k]);
        break;
      }
      case EV_PHASE: {
        phStarted[id] = 1;
        raw.phStart[id] = now;
        const end = p.phReopStart[id] + p.phReopCount[id];
        for (let k = p.phReopStart[id]; k < end; k++) tryStart(p.phReops[k]);
        break;
      }
    }
  }
  if (limited) raw.status = 2;
  else for (let q = 0; q < p.totalReq; q++) if (raw.reqDone[q] < 0) raw.status = 1;
  return raw;
}
