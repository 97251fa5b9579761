/**
 * Runs a packed scenario in Wasm: one `reserve`, the layout of layout.ts, inputs copied in once,
 * `simBegin` then the event loop in `simResume` slices (EVENTS_PER_SLICE), results read back
 * through typed-array views.
 */
import { RetileError } from '../errors';
import { COUNTS, FIELDS, PARAMS, PARAM_COUNT, computeLayout, type ParamName } from './layout';
import type { PackedScenario, Scenario } from './scenario';
import type { RetileWasmExports } from './wasm';

/** simResume's status when its slice ran out before the loop ended (assembly/sim.ts). */
const SIM_PAUSED = 3;

/** What the event loop writes back, indexed in packed order (re-operators by PackedScenario.reopOrder). */
export interface SimRaw {
  /** 0: every request completed; 1: some request never completed; 2: the event budget ran out. */
  status: number;
  events: number;
  transfers: number;
  makespan: number;
  /** Seconds the off-chip link carried weight transfers. */
  offchipBusy: number;
  /** Time of the last event (the last delivery; after the makespan when rows nobody reads are still in flight). */
  lastEvent: number;
  reqArrival: Float64Array;
  reqDone: Float64Array;
  rBusyTime: Float64Array;
  rUnitsDone: Float64Array;
  cMergeUnits: Float64Array;
  tByteHops: Float64Array;
  phStart: Float64Array;
  phEnd: Float64Array;
  /** Turns each phase ran, each with its weight load (1 for every phase of a burst). */
  phTurns: Int32Array;
  linkBusy: Float64Array;
  /** Seconds each tile's buffer port was held. */
  portBusy: Float64Array;
  /** Seconds each copy waited, ready, for room in a consumer tile's buffer. */
  cStall: Float64Array;
  /** Peak bytes reserved in each tile's input buffer. */
  bufPeak: Float64Array;
  /** Rows let through a full buffer to break a deadlock. */
  overcommits: number;
  tlStart: Float64Array;
  tlEnd: Float64Array;
  tlBusy: Float64Array;
  tlCount: Int32Array;
  /** The row trace (empty unless Scenario.trace): entry rTraceBase[k] + i x rows + r. */
  trStart: Float64Array;
  trEnd: Float64Array;
  trCount: Int32Array;
}

/**
 * Events per slice: a few milliseconds of loop at the Wasm event rate (bench/results/sim.json), so
 * progress reports come many times a second and cost nothing measurable. The loop always runs in
 * slices, progress or not: engines run a Wasm function's first calls in baseline code and use its
 * optimized code only from its next call on (V8 has no on-stack replacement for Wasm), so one
 * call for the whole loop ran a thread's first simulation in baseline code to its end, while in
 * slices the loop is optimized a few slices in (docs/performance.md, "The event loop").
 */
const EVENTS_PER_SLICE = 20_000;

/**
 * Called between slices of the loop with the fraction of rows computed (every re-operator runs
 * each row of each request of its tenant exactly once). May throw (a cancel): the run is abandoned.
 */
export type SimProgress = (fraction: number) => void;

/**
 * Rows the loop will compute, per layer and in all: per re-operator, its layer's rows times its
 * tenant's requests. Each is one completion event, so the total is a lower bound on the events.
 */
/** rowsToCompute's total from the scenario itself, before it is packed (the learning loop's budget check). */
export function scenarioRowsToCompute(s: Scenario): number {
  let total = 0;
  for (const r of s.reops) {
    const layer = s.layers[r.layer]!;
    total += layer.rows * s.tenants[layer.tenant]!.requests;
  }
  return total;
}

export function rowsToCompute(p: PackedScenario): { total: number; perLayer: Float64Array } {
  const perLayer = new Float64Array(p.L);
  let total = 0;
  for (let k = 0; k < p.R; k++) {
    const layer = p.cLayer[p.rCopy[k]!]!;
    const n = p.lRows[layer]! * p.tReq[p.lTenant[layer]!]!;
    perLayer[layer] += n;
    total += n;
  }
  return { total, perLayer };
}

/**
 * A lower bound on the makespan at a pause, from each re-operator's work still to do: it runs its
 * rows one at a time, each for at least its units x timePerUnitS (a row ends at the later of its
 * compute and its port time), none starts before the clock, and the last request completes only
 * after every re-operator's last row. Units not yet done are its units for every request less
 * those done (`rUnitsDone`, counted when a row ends) less one row's most (the row in progress).
 * Scaled down by 1e-9 for the rounding of the loop's sums of row times (under 1e-9 relative for
 * fewer than 9 million rows per re-operator).
 */
function remainingWork(p: PackedScenario): (clock: number, unitsDone: Float64Array) => number {
  const total = new Float64Array(p.R);
  const row = new Float64Array(p.R);
  for (let k = 0; k < p.R; k++) {
    const c = p.rCopy[k]!;
    const layer = p.cLayer[c]!;
    const d = p.lCopies[layer]!;
    const W = p.lUnits[layer]!;
    const n = p.lRows[layer]! * W;
    const ci = p.cIndex[c]!;
    total[k] = (n > ci ? Math.floor((n - ci - 1) / d) + 1 : 0) * p.tReq[p.lTenant[layer]!]!;
    row[k] = Math.ceil(W / d);
  }
  return (clock, unitsDone) => {
    let most = 0;
    for (let k = 0; k < p.R; k++) {
      const left = total[k]! - unitsDone[k]! - row[k]!;
      if (left > 0) most = Math.max(most, left * p.rTpu[k]!);
    }
    return most > 0 ? (clock + most) * (1 - 1e-9) : 0;
  };
}

