/**
 * The Wasm simulator's memory layout and ABI version: the one table both sides are built from.
 * The driver (driver.ts) lays a packed scenario out from it; `npm run build:wasm` runs
 * scripts/gen-sim-layout.mjs, which writes assembly/layout.ts (the AssemblyScript globals, the
 * header reader and `abiVersion`) from the same table, so nothing positional is written twice.
 *
 *   base + 0  : i32 header counts, in COUNTS order
 *   then      : u32 pointer of every field, in FIELDS order, then the heap pointer
 *   then the fields, each 16-byte aligned; the loop's arena (routes, re-operator records, landing
 *   rings and groups, the calendar's buckets) and the event queue's nodes (32 bytes each) come last and grow
 *   with memory.grow when needed.
 */
import type { PackedScenario } from './scenario';

/**
 * Bumped whenever the Wasm module's exports or this layout change; the driver refuses a module
 * built against another version. (The generated assembly/layout.ts returns it from abiVersion().)
 */
export const SIM_ABI_VERSION = 19;

export type FieldType = 'i32' | 'f64';

/** Header counts (i32), in memory order; each is the PackedScenario property of the same name. */
export const COUNTS = [
  'T', 'P', 'L', 'C', 'R', 'S', 'totalReq', 'meshRows', 'meshCols', 'timelineSlots', 'numLinks', 'tiles', 'traceLen',
] as const satisfies readonly (keyof PackedScenario)[];
export type CountName = (typeof COUNTS)[number];

/** Slots of the f64 `params` field: inputs the driver writes, outputs the loop writes back. */
export const PARAMS = {
  linkBw: { index: 0, input: true },
  hopLat: { index: 1, input: true },
  events: { index: 2, input: false },
  transfers: { index: 3, input: false },
  makespan: { index: 4, input: false },
  status: { index: 5, input: false },
  torus: { index: 6, input: true },
  /** The event budget (engine/limits.ts maxSimEvents). */
  maxEvents: { index: 7, input: true },
  /** Seconds the off-chip link carried weight transfers. */
  offchipBusy: { index: 8, input: false },
  /** Time of the last event: the last delivery, which can land after the makespan (rows no consumer needs still cross the NoC). */
  lastEvent: { index: 9, input: false },
  /** Rows computed so far (one per re-operator, request and row when the loop ends): the progress measure. */
  rowsDone: { index: 10, input: false },
  /** Rows let through a full buffer to break a deadlock (docs/simulator.md, "Bounded buffers"). */
  overcommits: { index: 11, input: false },
} as const;
export type ParamName = keyof typeof PARAMS;
export const PARAM_COUNT = Object.keys(PARAMS).length;

/**
 * One array in linear memory. `len` is the name of the header count that sizes it (or a product
 * of two), or 'self' for an input as long as the PackedScenario array of the same name.
 * Inputs are copied from the packed scenario; state and outputs are zeroed before a run.
 */
export interface Field {
  name: string;
  type: FieldType;
  len: 'self' | 'params' | CountName | `${CountName}*${CountName}`;
  kind: 'input' | 'state' | 'output';
}

const inp = (name: string, type: FieldType): Field => ({ name, type, len: 'self', kind: 'input' });
const st = (name: string, type: FieldType, len: Field['len']): Field => ({ name, type, len, kind: 'state' });
const out = (name: string, type: FieldType, len: Field['len']): Field => ({ name, type, len, kind: 'output' });

