// The event-driven multi-tenant simulator (the referee of the optimizer, docs/simulator.md).
// The driver (src-main/engine/sim/driver.ts) lays a packed scenario out in linear memory; the
// layout (counts, field pointers, params slots) is generated into ./layout from the table in
// src-main/engine/sim/layout.ts. simBegin(base), then simResume slices, run the loop. Tested as Wasm:
// test/unit/sim (hand-computed semantics, invariants on real deployments, the route walk).

import { rngSeed, rngUniform, detLn } from './rng';
import {
  readLayout, params, T, P, L, C, R, totalReq, tiles, meshRows, meshCols, timelineSlots, traceLen,
  PARAM_LINK_BW, PARAM_HOP_LAT, PARAM_TORUS, PARAM_MAX_EVENTS, PARAM_EVENTS, PARAM_TRANSFERS, PARAM_MAKESPAN, PARAM_STATUS, PARAM_OFFCHIP_BUSY, PARAM_LAST_EVENT, PARAM_ROWS_DONE, PARAM_OVERCOMMITS,
  tReq, tReqBase, tCopies, tRate, tSeed, tSrcStart, tSrcCount, srcReops, tClients, tGiven, reqGiven,
  phPreds, phSuccStart, phSuccCount, phSucc, phWrite, phXfer, phCopies, phReopStart, phReopCount, phReops,
  lRows, lUnits, lCopies, lPhase, lTenant, lSlotStart, lSlotCount, lRowSplit, lOutBytes, lPsumBytes, lMergeTime,
  cLayer, cIndex, cFirstReop, cPieces, cGather,
  rCopy, rTile, rInStart, rInCount, rTpu, inSlot, inNeedBase, needTab,
  sLayer, sTile, sConsStart, sConsCount, sCons, sConsIn, cUnion, uLinkStart, uLinkCount, uLinks, tileRouter, rPort, rTraceBase, S,
  gathered, lastGatherArr, cEmitted, cMergeBusy, cLastArr, cLocalSlot, lRing, lRingCap, lRingLo, sMin, tArrMax,
  linkFree, phStarted, phPending, phDoneCopies, reqCopiesDone, portFree,
  reqArrival, reqDone, rBusyTime, rUnitsDone, cMergeUnits, tByteHops, phStart, phEnd, linkBusy, portBusy,
  tlStart, tlEnd, tlBusy, tlCount, trStart, trEnd, trCount, heapPtr,
  phTenant, tileCap, slotCap, inWindow, lBounded, tileWaitHead, slotReleased, cReserved, cWaiting, cWaitNext, cStallSince, cForce, cWaitSlot, sThr, tilePos,
  tPending, tWaiting, cStall, bufPeak,
  tTurn, tFirstPh, tLastPh, phAgain, tEnd, tParked, tMid, phTurns,
} from './layout';

const EV_DONE: i32 = 0;
const EV_ARRIVE: i32 = 1;
const EV_GATHER: i32 = 2;
const EV_MERGE: i32 = 3;
const EV_REQUEST: i32 = 4;
const EV_PHASE: i32 = 5;
// a tenant stalled for room re-checks for a deadlock once the last row sent to it has landed
const EV_RECHECK: i32 = 6;
// the landings of one row at several slots at one time (see "Landings grouped by time")
const EV_LANDS: i32 = 7;

// the scenario's shape and the walk state not in the layout
let torus: bool = false;
let linkBw: f64 = 0;
let hopLat: f64 = 0;

// event queue and loop state
let queued: i32 = 0;
let heapBytesAvail: usize = 0;
let now: f64 = 0;
let events: f64 = 0;
let transfers: f64 = 0;
let makespan: f64 = 0;
// the off-chip link (one FIFO resource for the whole chip): next free time and busy seconds
let offchipFree: f64 = 0;
let offchipBusy: f64 = 0;
let popT: f64 = 0;
let popK: i32 = 0;
let popI: i32 = 0;
let popTen: i32 = 0;
// rows let through a full buffer to break a deadlock
let overcommits: f64 = 0;
// turns: tenants in turns, empty turns skipped since a turn last began, tenants waiting for an arrival
let turnTenants: i32 = 0;
let skipRun: i32 = 0;
let parked: i32 = 0;

// @ts-ignore: decorator
@inline function gi(ptr: usize, i: i32): i32 { return load<i32>(ptr + ((<usize>i) << 2)); }
// @ts-ignore: decorator
@inline function si(ptr: usize, i: i32, v: i32): void { store<i32>(ptr + ((<usize>i) << 2), v); }
// @ts-ignore: decorator
@inline function gf(ptr: usize, i: i32): f64 { return load<f64>(ptr + ((<usize>i) << 3)); }
// @ts-ignore: decorator
@inline function sf(ptr: usize, i: i32, v: f64): void { store<f64>(ptr + ((<usize>i) << 3), v); }

// The event queue: a calendar queue (Brown, "Calendar queues: a fast O(1) priority queue
// implementation for the simulation event set problem", 1988). Time is cut into days of a width w;
// an event of time t belongs to day floor(t / w) (computed as t x (1 / w): rounding is monotonic,
// so a later time never has an earlier day) and waits in bucket day mod nb, a list kept in the
// order (time, push order): a push goes after every event of its bucket whose time is not later
// (at the back in O(1) when none is later). Taking one out looks at the bucket of the current
// day: its front is the next event when it belongs to that day, else the day advances (after nb
// empty days, straight to the least day of the buckets' fronts). Every event of a time is in one
// bucket in push order, and the days come out in order, so the order is (time, push order), a
// binary heap's, exactly. The loop never schedules before the time it last took out; an event
// before the current day would be put in that day, at its place. The width and the bucket count
// follow the run (qAdapt): w three times the mean gap between the events taken out, nb at least
// twice the events queued; a change re-files every queued event, in list order.
// Events are 64-byte nodes (t f64 @0, day i64 @8, id @16, kind | tenant << 3 @20, next node + 1
// @24, for the first of a run of equal times its last node + 1 @28, scheduling number @32) in one
// region at qBase, addressed by index (the region moves when a landing ring grows); freed nodes are
// reused; no allocation per event. Equal times leave in the order of their scheduling numbers
// (qSeq, taken at every push and for every gather held back, see pieceFinished): an event filed
// later than it was scheduled (a row's held gather) goes to the place its number gives it.
const Q_NODE_SHIFT = 6;
// the next scheduling number (compared as a signed difference, so a wrap keeps the order)
let qSeq: i32 = 0;
// the most buckets (their fronts and backs live in the rings' arena, allocated once per run)
const Q_MAX_BUCKETS = 8192;
// days saturate here (an arrival far ahead of a fine calendar): equal days still keep time order in a bucket
const Q_DAY_MAX: f64 = 4.0e18;
// per bucket: its front and back node + 1 (0: empty), and the first node of the back's run
let qHead: usize = 0;
let qTail: usize = 0;
let qTailRun: usize = 0;
let qNb: i32 = 64;
let qBmask: i64 = 63;
// days per second (1 / w)
let qInv: f64 = 0;
// the current day: no queued event belongs to an earlier one
let qDay: i64 = 0;
let qNodes: i32 = 0;
let qFree: i32 = 0;
// events taken out, the count at which qAdapt runs next, and the clock and count at its last run
let qPops: i32 = 0;
let qNextAdapt: i32 = 0;
let qSinceT: f64 = 0;
let qSinceN: i32 = 0;
// bytes of the region in use
let qUsed: usize = 0;

// The region's base: heapPtr at the start of a run, moved up when a landing ring grows (ringGrow).
let qBase: usize = 0;

// @ts-ignore: decorator
@inline function qNode(n: i32): usize {
  return qBase + (<usize>n << Q_NODE_SHIFT);
}

// @ts-ignore: decorator
@inline function dayOf(t: f64): i64 {
  const d = t * qInv;
  return d < Q_DAY_MAX ? <i64>d : <i64>Q_DAY_MAX;
}

/**
 * Files node n (its time t, day and scheduling number sq set) in its bucket, after every event there
 * earlier than t or of time t and a lower number. A bucket's list is cut into runs of equal times
 * (events often share one: the pieces of a row end together); a run's first node points at its last
 * (@28), so a search steps over whole runs. A new event's number is the highest so far, so it goes
 * at the back of its run; only a held gather (filed later than scheduled) is placed inside one.
 */
// @ts-ignore: decorator
@inline function qFile(n: i32, t: f64, day: i64, sq: i32): void {
  const bo = <usize>(<i32>(day & qBmask)) << 2;
  const r = qNode(n);
  const n1 = n + 1;
  store<i32>(r, 0, 24);
  const h = load<i32>(qHead + bo);
  if (h == 0) {
    store<i32>(r, n1, 28);
    store<i32>(qHead + bo, n1);
    store<i32>(qTail + bo, n1);
    store<i32>(qTailRun + bo, n1);
    return;
  }
  const tr = qNode(load<i32>(qTail + bo) - 1);
  const tt = load<f64>(tr);
  if (tt < t || (tt == t && load<i32>(tr, 32) - sq < 0)) {
    store<i32>(tr, n1, 24);
    store<i32>(qTail + bo, n1);
    if (tt == t) store<i32>(qNode(load<i32>(qTailRun + bo) - 1), n1, 28);
    else {
      store<i32>(r, n1, 28);
      store<i32>(qTailRun + bo, n1);
    }
    return;
  }
  qFileInside(bo, r, n1, t, sq, h);
}

/** qFile's walk, when node n1 - 1 (record r) does not go at the back of bucket bo (front h). */
function qFileInside(bo: usize, r: usize, n1: i32, t: f64, sq: i32, h: i32): void {
  let p = qNode(h - 1);
  const pt = load<f64>(p);
  if (pt > t || (pt == t && load<i32>(p, 32) - sq > 0)) {
    // at the front: it starts the front run (taking over its last) or a run of its own
    if (pt == t) {
      store<i32>(r, load<i32>(p, 28), 28);
      if (load<i32>(qTailRun + bo) == h) store<i32>(qTailRun + bo, n1);
    } else store<i32>(r, n1, 28);
    store<i32>(r, h, 24);
    store<i32>(qHead + bo, n1);
    return;
  }
  // p starts a run before the new node; the back is after it, so the walk stops before it
  while (true) {
    const last = load<i32>(p, 28);
    const pl = qNode(last - 1);
    if (load<f64>(p) == t) {
      // inside the run: after its last node of a lower number (the run's back has a higher one or is not the bucket's back)
      let a = p;
      while (a != pl) {
        const b = qNode(load<i32>(a, 24) - 1);
        if (load<i32>(b, 32) - sq > 0) break;
        a = b;
      }
      store<i32>(r, load<i32>(a, 24), 24);
      store<i32>(a, n1, 24);
      if (a == pl) {
        store<i32>(p, n1, 28);
        if (load<i32>(qTail + bo) == last) store<i32>(qTail + bo, n1);
      }
      return;
    }
    const nx = load<i32>(pl, 24);
    const q = qNode(nx - 1);
    const qt = load<f64>(q);
    if (qt > t || (qt == t && load<i32>(q, 32) - sq > 0)) {
      store<i32>(pl, n1, 24);
      store<i32>(r, nx, 24);
      if (qt == t) {
        store<i32>(r, load<i32>(q, 28), 28);
        if (load<i32>(qTailRun + bo) == nx) store<i32>(qTailRun + bo, n1);
      } else store<i32>(r, n1, 28);
      return;
    }
    p = q;
  }
}