/** A simulation stopped once its clock reached `stopAtS` with a request still open: its makespan is at least that. */
export interface SimStopped {
  stopped: true;
  /** Events run before it stopped. */
  events: number;
}

export function simulateWasm(wasm: RetileWasmExports, p: PackedScenario, progress?: SimProgress): SimRaw;
/**
 * With `stopAtS`: the loop runs in slices and stops at the first pause where its clock (the last
 * event taken out) is at least `stopAtS` while some request is not done, or where the clock plus
 * the work some re-operator has still to do (remainingWorkBound) is. Events are taken out in
 * time order, so that request completes no earlier: the makespan is at least `stopAtS`, which is
 * all a referee that keeps only a strictly faster candidate needs to know.
 */
export function simulateWasm(wasm: RetileWasmExports, p: PackedScenario, progress: SimProgress | undefined, stopAtS: number): SimRaw | SimStopped;
export function simulateWasm(wasm: RetileWasmExports, p: PackedScenario, progress?: SimProgress, stopAtS?: number): SimRaw | SimStopped {
  const layout = computeLayout(p);
  const base = wasm.reserve(layout.bytes);
  if (base === 0) throw new RetileError('limit', `scenario needs ${layout.bytes} bytes of Wasm memory, above the 4 GiB limit`);
  const buf = wasm.memory.buffer;
  const hdr = new Int32Array(buf, base, COUNTS.length + FIELDS.length + 1);
  hdr.set(COUNTS.map((c) => p[c]));
  const packed = p as unknown as Record<string, Int32Array | Float64Array>;
  FIELDS.forEach((f, i) => {
    const o = layout.offsets.get(f.name)!;
    hdr[COUNTS.length + i] = base + o.offset;
    if (f.kind !== 'input' || f.name === 'params') return;
    if (f.type === 'f64') new Float64Array(buf, base + o.offset, o.length).set(packed[f.name]!);
    else new Int32Array(buf, base + o.offset, o.length).set(packed[f.name]!);
  });
  hdr[COUNTS.length + FIELDS.length] = base + layout.heapOffset;
  const params = new Float64Array(buf, base + layout.offsets.get('params')!.offset, PARAM_COUNT);
  const inputs: Partial<Record<ParamName, number>> = { linkBw: p.linkBw, hopLat: p.hopLat, torus: p.torus, maxEvents: p.maxEvents };
  for (const [name, slot] of Object.entries(PARAMS)) params[slot.index] = inputs[name as ParamName] ?? 0;
  new Uint8Array(buf, base + layout.stateOffset, layout.heapOffset - layout.stateOffset).fill(0);

  let status: number;
  if (!progress && stopAtS === undefined) {
    wasm.simBegin(base);
    while ((status = wasm.simResume(EVENTS_PER_SLICE)) === SIM_PAUSED);
  } else {
    const rows = rowsToCompute(p).total || 1;
    const at = base + layout.offsets.get('params')!.offset;
    const done = layout.offsets.get('reqDone')!;
    const unitsDone = layout.offsets.get('rUnitsDone')!;
    const work = stopAtS === undefined ? null : remainingWork(p);
    wasm.simBegin(base);
    // Memory may grow inside a slice: the views are taken after each one.
    while ((status = wasm.simResume(EVENTS_PER_SLICE)) === SIM_PAUSED) {
      const out = new Float64Array(wasm.memory.buffer, at, PARAM_COUNT);
      progress?.(out[PARAMS.rowsDone.index]! / rows);
      const clock = out[PARAMS.lastEvent.index]!;
      const open = (): boolean => new Float64Array(wasm.memory.buffer, base + done.offset, done.length).some((t) => t < 0);
      if (work && ((clock >= stopAtS! && open()) || work(clock, new Float64Array(wasm.memory.buffer, base + unitsDone.offset, unitsDone.length)) >= stopAtS!)) {
        progress?.(1);
        return { stopped: true, events: out[PARAMS.events.index]! };
      }
    }
    progress?.(1);
  }

  // memory may have grown during the run: views are taken afresh
  const mem = wasm.memory.buffer;
  const f64 = (name: string): Float64Array => {
    const o = layout.offsets.get(name)!;
    return new Float64Array(mem, base + o.offset, o.length).slice();
  };
  const i32 = (name: string): Int32Array => {
    const o = layout.offsets.get(name)!;
    return new Int32Array(mem, base + o.offset, o.length).slice();
  };
  const out = new Float64Array(mem, base + layout.offsets.get('params')!.offset, PARAM_COUNT);
  return {
    status,
    events: out[PARAMS.events.index]!,
    transfers: out[PARAMS.transfers.index]!,
    makespan: out[PARAMS.makespan.index]!,
    offchipBusy: out[PARAMS.offchipBusy.index]!,
    lastEvent: out[PARAMS.lastEvent.index]!,
    reqArrival: f64('reqArrival'),
    reqDone: f64('reqDone'),
    rBusyTime: f64('rBusyTime'),
    rUnitsDone: f64('rUnitsDone'),
    cMergeUnits: f64('cMergeUnits'),
    tByteHops: f64('tByteHops'),
    phStart: f64('phStart'),
    phEnd: f64('phEnd'),
    phTurns: i32('phTurns'),
    linkBusy: f64('linkBusy'),
    portBusy: f64('portBusy'),
    cStall: f64('cStall'),
    bufPeak: f64('bufPeak'),
    overcommits: out[PARAMS.overcommits.index]!,
    tlStart: f64('tlStart'),
    tlEnd: f64('tlEnd'),
    tlBusy: f64('tlBusy'),
    tlCount: i32('tlCount'),
    trStart: f64('trStart'),
    trEnd: f64('trEnd'),
    trCount: i32('trCount'),
  };
}
