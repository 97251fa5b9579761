/**
 * Runs a packed scenario in Wasm: one `reserve`, one layout (layout.ts), inputs copied in once,
 * one `simRun` call for the whole event loop, results read back through typed-array views.
 */
import { RetileError } from '../errors';
import { FIELDS, HEADER_COUNTS, PARAMS, computeLayout } from './layout';
import type { SimRaw } from './reference';
import type { PackedScenario } from './scenario';
import type { RetileWasmExports } from './wasm';

export function simulateWasm(wasm: RetileWasmExports, p: PackedScenario): SimRaw {
  const layout = computeLayout(p);
  const base = wasm.reserve(layout.bytes);
  if (base === 0) throw new RetileError('limit', `scenario needs ${layout.bytes} bytes of Wasm memory, above the 4 GiB limit`);
  const buf = wasm.memory.buffer;
  const hdr = new Int32Array(buf, base, HEADER_COUNTS + FIELDS.length + 1);
  hdr.set([p.T, p.P, p.L, p.C, p.R, p.S, p.totalReq, p.meshRows, p.meshCols, p.timelineSlots, p.numLinks, p.deliveredLen]);
  FIELDS.forEach((f, i) => {
    const o = layout.offsets.get(f.name)!;
    hdr[HEADER_COUNTS + i] = base + o.offset;
    if (!f.input || f.name === 'params') return;
    const src = (p as unknown as Record<string, Int32Array | Float64Array>)[f.name];
    if (f.type === 'f64') new Float64Array(buf, base + o.offset, o.length).set(src);
    else new Int32Array(buf, base + o.offset, o.length).set(src);
  });
  hdr[HEADER_COUNTS + FIELDS.length] = base + layout.heapOffset;
  const params = new Float64Array(buf, base + layout.offsets.get('params')!.offset, PARAMS);
  params.fill(0);
  params[0] = p.linkBw;
  params[1] = p.hopLat;
  params[6] = p.torus;
  params[7] = p.maxEvents;
  new Uint8Array(buf, base + layout.stateOffset, layout.heapOffset - layout.stateOffset).fill(0);

  const status = wasm.simRun(base);

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
  const out = new Float64Array(mem, base + layout.offsets.get('params')!.offset, PARAMS);
  return {
    status,
    events: out[2],
    transfers: out[3],
    makespan: out[4],
    offchipBusy: out[8],
    reqArrival: f64('reqArrival'),
    reqDone: f64('reqDone'),
    rBusyTime: f64('rBusyTime'),
    rUnitsDone: f64('rUnitsDone'),
    cMergeUnits: f64('cMergeUnits'),
    tByteHops: f64('tByteHops'),
    phStart: f64('phStart'),
    phEnd: f64('phEnd'),
    linkBusy: f64('linkBusy'),
    tlStart: f64('tlStart'),
    tlEnd: f64('tlEnd'),
    tlBusy: f64('tlBusy'),
    tlCount: i32('tlCount'),
  };
}
