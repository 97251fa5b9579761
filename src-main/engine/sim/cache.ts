/**
 * Simulations already run, remembered by their whole scenario. The event loop is deterministic
 * (same scenario, same result), so a scenario met again (the alone-on-chip run of a tenant, chip
 * and share met by an earlier run; a baseline shared by the strategies of a sweep; a candidate
 * equal to another) is answered from here instead of simulated again. A scenario is found by a
 * hash of its whole code (ScenarioCoder: every value of the scenario, exactly) and a hit compares
 * the codes whole, so a hit cannot be a collision. Least recently used entries go first once the
 * codes and results pass `maxBytes`; an entry above the largest kept for its chip's size is not
 * kept (on a 256x256 chip one simulation's code and result are tens of megabytes).
 */
import type { Scenario } from './scenario';
import type { SimResult } from './summary';
import { WeightedLru } from '../weighted-lru';
import { MEMORY_FIRST_TILES } from '../limits';

/** Bytes kept by default: hundreds of simulations of a 32x32 chip. */
const DEFAULT_MAX_BYTES = 128 * 2 ** 20;

/**
 * Bytes of the largest entry kept by default (key and result), on chips up to 128x128 tiles. There
 * a run's candidates are 4-11 MB each, and a run meets some again (its learning loop's last plan,
 * refereed; a runner-up equal to a plan the loop measured): with a 4 MiB largest entry the
 * four-tenant run at 128x128 simulated three of them twice, 0.76 s of its loop (docs/performance.md,
 * "Runners-up stopped early").
 */
const DEFAULT_MAX_ENTRY_BYTES = 16 * 2 ** 20;

/**
 * The largest entry above 128x128 tiles (MEMORY_FIRST_TILES), where memory comes first. A 256x256
 * simulation's entry is not kept (its code alone is 21-24 MB): kept, such entries held 50-75 MiB of
 * the four-tenant run's peak at 256x256, and their hits saved no measurable CPU; entries of 4-16 MiB
 * held 75 MiB of the sixteen-tenant run's (docs/performance.md, "Memory at 256x256").
 */
const DEFAULT_MEMORY_FIRST_MAX_ENTRY_BYTES = 4 * 2 ** 20;

/** Tiles of a scenario's chip. */
function scenarioTiles(s: Scenario): number {
  return s.tileRouter?.length ?? s.mesh.rows * s.mesh.cols;
}

/** Bytes a result holds, near enough: what grows with the chip (per re-operator and per tile arrays, the timeline) and a fixed part. */
export function resultBytes(r: SimResult): number {
  const t = r.timeline;
  const perReop = r.reop_busy_s.length + r.reop_units.length + r.reop_stall_s.length;
  const rows = r.tile_busy_s.length + r.buffers.tiles.length + r.buffers.stages.length + r.tenants.length + r.phases.length;
  return t.first.byteLength + t.tenant.byteLength + t.start.byteLength + t.end.byteLength + t.busy.byteLength + 8 * perReop + 64 * rows + 1024;
}

/** Numbers of scratch kept between scenarios (1 MiB). */
const SCRATCH_KEPT = 1 << 17;

/** -0 as 0 (JSON wrote both as 0); NaN stays NaN (codes compare it equal to itself). */
function z(x: number): number {
  return x === 0 ? 0 : x;
}

/**
 * A scenario written out whole as numbers, field by field in the order of its type (scenario.ts),
 * so that two scenarios have equal codes exactly when they are the same scenario: a number as
 * itself (-0 as 0), a boolean as 1 or 0, a string as its length and character codes, a list as
 * its length and elements, an optional field as 0 when absent (or undefined, as JSON left it out)
 * and 1 and its value when present. Every list is led by its length and every optional field by
 * its mark, so the code reads back to one scenario only. Numbers are kept exactly, none turned
 * into text. Written from the known shape, not by a walk of the object's keys, which cost about
 * as much as the JSON it replaced; a field added to the scenario's types must be added here.
 */
class ScenarioCoder {
  private buf = new Float64Array(SCRATCH_KEPT);
  private n = 0;

