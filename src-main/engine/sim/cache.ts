/**
 * Simulations already run, remembered by their whole scenario. The event loop is deterministic
 * (same scenario, same result), so a scenario met again (the alone-on-chip run of a tenant, chip
 * and share met by an earlier run; a baseline shared by the strategies of a sweep; a candidate
 * equal to another) is answered from here instead of simulated again. A scenario is found by a
 * hash of its whole code (ScenarioCoder: every value of the scenario, exactly) and a hit compares
 * the codes whole, so a hit cannot be a collision. Least recently used entries go first once the
 * codes and results pass `maxBytes`; an entry above `maxEntryBytes` is not kept (on a 256x256 chip
 * one simulation's code and result are tens of megabytes).
 */
import type { Scenario } from './scenario';
import type { SimResult } from './summary';
import { WeightedLru } from '../weighted-lru';

/** Bytes kept by default: hundreds of simulations of a 32x32 chip. */
const DEFAULT_MAX_BYTES = 128 * 2 ** 20;

/**
 * Bytes of the largest entry kept by default (key and result). A 256x256 simulation's is not (its
 * code alone is 21-24 MB): kept, such entries held 50-75 MiB of the four-tenant run's peak at
 * 256x256, and their hits saved no measurable CPU (docs/performance.md, "Memory at 256x256").
 */
const DEFAULT_MAX_ENTRY_BYTES = 4 * 2 ** 20;

/** Bytes a result holds, near enough: what grows with the chip (per re-operator and per tile arrays, the timeline) and a fixed part. */
export function resultBytes(r: SimResult): number {
  const t = r.timeline;
  const perReop = r.reop_busy_s.length + r.reop_units.length + r.reop_stall_s.length;
  const rows = r.tile_busy_s.length + r.buffers.tiles.length + r.buffers.stages.length + r.tenants.length + r.phases.length;
  return t.first.byteLength + t.tenant.byteLength + t.start.byteLength + t.end.byteLength + t.busy.byteLength + 8 * perReop + 64 * rows + 1024;
}

/** Numbers of scratch kept between scenarios (1 MiB). */
const SCRATCH_KEPT = 1 << 17;

/** Value tags (an object's key numbers are >= 0, its end mark below them). */
const TAG = { number: 0, string: 1, true: 2, false: 3, undefined: 4, null: 5, array: 6, typed: 7, object: 8 } as const;
const END = -1;

/**
 * A scenario written out whole as numbers, so that two scenarios have equal codes exactly when
 * they are the same scenario: every value is a tag and its content (a number as itself, -0 as 0;
 * a string as its length and character codes; an array as its length and elements; an object as
 * its keys in order, each by a number the cache gives its name, then an end mark, leaving out
 * keys whose value is undefined, as JSON does). Numbers are kept exactly, as JSON kept them, but
 * none is turned into text, which was most of the cost of a JSON key.
 */
class ScenarioCoder {
  private buf = new Float64Array(SCRATCH_KEPT);
  private n = 0;
  private readonly names = new Map<string, number>();

  /** The code of `scenario` (its own array). */
  code(scenario: Scenario): Float64Array {
    this.n = 0;
    this.value(scenario);
    const code = this.buf.slice(0, this.n);
    // A large chip's scratch (tens of megabytes) is not kept between scenarios.
    if (this.buf.length > SCRATCH_KEPT) this.buf = new Float64Array(SCRATCH_KEPT);
    return code;
  }

  private push(x: number): void {
    if (this.n === this.buf.length) this.grow();
    this.buf[this.n++] = x;
  }

  private grow(): void {
    const grown = new Float64Array(this.buf.length * 2);
    grown.set(this.buf);
    this.buf = grown;
  }

  private value(v: unknown): void {
    switch (typeof v) {
      case 'number':
        this.push(TAG.number);
        this.push(v === 0 ? 0 : v);
        return;
      case 'string':
        this.push(TAG.string);
        this.push(v.length);
        for (let i = 0; i < v.length; i++) this.push(v.charCodeAt(i));
        return;
      case 'boolean':
        this.push(v ? TAG.true : TAG.false);
        return;
      case 'undefined':
        this.push(TAG.undefined);
        return;
      case 'object':
        break;
      default:
        throw new Error(`a scenario holds no ${typeof v}`);
    }
    if (v === null) {
      this.push(TAG.null);
    } else if (Array.isArray(v) || ArrayBuffer.isView(v)) {
      const a = v as ArrayLike<unknown>;
      this.push(Array.isArray(v) ? TAG.array : TAG.typed);
      this.push(a.length);
      for (let i = 0; i < a.length; i++) {
        const x = a[i];
        if (typeof x === 'number') {
          if (this.n + 2 > this.buf.length) this.grow();
          this.buf[this.n++] = TAG.number;
          this.buf[this.n++] = x === 0 ? 0 : x;
        } else this.value(x);
      }
    } else {
      this.push(TAG.object);
      const o = v as Record<string, unknown>;
      for (const k in o) {
        const x = o[k];
        if (x === undefined || typeof x === 'function') continue;
        let id = this.names.get(k);
        if (id === undefined) this.names.set(k, (id = this.names.size));
        this.push(id);
        this.value(x);
      }
      this.push(END);
    }
  }
}