/** Schedules an event of tenant `ten` (the tenant it belongs to: events pending per tenant tell a deadlocked tenant, see breakDeadlock); returns its node. */
function push(t: f64, kind: i32, id: i32, ten: i32): i32 {
  return pushAt(t, kind, id, ten, qSeq++);
}

/** push with a scheduling number taken earlier (a held gather, filed when its row's last piece ends). */
function pushAt(t: f64, kind: i32, id: i32, ten: i32, sq: i32): i32 {
  // arrivals are not counted: a request yet to arrive frees no buffer room (see breakDeadlock)
  if (kind != EV_REQUEST) si(tPending, ten, gi(tPending, ten) + 1);
  queued++;
  let n = qFree - 1;
  if (n >= 0) qFree = load<i32>(qNode(n), 24);
  else {
    n = qNodes++;
    qUsed = <usize>qNodes << Q_NODE_SHIFT;
    if (qUsed > heapBytesAvail) {
      const have = <usize>memory.size() << 16;
      const want = qBase + qUsed * 2;
      if (want > have) memory.grow(<i32>((want - have + 0xffff) >> 16));
      heapBytesAvail = (<usize>memory.size() << 16) - qBase;
    }
  }
  let day = dayOf(t);
  if (day < qDay) day = qDay;
  const r = qNode(n);
  store<f64>(r, t);
  store<i64>(r, day, 8);
  store<i32>(r, id, 16);
  store<i32>(r, kind | (ten << 3), 20);
  store<i32>(r, sq, 32);
  qFile(n, t, day, sq);
  return n;
}

/** The least day of the buckets' fronts (some event is queued). */
function qLeastDay(): i64 {
  let m = i64.MAX_VALUE;
  for (let b = 0; b < qNb; b++) {
    const h = load<i32>(qHead + (<usize>b << 2));
    if (h != 0) {
      const d = load<i64>(qNode(h - 1), 8);
      if (d < m) m = d;
    }
  }
  return m;
}

/** Sets the width from the mean gap between the events taken out since the last call and the buckets from the events queued; re-files every event when either changed. */
function qAdapt(): void {
  const n = qPops - qSinceN;
  const gap = n > 0 ? (now - qSinceT) / <f64>n : 0.0;
  qSinceT = now;
  qSinceN = qPops;
  qNextAdapt = qPops + (qPops < 8192 ? qPops : 8192);
  let nb = 64;
  while (nb < (queued << 1) && nb < Q_MAX_BUCKETS) nb <<= 1;
  const inv = gap > 0.0 ? 1.0 / (3.0 * gap) : qInv;
  if (nb == qNb && inv <= qInv * 2.0 && inv >= qInv * 0.5) return;
  // every queued event in one chain, bucket by bucket (each bucket's list in order)
  let first = 0;
  let last: usize = 0;
  for (let b = 0; b < qNb; b++) {
    const bo = <usize>b << 2;
    const h = load<i32>(qHead + bo);
    if (h == 0) continue;
    if (last == 0) first = h;
    else store<i32>(last, h, 24);
    last = qNode(load<i32>(qTail + bo) - 1);
    store<i32>(qHead + bo, 0);
    store<i32>(qTail + bo, 0);
  }
  qNb = nb;
  qBmask = <i64>(nb - 1);
  qInv = inv;
  qDay = dayOf(now);
  let x = first;
  while (x != 0) {
    const n0 = x - 1;
    const r = qNode(n0);
    x = load<i32>(r, 24);
    const t = load<f64>(r);
    let day = dayOf(t);
    if (day < qDay) day = qDay;
    store<i64>(r, day, 8);
    qFile(n0, t, day, load<i32>(r, 32));
  }
}

function pop(): void {
  let day = qDay;
  let scanned = 0;
  let r: usize = 0;
  while (true) {
    const bo = <usize>(<i32>(day & qBmask)) << 2;
    const h = load<i32>(qHead + bo);
    if (h != 0) {
      r = qNode(h - 1);
      if (load<i64>(r, 8) <= day) {
        const nx = load<i32>(r, 24);
        store<i32>(qHead + bo, nx);
        if (nx != 0) {
          // the rest of its run (if any) starts at the next node
          const last = load<i32>(r, 28);
          if (last != h) {
            store<i32>(qNode(nx - 1), last, 28);
            if (load<i32>(qTailRun + bo) == h) store<i32>(qTailRun + bo, nx);
          }
        }
        // the node goes to the free list; it stays readable until the next push
        store<i32>(r, qFree, 24);
        qFree = h;
        break;
      }
    }
    day++;
    if (++scanned >= qNb) {
      day = qLeastDay();
      scanned = 0;
    }
  }
  qDay = day;
  popT = load<f64>(r);
  popI = load<i32>(r, 16);
  const tag = load<i32>(r, 20);
  popK = tag & 7;
  popTen = tag >> 3;
  if (popK != EV_REQUEST) si(tPending, popTen, gi(tPending, popTen) - 1);
  queued--;
  qPops++;
}

/** Takes queued node n (an event of tenant ten) out of the queue; the bucket's runs and back stay as qFile keeps them. */
function qRemove(n: i32, ten: i32): void {
  const r = qNode(n);
  const n1 = n + 1;
  const bo = <usize>(<i32>(load<i64>(r, 8) & qBmask)) << 2;
  const t = load<f64>(r);
  // over whole runs to n's (a bucket is in time order), then inside it to n
  let prev = 0;
  let prevRunFirst = 0;
  let x = load<i32>(qHead + bo);
  while (load<f64>(qNode(x - 1)) != t) {
    const last = load<i32>(qNode(x - 1), 28);
    prev = last;
    prevRunFirst = x;
    x = load<i32>(qNode(last - 1), 24);
  }
  const first = x;
  while (x != n1) {
    prev = x;
    x = load<i32>(qNode(x - 1), 24);
  }
  const nx = load<i32>(r, 24);
  if (prev == 0) store<i32>(qHead + bo, nx);
  else store<i32>(qNode(prev - 1), nx, 24);
  if (first == n1) {
    const last = load<i32>(r, 28);
    if (last != n1) {
      // the run goes on from the next node
      store<i32>(qNode(nx - 1), last, 28);
      if (load<i32>(qTailRun + bo) == n1) store<i32>(qTailRun + bo, nx);
    } else if (load<i32>(qTail + bo) == n1) {
      // n was the back run, alone: the run before it is the back now (or none)
      store<i32>(qTail + bo, prev);
      store<i32>(qTailRun + bo, prevRunFirst);
    }
  } else {
    if (load<i32>(qNode(first - 1), 28) == n1) store<i32>(qNode(first - 1), prev, 28);
    if (load<i32>(qTail + bo) == n1) store<i32>(qTail + bo, prev);
  }
  store<i32>(r, qFree, 24);
  qFree = n1;
  queued--;
  si(tPending, ten, gi(tPending, ten) - 1);
}

// @ts-ignore: decorator
@inline function unitsOf(c: i32, d: i32, w: i32, r: i32): i32 {
  // a single copy does every unit of every row (no division)
  if (d == 1) return w;
  const hi = (r + 1) * w;
  const lo = r * w;
  const a = hi > c ? (hi - c - 1) / d + 1 : 0;
  const b = lo > c ? (lo - c - 1) / d + 1 : 0;
  return a - b;
}

// @ts-ignore: decorator
@inline function stepPlus(c: i32, d: i32, n: i32): bool {
  return torus ? ((d - c + n) % n) * 2 <= n : d > c;
}

// The XY route walk, the simulator's only one (transfers and multicasts step with it). A router
// is walked as its packed coordinates (y << 16 | x: no division per hop). From `pos` towards
// `dst`: the direction of the next link (0 +x, 1 -x, 2 +y, 3 -y), X first, then Y, on a torus
// the shorter way round, ties +; -1 at `dst`. The link's id is router index x 4 + direction.
// hardware/topology.ts xyRoute walks the same routes (test/unit/sim/route.test.ts compares them).
// @ts-ignore: decorator
@inline function routeDir(pos: i32, dst: i32): i32 {
  const x = pos & 0xffff;
  const dx = dst & 0xffff;
  if (x != dx) return stepPlus(x, dx, meshCols) ? 0 : 1;
  const y = pos >> 16;
  const dy = dst >> 16;
  if (y != dy) return stepPlus(y, dy, meshRows) ? 2 : 3;
  return -1;
}

// @ts-ignore: decorator
@inline function packRouter(router: i32): i32 {
  const y = router / meshCols;
  return (y << 16) | (router - y * meshCols);
}

// @ts-ignore: decorator
@inline function linkOf(pos: i32, dir: i32): i32 {
  return ((pos >> 16) * meshCols + (pos & 0xffff)) * 4 + dir;
}

/** The packed router at the far end of the link leaving `pos` in direction `dir`. */
// @ts-ignore: decorator
@inline function moveTo(pos: i32, dir: i32): i32 {
  const x = pos & 0xffff;
  const y = pos >> 16;
  if (dir == 0) return (y << 16) | (x + 1 == meshCols ? 0 : x + 1);
  if (dir == 1) return (y << 16) | (x == 0 ? meshCols - 1 : x - 1);
  if (dir == 2) return ((y + 1 == meshRows ? 0 : y + 1) << 16) | x;
  return ((y == 0 ? meshRows - 1 : y - 1) << 16) | x;
}

// @ts-ignore: decorator
@inline function ringDist(a: i32, b: i32, n: i32): i32 {
  const d = a > b ? a - b : b - a;
  return torus && n - d < d ? n - d : d;
}

/** Links the XY route between two packed routers crosses: it is a shortest one (X then Y, the shorter way round a torus). */
// @ts-ignore: decorator
@inline function hopsBetween(a: i32, b: i32): i32 {
  return ringDist(a & 0xffff, b & 0xffff, meshCols) + ringDist(a >> 16, b >> 16, meshRows);
}

// A re-operator's hot fields side by side: one 64-byte record per re-operator (rRec + x << 6),
// filled at the start of a run (reopSetup), instead of a dozen arrays read per row.
const RR_REQ = 0; // i32: the request of its next row
const RR_ROW = 4; // i32: its next row
const RR_BUSY = 8; // i32: 1 while a row runs
const RR_COPY = 12; // i32
const RR_LAYER = 16; // i32
const RR_TENANT = 20; // i32
const RR_IN_START = 24; // i32: its inputs [start, end) in inSlot / inNeedBase
const RR_IN_END = 28; // i32
const RR_START = 32; // f64: when the running row started
const RR_TPU = 40; // f64: seconds per unit
const RR_PORT = 48; // f64: buffer-port seconds per unit
const RR_TILE = 56; // i32
const RR_UNITS = 60; // i32: units of the running row
let rRec: usize = 0;