  /** The code of `scenario` (its own array). */
  code(s: Scenario): Float64Array {
    this.n = 0;
    this.num(s.mesh.rows);
    this.num(s.mesh.cols);
    this.optBool(s.mesh.torus);
    this.optNums(s.tileRouter);
    this.num(s.noc.linkBytesPerS);
    this.num(s.noc.hopLatencyS);
    this.num(s.noc.energyPerByteHopJ);
    this.push(s.components.length);
    for (const c of s.components) this.str(c);
    this.num(s.nocComponent);
    this.num(s.mergeComponent);
    this.num(s.reprogramComponent);
    this.num(s.leakageComponent);
    this.num(s.tileLeakageW);
    if (s.powerPolicy === undefined) this.push(0);
    else {
      this.push(1);
      this.str(s.powerPolicy);
    }
    this.optNum(s.wakeEnergyJ);
    this.optNum(s.idleTiles);
    this.optNum(s.timelineSlots);
    this.optNum(s.maxEvents);
    this.optBool(s.trace);
    this.optNums(s.tileBufferBytes);
    this.push(s.tenants.length);
    for (const t of s.tenants) {
      this.str(t.name);
      this.num(t.requests);
      this.optNum(t.arrivalRate);
      this.optNum(t.seed);
      this.optNum(t.clients);
      this.optNums(t.arrivals);
      this.optBool(t.turns);
    }
    this.push(s.phases.length);
    for (const p of s.phases) {
      this.num(p.tenant);
      this.num(p.writeTimeS);
      this.optNum(p.transferTimeS);
      this.num(p.writeEnergyJ);
      this.nums(p.after);
      this.optNums(p.again);
    }
    this.push(s.layers.length);
    for (const l of s.layers) {
      this.str(l.name);
      this.room(9);
      const b = this.buf;
      b[this.n++] = l.tenant;
      b[this.n++] = l.phase;
      b[this.n++] = l.rows;
      b[this.n++] = l.unitsPerRow;
      b[this.n++] = l.rowSplit ? 1 : 0;
      b[this.n++] = z(l.outBytesPerRow);
      b[this.n++] = z(l.psumBytesPerRow);
      b[this.n++] = z(l.mergeTimePerUnitS);
      b[this.n++] = z(l.mergeEnergyPerUnitJ);
    }
    this.push(s.reops.length);
    for (const r of s.reops) {
      const e = r.energyPerUnitJ;
      this.room(11 + e.length);
      const b = this.buf;
      b[this.n++] = r.layer;
      b[this.n++] = r.copy;
      b[this.n++] = r.piece;
      b[this.n++] = r.tile;
      b[this.n++] = z(r.timePerUnitS);
      if (r.portTimePerUnitS === undefined) b[this.n++] = 0;
      else {
        b[this.n++] = 1;
        b[this.n++] = z(r.portTimePerUnitS);
      }
      b[this.n++] = e.length;
      for (let i = 0; i < e.length; i++) b[this.n++] = z(e[i]!);
      if (r.crossbars === undefined) b[this.n++] = 0;
      else {
        b[this.n++] = 1;
        b[this.n++] = z(r.crossbars);
      }
    }
    this.push(s.edges.length);
    for (const e of s.edges) {
      this.num(e.from);
      this.num(e.to);
      this.num(e.scale);
      this.num(e.offset);
      this.optNum(e.window);
      this.optNum(e.hold);
    }
    const code = this.buf.slice(0, this.n);
    // A large chip's scratch (tens of megabytes) is not kept between scenarios.
    if (this.buf.length > SCRATCH_KEPT) this.buf = new Float64Array(SCRATCH_KEPT);
    return code;
  }

  /** Makes room for `k` more numbers. */
  private room(k: number): void {
    while (this.n + k > this.buf.length) {
      const grown = new Float64Array(this.buf.length * 2);
      grown.set(this.buf);
      this.buf = grown;
    }
  }

  private push(x: number): void {
    if (this.n === this.buf.length) this.room(1);
    this.buf[this.n++] = x;
  }

  private num(x: number): void {
    this.push(z(x));
  }

