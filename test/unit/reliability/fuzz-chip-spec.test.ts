/**
 * Random chip specs: the presets' JSON with fields replaced by wrong types, negatives, zeros,
 * huge or tiny values, or removed. parseChipSpec either refuses with a one-line RetileError
 * naming the file and field, or the chip carries a tiny model through mapping, direct
 * deployment and simulation to finite figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chipPreset, parseChipSpec, PRESET_NAMES } from '../../../src-main/engine/hardware';
import { mapGraph } from '../../../src-main/engine/mapping';
import { directDeployment } from '../../../src-main/engine/placement/direct';
import { simulateDeployment } from '../../../src-main/engine/pipeline/simulate-report';
import { toLayerGraph, zooGraph } from '../../../src-main/engine/workload';
import { setLimits } from '../../../src-main/engine/limits';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { loadTestWasm } from '../sim/load-wasm';
import { expectOneLine, FUZZ_TEST_TIMEOUT_MS, fuzz, Outcomes } from './fuzz-harness';

const MODELS = ['lenet5', 'resnet20-cifar'].map((n) => ({ name: n, graph: toLayerGraph(zooGraph(n, { batch: 1 })) }));
// Presets on a small mesh (isaac and puma are concentrated 2x2: even sides).
const BASES = PRESET_NAMES.map((p) => JSON.parse(JSON.stringify(chipPreset(p, [4, 4]))) as Record<string, unknown>);

let wasm: RetileWasmExports;
let restore: () => void;
beforeAll(async () => {
  wasm = await loadTestWasm();
  restore = setLimits({ maxSimEvents: 2_000_000 });
});
afterAll(() => restore());

/** Every path to a value in a JSON tree (objects and leaves). */
function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = prefix.length ? [prefix] : [];
  if (v !== null && typeof v === 'object') for (const [k, c] of Object.entries(v)) out.push(...paths(c, [...prefix, Array.isArray(v) ? Number(k) : k]));
  return out;
}

const DELETE = Symbol('delete');
/** Values a careless or hostile spec might hold. */
const badValue = fc.oneof(
  { arbitrary: fc.constant(DELETE), weight: 1 },
  { arbitrary: fc.integer({ min: -1000, max: 0 }), weight: 1 },
  // Extremes the schema's types accept are the interesting ones: weighted up.
  { arbitrary: fc.constantFrom(1e308, 1e30, 1e15, 2 ** 53, 2 ** 31, 1e-300, 5e-324, 1e-12, -0, 0.5, 1, 2, 3, 1e6), weight: 6 },
  { arbitrary: fc.double({ noNaN: false }), weight: 1 },
  { arbitrary: fc.string({ maxLength: 12 }), weight: 1 },
  { arbitrary: fc.constantFrom(null, true, false, [], {}, [1, 2], '32x32', 'NaN', '1e3'), weight: 1 },
);

function setAt(root: Record<string, unknown>, path: (string | number)[], value: unknown): void {
  let o = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === DELETE) delete o[last];
  else o[last] = value;
}

describe('fuzz: random chip specs', () => {
  it(
    'are refused with a one-line error naming the field, or give finite figures end to end',
    () => {
      const outcomes = new Outcomes();
      let deployed = 0;
      fuzz(
        'chip-spec',
        outcomes,
        fc.property(
          fc.integer({ min: 0, max: BASES.length - 1 }),
          fc.array(fc.tuple(fc.nat(), badValue), { minLength: 1, maxLength: 3 }),
          fc.integer({ min: 0, max: MODELS.length - 1 }),
          (b, edits, mi) => {
            const json = structuredClone(BASES[b]!);
            for (const [pick, value] of edits) {
              const all = paths(json);
              if (all.length) setAt(json, all[pick % all.length]!, value);
            }
            outcomes.run(
              () => {
                const chip = parseChipSpec(json, 'fuzz-chip.json');
                const m = MODELS[mi]!;
                mapGraph(m.graph, chip);
                const dep = directDeployment(chip, [{ name: m.name, model: m.name, graph: m.graph, batch: 2 }]);
                const { result, report } = simulateDeployment(dep, wasm, { seed: 1 });
                deployed++;
                // Finite, positive figures: an Infinity or NaN would be stored as null in JSON.
                for (const v of [result.makespan_s, result.energy_j, report.analytic.makespan_s, report.analytic.energy_j]) {
                  expect(Number.isFinite(v) && v > 0, `figure ${v}`).toBe(true);
                }
              },
              (e) => {
                expectOneLine(e, 'fuzz-chip.json');
                if (e.code === 'bad-input' && e.where.file === 'fuzz-chip.json') expect(e.where.field).toBeTruthy();
              },
            );
          },
        ),
        20260807,
        400,
      );
      expect(deployed).toBeGreaterThan(0);
    },
    FUZZ_TEST_TIMEOUT_MS,
  );

  it(
    'extreme but schema-valid values (each field at the ends of its accepted range, several at once) end in figures or one line',
    () => {
      // Every single edit the schema accepts, found by asking the parser: the fuzzer then combines them.
      const EXTREMES = [1e-15, 1e-9, 1, 2, 8, 32, 4096, 1e6, 1e9];
      const valid: { base: number; path: (string | number)[]; value: number }[] = [];
      BASES.forEach((base, b) => {
        for (const path of paths(base)) {
          let leaf: unknown = base;
          for (const k of path) leaf = (leaf as Record<string | number, unknown>)[k];
          if (typeof leaf !== 'number') continue;
          for (const value of EXTREMES) {
            if (value === leaf) continue;
            const json = structuredClone(base);
            setAt(json, path, value);
            try {
              parseChipSpec(json, 'probe.json');
              valid.push({ base: b, path, value });
            } catch {
              // outside the field's range: not an extreme this fuzzer uses
            }
          }
        }
      });
      expect(valid.length).toBeGreaterThan(100);
      const outcomes = new Outcomes();
      fuzz(
        'chip-spec-extremes',
        outcomes,
        fc.property(fc.integer({ min: 0, max: BASES.length - 1 }), fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: MODELS.length - 1 }), (b, picks, mi) => {
          const mine = valid.filter((v) => v.base === b);
          const json = structuredClone(BASES[b]!);
          for (const pick of picks) {
            const edit = mine[pick % mine.length]!;
            setAt(json, edit.path, edit.value);
          }
          outcomes.run(
            () => {
              const chip = parseChipSpec(json, 'fuzz-chip.json');
              const m = MODELS[mi]!;
              const dep = directDeployment(chip, [{ name: m.name, model: m.name, graph: m.graph, batch: 2 }]);
              const { result, report } = simulateDeployment(dep, wasm, { seed: 1 });
              for (const v of [result.makespan_s, result.energy_j, report.analytic.makespan_s, report.analytic.energy_j]) {
                expect(Number.isFinite(v) && v > 0, `figure ${v}`).toBe(true);
              }
            },
            (e) => expectOneLine(e, 'fuzz-chip.json'),
          );
        }),
        20261130,
        40,
      );
    },
    FUZZ_TEST_TIMEOUT_MS,
  );
});