// @ts-ignore: decorator
@inline function recOf(x: i32): usize {
  return rRec + (<usize>x << 6);
}

function reopSetup(): void {
  rRec = ringAlloc(<usize>R << 6);
  for (let x = 0; x < R; x++) {
    const rec = recOf(x);
    const c = gi(rCopy, x);
    const layer = gi(cLayer, c);
    const inStart = gi(rInStart, x);
    store<i32>(rec, c, RR_COPY);
    store<i32>(rec, layer, RR_LAYER);
    store<i32>(rec, gi(lTenant, layer), RR_TENANT);
    store<i32>(rec, inStart, RR_IN_START);
    store<i32>(rec, inStart + gi(rInCount, x), RR_IN_END);
    store<f64>(rec, gf(rTpu, x), RR_TPU);
    store<f64>(rec, gf(rPort, x), RR_PORT);
    store<i32>(rec, gi(rTile, x), RR_TILE);
  }
}

// A consumer's inputs side by side (inRec + k << 5): the slot, the producer's rows per request, the
// input's base in needTab, its window, the slot's consumers [start, end) in consRec, the producer
// tenant's requests; and each slot's consumers (consRec + j << 4): the consumer, then its input's
// needTab base and window. Filled once per run (inputSetup) from the layout's arrays.
const IR_SLOT = 0;
const IR_H = 4;
const IR_NEED = 8;
const IR_WINDOW = 12;
const IR_CONS_START = 16;
const IR_CONS_END = 20;
const IR_NREQ = 24;
let inRec: usize = 0;
let consRec: usize = 0;

// @ts-ignore: decorator
@inline function inRecOf(k: i32): usize {
  return inRec + (<usize>k << 5);
}

// @ts-ignore: decorator
@inline function consRecOf(j: i32): usize {
  return consRec + (<usize>j << 4);
}

function inputSetup(): void {
  let nIn = 0;
  for (let x = 0; x < R; x++) {
    const e = gi(rInStart, x) + gi(rInCount, x);
    if (e > nIn) nIn = e;
  }
  let nCons = 0;
  for (let slot = 0; slot < S; slot++) {
    const e = gi(sConsStart, slot) + gi(sConsCount, slot);
    if (e > nCons) nCons = e;
  }
  inRec = ringAlloc(<usize>nIn << 5);
  consRec = ringAlloc(<usize>nCons << 4);
  for (let k = 0; k < nIn; k++) {
    const ir = inRecOf(k);
    const slot = gi(inSlot, k);
    const prod = gi(sLayer, slot);
    const cs = gi(sConsStart, slot);
    store<i32>(ir, slot, IR_SLOT);
    store<i32>(ir, gi(lRows, prod), IR_H);
    store<i32>(ir, gi(inNeedBase, k), IR_NEED);
    store<i32>(ir, gi(inWindow, k), IR_WINDOW);
    store<i32>(ir, cs, IR_CONS_START);
    store<i32>(ir, cs + gi(sConsCount, slot), IR_CONS_END);
    store<i32>(ir, gi(tReq, gi(lTenant, prod)), IR_NREQ);
  }
  for (let j = 0; j < nCons; j++) {
    const cr = consRecOf(j);
    const k = gi(sConsIn, j);
    store<i32>(cr, gi(sCons, j));
    store<i32>(cr, gi(inNeedBase, k), 4);
    store<i32>(cr, gi(inWindow, k), 8);
  }
}

// Each piece sends its partial sums along one fixed route (its tile to its copy's gather tile): the
// route's links are walked once per run (routeSetup) and each row reads them as a flat list.
// routeTab holds per re-operator the address of its links and their count (0: no transfer).
let routeTab: usize = 0;

/** Lays out the links of every piece's partial-sum route, in the order the XY walk crosses them. */
function routeSetup(): void {
  routeTab = arenaArray(<usize>R, 3);
  let total = 0;
  for (let x = 0; x < R; x++) {
    const c = gi(rCopy, x);
    const tile = gi(rTile, x);
    const g = gi(cGather, c);
    if (gi(cPieces, c) == 1 || tile == g) continue;
    const n = hopsBetween(gi(tilePos, tile), gi(tilePos, g));
    store<i32>(routeTab + (<usize>x << 3), n, 4);
    total += n;
  }
  let p = arenaArray(<usize>total, 2);
  for (let x = 0; x < R; x++) {
    const c = gi(rCopy, x);
    const tile = gi(rTile, x);
    const g = gi(cGather, c);
    if (gi(cPieces, c) == 1 || tile == g) continue;
    store<i32>(routeTab + (<usize>x << 3), <i32>p);
    const dst = gi(tilePos, g);
    let pos = gi(tilePos, tile);
    for (let dir = routeDir(pos, dst); dir >= 0; dir = routeDir(pos, dst)) {
      store<i32>(p, linkOf(pos, dir));
      p += 4;
      pos = moveTo(pos, dir);
    }
  }
}

/** Piece x sends `bytes` of partial sums to its gather tile: the route is held from when its busiest link is free. */
function transfer(x: i32, bytes: f64, tenant: i32): f64 {
  const dur = bytes / linkBw;
  const rt = routeTab + (<usize>x << 3);
  const links = <usize>load<i32>(rt);
  const hops = load<i32>(rt, 4);
  const lEnd = links + (<usize>hops << 2);
  let start = now;
  for (let p = links; p < lEnd; p += 4) {
    const lf = gf(linkFree, load<i32>(p));
    if (lf > start) start = lf;
  }
  const end = start + dur;
  for (let p = links; p < lEnd; p += 4) {
    const link = load<i32>(p);
    sf(linkFree, link, end);
    sf(linkBusy, link, gf(linkBusy, link) + dur);
  }
  sf(tByteHops, tenant, gf(tByteHops, tenant) + bytes * <f64>(hops + 1));
  transfers += 1.0;
  return end + <f64>(hops + 1) * hopLat;
}

// The union of the copy's routes (walked once at packing, sim/route-unions.ts) is held from when
// its busiest link is free; each destination receives the row its own hops later.
function multicast(c: i32, layer: i32, bytes: f64, tenant: i32): void {
  const lfPtr = linkFree;
  const lbPtr = linkBusy;
  const dur = bytes / linkBw;
  const u = gi(cUnion, c);
  const ls = gi(uLinkStart, u);
  const le = ls + gi(uLinkCount, u);
  let start = now;
  for (let k = ls; k < le; k++) {
    const lf = gf(lfPtr, gi(uLinks, k));
    if (lf > start) start = lf;
  }
  const end = start + dur;
  for (let k = ls; k < le; k++) {
    const link = gi(uLinks, k);
    sf(lfPtr, link, end);
    sf(lbPtr, link, gf(lbPtr, link) + dur);
  }
  const g = gi(cGather, c);
  const slotStart = gi(lSlotStart, layer);
  const slotEnd = slotStart + gi(lSlotCount, layer);
  const gp = gi(tilePos, g);
  // A copy's landings at a slot are FIFO. Through links they are already in order: the union's
  // links are free no earlier than the copy's previous row ended on them, so `end` never falls,
  // and a slot's hops are fixed. Without links (every consumer tile on the gather tile's router:
  // a concentrated mesh) a short row can end before a long one: the latest landing holds it back.
  const noLinks = le == ls;
  const floor: f64 = noLinks ? gf(cLastArr, c) : 0.0;
  if (landRec != 0) {
    // Several copies: the row's record of this copy, and its latest landing (the farthest slot's:
    // a landing only grows with the hops). Only the last copy lands the row (landLast).
    const ci = gi(cIndex, c);
    const rec = landRec + <usize>ci * RC_BYTES;
    store<f64>(rec, end, RC_END);
    store<f64>(rec, floor, RC_FLOOR);
    const far = farLanding(end, floor, load<i32>(copyRec(layer, ci), CR_MAX_HOPS));
    if (far > gf(tArrMax, tenant)) sf(tArrMax, tenant, far);
    if (noLinks) {
      let slot = slotEnd - 1;
      if (gi(sTile, slot) == g) slot--;
      let arr = end + <f64>(hopsBetween(gp, gi(tilePos, gi(sTile, slot))) + 1) * hopLat;
      if (floor > arr) arr = floor;
      sf(cLastArr, c, arr);
    }
    if (landFull) landLast(layer, c, tenant);
  } else {
    let latest = gf(tArrMax, tenant);
    let last = floor;
    for (let slot = slotStart; slot < slotEnd; slot++) {
      const st = gi(sTile, slot);
      if (st == g) continue;
      let arr = end + <f64>(hopsBetween(gp, gi(tilePos, st)) + 1) * hopLat;
      if (floor > arr) arr = floor;
      last = arr;
      if (arr > latest) latest = arr;
      arrive(slot, arr, false, tenant);
    }
    if (noLinks) sf(cLastArr, c, last);
    sf(tArrMax, tenant, latest);
  }
  sf(tByteHops, tenant, gf(tByteHops, tenant) + bytes * <f64>(le - ls + 1));
  transfers += 1.0;
}

function tryStart(x: i32): void {
  const rec = recOf(x);
  if (load<i32>(rec, RR_BUSY) != 0) return;
  // the inputs first: most attempts stop there (every check is a condition, so their order is free)
  const i = load<i32>(rec, RR_REQ);
  const r = load<i32>(rec, RR_ROW);
  const inEnd = load<i32>(rec, RR_IN_END);
  for (let k = load<i32>(rec, RR_IN_START); k < inEnd; k++) {
    const ir = inRecOf(k);
    const slot = load<i32>(ir, IR_SLOT);
    const required = i * load<i32>(ir, IR_H) + gi(needTab, load<i32>(ir, IR_NEED) + r) + 1;
    if (gi(sMin, slot) < required) return;
  }
  const c = load<i32>(rec, RR_COPY);
  const layer = load<i32>(rec, RR_LAYER);
  const t = load<i32>(rec, RR_TENANT);
  if (i >= gi(tEnd, t)) return;
  if (gi(phStarted, gi(lPhase, layer)) == 0) return;
  if (gf(reqArrival, gi(tReqBase, t) + i) > now) return;
  // Bounded consumers: a copy keeps one finished row waiting to be sent while it computes the next.
  if (gi(lBounded, layer) != 0 && i * gi(lRows, layer) + r > gi(cEmitted, c) + 1) return;
  const units = unitsOf(gi(cIndex, c), gi(lCopies, layer), gi(lUnits, layer), r);
  store<i32>(rec, 1, RR_BUSY);
  store<f64>(rec, now, RR_START);
  store<i32>(rec, units, RR_UNITS);
  if (traceLen > 0) sf(trStart, gi(rTraceBase, x) + i * gi(lRows, layer) + r, now);
  // the tile's buffer port: one FIFO resource per tile, shared by its re-operators
  let end = now + <f64>units * load<f64>(rec, RR_TPU);
  const port = <f64>units * load<f64>(rec, RR_PORT);
  if (port > 0.0) {
    const tile = load<i32>(rec, RR_TILE);
    let ps = gf(portFree, tile);
    if (ps < now) ps = now;
    sf(portFree, tile, ps + port);
    sf(portBusy, tile, gf(portBusy, tile) + port);
    if (ps + port > end) end = ps + port;
  }
  push(end, EV_DONE, x, t);
}

