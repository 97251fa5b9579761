/**
 * Every resource limit of engine/limits.ts is hit once, and the error says what was too large,
 * the value, the limit and the setting (RetileError code 'limit'). Limits are lowered with
 * setLimits where the default would need a huge input; the default values themselves are
 * checked against the sizes they must admit (docs/reliability.md).
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LIMITS, LIMITS, MAX_TENSOR_ELEMENTS, setLimits } from '../../../src-main/engine/limits';
import { RetileError } from '../../../src-main/engine/errors';
import { chipPreset, parseChipSpec, PRESET_NAMES, tileCount, type ChipSpec } from '../../../src-main/engine/hardware';
import { parseDeploymentSpec } from '../../../src-main/engine/placement/spec';
import { importOnnx, toLayerGraph, zooGraph, ZOO_NAMES, GraphBuilder } from '../../../src-main/engine/workload';
import { encodeModel } from '../../../src-main/engine/workload/onnx/encode';
import { directDeployment } from '../../../src-main/engine/placement/direct';
import { scenarioFromDeployment } from '../../../src-main/engine/sim/from-deployment';
import { packScenario } from '../../../src-main/engine/sim/scenario';
import { simulate } from '../../../src-main/engine/sim';
import { simulateWasm } from '../../../src-main/engine/sim/driver';
import { mapTenant } from '../../../src-main/engine/mapping/mapped-tenant';
import { operatorLevel } from '../../../src-main/engine/optimize/operator-level';
import { deployPlans } from '../../../src-main/engine/optimize/deploy-plans';
import { evaluateDeployment } from '../../../src-main/engine/evaluate/deployment';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { loadTestWasm } from '../sim/load-wasm';
import { ONNX_DIR, retileError } from '../../helpers';

let wasm: RetileWasmExports;
let restore: (() => void) | undefined;
beforeAll(async () => {
  wasm = await loadTestWasm();
});
afterEach(() => {
  restore?.();
  restore = undefined;
});

const limitError = (f: () => unknown): RetileError => retileError(f, 'limit');

describe('defaults admit everything Retile ships', () => {
  it('presets fit the mesh limits (the largest, MNSIM 64 x 64 = 4,096 tiles)', () => {
    for (const p of PRESET_NAMES) expect(tileCount(chipPreset(p))).toBeLessThanOrEqual(DEFAULT_LIMITS.maxTiles);
    expect(DEFAULT_LIMITS.maxTiles).toBeGreaterThanOrEqual(64 * 64);
  });
  it('every zoo model fits the operator limit', () => {
    for (const n of ZOO_NAMES) expect(zooGraph(n).nodes.length, n).toBeLessThan(DEFAULT_LIMITS.maxOperators);
  });
  it('LIMITS starts at the defaults', () => {
    expect(LIMITS).toEqual(DEFAULT_LIMITS);
  });
});

describe('each limit, hit', () => {
  it('maximum mesh side', () => {
    const e = limitError(() => chipPreset('mnsim', [1025, 2]));
    expect(e.message).toMatch(/mesh rows is 1025, above the limit of 1024 \(setting maxMeshSide\)/);
    expect(e.where.field).toBe('topology.rows');
  });

  it('maximum tile count (rows x cols)', () => {
    // 512 x 256 = 131,072 tiles > 65,536
    const json = JSON.parse(JSON.stringify(chipPreset('mnsim')));
    json.topology.rows = 512;
    json.topology.cols = 256;
    const e = limitError(() => parseChipSpec(json, 'big.json'));
    expect(e.message).toBe("big.json, field 'topology': tile count (512x256) is 131072, above the limit of 65536 (setting maxTiles)");
  });

  it('maximum tenants (default 64), and the setting moves it', () => {
    const spec = (n: number) => ({ chip: 'isaac', tenants: Array.from({ length: n }, () => ({ model: 'lenet5' })) });
    expect(parseDeploymentSpec(spec(64), 's.json').tenants).toHaveLength(64);
    expect(limitError(() => parseDeploymentSpec(spec(65), 's.json')).message).toBe(
      "s.json, field 'tenants': number of tenants is 65, above the limit of 64 (setting maxTenants)",
    );
    restore = setLimits({ maxTenants: 2 });
    expect(limitError(() => parseDeploymentSpec(spec(3), 's.json')).message).toMatch(/number of tenants is 3, above the limit of 2/);
  });

  it('maximum operators per model: ONNX import and the graph builder', () => {
    restore = setLimits({ maxOperators: 10 });
    const bytes = new Uint8Array(readFileSync(join(ONNX_DIR, 'pt_resnet34.onnx')));
    const e = limitError(() => importOnnx(bytes, 'pt_resnet34.onnx'));
    expect(e.message).toMatch(/^pt_resnet34\.onnx: operator count is \d+, above the limit of 10 \(setting maxOperators\)$/);
    const z = limitError(() => zooGraph('resnet20-cifar'));
    expect(z.message).toMatch(/operator count is above the limit of 10 \(setting maxOperators\)/);
  });

  it('maximum tensor elements (2^40): a weight and an activation past it', () => {
    // 2^21 x 2^20 = 2^41 elements
    const weight = encodeModel({
      opset: 13,
      inputs: [{ name: 'x', dims: [1, 1048576] }],
      initializers: [{ name: 'w', dims: [2097152, 1048576] }],
      nodes: [{ op: 'Gemm', name: 'fc', inputs: ['x', 'w'], outputs: ['y'], attrs: { transB: 1 } }],
      outputs: ['y'],
    });
    expect(limitError(() => importOnnx(weight, 'huge.onnx')).message).toMatch(/^huge\.onnx, .*exceeds the limit of 2\^40 elements/);
    const b = new GraphBuilder('huge', 'huge-graph');
    // 2 x 2^20 x 2^20 = 2^41 elements
    expect(limitError(() => b.input([2, 1048576, 1048576], 'x')).message).toMatch(/exceeds the limit of 2\^40 elements/);
    expect(MAX_TENSOR_ELEMENTS).toBe(2 ** 40);
  });

  it('maximum ONNX file size', () => {
    const bytes = new Uint8Array(readFileSync(join(ONNX_DIR, 'mnist_onnx-mlir.onnx')));
    restore = setLimits({ maxOnnxBytes: 1000 });
    expect(limitError(() => importOnnx(bytes, 'mnist.onnx')).message).toBe(
      `mnist.onnx: file size is ${bytes.length} bytes, above the limit of 1000 (setting maxOnnxBytes)`,
    );
  });

  it('maximum simulation events: refused up front when the rows alone exceed it, else the loop stops at exactly the budget', () => {
    const chip = chipPreset('isaac', [4, 4]);
    const dep = directDeployment(chip, [{ name: 'r', model: 'resnet20-cifar', graph: toLayerGraph(zooGraph('resnet20-cifar')), batch: 4 }]);
    const { scenario } = scenarioFromDeployment(dep, { seed: 1 });
    const full = simulate(scenario, wasm);
    // One completion event per row of every re-operator for every request, counted from the scenario.
    const rows = scenario.reops.reduce((n, r) => n + scenario.layers[r.layer]!.rows * scenario.tenants[scenario.layers[r.layer]!.tenant]!.requests, 0);
    expect(full.events).toBeGreaterThan(rows);

    restore = setLimits({ maxSimEvents: rows - 1 });
    expect(limitError(() => simulate(scenario, wasm)).message).toMatch(
      new RegExp(`^simulation needs at least ${rows} events .*from layer '[^']+' of tenant 'r'.*above the limit of ${rows - 1}: fewer requests or a smaller batch would fit \\(setting maxSimEvents\\)$`),
    );
    // The loop itself still stops at the budget.
    const a = simulateWasm(wasm, packScenario(scenario));
    expect([a.status, a.events]).toEqual([2, rows - 1]);
    restore();

    restore = setLimits({ maxSimEvents: rows + 1 });
    expect(limitError(() => simulate(scenario, wasm)).message).toBe(
      `simulation event count is above the limit of ${rows + 1}: fewer requests or a smaller batch would fit (setting maxSimEvents)`,
    );
    // A per-scenario budget below the global one also applies.
    restore();
    restore = undefined;
    expect(limitError(() => simulate({ ...scenario, maxEvents: 50 }, wasm)).message).toMatch(/above the limit of 50:/);
    expect(simulate(scenario, wasm).events).toBe(full.events);
  });

  it('maximum re-operators of a deployment: refused before the simulator lays it out', () => {
    const chip = chipPreset('isaac');
    const dep = directDeployment(chip, [{ name: 'vgg16', model: 'vgg16', graph: toLayerGraph(zooGraph('vgg16')) }]);
    expect(() => scenarioFromDeployment(dep)).not.toThrow();
    restore = setLimits({ maxReOperators: dep.reops.length - 1 });
    expect(() => scenarioFromDeployment(dep)).toThrow(
      `re-operators of the deployment is ${dep.reops.length}, above the limit of ${dep.reops.length - 1} (setting maxReOperators)`,
    );
  });

  it('maximum re-operators of a plan: refused before any re-operator is made when its copies alone exceed it', () => {
    const chip = chipPreset('isaac', [32, 32]);
    const tm = mapTenant(0, { name: 'vgg8', model: 'vgg8-cifar', graph: toLayerGraph(zooGraph('vgg8-cifar')), batch: 1, priority: 1 }, chip);
    const plan = operatorLevel(tm, chip, 1024, 'bottleneck');
    const copies = plan.copies.reduce((a, b) => a + b, 0);
    expect(copies).toBeGreaterThan(plan.copies.length); // the Duplicator made copies
    const dep = deployPlans(evaluateDeployment, chip, 'test', 'test', [tm], [[0]], [1024], [plan]);
    expect(dep.reops.length).toBeGreaterThanOrEqual(copies);
    // Each copy is at least one re-operator: a budget below the copies is refused up front.
    restore = setLimits({ maxReOperators: copies - 1 });
    const e = limitError(() => deployPlans(evaluateDeployment, chip, 'test', 'test', [tm], [[0]], [1024], [plan]));
    const m = /^re-operators of the deployment \(at least; the most, (\d+), from layer '[^']+' of tenant 'vgg8'\) is (\d+), above the limit of \d+ \(setting maxReOperators\)$/.exec(e.message);
    expect(m, e.message).not.toBeNull();
    expect(Number(m![2])).toBeGreaterThanOrEqual(copies);
    expect(Number(m![2])).toBeLessThanOrEqual(dep.reops.length);
  });

  it('maximum batch of a model', () => {
    expect(() => zooGraph('lenet5', { batch: 65_537 })).toThrow(/65536/);
  });
});

describe('fixed chip-spec ranges (found by the chip-spec fuzzer)', () => {
  /** The preset as mutable JSON (typed as the validated spec: edits put wrong values into its fields). */
  type Json = { -readonly [K in keyof ChipSpec]: ChipSpec[K] };
  const edit = (f: (j: Json) => void) => {
    const json = JSON.parse(JSON.stringify(chipPreset('isaac'))) as Json;
    f(json);
    return json;
  };
  const refused = (json: unknown) => {
    try {
      parseChipSpec(json, 'c.json');
    } catch (e) {
      expect((e as RetileError).code).toBe('bad-input');
      return (e as RetileError).message;
    }
    throw new Error('accepted');
  };
  it('a denormal clock, an overflowing power, a 10^6-bit weight and an 8192-row crossbar are refused naming the field', () => {
    expect(refused(edit((j) => (j.clock_ghz = 5e-324)))).toMatch(/^c\.json, field 'clock_ghz': must be a number in \[1e-15, 1000000000\]/);
    expect(refused(edit((j) => (j.pe.adc.power_mw = 1e308)))).toMatch(/field 'pe\.adc\.power_mw'/);
    expect(refused(edit((j) => (j.precision.weight_bits = 1_000_000)))).toMatch(/field 'precision\.weight_bits'/);
    expect(refused(edit((j) => (j.pe.crossbar.rows = 8192)))).toMatch(/field 'pe\.crossbar\.rows'/);
    expect(refused(edit((j) => (j.tile.pes = 2 ** 31)))).toMatch(/field 'tile\.pes'/);
  });
  it('the range ends themselves are accepted', () => {
    expect(parseChipSpec(edit((j) => (j.pe.sample_hold.area_mm2 = 1e-15)), 'c.json').pe.sample_hold.area_mm2).toBe(1e-15);
    expect(parseChipSpec(edit((j) => (j.precision.weight_bits = 32)), 'c.json').precision.weight_bits).toBe(32);
  });
});

describe('setLimits', () => {
  it('refuses unknown settings and non-positive values, and restores', () => {
    expect(() => setLimits({ maxWidgets: 3 } as never)).toThrow(/unknown limit 'maxWidgets'/);
    expect(() => setLimits({ maxTiles: 0 })).toThrow(/positive integer/);
    expect(() => setLimits({ maxTiles: 1.5 })).toThrow(/positive integer/);
    const undo = setLimits({ maxTiles: 16 });
    expect(LIMITS.maxTiles).toBe(16);
    undo();
    expect(LIMITS.maxTiles).toBe(DEFAULT_LIMITS.maxTiles);
  });
});
