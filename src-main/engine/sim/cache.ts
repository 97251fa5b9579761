/**
 * Simulations already run, remembered by their whole scenario. The event loop is deterministic
 * (same scenario, same result), so a scenario met again (the alone-on-chip run of a tenant, chip
 * and share met by an earlier run; a baseline shared by the strategies of a sweep; a candidate
 * equal to another) is answered from here instead of simulated again. The key is the scenario
 * itself serialized (JSON keeps every number exactly), never a hash of it, so a hit cannot be a
 * collision. Least recently used entries go first once the keys and results pass `maxBytes`
 * (on a 256x256 chip one simulation's key and result are tens of megabytes).
 */
import type { Scenario } from './scenario';
import type { SimResult } from './summary';
import { WeightedLru } from '../weighted-lru';

/** Bytes kept by default: hundreds of simulations of a 32x32 chip, a few of a 256x256 one. */
const DEFAULT_MAX_BYTES = 128 * 2 ** 20;

/** Bytes a result holds, near enough: what grows with the chip (per re-operator and per tile arrays, the timeline) and a fixed part. */
export function resultBytes(r: SimResult): number {
  const t = r.timeline;
  const perReop = r.reop_busy_s.length + r.reop_units.length + r.reop_stall_s.length;
  const rows = r.tile_busy_s.length + r.buffers.tiles.length + r.buffers.stages.length + r.tenants.length + r.phases.length;
  return t.first.byteLength + t.tenant.byteLength + t.start.byteLength + t.end.byteLength + t.busy.byteLength + 8 * perReop + 64 * rows + 1024;
}

/** A key's bytes: JSON of a scenario is ASCII, one byte a character in the engine's strings. */
const keyBytes = (key: string): number => key.length;

export class SimulationCache {
  private readonly entries: WeightedLru<string, SimResult>;
  hits = 0;
  misses = 0;

  constructor(maxBytes = DEFAULT_MAX_BYTES) {
    this.entries = new WeightedLru(maxBytes);
  }

  /** The result of `scenario`, simulated by `run` unless it was met before. */
  get(scenario: Scenario, run: () => SimResult): SimResult;
  /** The same, for a run that may stop before the end (a referee's early stop): a stopped run is not remembered. */
  get<S extends object>(scenario: Scenario, run: () => SimResult | S): SimResult | S;
  get<S extends object>(scenario: Scenario, run: () => SimResult | S): SimResult | S {
    const key = JSON.stringify(scenario);
    const known = this.entries.get(key);
    if (known) {
      this.hits++;
      return known;
    }
    this.misses++;
    const result = run();
    if (isResult(result)) this.entries.set(key, result, keyBytes(key) + resultBytes(result));
    return result;
  }
}

function isResult(r: object): r is SimResult {
  return !('stopped' in r);
}