// Row e of a producer copy lands at a slot at time t. A consumer's readiness depends only on the
// rows EVERY copy delivered there (sMin), so the landings of one row are counted and only the last
// copy's send schedules an event, at the latest landing: one event per (slot, row) instead of one
// per (copy, slot, row), at the time the per-copy arrivals would have raised the minimum. A copy's
// landings at a slot are FIFO (multicast), so rows complete in order and their events pop in order.
// A row completed by a copy on the slot's own tile, with every other landing past and every
// earlier row delivered, raises the minimum at once, as a local delivery did.
//
// Where the counts live: a copy sends a row to every slot of its layer at once (emitRow), so the
// count is the layer's, and a row is pending only between its first and last copy's send. A layer
// of several copies keeps a ring of those rows (lRing: cap counts, then per row a record per copy
// of its send), from the lowest row not every copy sent (lRingLo; rows complete in order, as each
// copy sends in order) up; it doubles when a copy runs further ahead (ringGrow). A single copy
// needs no ring: its every send completes the row.
//
// A copy that does not complete the row only records its send (O(1), not one max per slot); the
// last one lands the row at each slot at the latest of the copies' landings there (landLast).

// the row emitRow is sending: its number, whether this send completes it, where its copies'
// records are (0: a single copy)
let landRow: i32 = 0;
let landFull: bool = true;
let landRec: usize = 0;
// per slot, the latest landing of the row the last copy lands (landLast)
let landScr: usize = 0;
// per layer of several copies, where its copies' fixed records begin (copyRecs)
let lCopyRecs: usize = 0;
let copyRecs: usize = 0;

// a copy's fixed record (16 bytes, by its layer's lCopyRecs and its index in the layer): its
// gather tile, that tile's router, its own slot (-1: none) and the most hops from the gather tile
// to a consumer tile of the layer
const CR_GATHER = 0;
const CR_POS = 4;
const CR_OWN = 8;
const CR_MAX_HOPS = 12;

// a copy's record of its send of a row (24 bytes, by its index in the layer; a ring holds one per
// copy per row in flight, so it keeps only what changes by row): its multicast's end and floor,
// and when it sent (its own slot's landing). A copy that sends to no slot but its own records an
// end of -inf and a floor of its send, so that both bounds below are its send.
const RC_END = 0;
const RC_FLOOR = 8;
const RC_SENT = 16;
const RC_BYTES: usize = 24;

/** The fixed record of the copy of index `ci` in `layer`. */
// @ts-ignore: decorator
@inline function copyRec(layer: i32, ci: i32): usize {
  return copyRecs + ((<usize>gi(lCopyRecs, layer) + <usize>ci) << 4);
}

/** The earliest a copy lands its row at a slot not its own (one hop): its multicast's end plus a hop, or its floor. */
// @ts-ignore: decorator
@inline function nearLanding(end: f64, floor: f64): f64 {
  const near = end + hopLat;
  return floor > near ? floor : near;
}

/** The latest a copy lands its row at a slot not its own (its farthest consumer tile). */
// @ts-ignore: decorator
@inline function farLanding(end: f64, floor: f64, maxHops: i32): f64 {
  const far = end + <f64>(maxHops + 1) * hopLat;
  return floor > far ? floor : far;
}

/** Bytes of a ring of `cap` rows for `d` copies: the counts, then the records (cap is a power of two, so 16-aligned). */
// @ts-ignore: decorator
@inline function ringBytes(cap: i32, d: i32): usize {
  return ((<usize>cap * (4 + RC_BYTES * <usize>d)) + 15) & ~(<usize>15);
}

/** When the copy of fixed record `cr` and record `rec` lands its row at `slot`: as multicast computed it, or its send for its own slot. */
// @ts-ignore: decorator
@inline function copyLands(cr: usize, rec: usize, slot: i32): f64 {
  const st = gi(sTile, slot);
  if (st == load<i32>(cr, CR_GATHER)) return load<f64>(rec, RC_SENT);
  let arr = load<f64>(rec, RC_END) + <f64>(hopsBetween(load<i32>(cr, CR_POS), gi(tilePos, st)) + 1) * hopLat;
  const floor = load<f64>(rec, RC_FLOOR);
  if (floor > arr) arr = floor;
  return arr;
}

/**
 * The last copy c (of `tenant`) completes the row: it lands at its own slot, then at the others in
 * slot order, at the latest of the copies' landings there. A copy lands at any slot not its own
 * between its near and far bounds (nearLanding, farLanding) and at its own at its send, before its
 * end, so the copy whose near bound B is highest lands at least B at every slot but its own: a copy
 * whose far bound is not above B sets no slot's latest but maybe that one, which takes every copy's.
 */
function landLast(layer: i32, c: i32, tenant: i32): void {
  const d = gi(lCopies, layer);
  const slotStart = gi(lSlotStart, layer);
  const slotEnd = slotStart + gi(lSlotCount, layer);
  const local = gi(cLocalSlot, c);
  const recEnd = landRec + <usize>d * RC_BYTES;
  const crStart = copyRec(layer, 0);
  let best = landRec;
  let bestCr = crStart;
  let bound = f64.NEGATIVE_INFINITY;
  for (let rec = landRec, cr = crStart; rec < recEnd; rec += RC_BYTES, cr += 16) {
    const near = nearLanding(load<f64>(rec, RC_END), load<f64>(rec, RC_FLOOR));
    if (near > bound) {
      bound = near;
      best = rec;
      bestCr = cr;
    }
  }
  for (let slot = slotStart; slot < slotEnd; slot++) sf(landScr, slot, copyLands(bestCr, best, slot));
  let own = load<i32>(bestCr, CR_OWN);
  if (own == local) own = -1;
  let atLocal: f64 = 0.0;
  let atOwn: f64 = 0.0;
  for (let rec = landRec, cr = crStart; rec < recEnd; rec += RC_BYTES, cr += 16) {
    if (local >= 0) {
      const arr = copyLands(cr, rec, local);
      if (arr > atLocal) atLocal = arr;
    }
    if (own >= 0) {
      const arr = copyLands(cr, rec, own);
      if (arr > atOwn) atOwn = arr;
    }
    if (rec == best || farLanding(load<f64>(rec, RC_END), load<f64>(rec, RC_FLOOR), load<i32>(cr, CR_MAX_HOPS)) <= bound) continue;
    for (let slot = slotStart; slot < slotEnd; slot++) {
      const arr = copyLands(cr, rec, slot);
      if (arr > gf(landScr, slot)) sf(landScr, slot, arr);
    }
  }
  if (own >= 0) sf(landScr, own, atOwn);
  if (local >= 0) {
    if (atLocal <= now && gi(sMin, local) == landRow) raise(local);
    else land(local, atLocal, tenant);
  }
  for (let slot = slotStart; slot < slotEnd; slot++) if (slot != local) land(slot, gf(landScr, slot), tenant);
}

/** Makes [0, end) addressable. */
function ensureMemory(end: usize): void {
  const have = <usize>memory.size() << 16;
  if (end > have) memory.grow(<i32>((end - have + 0xffff) >> 16));
}

// The rings' arena: [arenaStart, qBase), filled up to arenaTop. When a ring does not fit, the
// event queue's arrays move up by at least the arena's size (the arena doubles), so they move a
// logarithmic number of times however many rings grow.
let arenaStart: usize = 0;
let arenaTop: usize = 0;

/** A fresh zeroed block of `bytes` for a ring, from the arena (grown where the event queue's arrays begin; they move up). */
function ringAlloc(bytes: usize): usize {
  if (arenaTop + bytes > qBase) {
    let grow = qBase - arenaStart;
    if (grow < bytes) grow = bytes;
    const pool = qUsed;
    ensureMemory(qBase + grow + pool);
    if (pool > 0) memory.copy(qBase + grow, qBase, pool);
    qBase += grow;
    heapBytesAvail = (<usize>memory.size() << 16) - qBase;
  }
  const block = arenaTop;
  arenaTop += bytes;
  memory.fill(block, 0, bytes);
  return block;
}

/** A zeroed array of `count` elements of 2^shift bytes from the arena (its size rounded up to 16 bytes). */
function arenaArray(count: usize, shift: i32): usize {
  return ringAlloc(((count << <usize>shift) + 15) & ~(<usize>15));
}

/** Layer's ring must hold `ahead` rows past its lowest pending one: it doubles until it does, each pending row moved to its new place. */
function ringGrow(layer: i32, ahead: i32): i32 {
  const old = gi(lRingCap, layer);
  let cap = old;
  while (ahead >= cap) cap <<= 1;
  const d = gi(lCopies, layer);
  const from = <usize>gi(lRing, layer);
  const to = ringAlloc(ringBytes(cap, d));
  const lo = gi(lRingLo, layer);
  const rowBytes = <usize>d * RC_BYTES;
  for (let i = 0; i < old; i++) {
    // ring entry i holds the one row of [lo, lo + old) congruent to it
    const row = lo + ((i - lo) & (old - 1));
    const j = row & (cap - 1);
    store<i32>(to + (<usize>j << 2), load<i32>(from + (<usize>i << 2)));
    memory.copy(to + (<usize>cap << 2) + <usize>j * rowBytes, from + (<usize>old << 2) + <usize>i * rowBytes, rowBytes);
  }
  si(lRing, layer, <i32>to);
  si(lRingCap, layer, cap);
  return cap;
}

/** A copy of d (d > 1) sends row e of `layer`: counts it, and points landRec at the row's records. */
function ringEnter(layer: i32, e: i32, d: i32): void {
  let cap = gi(lRingCap, layer);
  const lo = gi(lRingLo, layer);
  if (e - lo >= cap) cap = ringGrow(layer, e - lo);
  const ring = <usize>gi(lRing, layer);
  const j = e & (cap - 1);
  const cp = ring + (<usize>j << 2);
  const n = load<i32>(cp) + 1;
  landFull = n == d;
  if (landFull) {
    // the last copy: the entry is free again (rows complete in order, so e is the lowest pending)
    store<i32>(cp, 0);
    si(lRingLo, layer, e + 1);
  } else store<i32>(cp, n);
  landRec = ring + (<usize>cap << 2) + <usize>j * <usize>d * RC_BYTES;
}

/** The row emitRow is sending (landRow), of a single copy, lands at `slot` at time t. */
function arrive(slot: i32, t: f64, local: bool, ten: i32): void {
  if (local && t <= now && gi(sMin, slot) == landRow) raise(slot);
  else land(slot, t, ten);
}

