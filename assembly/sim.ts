// The event-driven multi-tenant simulator (the referee of the optimizer, docs/simulator.md).
// The driver (src-main/engine/sim/driver.ts) lays a packed scenario out in linear memory; the
// layout (counts, field pointers, params slots) is generated into ./layout from the table in
// src-main/engine/sim/layout.ts. simRun(base) runs the whole loop in one call. Tested as Wasm:
// test/unit/sim (hand-computed semantics, invariants on real deployments, the route walk).

import { rngSeed, rngUniform, detLn } from './rng';
import {
  readLayout, params, T, P, C, R, totalReq, tiles, meshRows, meshCols, timelineSlots, traceLen,
  PARAM_LINK_BW, PARAM_HOP_LAT, PARAM_TORUS, PARAM_MAX_EVENTS, PARAM_EVENTS, PARAM_TRANSFERS, PARAM_MAKESPAN, PARAM_STATUS, PARAM_OFFCHIP_BUSY, PARAM_LAST_EVENT, PARAM_ROWS_DONE, PARAM_OVERCOMMITS,
  tReq, tReqBase, tCopies, tRate, tSeed, tSrcStart, tSrcCount, srcReops,
  phPreds, phSuccStart, phSuccCount, phSucc, phWrite, phXfer, phCopies, phReopStart, phReopCount, phReops,
  lRows, lUnits, lCopies, lPhase, lTenant, lSlotStart, lSlotCount, lRowSplit, lOutBytes, lPsumBytes, lMergeTime,
  cLayer, cIndex, cFirstReop, cPieces, cGather,
  rCopy, rTile, rInStart, rInCount, rTpu, inSlot, inNeedBase, needTab,
  sLayer, sTile, sDelivBase, sConsStart, sConsCount, sCons, delivSlot, tileRouter, rPort, rTraceBase, S,
  rReq, rRow, rBusy, rStart, gathered, lastGatherArr, cEmitted, cMergeBusy, delivered, lastArr, sMin, sAtMin,
  linkFree, linkStamp, phStarted, phPending, phDoneCopies, reqCopiesDone, portFree,
  reqArrival, reqDone, rBusyTime, rUnitsDone, cMergeUnits, tByteHops, phStart, phEnd, linkBusy, portBusy,
  tlStart, tlEnd, tlBusy, tlCount, trStart, trEnd, trCount, heapPtr,
  phTenant, tileCap, slotCap, copyOcc, inWindow, lBounded, tileOcc, tileWaitHead, slotReleased, cReserved, cWaiting, cWaitNext, cStallSince, cForce,
  tPending, tWaiting, cStall, bufPeak,
} from './layout';

const EV_DONE: i32 = 0;
const EV_ARRIVE: i32 = 1;
const EV_GATHER: i32 = 2;
const EV_MERGE: i32 = 3;
const EV_REQUEST: i32 = 4;
const EV_PHASE: i32 = 5;

// the scenario's shape and the walk state not in the layout
let torus: bool = false;
let linkBw: f64 = 0;
let hopLat: f64 = 0;

// heap and loop state
let heapSize: i32 = 0;
let heapBytesAvail: usize = 0;
let seq: i32 = 0;
let stampBase: i32 = 2;
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

// @ts-ignore: decorator
@inline function gi(ptr: usize, i: i32): i32 { return load<i32>(ptr + ((<usize>i) << 2)); }
// @ts-ignore: decorator
@inline function si(ptr: usize, i: i32, v: i32): void { store<i32>(ptr + ((<usize>i) << 2), v); }
// @ts-ignore: decorator
@inline function gf(ptr: usize, i: i32): f64 { return load<f64>(ptr + ((<usize>i) << 3)); }
// @ts-ignore: decorator
@inline function sf(ptr: usize, i: i32, v: f64): void { store<f64>(ptr + ((<usize>i) << 3), v); }

// heap record (24 bytes): t f64 @0, seq i32 @8, kind i32 @12, id i32 @16, tenant i32 @20

/** The tenant an event belongs to (events pending per tenant tell a deadlocked tenant, see breakDeadlock). */
function tenantOf(kind: i32, id: i32): i32 {
  if (kind == EV_DONE || kind == EV_GATHER) return gi(lTenant, gi(cLayer, gi(rCopy, id)));
  if (kind == EV_ARRIVE) return gi(lTenant, gi(sLayer, gi(delivSlot, id)));
  if (kind == EV_MERGE) return gi(lTenant, gi(cLayer, id));
  if (kind == EV_REQUEST) return id;
  return gi(phTenant, id);
}

