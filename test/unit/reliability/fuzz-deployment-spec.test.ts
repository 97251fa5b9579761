/**
 * Random deployment specs through the engine entry points a host calls: parseDeploymentSpec ->
 * resolveSpecChip -> tenantNames -> runDeployment (tiny zoo models only). Every case ends in a
 * RunResult with finite figures or a one-line RetileError; never another exception.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseDeploymentSpec, resolveSpecChip, tenantNames, STRATEGIES, OBJECTIVES } from '../../../src-main/engine/placement/spec';
import { chipPreset } from '../../../src-main/engine/hardware';
import { runDeployment } from '../../../src-main/engine/pipeline/run';
import { badInput } from '../../../src-main/engine/errors';
import { isZooName, toLayerGraph, zooGraph, type LayerGraph } from '../../../src-main/engine/workload';
import { setLimits } from '../../../src-main/engine/limits';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { loadTestWasm } from '../sim/load-wasm';
import { expectOneLine, FUZZ_TEST_TIMEOUT_MS, fuzzAsync, Outcomes } from './fuzz-harness';

const TINY = ['lenet5', 'resnet20-cifar'];
const graphs = new Map<string, LayerGraph>(TINY.map((n) => [n, toLayerGraph(zooGraph(n, { batch: 1 }))]));

let wasm: RetileWasmExports;
let restore: () => void;
beforeAll(async () => {
  wasm = await loadTestWasm();
  restore = setLimits({ maxSimEvents: 2_000_000 });
});
afterAll(() => restore());

/** Mostly a valid value, sometimes a wrong one: most specs get deep, every field gets broken now and then. */
const mostly = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>) => fc.oneof({ arbitrary: good, weight: 8 }, { arbitrary: bad, weight: 1 });
const smallChip = JSON.parse(JSON.stringify(chipPreset('mnsim', [3, 3])));

const chipArb = mostly<unknown, unknown>(
  fc.oneof(
    // Small meshes: the full presets (MNSIM's 4,096 tiles) are valid but take seconds per case.
    fc.record({ preset: fc.constantFrom('isaac', 'puma', 'mnsim'), mesh: fc.constantFrom<unknown>('2x2', '4x4', ' 4 X 2 ', [2, 2], [4, 2]) }),
    fc.constant(smallChip),
  ),
  fc.constantFrom<unknown>(
    'isaac', 'tpu', '', 'ISAAC', { preset: 'nope' }, { preset: 'isaac', mesh: '0x3' }, { preset: 'isaac', mesh: '3x3' }, { preset: 'mnsim', mesh: '2000x2000' },
    { preset: 'mnsim', mesh: '1025x2' }, { preset: 'mnsim', mesh: 'abc' }, { preset: 'mnsim', mesh: [-1, 2] }, { preset: 'mnsim', mesh: [2.5, 2] },
    { ...smallChip, clock_ghz: -1 }, { ...smallChip, topology: null }, {}, 42, null, [],
  ),
);

const tenantArb = fc.record(
  {
    model: mostly(fc.constantFrom('lenet5', 'resnet20-cifar'), fc.constantFrom('vgg99', 'missing.onnx', '', '../../etc/passwd', 'resnet50')),
    name: fc.option(mostly(fc.constantFrom('a', 'b', 'c'), fc.constantFrom<unknown>('', 'x'.repeat(65), 'n\u0000l\n', 5)), { nil: undefined }),
    batch: fc.option(mostly(fc.integer({ min: 1, max: 3 }), fc.constantFrom<unknown>(0, -1, 1.5, 1_000_000, 1_000_001, '2', null)), { nil: undefined }),
    priority: fc.option(mostly(fc.constantFrom(1, 2, 0.5), fc.constantFrom<unknown>(0, -1, 1e9)), { nil: undefined }),
    sla_ms: fc.option(mostly(fc.constantFrom(0.01, 1, 5), fc.constantFrom<unknown>(0, -3, 'fast')), { nil: undefined }),
    extra: fc.oneof({ arbitrary: fc.constant(undefined), weight: 12 }, { arbitrary: fc.constant(1), weight: 1 }),
  },
  { requiredKeys: ['model'] },
).map((t) => Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined)));

const specArb = fc.record(
  {
    name: mostly(fc.constant('fuzz'), fc.constantFrom<unknown>('x'.repeat(121), 3)),
    chip: chipArb,
    tenants: mostly(fc.array(tenantArb, { minLength: 1, maxLength: 3 }), fc.constantFrom<unknown>([], 'lenet5', null)),
    strategy: mostly(fc.constantFrom(...STRATEGIES), fc.constantFrom<unknown>('bogus', 7)),
    objective: mostly(fc.constantFrom(...OBJECTIVES), fc.constantFrom<unknown>('speed')),
    seed: mostly(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.constantFrom<unknown>(2 ** 31, -1, 1.5)),
  },
  { requiredKeys: ['chip', 'tenants'] },
);

describe('fuzz: random deployment specs', () => {
  it(
    'end in a RunResult with finite figures or a one-line RetileError',
    async () => {
      const outcomes = new Outcomes();
      let results = 0;
      await fuzzAsync(
        'deployment-spec',
        outcomes,
        fc.asyncProperty(specArb, async (json) => {
          await outcomes.runAsync(
            async () => {
              const spec = parseDeploymentSpec(json, 'fuzz-spec.json');
              const chip = resolveSpecChip(spec, 'fuzz-spec.json');
              const names = tenantNames(spec);
              // As the host does: zoo names resolve to graphs; files are the host's business (refused here).
              const tenants = spec.tenants.map((t, i) => {
                if (!isZooName(t.model)) throw badInput(`'${t.model}' is neither a zoo model nor an .onnx file`, { field: `tenants.${i}.model` });
                const graph = graphs.get(t.model);
                if (!graph) throw badInput(`model '${t.model}' is too large for this fuzzer`, { field: 'model' });
                return { name: names[i]!, model: t.model, graph, batch: t.batch ?? 1, priority: t.priority ?? 1, slaMs: t.sla_ms };
              });
              const r = await runDeployment(
                { chip, tenants, strategy: spec.strategy ?? 'collaborative', objective: spec.objective ?? 'makespan', seed: spec.seed ?? 1 },
                { wasm, alone: 'analytic' },
              );
              results++;
              expect(Number.isFinite(r.makespan_s) && r.makespan_s > 0).toBe(true);
              expect(JSON.parse(JSON.stringify(r)).makespan_s).toBe(r.makespan_s);
              return r;
            },
            (e) => expectOneLine(e),
          );
        }),
        20260808,
        120,
      );
      expect(results).toBeGreaterThan(0);
    },
    FUZZ_TEST_TIMEOUT_MS,
  );
});