// Landings grouped by time. A row sent by emitRow lands at its slots at a few distinct times (one
// per hop count): the landings of one time become one event (EV_LANDS) that raises its slots in
// slot order. A send pushes nothing but its landings, so the landings of one time are next to
// each other in (time, push) order and one event in the place of the first raises them in the
// same order as one event each did: every output but the event count is unchanged. A landing
// joins the latest group of its time among the send's last LG_WIN groups (later ones of the same
// time would otherwise pop first), else starts one. A group of one slot is an EV_ARRIVE; the
// second slot turns its queued node into an EV_LANDS whose id is a chain of blocks of slots.
const LG_WIN = 16;
// the send's groups: per entry the time (f64), the queue node and the last block (0: one slot)
let lgWin: usize = 0;
let lgN: i32 = 0;
// blocks of 64 bytes: the next block's address (0: none), the slots in it, then up to 14 slots
const LB_SLOTS = 14;
let lbFree: usize = 0;
let lbNext: usize = 0;
let lbEnd: usize = 0;

function blockAlloc(): usize {
  let b = lbFree;
  if (b != 0) lbFree = <usize>load<i32>(b);
  else {
    if (lbNext == lbEnd) {
      lbNext = ringAlloc(64 << 8);
      lbEnd = lbNext + (64 << 8);
    }
    b = lbNext;
    lbNext += 64;
  }
  store<i32>(b, 0);
  return b;
}

/** The row emitRow is sending lands at `slot` at time t: a new event, or a place in a group of its time. */
function land(slot: i32, t: f64, ten: i32): void {
  const lo = lgN > LG_WIN ? lgN - LG_WIN : 0;
  for (let k = lgN - 1; k >= lo; k--) {
    const e = lgWin + (<usize>(k & (LG_WIN - 1)) << 4);
    if (load<f64>(e) != t) continue;
    const tail = <usize>load<i32>(e, 12);
    if (tail == 0) {
      const b = blockAlloc();
      // (after the block: a new block can move the queue's nodes)
      const r = qNode(load<i32>(e, 8));
      store<i32>(b, 2, 4);
      store<i32>(b, load<i32>(r, 16), 8);
      store<i32>(b, slot, 12);
      store<i32>(r, <i32>b, 16);
      store<i32>(r, (load<i32>(r, 20) & ~7) | EV_LANDS, 20);
      store<i32>(e, <i32>b, 12);
      return;
    }
    const n = load<i32>(tail, 4);
    if (n < LB_SLOTS) {
      store<i32>(tail + 8 + (<usize>n << 2), slot);
      store<i32>(tail, n + 1, 4);
    } else {
      const b = blockAlloc();
      store<i32>(tail, <i32>b);
      store<i32>(b, 1, 4);
      store<i32>(b, slot, 8);
      store<i32>(e, <i32>b, 12);
    }
    return;
  }
  const e = lgWin + (<usize>(lgN & (LG_WIN - 1)) << 4);
  store<f64>(e, t);
  store<i32>(e, push(t, EV_ARRIVE, slot, ten), 8);
  store<i32>(e, 0, 12);
  lgN++;
}

/** A group's landings, in slot order; its blocks are freed. */
function landGroup(b: usize): void {
  while (b != 0) {
    const n = load<i32>(b, 4);
    for (let j = 0; j < n; j++) raise(load<i32>(b + 8 + (<usize>j << 2)));
    const nx = <usize>load<i32>(b);
    store<i32>(b, <i32>lbFree);
    lbFree = b;
    b = nx;
  }
}

/** Every copy has delivered one more row at `slot`: its consumers may start. */
function raise(slot: i32): void {
  si(sMin, slot, gi(sMin, slot) + 1);
  wakeSlot(slot);
}

// Bounded buffers (docs/simulator.md, "Bounded buffers"). A producer copy sends a finished row
// only when its share (slot) of every consumer tile's buffer has room; the bytes stay until the consumers'
// windows on that tile move past the row. A copy that cannot send waits in a list per full tile,
// holding the row, and its pieces compute at most one row beyond it.

/**
 * The most a copy of the slot's producer may hold in the slot's share (with a relative slack of
 * 1e-12 for rounding): its fraction of the rows' units at most, ceil(W / d) / W of the share, so
 * copies running at different rows cannot take each other's room; +inf for an unbounded tile.
 * Fixed per slot: computed once at the start of a run (sThr).
 */
function slotThreshold(slot: i32): f64 {
  const layer = gi(sLayer, slot);
  const W = gi(lUnits, layer);
  const d = gi(lCopies, layer);
  let cap = gf(slotCap, slot);
  if (d > 1) cap = (cap * <f64>((W + d - 1) / d)) / <f64>W;
  return cap > 0.0 ? cap * (1.0 + 1e-12) : f64.POSITIVE_INFINITY;
}

// Occupancy of the consumer tiles' buffers, for their peaks (bufPeak). A slot holds the units its
// producer's copies reserved (the same for every slot of the layer: a copy reserves its row in
// every consumer tile at once) less the rows released there, each a row's W units: integers, so a
// tile's bytes are found exactly whenever needed, in any order, instead of being added to each of
// the layer's d x e (copy, tile) pairs row by row. The slots of each tile are listed once per run
// (tileSlots).
// per layer, the units its copies reserved (exact integers in f64); per copy, its own (i64)
let lUnitsHeld: usize = 0;
let cUnitsRes: usize = 0;
// per tile, where its slots begin in tileSlotList (tiles + 1 entries)
let tileSlots: usize = 0;
let tileSlotList: usize = 0;

/** The bytes `tile`'s buffer holds now: per slot, its producer's units reserved less the rows released, at the row's bytes per unit. */
function tileHeld(tile: i32): f64 {
  let held: f64 = 0.0;
  const end = gi(tileSlots, tile + 1);
  for (let k = gi(tileSlots, tile); k < end; k++) {
    const slot = gi(tileSlotList, k);
    const layer = gi(sLayer, slot);
    const W = gi(lUnits, layer);
    const units = gf(lUnitsHeld, layer) - <f64>W * <f64>gi(slotReleased, slot);
    held += (gf(lOutBytes, layer) * units) / <f64>W;
  }
  return held;
}

/** Raises `tile`'s peak to what it holds now. */
function notePeak(tile: i32): void {
  const held = tileHeld(tile);
  if (held > gf(bufPeak, tile)) sf(bufPeak, tile, held);
}

/** The bounded buffers' bookkeeping for a run: each tile's slots listed in slot order (tileSlots, tileSlotList), the units reserved, the waits. */
function bufferSetup(): void {
  tileSlots = arenaArray(<usize>tiles + 1, 2);
  tileSlotList = arenaArray(<usize>S, 2);
  lUnitsHeld = arenaArray(<usize>L, 3);
  cUnitsRes = arenaArray(<usize>C, 3);
  cWaitRel = arenaArray(<usize>C, 2);
  // counts, then ends (tileSlots[t + 1]: where tile t's slots end)
  for (let slot = 0; slot < S; slot++) {
    const t = gi(sTile, slot) + 1;
    si(tileSlots, t, gi(tileSlots, t) + 1);
  }
  for (let t = 0; t < tiles; t++) si(tileSlots, t + 1, gi(tileSlots, t + 1) + gi(tileSlots, t));
  // filled in slot order with tileSlots[t] as tile t's cursor, which leaves it at tile t's end
  for (let slot = 0; slot < S; slot++) {
    const t = gi(sTile, slot);
    const at = gi(tileSlots, t);
    si(tileSlotList, at, slot);
    si(tileSlots, t, at + 1);
  }
  // each cursor stopped at the next tile's start: shifted back by one, they are the starts
  for (let t = tiles; t > 0; t--) si(tileSlots, t, gi(tileSlots, t - 1));
  si(tileSlots, 0, 0);
}

// per copy that waits, the released row of the slot it waits on when it found it full
let cWaitRel: usize = 0;

/** Reserves row r's share of copy c in every consumer tile; false, and c waits, when one is full. */
function reserveRow(c: i32, layer: i32, r: i32): bool {
  const W = gi(lUnits, layer);
  const d = gi(lCopies, layer);
  const H = gi(lRows, layer);
  const ci = gi(cIndex, c);
  const rowBytes = gf(lOutBytes, layer);
  // the units of the rows it reserved so far (unitsBefore at cReserved, kept as it grows: no divisions)
  const reserved = load<i64>(cUnitsRes + (<usize>c << 3));
  const units = unitsOf(ci, d, W, r);
  const bytes = (rowBytes * <f64>units) / <f64>W;
  const slotStart = gi(lSlotStart, layer);
  const slotEnd = slotStart + gi(lSlotCount, layer);
  const forced = gi(cForce, c) != 0;
  // Bytes the copy would hold in a slot's share with the row: the rows it reserved (every
  // consumer tile of the layer at once, in order) less the rows released there, each its own
  // units' part of a row, plus the row. Slots of a layer are mostly released to the same row:
  // the last one's figure is reused.
  let relQ = -1;
  let need: f64 = 0;
  if (!forced && bytes > 0.0) {
    // A retry of the same row starts at the slot that was full: the ones before it had room, and
    // room only grows while the row waits (slotReleased only rises, the reservation is unchanged).
    for (let slot = slotStart + gi(cWaitSlot, c); slot < slotEnd; slot++) {
      const q = gi(slotReleased, slot);
      if (q != relQ) {
        relQ = q;
        need = (rowBytes * <f64>(reserved - unitsBefore(ci, d, W, H, q))) / <f64>W + bytes;
      }
      if (need > gf(sThr, slot)) {
        si(cWaitSlot, c, slot - slotStart);
        si(cWaitRel, c, q);
        waitOn(c, gi(sTile, slot));
        return false;
      }
    }
  }
  si(cWaitSlot, c, 0);
  store<i64>(cUnitsRes + (<usize>c << 3), reserved + <i64>units);
  // every consumer tile of the layer now holds the row's units too (tileHeld)
  sf(lUnitsHeld, layer, gf(lUnitsHeld, layer) + <f64>units);
  if (forced) {
    si(cForce, c, 0);
    for (let slot = slotStart; slot < slotEnd; slot++) {
      if ((rowBytes * <f64>(reserved - unitsBefore(ci, d, W, H, gi(slotReleased, slot)))) / <f64>W + bytes > gf(sThr, slot)) {
        overcommits += 1.0;
        break;
      }
    }
  }
  endStall(c);
  return true;
}

/** Units copy c of d does in global rows 0..q-1 (rows of H units-rows of W, round-robin as unitsOf). */
function unitsBefore(c: i32, d: i32, W: i32, H: i32, q: i32): i64 {
  if (d == 1) return <i64>q * <i64>W;
  const whole = <i64>(q / H);
  const hw = H * W;
  const perReq: i64 = hw > c ? <i64>((hw - c - 1) / d + 1) : 0;
  const m = (q % H) * W;
  return whole * perReq + <i64>(m > c ? (m - c - 1) / d + 1 : 0);
}