function push(t: f64, kind: i32, id: i32): void {
  const ten = tenantOf(kind, id);
  si(tPending, ten, gi(tPending, ten) + 1);
  const need = <usize>(heapSize + 1) * 24;
  if (need > heapBytesAvail) {
    const have = <usize>memory.size() << 16;
    const want = heapPtr + need * 2;
    if (want > have) memory.grow(<i32>((want - have + 0xffff) >> 16));
    heapBytesAvail = (<usize>memory.size() << 16) - heapPtr;
  }
  const hp = heapPtr;
  const s = seq++;
  let i = heapSize++;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const pr = hp + <usize>parent * 24;
    const pt = load<f64>(pr);
    if (pt < t || (pt == t && load<i32>(pr, 8) < s)) break;
    // move the parent down: a record is three i64 words
    const cr = hp + <usize>i * 24;
    store<i64>(cr, load<i64>(pr));
    store<i64>(cr, load<i64>(pr, 8), 8);
    store<i64>(cr, load<i64>(pr, 16), 16);
    i = parent;
  }
  const r = hp + <usize>i * 24;
  store<f64>(r, t);
  store<i32>(r, s, 8);
  store<i32>(r, kind, 12);
  store<i32>(r, id, 16);
  store<i32>(r, ten, 20);
}

function pop(): void {
  const hp = heapPtr;
  popT = load<f64>(hp);
  popK = load<i32>(hp, 12);
  popI = load<i32>(hp, 16);
  popTen = load<i32>(hp, 20);
  si(tPending, popTen, gi(tPending, popTen) - 1);
  const n = --heapSize;
  const lr = hp + <usize>n * 24;
  const t = load<f64>(lr);
  const s = load<i32>(lr, 8);
  const w1 = load<i64>(lr, 8);
  const w2 = load<i64>(lr, 16);
  let i = 0;
  while (true) {
    let child = 2 * i + 1;
    if (child >= n) break;
    let cr = hp + <usize>child * 24;
    let ct = load<f64>(cr);
    let cs = load<i32>(cr, 8);
    if (child + 1 < n) {
      const rr = cr + 24;
      const rt = load<f64>(rr);
      const rs = load<i32>(rr, 8);
      if (rt < ct || (rt == ct && rs < cs)) {
        child++;
        cr = rr;
        ct = rt;
        cs = rs;
      }
    }
    if (t < ct || (t == ct && s < cs)) break;
    const ir = hp + <usize>i * 24;
    store<i64>(ir, load<i64>(cr));
    store<i64>(ir, load<i64>(cr, 8), 8);
    store<i64>(ir, load<i64>(cr, 16), 16);
    i = child;
  }
  const r = hp + <usize>i * 24;
  store<f64>(r, t);
  store<i64>(r, w1, 8);
  store<i64>(r, w2, 16);
}