/** Inputs first, then state, then outputs (everything from the first state field on is zeroed). */
export const FIELDS: Field[] = [
  { name: 'params', type: 'f64', len: 'params', kind: 'input' },
  inp('tReq', 'i32'), inp('tReqBase', 'i32'), inp('tCopies', 'i32'), inp('tRate', 'f64'), inp('tSeed', 'i32'),
  inp('tSrcStart', 'i32'), inp('tSrcCount', 'i32'), inp('srcReops', 'i32'),
  // arrivals other than a burst or a Poisson stream: closed-loop clients (N outstanding, 0: open) and given arrival times (a trace)
  inp('tClients', 'i32'), inp('tGiven', 'i32'), inp('reqGiven', 'f64'),
  inp('phPreds', 'i32'), inp('phSuccStart', 'i32'), inp('phSuccCount', 'i32'), inp('phSucc', 'i32'), inp('phWrite', 'f64'), inp('phXfer', 'f64'),
  inp('phCopies', 'i32'), inp('phReopStart', 'i32'), inp('phReopCount', 'i32'), inp('phReops', 'i32'),
  inp('lRows', 'i32'), inp('lUnits', 'i32'), inp('lCopies', 'i32'), inp('lPhase', 'i32'), inp('lTenant', 'i32'),
  inp('lSlotStart', 'i32'), inp('lSlotCount', 'i32'), inp('lRowSplit', 'i32'),
  inp('lOutBytes', 'f64'), inp('lPsumBytes', 'f64'), inp('lMergeTime', 'f64'),
  inp('cLayer', 'i32'), inp('cIndex', 'i32'), inp('cFirstReop', 'i32'), inp('cPieces', 'i32'), inp('cGather', 'i32'),
  inp('rCopy', 'i32'), inp('rTile', 'i32'), inp('rInStart', 'i32'), inp('rInCount', 'i32'), inp('rTpu', 'f64'),
  inp('inSlot', 'i32'), inp('inNeedBase', 'i32'), inp('needTab', 'i32'),
  inp('sLayer', 'i32'), inp('sTile', 'i32'), inp('sConsStart', 'i32'), inp('sConsCount', 'i32'), inp('sCons', 'i32'), inp('sConsIn', 'i32'),
  // multicast route unions (route-unions.ts): each copy's and their links
  inp('cUnion', 'i32'), inp('uLinkStart', 'i32'), inp('uLinkCount', 'i32'), inp('uLinks', 'i32'),
  inp('tileRouter', 'i32'), inp('rPort', 'f64'), inp('rTraceBase', 'i32'),
  // bounded buffers: the tenant of each phase, each tile's capacity (0: unbounded), the rows each input reads at once
  inp('phTenant', 'i32'), inp('tileCap', 'f64'), inp('slotCap', 'f64'), inp('inWindow', 'i32'), inp('lBounded', 'i32'),
  // turns (a schedule that reloads weights, served as a stream): per tenant 1 when served in turns, its first and last phase
  // (-1 otherwise); per phase its predecessors from its second turn on (the cycle's closing edges included)
  inp('tTurn', 'i32'), inp('tFirstPh', 'i32'), inp('tLastPh', 'i32'), inp('phAgain', 'i32'),
  // (a re-operator's request, row, busy flag and start live in the loop's own records, assembly/sim.ts)
  st('gathered', 'i32', 'R'), st('lastGatherArr', 'f64', 'R'),
  st('cEmitted', 'i32', 'C'), st('cMergeBusy', 'i32', 'C'),
  // per copy: its latest landing, kept only when its multicast crosses no link (docs/simulator.md, "One event per row landed")
  st('cLastArr', 'f64', 'C'),
  // per copy: its layer's slot on its gather tile (a slot is a producer layer at a tile: at most one), -1 for none; set at the start of a run
  st('cLocalSlot', 'i32', 'C'),
  // per multi-copy layer: its ring of the rows some but not every copy sent (address, capacity, the lowest such row);
  // the rings live between the fields and the event queue's nodes; per slot: the rows every copy delivered
  st('lRing', 'i32', 'L'), st('lRingCap', 'i32', 'L'), st('lRingLo', 'i32', 'L'), st('sMin', 'i32', 'S'),
  // per tenant: the latest landing of any row sent (the loop's clock reaches it, docs/simulator.md)
  st('tArrMax', 'f64', 'T'),
  st('linkFree', 'f64', 'numLinks'),
  st('phStarted', 'i32', 'P'), st('phPending', 'i32', 'P'), st('phDoneCopies', 'i32', 'P'),
  st('reqCopiesDone', 'i32', 'totalReq'), st('portFree', 'f64', 'tiles'),
  st('tileWaitHead', 'i32', 'tiles'), st('slotReleased', 'i32', 'S'), st('cReserved', 'i32', 'C'),
  st('cWaiting', 'i32', 'C'), st('cWaitNext', 'i32', 'C'), st('cStallSince', 'f64', 'C'), st('cForce', 'i32', 'C'),
  // per copy: the slot (from the layer's first) its row last found full; the slots before it still have room
  st('cWaitSlot', 'i32', 'C'),
  // per slot: the most a producer copy may hold in its share (fixed; set at the start of a run)
  st('sThr', 'f64', 'S'),
  // per tile: its router's packed coordinates (y << 16 | x), set at the start of a run
  st('tilePos', 'i32', 'tiles'),
  st('tPending', 'i32', 'T'), st('tWaiting', 'i32', 'T'),
  // per tenant in turns: requests released to its phases (the current turn's end), waiting for an arrival, inside a turn
  st('tEnd', 'i32', 'T'), st('tParked', 'i32', 'T'), st('tMid', 'i32', 'T'),
  out('reqArrival', 'f64', 'totalReq'), out('reqDone', 'f64', 'totalReq'),
  out('rBusyTime', 'f64', 'R'), out('rUnitsDone', 'f64', 'R'), out('cMergeUnits', 'f64', 'C'), out('tByteHops', 'f64', 'T'),
  out('phStart', 'f64', 'P'), out('phEnd', 'f64', 'P'), out('linkBusy', 'f64', 'numLinks'), out('portBusy', 'f64', 'tiles'),
  out('cStall', 'f64', 'C'), out('bufPeak', 'f64', 'tiles'),
  // turns each phase ran (each paid its weight load)
  out('phTurns', 'i32', 'P'),
  out('tlStart', 'f64', 'R*timelineSlots'), out('tlEnd', 'f64', 'R*timelineSlots'), out('tlBusy', 'f64', 'R*timelineSlots'), out('tlCount', 'i32', 'R'),
  // the row trace (traceLen > 0 only when asked for): start, end and executions of every (re-operator, request, row)
  out('trStart', 'f64', 'traceLen'), out('trEnd', 'f64', 'traceLen'), out('trCount', 'i32', 'traceLen'),
];