/** c no longer waits: its stall time ends now. */
function endStall(c: i32): void {
  if (gi(cWaiting, c) == 0) return;
  sf(cStall, c, gf(cStall, c) + (now - gf(cStallSince, c)));
  si(cWaiting, c, 0);
  const t = gi(lTenant, gi(cLayer, c));
  si(tWaiting, t, gi(tWaiting, t) - 1);
}

/** c waits for room in `tile` (cWaiting: 1 listed, 2 taken off its list by a wake, trying again). */
function waitOn(c: i32, tile: i32): void {
  const w = gi(cWaiting, c);
  if (w == 1) return;
  if (w == 0) {
    sf(cStallSince, c, now);
    const t = gi(lTenant, gi(cLayer, c));
    si(tWaiting, t, gi(tWaiting, t) + 1);
  }
  si(cWaiting, c, 1);
  si(cWaitNext, c, gi(tileWaitHead, tile));
  si(tileWaitHead, tile, c + 1);
}

/** The slot copy c waits on (the first it found full). */
// @ts-ignore: decorator
@inline function waitedSlot(c: i32): i32 {
  return gi(lSlotStart, gi(cLayer, c)) + gi(cWaitSlot, c);
}

/**
 * Whether waiting copy c would find the slot it waits on as full as when it stopped: nothing was
 * released there since (cWaitRel) and no deadlock break forces it. Its retry would then fail
 * there again and change nothing but its place on a wait list (room made in another slot of the
 * tile, a piece of the copy finishing its next row): about one retry in twelve at 64x64.
 */
// @ts-ignore: decorator
@inline function stillFull(c: i32): bool {
  return gi(cForce, c) == 0 && gi(slotReleased, waitedSlot(c)) == gi(cWaitRel, c);
}

/** Room was made in `tile`: every copy waiting on it tries to send its row again (and may wait again). */
function wakeTile(tile: i32): void {
  let head = gi(tileWaitHead, tile);
  si(tileWaitHead, tile, 0);
  while (head != 0) {
    const c = head - 1;
    head = gi(cWaitNext, c);
    // Room made in another slot of the tile: the copy's retry would go back on the list of the
    // slot it waits on (its front, as waitOn puts it), so it goes there without the retry.
    if (stillFull(c)) {
      const wt = gi(sTile, waitedSlot(c));
      si(cWaitNext, c, gi(tileWaitHead, wt));
      si(tileWaitHead, wt, c + 1);
      continue;
    }
    si(cWaiting, c, 2);
    copyTryEmit(c);
  }
}

/**
 * The lowest global row of a producer of H rows per request that consumer y, reading it through
 * input k, still reads (its next row's window); n: the requests of the tenant (both layers').
 */
// @ts-ignore: decorator
@inline function lowOf(y: i32, need: i32, window: i32, H: i32, n: i32): i32 {
  const rec = recOf(y);
  const i = load<i32>(rec, RR_REQ);
  if (i >= n) return i32.MAX_VALUE;
  let low = gi(needTab, need + load<i32>(rec, RR_ROW)) - window + 1;
  if (low < 0) low = 0;
  return i * H + low;
}

/** Consumer x (record rec) finished a row: rows below every consumer's window leave its tile's buffer. */
function releaseInputs(rec: usize): void {
  const inEnd = load<i32>(rec, RR_IN_END);
  for (let k = load<i32>(rec, RR_IN_START); k < inEnd; k++) {
    const ir = inRecOf(k);
    const slot = load<i32>(ir, IR_SLOT);
    let rel = i32.MAX_VALUE;
    const ce = consRecOf(load<i32>(ir, IR_CONS_END));
    const H = load<i32>(ir, IR_H);
    const n = load<i32>(ir, IR_NREQ);
    for (let j = consRecOf(load<i32>(ir, IR_CONS_START)); j < ce; j += 16) {
      const low = lowOf(load<i32>(j), load<i32>(j, 4), load<i32>(j, 8), H, n);
      if (low < rel) rel = low;
    }
    const prod = gi(sLayer, slot);
    // never more than every copy delivered
    if (gi(sMin, slot) < rel) rel = gi(sMin, slot);
    const old = gi(slotReleased, slot);
    if (rel <= old) continue;
    const tile = gi(sTile, slot);
    // a tile's occupancy only rises between its releases: its peak is where one begins (or at the end)
    notePeak(tile);
    si(slotReleased, slot, rel);
    if (gi(tileWaitHead, tile) != 0) wakeTile(tile);
  }
}

/**
 * Tenant t has no event left but stalled producers: its buffers deadlock (a reconvergent path
 * needs more rows than a buffer holds). Its most downstream stalled producer is let through
 * once, as Parks' bounded scheduling grows a full channel; the overcommit is counted.
 */
function breakDeadlock(t: i32): bool {
  // the most downstream waiting copy (copies are packed in layer order): its row drains towards the outputs
  let best = -1;
  for (let c = C - 1; c >= 0; c--) {
    if (gi(cWaiting, c) != 0 && gi(lTenant, gi(cLayer, c)) == t) {
      best = c;
      break;
    }
  }
  if (best < 0) return false;
  si(cForce, best, 1);
  // take it off its tile's list, then let its pieces try
  for (let tile = 0; tile < tiles; tile++) {
    let prev = -1;
    for (let h = gi(tileWaitHead, tile); h != 0; h = gi(cWaitNext, h - 1)) {
      if (h - 1 == best) {
        if (prev < 0) si(tileWaitHead, tile, gi(cWaitNext, best));
        else si(cWaitNext, prev, gi(cWaitNext, best));
        tile = tiles;
        break;
      }
      prev = h - 1;
    }
  }
  si(cWaiting, best, 2);
  copyTryEmit(best);
  si(cForce, best, 0);
  return true;
}

function wakeSlot(slot: i32): void {
  const start = gi(sConsStart, slot);
  const end = start + gi(sConsCount, slot);
  const H = gi(lRows, gi(sLayer, slot));
  const have = gi(sMin, slot);
  const jEnd = consRecOf(end);
  for (let j = consRecOf(start); j < jEnd; j += 16) {
    const y = load<i32>(j);
    // tryStart's own check of this input first: a consumer still short of rows here cannot start
    const rec = recOf(y);
    if (load<i32>(rec, RR_BUSY) != 0 || have < load<i32>(rec, RR_REQ) * H + gi(needTab, load<i32>(j, 4) + load<i32>(rec, RR_ROW)) + 1) continue;
    tryStart(y);
  }
}

function recordBusy(x: i32, s: f64, e: f64): void {
  sf(rBusyTime, x, gf(rBusyTime, x) + (e - s));
  const M = timelineSlots;
  const base = x * M;
  let n = gi(tlCount, x);
  if (n > 0 && gf(tlEnd, base + n - 1) == s) {
    sf(tlEnd, base + n - 1, e);
    sf(tlBusy, base + n - 1, gf(tlBusy, base + n - 1) + (e - s));
    return;
  }
  if (n == M) {
    const half = M / 2;
    for (let j = 0; j < half; j++) {
      const a = base + 2 * j;
      sf(tlStart, base + j, gf(tlStart, a));
      sf(tlEnd, base + j, gf(tlEnd, a + 1));
      sf(tlBusy, base + j, gf(tlBusy, a) + gf(tlBusy, a + 1));
    }
    n = half;
  }
  sf(tlStart, base + n, s);
  sf(tlEnd, base + n, e);
  sf(tlBusy, base + n, e - s);
  si(tlCount, x, n + 1);
}

// Phase ph is ready: its transfer waits for the off-chip link (FIFO in the order phases become
// ready) and holds it for phXfer; crossbars program from the grant on.
function writePhase(ph: i32): void {
  const x = gf(phXfer, ph);
  if (x > 0.0) {
    let grant = now;
    if (offchipFree > grant) grant = offchipFree;
    const xEnd = grant + x;
    let end = grant + gf(phWrite, ph);
    if (xEnd > end) end = xEnd;
    offchipFree = xEnd;
    offchipBusy += x;
    push(end, EV_PHASE, ph, gi(phTenant, ph));
  } else push(now + gf(phWrite, ph), EV_PHASE, ph, gi(phTenant, ph));
}

// Turns (docs/simulator.md, "Turns"): a tenant in turns takes, each time its first
// phase is ready, the requests arrived by then; its phases serve exactly those, then its last
// phase's end readies the schedule's next phases (the cycle's closing edges, phAgain). A tenant with
// none waiting skips its turn (no load, no work) while another tenant outside a turn has requests
// waiting further round the cycle, else it waits for the next arrival of any tenant.

/** Every predecessor of phase ph has ended: a turn may begin (first phase of a tenant in turns), else its weights load. */
function phaseReady(ph: i32): void {
  si(phPending, ph, gi(phAgain, ph));
  const t = gi(phTenant, ph);
  if (gi(tTurn, t) != 0 && gi(tFirstPh, t) == ph) {
    const qb = gi(tReqBase, t);
    const n = gi(tReq, t);
    let e = gi(tEnd, t);
    while (e < n && gf(reqArrival, qb + e) <= now) e++;
    if (e == gi(tEnd, t)) {
      if (skipRun < turnTenants && othersWaiting(t)) {
        skipRun++;
        phaseEnded(gi(tLastPh, t));
      } else {
        si(tParked, t, 1);
        parked++;
      }
      return;
    }
    skipRun = 0;
    si(tEnd, t, e);
    si(tMid, t, 1);
  }
  writePhase(ph);
}

/** Whether a tenant in turns other than t, not inside a turn, has a request arrived and not yet taken. */
function othersWaiting(t: i32): bool {
  for (let u = 0; u < T; u++) {
    if (u == t || gi(tTurn, u) == 0 || gi(tMid, u) != 0) continue;
    const e = gi(tEnd, u);
    if (e < gi(tReq, u) && gf(reqArrival, gi(tReqBase, u) + e) <= now) return true;
  }
  return false;
}

/** A request arrived: every tenant waiting for one looks again. */
function wakeParked(): void {
  skipRun = 0;
  for (let t = 0; t < T; t++) {
    if (gi(tParked, t) == 0) continue;
    si(tParked, t, 0);
    parked--;
    phaseReady(gi(tFirstPh, t));
  }
}

/** Phase ph has served its turn (or its tenant skipped one): its successors may become ready. */
function phaseEnded(ph: i32): void {
  const ss = gi(phSuccStart, ph);
  const sEnd = ss + gi(phSuccCount, ph);
  for (let k = ss; k < sEnd; k++) {
    const nx = gi(phSucc, k);
    const pending = gi(phPending, nx) - 1;
    si(phPending, nx, pending);
    if (pending == 0) phaseReady(nx);
  }
}