// @ts-ignore: decorator
@inline function unitsOf(c: i32, d: i32, w: i32, r: i32): i32 {
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

function transfer(srcTile: i32, dstTile: i32, bytes: f64, tenant: i32): f64 {
  const dur = bytes / linkBw;
  const src = packRouter(gi(tileRouter, srcTile));
  const dst = packRouter(gi(tileRouter, dstTile));
  let start = now;
  let hops = 0;
  let pos = src;
  for (let dir = routeDir(pos, dst); dir >= 0; dir = routeDir(pos, dst)) {
    const lf = gf(linkFree, linkOf(pos, dir));
    if (lf > start) start = lf;
    pos = moveTo(pos, dir);
    hops++;
  }
  const end = start + dur;
  pos = src;
  for (let dir = routeDir(pos, dst); dir >= 0; dir = routeDir(pos, dst)) {
    const link = linkOf(pos, dir);
    sf(linkFree, link, end);
    sf(linkBusy, link, gf(linkBusy, link) + dur);
    pos = moveTo(pos, dir);
  }
  sf(tByteHops, tenant, gf(tByteHops, tenant) + bytes * <f64>(hops + 1));
  transfers += 1.0;
  return end + <f64>(hops + 1) * hopLat;
}

function multicast(c: i32, layer: i32, bytes: f64, tenant: i32): void {
  // pointers hoisted into locals: the route walk is the hottest loop
  const lfPtr = linkFree;
  const lsPtr = linkStamp;
  const lbPtr = linkBusy;
  const stPtr = sTile;
  const trPtr = tileRouter;
  const dur = bytes / linkBw;
  const g = gi(cGather, c);
  const src = packRouter(gi(trPtr, g));
  const ci = gi(cIndex, c);
  const slotStart = gi(lSlotStart, layer);
  const slotEnd = slotStart + gi(lSlotCount, layer);
  const seen = stampBase;
  const held = stampBase + 1;
  stampBase += 2;
  let start = now;
  let links = 0;
  for (let pass = 0; pass < 2; pass++) {
    const end = start + dur;
    for (let slot = slotStart; slot < slotEnd; slot++) {
      const dt = gi(stPtr, slot);
      if (dt == g) continue;
      const dst = packRouter(gi(trPtr, dt));
      let pos = src;
      let hops = 0;
      for (let dir = routeDir(pos, dst); dir >= 0; dir = routeDir(pos, dst)) {
        const link = linkOf(pos, dir);
        pos = moveTo(pos, dir);
        hops++;
        if (pass == 0) {
          if (gi(lsPtr, link) != seen) {
            si(lsPtr, link, seen);
            const lf = gf(lfPtr, link);
            if (lf > start) start = lf;
            links++;
          }
        } else if (gi(lsPtr, link) != held) {
          si(lsPtr, link, held);
          sf(lfPtr, link, end);
          sf(lbPtr, link, gf(lbPtr, link) + dur);
        }
      }
      if (pass == 1) {
        const di = gi(sDelivBase, slot) + ci;
        let arr = end + <f64>(hops + 1) * hopLat;
        const la = gf(lastArr, di);
        if (la > arr) arr = la;
        sf(lastArr, di, arr);
        push(arr, EV_ARRIVE, di);
      }
    }
  }
  sf(tByteHops, tenant, gf(tByteHops, tenant) + bytes * <f64>(links + 1));
  transfers += 1.0;
}

function tryStart(x: i32): void {
  if (gi(rBusy, x) != 0) return;
  const c = gi(rCopy, x);
  const layer = gi(cLayer, c);
  const t = gi(lTenant, layer);
  const i = gi(rReq, x);
  if (i >= gi(tReq, t)) return;
  if (gi(phStarted, gi(lPhase, layer)) == 0) return;
  if (gf(reqArrival, gi(tReqBase, t) + i) > now) return;
  const r = gi(rRow, x);
  const inStart = gi(rInStart, x);
  const inEnd = inStart + gi(rInCount, x);
  for (let k = inStart; k < inEnd; k++) {
    const slot = gi(inSlot, k);
    const required = i * gi(lRows, gi(sLayer, slot)) + gi(needTab, gi(inNeedBase, k) + r) + 1;
    if (gi(sMin, slot) < required) return;
  }
  // Bounded consumers: a copy keeps one finished row waiting to be sent while it computes the next.
  if (gi(lBounded, layer) != 0 && i * gi(lRows, layer) + r > gi(cEmitted, c) + 1) return;
  const units = unitsOf(gi(cIndex, c), gi(lCopies, layer), gi(lUnits, layer), r);
  si(rBusy, x, 1);
  sf(rStart, x, now);
  if (traceLen > 0) sf(trStart, gi(rTraceBase, x) + i * gi(lRows, layer) + r, now);
  // the tile's buffer port: one FIFO resource per tile, shared by its re-operators
  let end = now + <f64>units * gf(rTpu, x);
  const port = <f64>units * gf(rPort, x);
  if (port > 0.0) {
    const tile = gi(rTile, x);
    let ps = gf(portFree, tile);
    if (ps < now) ps = now;
    sf(portFree, tile, ps + port);
    sf(portBusy, tile, gf(portBusy, tile) + port);
    if (ps + port > end) end = ps + port;
  }
  push(end, EV_DONE, x);
}

// One more row of a producer copy at a slot. The slot's consumers can only become ready when the
// fewest rows delivered by any copy (sMin) rises, so only then are they woken: a readiness check
// is then one comparison per input instead of one per producer copy, and an arrival that leaves
// the minimum alone costs no check at all (those checks could not succeed, so nothing changes).
function deliver(slot: i32, di: i32): void {
  const v = gi(delivered, di);
  si(delivered, di, v + 1);
  if (v != gi(sMin, slot)) return;
  const left = gi(sAtMin, slot) - 1;
  if (left > 0) {
    si(sAtMin, slot, left);
    return;
  }
  // every copy is now past the old minimum: find the new one (once per rise, so O(1) per arrival amortized)
  const base = gi(sDelivBase, slot);
  const d = gi(lCopies, gi(sLayer, slot));
  let m = gi(delivered, base);
  let n = 0;
  for (let cc = 0; cc < d; cc++) {
    const x = gi(delivered, base + cc);
    if (x < m) {
      m = x;
      n = 1;
    } else if (x == m) n++;
  }
  si(sMin, slot, m);
  si(sAtMin, slot, n);
  wakeSlot(slot);
}

// Bounded buffers (docs/simulator.md, "Bounded buffers"). A producer copy sends a finished row
// only when its share (slot) of every consumer tile's buffer has room; the bytes stay until the consumers'
// windows on that tile move past the row. A copy that cannot send waits in a list per full tile,
// holding the row, and its pieces compute at most one row beyond it.

/**
 * A copy's part of a slot's share: its fraction of the rows' units at most, ceil(W / d) / W of
 * the share, so copies running at different rows cannot take each other's room.
 */
// @ts-ignore: decorator
@inline function copyCap(slot: i32, d: i32, W: i32): f64 {
  const cap = gf(slotCap, slot);
  return d > 1 ? (cap * <f64>((W + d - 1) / d)) / <f64>W : cap;
}

/** Reserves row r's share of copy c in every consumer tile; false, and c waits, when one is full. */
function reserveRow(c: i32, layer: i32, r: i32): bool {
  const W = gi(lUnits, layer);
  const d = gi(lCopies, layer);
  const ci = gi(cIndex, c);
  const bytes = (gf(lOutBytes, layer) * <f64>unitsOf(ci, d, W, r)) / <f64>W;
  const slotStart = gi(lSlotStart, layer);
  const slotEnd = slotStart + gi(lSlotCount, layer);
  const forced = gi(cForce, c) != 0;
  if (!forced && bytes > 0.0) {
    for (let slot = slotStart; slot < slotEnd; slot++) {
      const cap = copyCap(slot, d, W);
      if (cap > 0.0 && gf(copyOcc, gi(sDelivBase, slot) + ci) + bytes > cap * (1.0 + 1e-12)) {
        waitOn(c, gi(sTile, slot));
        return false;
      }
    }
  }
  let over = false;
  for (let slot = slotStart; slot < slotEnd; slot++) {
    const tile = gi(sTile, slot);
    const occ = gf(tileOcc, tile) + bytes;
    sf(tileOcc, tile, occ);
    if (occ > gf(bufPeak, tile)) sf(bufPeak, tile, occ);
    const di = gi(sDelivBase, slot) + ci;
    const co = gf(copyOcc, di) + bytes;
    sf(copyOcc, di, co);
    const cap = copyCap(slot, d, W);
    if (cap > 0.0 && co > cap * (1.0 + 1e-12)) over = true;
  }
  if (forced) {
    si(cForce, c, 0);
    if (over) overcommits += 1.0;
  }
  endStall(c);
  return true;
}

/** Units copy c of d does in global rows 0..q-1 (rows of H units-rows of W, round-robin as unitsOf). */
function unitsBefore(c: i32, d: i32, W: i32, H: i32, q: i32): i64 {
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

/** Room was made in `tile`: every copy waiting on it tries to send its row again (and may wait again). */
function wakeTile(tile: i32): void {
  let head = gi(tileWaitHead, tile);
  si(tileWaitHead, tile, 0);
  while (head != 0) {
    const c = head - 1;
    head = gi(cWaitNext, c);
    si(cWaiting, c, 2);
    copyTryEmit(c);
  }
}

/** The lowest global row of slot's producer that consumer y still reads (its next row's window). */
function lowOf(y: i32, slot: i32): i32 {
  const layer = gi(cLayer, gi(rCopy, y));
  const i = gi(rReq, y);
  if (i >= gi(tReq, gi(lTenant, layer))) return i32.MAX_VALUE;
  const inStart = gi(rInStart, y);
  const inEnd = inStart + gi(rInCount, y);
  for (let k = inStart; k < inEnd; k++) {
    if (gi(inSlot, k) != slot) continue;
    let low = gi(needTab, gi(inNeedBase, k) + gi(rRow, y)) - gi(inWindow, k) + 1;
    if (low < 0) low = 0;
    return i * gi(lRows, gi(sLayer, slot)) + low;
  }
  return i32.MAX_VALUE;
}

/** Consumer x finished a row: rows below every consumer's window leave its tile's buffer. */
function releaseInputs(x: i32): void {
  const inStart = gi(rInStart, x);
  const inEnd = inStart + gi(rInCount, x);
  for (let k = inStart; k < inEnd; k++) {
    const slot = gi(inSlot, k);
    let rel = i32.MAX_VALUE;
    const cs = gi(sConsStart, slot);
    const ce = cs + gi(sConsCount, slot);
    for (let j = cs; j < ce; j++) {
      const low = lowOf(gi(sCons, j), slot);
      if (low < rel) rel = low;
    }
    // never more than every copy delivered
    const prod = gi(sLayer, slot);
    if (gi(sMin, slot) < rel) rel = gi(sMin, slot);
    const old = gi(slotReleased, slot);
    if (rel <= old) continue;
    si(slotReleased, slot, rel);
    const tile = gi(sTile, slot);
    // each copy frees its own shares of rows old..rel-1
    const d = gi(lCopies, prod);
    const W = gi(lUnits, prod);
    const H = gi(lRows, prod);
    const rowBytes = gf(lOutBytes, prod);
    const base = gi(sDelivBase, slot);
    for (let cc = 0; cc < d; cc++) {
      const units = unitsBefore(cc, d, W, H, rel) - unitsBefore(cc, d, W, H, old);
      let co = gf(copyOcc, base + cc) - (rowBytes * <f64>units) / <f64>W;
      if (co < 1e-9) co = 0.0;
      sf(copyOcc, base + cc, co);
    }
    let occ = gf(tileOcc, tile) - <f64>(rel - old) * rowBytes;
    if (occ < 1e-9) occ = 0.0;
    sf(tileOcc, tile, occ);
    wakeTile(tile);
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
  for (let k = start; k < end; k++) tryStart(gi(sCons, k));
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
    push(end, EV_PHASE, ph);
  } else push(now + gf(phWrite, ph), EV_PHASE, ph);
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
  const g = gi(cGather, c);
  const slotStart = gi(lSlotStart, layer);
  const slotEnd = slotStart + gi(lSlotCount, layer);
  let remote = 0;
  for (let slot = slotStart; slot < slotEnd; slot++) {
    if (gi(sTile, slot) == g) {
      deliver(slot, gi(sDelivBase, slot) + ci);
    } else remote++;
  }
  if (remote > 0) multicast(c, layer, (gf(lOutBytes, layer) * <f64>units) / <f64>W, t);
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
    }
    if (i == gi(tReq, t) - 1) {
      const ph = gi(lPhase, layer);
      const pd = gi(phDoneCopies, ph) + 1;
      si(phDoneCopies, ph, pd);
      if (pd == gi(phCopies, ph)) {
        sf(phEnd, ph, now);
        const ss = gi(phSuccStart, ph);
        const sEnd = ss + gi(phSuccCount, ph);
        for (let k = ss; k < sEnd; k++) {
          const nx = gi(phSucc, k);
          const pending = gi(phPending, nx) - 1;
          si(phPending, nx, pending);
          if (pending == 0) writePhase(nx);
        }
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
        push(now + mt, EV_MERGE, c);
        return;
      }
    }
    emitRow(c);
  }
}