/** Bytes of one event-queue node (assembly/sim.ts): t f64, id i32, kind and tenant i32, links. */
export const HEAP_RECORD_BYTES = 32;

export interface FieldPlace {
  offset: number;
  length: number;
  type: FieldType;
  kind: Field['kind'];
}

export interface Layout {
  /** Total bytes from base (header, fields, initial heap). */
  bytes: number;
  /** Byte offset from base of each field. */
  offsets: Map<string, FieldPlace>;
  heapOffset: number;
  /** First state byte (everything from here to the heap is zeroed before a run). */
  stateOffset: number;
}

const align16 = (n: number): number => (n + 15) & ~15;

export function fieldLength(f: Field, p: PackedScenario): number {
  if (f.len === 'params') return PARAM_COUNT;
  if (f.len === 'self') return (p[f.name as keyof PackedScenario] as ArrayLike<number>).length;
  return f.len.split('*').reduce((n, c) => n * (p[c as CountName] as number), 1);
}

export function computeLayout(p: PackedScenario): Layout {
  let off = align16(4 * (COUNTS.length + FIELDS.length + 1));
  const offsets: Layout['offsets'] = new Map();
  let stateOffset = -1;
  for (const f of FIELDS) {
    if (f.kind !== 'input' && stateOffset < 0) stateOffset = off;
    const length = fieldLength(f, p);
    offsets.set(f.name, { offset: off, length, type: f.type, kind: f.kind });
    off = align16(off + length * (f.type === 'f64' ? 8 : 4));
  }
  const heapOffset = off;
  // initial heap: every re-operator, copy, phase and request may hold one pending event at once
  const heapCap = Math.max(1024, 2 * (p.R + p.C + p.P + p.totalReq + p.S));
  return { bytes: heapOffset + heapCap * HEAP_RECORD_BYTES, offsets, heapOffset, stateOffset };
}