function emitRow(c: i32): void {
  const layer = gi(cLayer, c);
  const t = gi(lTenant, layer);
  const H = gi(lRows, layer);
  const e = gi(cEmitted, c);
  const i = e / H;
  const r = e - i * H;
  si(cEmitted, c, e + 1);
  const ci = gi(cIndex, c);
  const W = gi(lUnits, layer);
  const units = unitsOf(ci, gi(lCopies, layer), W, r);
  const slotStart = gi(lSlotStart, layer);
  const slotEnd = slotStart + gi(lSlotCount, layer);
  const d = gi(lCopies, layer);
  landRow = e;
  lgN = 0;
  // the slot on the gather tile reads the row at once; the others receive the multicast
  const local = gi(cLocalSlot, c);
  const sends = slotEnd - slotStart > (local >= 0 ? 1 : 0);
  if (d > 1 && slotEnd > slotStart) {
    ringEnter(layer, e, d);
    const rec = landRec + <usize>ci * RC_BYTES;
    store<f64>(rec, now, RC_SENT);
    if (!sends) {
      // no slot but its own (the layer's only one): it lands there at once
      store<f64>(rec, f64.NEGATIVE_INFINITY, RC_END);
      store<f64>(rec, now, RC_FLOOR);
      if (landFull) {
        let m = now;
        const recEnd = landRec + <usize>d * RC_BYTES;
        for (let p = landRec, cr = copyRec(layer, 0); p < recEnd; p += RC_BYTES, cr += 16) {
          const arr = copyLands(cr, p, local);
          if (arr > m) m = arr;
        }
        if (m <= now && gi(sMin, local) == landRow) raise(local);
        else land(local, m, t);
      }
    }
    // else multicast records the rest, and the last copy lands the row there (landLast)
  } else {
    landFull = true;
    landRec = 0;
    if (local >= 0) arrive(local, now, true, t);
  }
  if (sends) multicast(c, layer, (gf(lOutBytes, layer) * <f64>units) / <f64>W, t);
  // the row left: pieces held back by the one-row staging may start
  if (gi(lBounded, layer) != 0) {
    const first = gi(cFirstReop, c);
    const pend = first + gi(cPieces, c);
    for (let x = first; x < pend; x++) tryStart(x);
  }
  if (r == H - 1) {
    const q = gi(tReqBase, t) + i;
    const done = gi(reqCopiesDone, q) + 1;
    si(reqCopiesDone, q, done);
    if (done == gi(tCopies, t)) {
      sf(reqDone, q, now);
      if (now > makespan) makespan = now;
      // closed loop: a client whose request completed sends its next one at once (requests of a tenant complete in order)
      const clients = gi(tClients, t);
      if (clients > 0 && i + clients < gi(tReq, t)) {
        sf(reqArrival, q + clients, now);
        push(now, EV_REQUEST, t, t);
      }
    }
    if (i == gi(tEnd, t) - 1) {
      const ph = gi(lPhase, layer);
      const pd = gi(phDoneCopies, ph) + 1;
      si(phDoneCopies, ph, pd);
      if (pd == gi(phCopies, ph)) {
        sf(phEnd, ph, now);
        if (gi(tTurn, t) != 0) {
          // the phase's weights leave with the turn: the next turn loads them again
          si(phDoneCopies, ph, 0);
          si(phStarted, ph, 0);
          if (ph == gi(tLastPh, t)) si(tMid, t, 0);
        }
        phaseEnded(ph);
      }
    }
  }
}

function copyTryEmit(c: i32): void {
  if (gi(cMergeBusy, c) != 0) return;
  const layer = gi(cLayer, c);
  const H = gi(lRows, layer);
  const total = gi(tReq, gi(lTenant, layer)) * H;
  const first = gi(cFirstReop, c);
  const pieces = gi(cPieces, c);
  while (true) {
    const e = gi(cEmitted, c);
    if (e >= total) return;
    for (let k = 0; k < pieces; k++) if (gi(gathered, first + k) <= e) return;
    // the row's share goes to every consumer tile's buffer: it leaves once all have room
    if (e >= gi(cReserved, c)) {
      // (a listed copy whose slot is still full would only fail again: reserveRow changes nothing then)
      if (gi(cWaiting, c) == 1 && stillFull(c)) return;
      if (!reserveRow(c, layer, e % H)) return;
      si(cReserved, c, e + 1);
    }
    if (pieces > 1 && gi(lRowSplit, layer) != 0) {
      const r = e % H;
      const units = unitsOf(gi(cIndex, c), gi(lCopies, layer), gi(lUnits, layer), r);
      const mt = <f64>units * gf(lMergeTime, layer);
      if (mt > 0.0) {
        si(cMergeBusy, c, 1);
        sf(cMergeUnits, c, gf(cMergeUnits, c) + <f64>units);
        push(now + mt, EV_MERGE, c, gi(lTenant, layer));
        return;
      }
    }
    emitRow(c);
  }
}

/** Piece x (record rec) finished global row `row` (request x rows + row) of `units` units: its partial sums go to its gather tile. */
function pieceFinished(x: i32, rec: usize, row: i32, units: i32): void {
  const c = load<i32>(rec, RR_COPY);
  const layer = load<i32>(rec, RR_LAYER);
  if (gi(cPieces, c) == 1 || load<i32>(rec, RR_TILE) == gi(cGather, c)) {
    si(gathered, x, gi(gathered, x) + 1);
    copyTryEmit(c);
    return;
  }
  const W = gi(lUnits, layer);
  const bytes = (gf(lPsumBytes, layer) * <f64>units) / <f64>W;
  const t = load<i32>(rec, RR_TENANT);
  let arr = transfer(x, bytes, t);
  const la = gf(lastGatherArr, x);
  if (la > arr) arr = la;
  sf(lastGatherArr, x, arr);
  const gm = gMax + (<usize>c << 6);
  const hRow = load<i32>(gm, 40);
  if (hRow == row) {
    // a row held back (below): this piece's gather joins it; the row's last piece files the latest
    const sq = qSeq++;
    if (arr >= load<f64>(gm, 32)) {
      store<f64>(gm, arr, 32);
      store<i32>(gm, sq, 48);
    }
    const left = load<i32>(gm, 44) - 1;
    store<i32>(gm, left, 44);
    if (left == 0) {
      store<i32>(gm, -1, 40);
      pushAt(load<f64>(gm, 32), EV_GATHER, ~c, t, load<i32>(gm, 48));
    }
    return;
  }
  if (hRow < 0 && load<i32>(gm, 56) > 1) {
    // the row's first piece to end, with every other piece that sends running this same row: hold
    // its gathers back until the last of them ends (their events keep the tenant's pending count up)
    const first = gi(cFirstReop, c);
    const pend = first + gi(cPieces, c);
    const g = gi(cGather, c);
    const H = gi(lRows, layer);
    let all = true;
    for (let k = first; k < pend; k++) {
      if (k == x) continue;
      const kr = recOf(k);
      if (load<i32>(kr, RR_TILE) == g) continue;
      if (load<i32>(kr, RR_BUSY) == 0 || load<i32>(kr, RR_REQ) * H + load<i32>(kr, RR_ROW) != row) {
        all = false;
        break;
      }
    }
    if (all) {
      store<f64>(gm, arr, 32);
      store<i32>(gm, row, 40);
      store<i32>(gm, load<i32>(gm, 56) - 1, 44);
      store<i32>(gm, qSeq++, 48);
      store<i32>(gm, load<i32>(gm, 52) + 1, 52);
      return;
    }
  }
  if (load<i32>(gm, 52) != 0) {
    // a held row's gathers are counted when its event pops: no early count meanwhile
    push(arr, EV_GATHER, x, t);
    return;
  }
  const same = load<i32>(gm, 8) == row;
  const mt = load<f64>(gm);
  if (same && mt > arr && la < now) {
    // a later gather of the row is queued: this one's event would change nothing (see gMax)
    si(gathered, x, gi(gathered, x) + 1);
    return;
  }
  if (same && mt <= arr && mt > now && load<f64>(gm, 16) < now) {
    // this gather is the later one (arr >= mt): the queued one goes, its piece counted now
    qRemove(load<i32>(gm, 12), t);
    const k = load<i32>(gm, 24);
    si(gathered, k, gi(gathered, k) + 1);
  }
  const n = push(arr, EV_GATHER, x, t);
  if (!same || mt <= arr) {
    store<f64>(gm, arr);
    store<i32>(gm, row, 8);
    store<i32>(gm, n, 12);
    store<f64>(gm, la, 16);
    store<i32>(gm, x, 24);
  }
}

/** The held gathers of copy c's oldest held row have all landed (its latest one's event): every piece that sends is counted. */
function gatherHeld(c: i32): void {
  const first = gi(cFirstReop, c);
  const pend = first + gi(cPieces, c);
  const g = gi(cGather, c);
  for (let k = first; k < pend; k++) if (gi(rTile, k) != g) si(gathered, k, gi(gathered, k) + 1);
  const gm = gMax + (<usize>c << 6);
  store<i32>(gm, load<i32>(gm, 52) - 1, 52);
  copyTryEmit(c);
}

// A gather that is not a row's last changes nothing when it lands: copyTryEmit waits for the row's
// last one. Per copy, gMax + c << 6:
// - Held rows (the common case). When a row's first piece to send ends while every other piece that
//   sends runs that same row, each piece's gather is held back (it takes its scheduling number,
//   qSeq, as a push would) and the copy keeps the latest: its time (f64 @32; a later or equal one
//   replaces it, as the later of two equal events would pop last) and number (@48). The row's last
//   piece files that one event (an id of ~c) at the place its number gives it, and when it pops every
//   piece that sends is counted (gatherHeld). Until the last piece ends, the others' EV_DONE events
//   are queued and after it the filed event is: the tenant always has an event pending while a held
//   gather would have been in flight, so no deadlock check (tPending) can fire where it would not
//   have. Counting at the latest gather's pop counts no piece before its own gather landed. The
//   held row (@40, -1: none), pieces still to end it (@44), held rows not yet popped (@52), the
//   copy's pieces that send (@56).
// - Otherwise (pieces a row apart), the row's latest gather queued: its time (f64 @0), global row
//   (@8), queue node (@12), the piece's previous gather (f64 @16) and the piece (@24). A gather
//   earlier than it sends no event; a gather not earlier takes the queued one out of the queue
//   (qRemove) while it has not popped (its time after now). The piece counted early has no gather
//   of its own still queued (its previous one before now) and no held row of its copy is pending:
//   no count runs ahead of a row in flight.
let gMax: usize = 0;

/** The loop's state between slices (simBegin, then simResume until it stops pausing). */
let maxEvents: f64 = 0;
let rowsDone: f64 = 0;
/** simResume's status when its slice of events ran out before the loop ended. */
const SIM_PAUSED: i32 = 3;

/**
 * Lays the run out (arrivals, first phases) without running an event. Then simResume runs the
 * loop in slices, so that the host can report progress and notice a cancel between slices.
 */