function pieceFinished(x: i32, r: i32): void {
  const c = gi(rCopy, x);
  const layer = gi(cLayer, c);
  const g = gi(cGather, c);
  const tile = gi(rTile, x);
  if (gi(cPieces, c) == 1 || tile == g) {
    si(gathered, x, gi(gathered, x) + 1);
    copyTryEmit(c);
    return;
  }
  const W = gi(lUnits, layer);
  const units = unitsOf(gi(cIndex, c), gi(lCopies, layer), W, r);
  const bytes = (gf(lPsumBytes, layer) * <f64>units) / <f64>W;
  let arr = transfer(tile, g, bytes, gi(lTenant, layer));
  const la = gf(lastGatherArr, x);
  if (la > arr) arr = la;
  sf(lastGatherArr, x, arr);
  push(arr, EV_GATHER, x);
}

/** The loop's state between slices (simBegin, then simResume until it stops pausing). */
let maxEvents: f64 = 0;
let rowsDone: f64 = 0;
/** simResume's status when its slice of events ran out before the loop ended. */
const SIM_PAUSED: i32 = 3;

/** Runs the simulation of the scenario at `base`; returns 0, 1 when some request never completed, 2 when the event budget ran out. */
export function simRun(base: usize): i32 {
  simBegin(base);
  return simResume(f64.MAX_VALUE);
}

