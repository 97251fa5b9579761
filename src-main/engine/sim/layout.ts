/**
 * Layout of a packed scenario in Wasm linear memory, shared by the driver (driver.ts) and
 * assembly/sim.ts, which reads the same header in the same order. One `reserve`, one layout:
 *
 *   base + 0   : i32 counts[12] = T, P, L, C, R, S, totalReq, meshRows, meshCols, timelineSlots, numLinks, deliveredLen
 *   base + 48  : u32 pointer of every field below, in this order, then the heap pointer
 *   then the fields, each 16-byte aligned; the event heap (24-byte records) comes last and
 *   grows with memory.grow when needed.
 */
import type { PackedScenario } from './scenario';

export type FieldType = 'i32' | 'f64';
type Len = (p: PackedScenario) => number;

interface Field {
  name: string;
  type: FieldType;
  len: Len;
  /** Input arrays are copied from the packed scenario; state and outputs are zeroed. */
  input: boolean;
}

const all = (n: keyof PackedScenario): Len => (p) => (p[n] as ArrayLike<number>).length;
const byT: Len = (p) => p.T;
const byP: Len = (p) => p.P;
const byC: Len = (p) => p.C;
const byR: Len = (p) => p.R;
const byDL: Len = (p) => p.deliveredLen;
const byNL: Len = (p) => p.numLinks;
const byQ: Len = (p) => p.totalReq;
const byTL: Len = (p) => p.R * p.timelineSlots;
const byTiles: Len = (p) => p.tileRouter.length;

function inp(name: string, type: FieldType, len?: Len): Field {
  return { name, type, len: len ?? all(name as keyof PackedScenario), input: true };
}
function st(name: string, type: FieldType, len: Len): Field {
  return { name, type, len, input: false };
}

/**
 * params f64[PARAMS]: [0] linkBw, [1] hopLat (inputs); [2] events, [3] transfers, [4] makespan,
 * [5] status (outputs); [6] torus flag, [7] event budget (inputs); [8] off-chip link busy seconds (output).
 */
export const PARAMS = 9;
export const FIELDS: Field[] = [
  inp('params', 'f64', () => PARAMS),
  inp('tReq', 'i32'), inp('tReqBase', 'i32'), inp('tCopies', 'i32'), inp('tRate', 'f64'), inp('tSeed', 'i32'),
  inp('tSrcStart', 'i32'), inp('tSrcCount', 'i32'), inp('srcReops', 'i32'),
  inp('phPreds', 'i32'), inp('phSuccStart', 'i32'), inp('phSuccCount', 'i32'), inp('phSucc', 'i32'), inp('phWrite', 'f64'), inp('phXfer', 'f64'),
  inp('phCopies', 'i32'), inp('phReopStart', 'i32'), inp('phReopCount', 'i32'), inp('phReops', 'i32'),
  inp('lRows', 'i32'), inp('lUnits', 'i32'), inp('lCopies', 'i32'), inp('lPhase', 'i32'), inp('lTenant', 'i32'),
  inp('lSlotStart', 'i32'), inp('lSlotCount', 'i32'), inp('lRowSplit', 'i32'),
  inp('lOutBytes', 'f64'), inp('lPsumBytes', 'f64'), inp('lMergeTime', 'f64'),
  inp('cLayer', 'i32'), inp('cIndex', 'i32'), inp('cFirstReop', 'i32'), inp('cPieces', 'i32'), inp('cGather', 'i32'),
  inp('rCopy', 'i32'), inp('rTile', 'i32'), inp('rInStart', 'i32'), inp('rInCount', 'i32'), inp('rTpu', 'f64'),
  inp('inSlot', 'i32'), inp('inNeedBase', 'i32'), inp('needTab', 'i32'),
  inp('sLayer', 'i32'), inp('sTile', 'i32'), inp('sDelivBase', 'i32'), inp('sConsStart', 'i32'), inp('sConsCount', 'i32'), inp('sCons', 'i32'),
  inp('delivSlot', 'i32'), inp('tileRouter', 'i32'), inp('rPort', 'f64'),
  // state
  st('rReq', 'i32', byR), st('rRow', 'i32', byR), st('rBusy', 'i32', byR), st('rStart', 'f64', byR),
  st('gathered', 'i32', byR), st('lastGatherArr', 'f64', byR),
  st('cEmitted', 'i32', byC), st('cMergeBusy', 'i32', byC),
  st('delivered', 'i32', byDL), st('lastArr', 'f64', byDL),
  st('linkFree', 'f64', byNL), st('linkStamp', 'i32', byNL),
  st('phStarted', 'i32', byP), st('phPending', 'i32', byP), st('phDoneCopies', 'i32', byP),
  st('reqCopiesDone', 'i32', byQ), st('portFree', 'f64', byTiles),
  // outputs
  st('reqArrival', 'f64', byQ), st('reqDone', 'f64', byQ),
  st('rBusyTime', 'f64', byR), st('rUnitsDone', 'f64', byR), st('cMergeUnits', 'f64', byC), st('tByteHops', 'f64', byT),
  st('phStart', 'f64', byP), st('phEnd', 'f64', byP), st('linkBusy', 'f64', byNL),
  st('tlStart', 'f64', byTL), st('tlEnd', 'f64', byTL), st('tlBusy', 'f64', byTL), st('tlCount', 'i32', byR),
];

export const HEADER_COUNTS = 12;
/** Bytes of one heap record: t f64, seq i32, kind i32, id i32, padding. */
export const HEAP_RECORD_BYTES = 24;

export interface Layout {
  /** Total bytes from base (header, fields, initial heap). */
  bytes: number;
  /** Byte offset from base of each field. */
  offsets: Map<string, { offset: number; length: number; type: FieldType; input: boolean }>;
  heapOffset: number;
  /** First state byte (everything from here to the heap is zeroed before a run). */
  stateOffset: number;
}

const align16 = (n: number): number => (n + 15) & ~15;

export function computeLayout(p: PackedScenario): Layout {
  let off = align16(4 * (HEADER_COUNTS + FIELDS.length + 1));
  const offsets: Layout['offsets'] = new Map();
  let stateOffset = -1;
  for (const f of FIELDS) {
    if (!f.input && stateOffset < 0) stateOffset = off;
    const length = f.len(p);
    offsets.set(f.name, { offset: off, length, type: f.type, input: f.input });
    off = align16(off + length * (f.type === 'f64' ? 8 : 4));
  }
  const heapOffset = off;
  // initial heap: every re-operator, copy, phase and request may hold one pending event at once
  const heapCap = Math.max(1024, 2 * (p.R + p.C + p.P + p.totalReq + p.deliveredLen));
  return { bytes: heapOffset + heapCap * HEAP_RECORD_BYTES, offsets, heapOffset, stateOffset };
}
