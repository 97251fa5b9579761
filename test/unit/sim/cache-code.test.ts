/**
 * The code a scenario is remembered by (sim/cache.ts) is written field by field from the
 * scenario's type: every field must be in it, or two different scenarios would share a code and
 * the second be answered with the first's result. Each field of a scenario that sets every
 * optional field is changed in turn (a number, a boolean, a string, a list's length, an optional
 * field left out); every change must change the code, and a copy must keep it.
 */
import { describe, expect, it } from 'vitest';
import { scenarioCode } from '../../../src-main/engine/sim/cache';
import type { Scenario } from '../../../src-main/engine/sim/scenario';

/** Every field required, down the tree: a field added to the scenario's types must be set here. */
type Full<T> = { [K in keyof T]-?: NonNullable<T[K]> extends (infer U)[] ? (U extends object ? Full<U>[] : U[]) : NonNullable<T[K]> extends object ? Full<NonNullable<T[K]>> : NonNullable<T[K]> };

const full: Full<Scenario> = {
  mesh: { rows: 1, cols: 2, torus: true },
  tileRouter: [0, 1],
  noc: { linkBytesPerS: 1e9, hopLatencyS: 1e-9, energyPerByteHopJ: 1e-12 },
  components: ['mvm', 'noc'],
  nocComponent: 1,
  mergeComponent: 0,
  reprogramComponent: 0,
  leakageComponent: 0,
  tileLeakageW: 0.5,
  powerPolicy: 'idle',
  wakeEnergyJ: 1e-9,
  idleTiles: 3,
  timelineSlots: 16,
  maxEvents: 1000,
  trace: false,
  tileBufferBytes: [64, 128],
  tenants: [{ name: 't', requests: 2, arrivalRate: 1, seed: 7, clients: 1, arrivals: [0, 1], turns: false }],
  phases: [{ tenant: 0, writeTimeS: 1e-6, transferTimeS: 2e-6, writeEnergyJ: 1e-9, after: [0], again: [0] }],
  layers: [{ name: 'l', tenant: 0, phase: 0, rows: 4, unitsPerRow: 2, rowSplit: true, outBytesPerRow: 8, psumBytesPerRow: 4, mergeTimePerUnitS: 1e-9, mergeEnergyPerUnitJ: 2e-9 }],
  reops: [{ layer: 0, copy: 0, piece: 0, tile: 1, timePerUnitS: 1e-6, portTimePerUnitS: 2e-7, energyPerUnitJ: [1e-9, 0], crossbars: 4 }],
  edges: [{ from: 0, to: 0, scale: 1, offset: 0, window: 2, hold: 3 }],
};

/** Every changed copy of `full`, each named by its path and change. */
function changes(): [string, Scenario][] {
  const out: [string, Scenario][] = [];
  const walk = (v: unknown, path: (string | number)[]): void => {
    const change = (what: string, f: (parent: Record<string | number, unknown>, key: string | number) => void): void => {
      const copy = structuredClone(full) as unknown as Record<string | number, unknown>;
      let parent = copy;
      for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
      f(parent, path[path.length - 1]!);
      out.push([`${path.join('.')} ${what}`, copy as unknown as Scenario]);
    };
    if (path.length && !Array.isArray(v)) change('left out', (p, k) => (Array.isArray(p) ? p.splice(k as number, 1) : delete p[k]));
    if (typeof v === 'number') change('+1', (p, k) => (p[k] = v + 1));
    else if (typeof v === 'boolean') change('flipped', (p, k) => (p[k] = !v));
    else if (typeof v === 'string') change('longer', (p, k) => (p[k] = `${v}x`));
    else if (Array.isArray(v)) {
      change('longer', (p, k) => (p[k] = [...v, structuredClone(v[0])]));
      v.forEach((x, i) => walk(x, [...path, i]));
    } else for (const [k, x] of Object.entries(v as object)) walk(x, [...path, k]);
  };
  walk(full, []);
  return out;
}

describe('the code of a scenario', () => {
  const base = scenarioCode(full as Scenario);

  it('is the same for a copy', () => {
    expect(Array.from(scenarioCode(structuredClone(full) as Scenario))).toEqual(Array.from(base));
  });

  it('changes with every field of the scenario', () => {
    const same = changes().filter(([, s]) => {
      let c: Float64Array;
      try {
        c = scenarioCode(s);
      } catch {
        return false; // a required field left out: no code, so no wrong answer
      }
      return c.length === base.length && c.every((x, i) => Object.is(x, base[i]));
    });
    expect(same.map(([what]) => what)).toEqual([]);
  });
});