export function simBegin(base: usize): void {
  readLayout(base);
  linkBw = gf(params, PARAM_LINK_BW);
  hopLat = gf(params, PARAM_HOP_LAT);
  torus = gf(params, PARAM_TORUS) != 0.0;
  queued = 0;
  qBase = heapPtr;
  arenaStart = heapPtr;
  arenaTop = heapPtr;
  heapBytesAvail = (<usize>memory.size() << 16) - qBase;
  qUsed = 0;
  qNodes = 0;
  qFree = 0;
  qSeq = 0;
  qHead = ringAlloc(Q_MAX_BUCKETS << 2);
  qTail = ringAlloc(Q_MAX_BUCKETS << 2);
  qTailRun = ringAlloc(Q_MAX_BUCKETS << 2);
  lgWin = ringAlloc(LG_WIN << 4);
  lgN = 0;
  lbFree = 0;
  lbNext = 0;
  lbEnd = 0;
  qNb = 64;
  qBmask = 63;
  // a first width until the run's own gaps are known (qAdapt after 64 events)
  qInv = 1e9;
  qDay = 0;
  qPops = 0;
  qNextAdapt = 64;
  qSinceT = 0.0;
  qSinceN = 0;
  now = 0.0;
  events = 0.0;
  transfers = 0.0;
  makespan = 0.0;
  offchipFree = 0.0;
  offchipBusy = 0.0;
  overcommits = 0.0;
  for (let q = 0; q < totalReq; q++) sf(reqDone, q, -1.0);
  for (let slot = 0; slot < S; slot++) sf(sThr, slot, slotThreshold(slot));
  bufferSetup();
  for (let tile = 0; tile < tiles; tile++) si(tilePos, tile, packRouter(gi(tileRouter, tile)));
  routeSetup();
  reopSetup();
  inputSetup();
  gMax = ringAlloc(<usize>C << 6);
  lCopyRecs = arenaArray(<usize>L, 2);
  let recs = 0;
  for (let l = 0; l < L; l++) {
    si(lCopyRecs, l, recs);
    if (gi(lCopies, l) > 1) recs += gi(lCopies, l);
  }
  copyRecs = ringAlloc(<usize>recs << 4);
  landScr = ringAlloc(<usize>S << 3);
  for (let c = 0; c < C; c++) {
    const layer = gi(cLayer, c);
    const g = gi(cGather, c);
    const gm = gMax + (<usize>c << 6);
    // no row held; the pieces that send their partial sums (not on the gather tile)
    store<i32>(gm, -1, 8);
    store<i32>(gm, -1, 40);
    store<i32>(gm, 0, 52);
    let sends = 0;
    const p0 = gi(cFirstReop, c);
    const p1 = p0 + gi(cPieces, c);
    if (p1 - p0 > 1) for (let k = p0; k < p1; k++) if (gi(rTile, k) != g) sends++;
    store<i32>(gm, sends, 56);
    const s0 = gi(lSlotStart, layer);
    const s1 = s0 + gi(lSlotCount, layer);
    let local = -1;
    let far = 0;
    const gp = gi(tilePos, g);
    for (let slot = s0; slot < s1; slot++) {
      const st = gi(sTile, slot);
      if (st == g) local = slot;
      else {
        const h = hopsBetween(gp, gi(tilePos, st));
        if (h > far) far = h;
      }
    }
    si(cLocalSlot, c, local);
    if (gi(lCopies, layer) > 1) {
      const cr = copyRec(layer, gi(cIndex, c));
      store<i32>(cr, g, CR_GATHER);
      store<i32>(cr, gp, CR_POS);
      store<i32>(cr, local, CR_OWN);
      store<i32>(cr, far, CR_MAX_HOPS);
    }
  }
  // landing rings of the layers of several copies, four rows to start with (they grow as needed)
  for (let l = 0; l < L; l++) {
    const k = gi(lSlotCount, l);
    const d = gi(lCopies, l);
    if (d < 2 || k == 0) continue;
    si(lRing, l, <i32>ringAlloc(ringBytes(4, d)));
    si(lRingCap, l, 4);
  }
  for (let p = 0; p < P; p++) {
    sf(phStart, p, -1.0);
    sf(phEnd, p, -1.0);
    si(phPending, p, gi(phPreds, p));
  }
  // arrivals: given (a trace), closed loop (the first `clients` at 0, the rest when earlier ones complete), Poisson (seeded) or all at 0
  for (let t = 0; t < T; t++) {
    const qb = gi(tReqBase, t);
    const rate = gf(tRate, t);
    const n = gi(tReq, t);
    const clients = gi(tClients, t);
    if (gi(tGiven, t) != 0) {
      for (let i = 0; i < n; i++) sf(reqArrival, qb + i, gf(reqGiven, qb + i));
    } else if (clients > 0) {
      for (let i = 0; i < n; i++) sf(reqArrival, qb + i, i < clients ? 0.0 : f64.MAX_VALUE);
    } else if (rate > 0.0) {
      rngSeed(<u32>gi(tSeed, t));
      let at: f64 = 0.0;
      for (let i = 0; i < n; i++) {
        at = at + -detLn(rngUniform()) / rate;
        sf(reqArrival, qb + i, at);
      }
    } else {
      for (let i = 0; i < n; i++) sf(reqArrival, qb + i, 0.0);
    }
  }
  turnTenants = 0;
  skipRun = 0;
  parked = 0;
  for (let t = 0; t < T; t++) {
    si(tEnd, t, gi(tTurn, t) != 0 ? 0 : gi(tReq, t));
    turnTenants += gi(tTurn, t);
  }
  for (let p = 0; p < P; p++) if (gi(phPending, p) == 0) phaseReady(p);
  for (let t = 0; t < T; t++) {
    if (gf(tRate, t) > 0.0 || gi(tGiven, t) != 0) {
      const qb = gi(tReqBase, t);
      const n = gi(tReq, t);
      for (let i = 0; i < n; i++) push(gf(reqArrival, qb + i), EV_REQUEST, t, t);
    }
  }

  maxEvents = gf(params, PARAM_MAX_EVENTS);
  rowsDone = 0.0;
}

/**
 * Runs at most `slice` more events. Returns SIM_PAUSED (3) when the slice ran out first, with
 * PARAM_EVENTS, PARAM_ROWS_DONE and PARAM_LAST_EVENT (the time of the last event taken out) written so far; otherwise the run's status (0, 1 when some request never completed, 2 when the event
 * budget ran out), with every output written.
 */
export function simResume(slice: f64): i32 {
  const stopAt = events + slice;
  let limited = false;
  while (true) {
    if (queued == 0) {
      // rows still landing were events once: the clock reaches the last of them
      for (let t = 0; t < T; t++) if (gf(tArrMax, t) > now) now = gf(tArrMax, t);
      // a tenant stalled with nothing pending anywhere (its wake-up would come from another tenant's buffer use)
      let stuck = -1;
      for (let t = 0; t < T; t++) if (gi(tWaiting, t) > 0) stuck = t;
      if (stuck < 0) break;
      if (!breakDeadlock(stuck)) break;
      continue;
    }
    // The event budget (PARAM_MAX_EVENTS): checked before each pop.
    if (events >= maxEvents) {
      limited = true;
      break;
    }
    if (events >= stopAt) {
      sf(params, PARAM_EVENTS, events);
      sf(params, PARAM_ROWS_DONE, rowsDone);
      // the clock so far: a request not yet done completes no earlier (the referee's early stop)
      sf(params, PARAM_LAST_EVENT, now);
      return SIM_PAUSED;
    }
    pop();
    now = popT;
    if (qPops == qNextAdapt) qAdapt();
    events += 1.0;
    const id = popI;
    const kind = popK;
    if (kind == EV_DONE) {
      const x = id;
      const rec = recOf(x);
      rowsDone += 1.0;
      store<i32>(rec, 0, RR_BUSY);
      const layer = load<i32>(rec, RR_LAYER);
      const r = load<i32>(rec, RR_ROW);
      const H = gi(lRows, layer);
      const q = load<i32>(rec, RR_REQ) * H + r;
      if (traceLen > 0) {
        const e = gi(rTraceBase, x) + q;
        sf(trEnd, e, now);
        si(trCount, e, gi(trCount, e) + 1);
      }
      const units = load<i32>(rec, RR_UNITS);
      if (units > 0) {
        sf(rUnitsDone, x, gf(rUnitsDone, x) + <f64>units);
        recordBusy(x, load<f64>(rec, RR_START), now);
      }
      if (r + 1 == H) {
        store<i32>(rec, 0, RR_ROW);
        store<i32>(rec, load<i32>(rec, RR_REQ) + 1, RR_REQ);
      } else store<i32>(rec, r + 1, RR_ROW);
      releaseInputs(rec);
      pieceFinished(x, rec, q, units);
      tryStart(x);
    } else if (kind == EV_ARRIVE) {
      raise(id);
    } else if (kind == EV_LANDS) {
      landGroup(<usize>id);
    } else if (kind == EV_GATHER) {
      if (id >= 0) {
        si(gathered, id, gi(gathered, id) + 1);
        copyTryEmit(gi(rCopy, id));
      } else gatherHeld(~id);
    } else if (kind == EV_MERGE) {
      si(cMergeBusy, id, 0);
      emitRow(id);
      copyTryEmit(id);
    } else if (kind == EV_REQUEST) {
      if (parked > 0) wakeParked();
      const st = gi(tSrcStart, id);
      const end = st + gi(tSrcCount, id);
      for (let k = st; k < end; k++) tryStart(gi(srcReops, k));
    } else if (kind == EV_PHASE) {
      si(phStarted, id, 1);
      if (gf(phStart, id) < 0.0) sf(phStart, id, now);
      si(phTurns, id, gi(phTurns, id) + 1);
      const st = gi(phReopStart, id);
      const end = st + gi(phReopCount, id);
      for (let k = st; k < end; k++) tryStart(gi(phReops, k));
    }
    // a forced row may wake nothing (its consumers wait for other copies): force until an event is due;
    // rows of the tenant still landing come first (each was an event of its own before they were counted per row)
    while (gi(tPending, popTen) == 0 && gi(tWaiting, popTen) > 0) {
      if (gf(tArrMax, popTen) > now) {
        push(gf(tArrMax, popTen), EV_RECHECK, popTen, popTen);
        break;
      }
      if (!breakDeadlock(popTen)) break;
    }
  }
  // the last rows' occupancy, never released
  for (let t = 0; t < tiles; t++) if (gi(tileSlots, t + 1) > gi(tileSlots, t)) notePeak(t);
  let status = 0;
  if (limited) status = 2;
  else for (let q = 0; q < totalReq; q++) if (gf(reqDone, q) < 0.0) status = 1;
  sf(params, PARAM_EVENTS, events);
  sf(params, PARAM_TRANSFERS, transfers);
  sf(params, PARAM_MAKESPAN, makespan);
  sf(params, PARAM_STATUS, <f64>status);
  sf(params, PARAM_OFFCHIP_BUSY, offchipBusy);
  sf(params, PARAM_LAST_EVENT, now);
  sf(params, PARAM_ROWS_DONE, rowsDone);
  sf(params, PARAM_OVERCOMMITS, overcommits);
  return status;
}
