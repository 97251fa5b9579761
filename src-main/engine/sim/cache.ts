/**
 * Simulations already run, remembered by their whole scenario. The event loop is deterministic
 * (same scenario, same result), so a scenario met again (the alone-on-chip run of a tenant, chip
 * and share met by an earlier run; a baseline shared by the strategies of a sweep; a candidate
 * equal to another) is answered from here instead of simulated again. The key is the scenario
 * itself serialized (JSON keeps every number exactly), never a hash of it, so a hit cannot be a
 * collision. Least recently used entries go first once the keys pass `maxKeyChars`.
 */
import type { Scenario } from './scenario';
import type { SimResult } from './summary';

/** Key characters kept by default (about 64 MB of keys: hundreds of simulations of a 32x32 chip). */
const DEFAULT_MAX_KEY_CHARS = 64 * 2 ** 20;

export class SimulationCache {
  private readonly entries = new Map<string, SimResult>();
  private chars = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly maxKeyChars = DEFAULT_MAX_KEY_CHARS) {}

  /** The result of `scenario`, simulated by `run` unless it was met before. */
  get(scenario: Scenario, run: () => SimResult): SimResult {
    const key = JSON.stringify(scenario);
    const known = this.entries.get(key);
    if (known) {
      this.hits++;
      // Most recently used last: Map keeps insertion order.
      this.entries.delete(key);
      this.entries.set(key, known);
      return known;
    }
    this.misses++;
    const result = run();
    if (key.length > this.maxKeyChars) return result;
    this.entries.set(key, result);
    this.chars += key.length;
    for (const [k] of this.entries) {
      if (this.chars <= this.maxKeyChars) break;
      this.entries.delete(k);
      this.chars -= k.length;
    }
    return result;
  }
}