/** A 32-bit hash of a code's bits (FNV-1a over its 32-bit words). */
function hashCode(code: Float64Array): number {
  const words = new Uint32Array(code.buffer, code.byteOffset, code.length * 2);
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i]!, 0x01000193);
  return h >>> 0;
}

function sameCode(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  return true;
}

/** Bytes a scenario's key holds in the cache (its code). */
export function scenarioKeyBytes(scenario: Scenario): number {
  return new ScenarioCoder().code(scenario).byteLength;
}

/** A remembered simulation as it crosses to another thread's cache (its scenario's code and its result). */
export interface KnownSim {
  code: Float64Array;
  result: SimResult;
}

export class SimulationCache {
  /** By the hash of a scenario's code: the scenarios met with that hash, each with its code (a hit compares it whole). */
  private readonly entries: WeightedLru<number, { code: Float64Array; result: SimResult }[]>;
  /** Simulations under way on a pool thread (sim/pool.ts), by the same hash: a second ask waits for the first. */
  private readonly pending = new Map<number, { code: Float64Array; result: Promise<SimResult> }[]>();
  private readonly coder = new ScenarioCoder();
  /** The entries kept while `recording` (`record`), for other threads' caches. */
  private recording = false;
  private recorded: KnownSim[] = [];
  hits = 0;
  misses = 0;

  constructor(maxBytes = DEFAULT_MAX_BYTES, private readonly maxEntryBytes = DEFAULT_MAX_ENTRY_BYTES) {
    this.entries = new WeightedLru(maxBytes);
  }

  /** The result of `scenario`, simulated by `run` unless it was met before. */
  get(scenario: Scenario, run: () => SimResult): SimResult;
  /** The same, for a run that may stop before the end (a referee's early stop): a stopped run is not remembered. */
  get<S extends object>(scenario: Scenario, run: () => SimResult | S): SimResult | S;
  get<S extends object>(scenario: Scenario, run: () => SimResult | S): SimResult | S {
    const code = this.coder.code(scenario);
    const hash = hashCode(code);
    const known = this.entries.get(hash)?.find((e) => sameCode(e.code, code));
    if (known) {
      this.hits++;
      return known.result;
    }
    this.misses++;
    const result = run();
    if (isResult(result)) this.keep(hash, code, result, this.recording);
    return result;
  }

  /**
   * `get` for a simulation run on a pool thread (sim/pool.ts): a scenario remembered or under way
   * is not sent again. A failed simulation is not remembered (the next ask runs it again). The
   * synchronous `get` does not wait for one under way (it cannot): it simulates in-thread, with
   * the same result.
   */
  getAsync(scenario: Scenario, run: () => Promise<SimResult>): Promise<SimResult> {
    const code = this.coder.code(scenario);
    const hash = hashCode(code);
    const known = this.entries.get(hash)?.find((e) => sameCode(e.code, code)) ?? this.pending.get(hash)?.find((e) => sameCode(e.code, code));
    if (known) {
      this.hits++;
      return Promise.resolve(known.result);
    }
    this.misses++;
    // Noted if asked while recording, whenever it ends.
    const note = this.recording;
    const settled = (): void => {
      const left = (this.pending.get(hash) ?? []).filter((e) => e !== underway);
      if (left.length) this.pending.set(hash, left);
      else this.pending.delete(hash);
    };
    const underway = {
      code,
      result: run().then(
        (result) => {
          settled();
          this.keep(hash, code, result, note);
          return result;
        },
        (e: unknown) => {
          settled();
          throw e;
        },
      ),
    };
    this.pending.set(hash, [...(this.pending.get(hash) ?? []), underway]);
    return underway.result;
  }

  /**
   * Starts (true) or stops (false) noting the entries this cache keeps of the scenarios asked for
   * meanwhile (one sent to a pool thread is noted when it comes back); `takeRecorded` hands them over.
   */
  record(on: boolean): void {
    this.recording = on;
  }

  /** The entries kept since the last call while recording (recording stays as it was). */
  takeRecorded(): KnownSim[] {
    const taken = this.recorded;
    this.recorded = [];
    return taken;
  }

  /**
   * Remembers simulations another thread ran (its `takeRecorded`): a scenario is one result
   * wherever it is simulated, so a later ask here is a hit. Not recorded again.
   */
  seed(known: readonly KnownSim[]): void {
    for (const k of known) {
      const hash = hashCode(k.code);
      if (!this.entries.get(hash)?.some((e) => sameCode(e.code, k.code))) this.keep(hash, k.code, k.result, false);
    }
  }

  private keep(hash: number, code: Float64Array, result: SimResult, note: boolean): void {
    if (code.byteLength + resultBytes(result) > this.maxEntryBytes) return;
    if (note) this.recorded.push({ code, result });
    // A scenario simulated in-thread while the same one was under way on the pool is kept once.
    const bucket = (this.entries.get(hash) ?? []).filter((e) => !sameCode(e.code, code));
    const kept = [...bucket, { code, result }];
    this.entries.set(hash, kept, kept.reduce((s, e) => s + e.code.byteLength + resultBytes(e.result), 0));
  }
}

function isResult(r: object): r is SimResult {
  return !('stopped' in r);
}