/**
 * Lays the run out (arrivals, first phases) without running an event. Then simResume runs the
 * loop in slices, so that the host can report progress and notice a cancel between slices.
 */
export function simBegin(base: usize): void {
  readLayout(base);
  linkBw = gf(params, PARAM_LINK_BW);
  hopLat = gf(params, PARAM_HOP_LAT);
  torus = gf(params, PARAM_TORUS) != 0.0;
  heapSize = 0;
  heapBytesAvail = (<usize>memory.size() << 16) - heapPtr;
  seq = 0;
  stampBase = 2;
  now = 0.0;
  events = 0.0;
  transfers = 0.0;
  makespan = 0.0;
  offchipFree = 0.0;
  offchipBusy = 0.0;
  overcommits = 0.0;
  for (let q = 0; q < totalReq; q++) sf(reqDone, q, -1.0);
  for (let s = 0; s < S; s++) si(sAtMin, s, gi(lCopies, gi(sLayer, s)));
  for (let p = 0; p < P; p++) {
    sf(phStart, p, -1.0);
    sf(phEnd, p, -1.0);
    si(phPending, p, gi(phPreds, p));
  }
  // arrivals: Poisson (seeded) or all at 0
  for (let t = 0; t < T; t++) {
    const qb = gi(tReqBase, t);
    const rate = gf(tRate, t);
    const n = gi(tReq, t);
    if (rate > 0.0) {
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
  for (let p = 0; p < P; p++) if (gi(phPending, p) == 0) writePhase(p);
  for (let t = 0; t < T; t++) {
    if (gf(tRate, t) > 0.0) {
      const qb = gi(tReqBase, t);
      const n = gi(tReq, t);
      for (let i = 0; i < n; i++) push(gf(reqArrival, qb + i), EV_REQUEST, t);
    }
  }

  maxEvents = gf(params, PARAM_MAX_EVENTS);
  rowsDone = 0.0;
}

/**
 * Runs at most `slice` more events. Returns SIM_PAUSED (3) when the slice ran out first, with
 * PARAM_EVENTS and PARAM_ROWS_DONE written so far; otherwise simRun's status, with every output written.
 */
export function simResume(slice: f64): i32 {
  const stopAt = events + slice;
  let limited = false;
  while (true) {
    if (heapSize == 0) {
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
      return SIM_PAUSED;
    }
    pop();
    now = popT;
    events += 1.0;
    const id = popI;
    const kind = popK;
    if (kind == EV_DONE) {
      const x = id;
      rowsDone += 1.0;
      si(rBusy, x, 0);
      const c = gi(rCopy, x);
      const layer = gi(cLayer, c);
      const r = gi(rRow, x);
      if (traceLen > 0) {
        const e = gi(rTraceBase, x) + gi(rReq, x) * gi(lRows, layer) + r;
        sf(trEnd, e, now);
        si(trCount, e, gi(trCount, e) + 1);
      }
      const units = unitsOf(gi(cIndex, c), gi(lCopies, layer), gi(lUnits, layer), r);
      if (units > 0) {
        sf(rUnitsDone, x, gf(rUnitsDone, x) + <f64>units);
        recordBusy(x, gf(rStart, x), now);
      }
      if (r + 1 == gi(lRows, layer)) {
        si(rRow, x, 0);
        si(rReq, x, gi(rReq, x) + 1);
      } else si(rRow, x, r + 1);
      releaseInputs(x);
      pieceFinished(x, r);
      tryStart(x);
    } else if (kind == EV_ARRIVE) {
      deliver(gi(delivSlot, id), id);
    } else if (kind == EV_GATHER) {
      si(gathered, id, gi(gathered, id) + 1);
      copyTryEmit(gi(rCopy, id));
    } else if (kind == EV_MERGE) {
      si(cMergeBusy, id, 0);
      emitRow(id);
      copyTryEmit(id);
    } else if (kind == EV_REQUEST) {
      const st = gi(tSrcStart, id);
      const end = st + gi(tSrcCount, id);
      for (let k = st; k < end; k++) tryStart(gi(srcReops, k));
    } else if (kind == EV_PHASE) {
      si(phStarted, id, 1);
      sf(phStart, id, now);
      const st = gi(phReopStart, id);
      const end = st + gi(phReopCount, id);
      for (let k = st; k < end; k++) tryStart(gi(phReops, k));
    }
    // a forced row may wake nothing (its consumers wait for other copies): force until an event is due
    while (gi(tPending, popTen) == 0 && gi(tWaiting, popTen) > 0) if (!breakDeadlock(popTen)) break;
  }
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