  private optNum(x: number | undefined): void {
    if (x === undefined) this.push(0);
    else {
      this.push(1);
      this.push(z(x));
    }
  }

  private optBool(x: boolean | undefined): void {
    if (x === undefined) this.push(0);
    else {
      this.push(1);
      this.push(x ? 1 : 0);
    }
  }

  private str(x: string): void {
    this.room(1 + x.length);
    this.buf[this.n++] = x.length;
    for (let i = 0; i < x.length; i++) this.buf[this.n++] = x.charCodeAt(i);
  }

  private nums(a: readonly number[]): void {
    this.room(1 + a.length);
    const b = this.buf;
    b[this.n++] = a.length;
    for (let i = 0; i < a.length; i++) b[this.n++] = z(a[i]!);
  }

  private optNums(a: readonly number[] | undefined): void {
    if (a === undefined) this.push(0);
    else {
      this.push(1);
      this.nums(a);
    }
  }
}

/** Bytes of a scenario's code at the least: eight numbers per re-operator (ScenarioCoder.code). */
export function codeBytesAtLeast(s: Scenario): number {
  return 8 * 8 * s.reops.length;
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

/** The code a scenario is remembered by (equal codes: the same scenario). */
export function scenarioCode(scenario: Scenario): Float64Array {
  return new ScenarioCoder().code(scenario);
}

/** Bytes a scenario's key holds in the cache (its code). */
export function scenarioKeyBytes(scenario: Scenario): number {
  return scenarioCode(scenario).byteLength;
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

  constructor(
    maxBytes = DEFAULT_MAX_BYTES,
    private readonly maxEntryBytes = DEFAULT_MAX_ENTRY_BYTES,
    private readonly memoryFirstMaxEntryBytes = DEFAULT_MEMORY_FIRST_MAX_ENTRY_BYTES,
  ) {
    this.entries = new WeightedLru(maxBytes);
  }

  /** The largest entry kept for a scenario on its chip. */
  private entryCap(s: Scenario): number {
    return scenarioTiles(s) > MEMORY_FIRST_TILES ? Math.min(this.maxEntryBytes, this.memoryFirstMaxEntryBytes) : this.maxEntryBytes;
  }

  /** The result of `scenario`, simulated by `run` unless it was met before. */
  get(scenario: Scenario, run: () => SimResult): SimResult;
  /** The same, for a run that may stop before the end (a referee's early stop): a stopped run is not remembered. */
  get<S extends object>(scenario: Scenario, run: () => SimResult | S): SimResult | S;
  get<S extends object>(scenario: Scenario, run: () => SimResult | S): SimResult | S {
    // Never kept, so never found: not coded (on a 256x256 chip the code and its scratch are tens of megabytes).
    const cap = this.entryCap(scenario);
    if (codeBytesAtLeast(scenario) > cap) {
      this.misses++;
      return run();
    }
    const code = this.coder.code(scenario);
    const hash = hashCode(code);
    const known = this.entries.get(hash)?.find((e) => sameCode(e.code, code));
    if (known) {
      this.hits++;
      return known.result;
    }
    this.misses++;
    const result = run();
    if (isResult(result)) this.keep(hash, code, result, this.recording, cap);
    return result;
  }

  /**
   * `get` for a simulation run on a pool thread (sim/pool.ts): a scenario remembered or under way
   * is not sent again. A failed simulation is not remembered (the next ask runs it again). The
   * synchronous `get` does not wait for one under way (it cannot): it simulates in-thread, with
   * the same result.
   */
  getAsync(scenario: Scenario, run: () => Promise<SimResult>): Promise<SimResult> {
    const cap = this.entryCap(scenario);
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
          this.keep(hash, code, result, note, cap);
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
      // Kept there under its chip's largest entry, which is this cache's too.
      if (!this.entries.get(hash)?.some((e) => sameCode(e.code, k.code))) this.keep(hash, k.code, k.result, false, this.maxEntryBytes);
    }
  }

  private keep(hash: number, code: Float64Array, result: SimResult, note: boolean, cap: number): void {
    if (code.byteLength + resultBytes(result) > cap) return;
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
