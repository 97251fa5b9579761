/**
 * Invariants of the Wasm event simulator's output, on real deployments (zoo networks, several
 * chips and tenants, copies and pieces from the operator-level plan, Poisson streams, phases
 * with reprogramming) and on random small scenarios. Every expected quantity is computed here
 * from the scenario or the chip, not from the simulator's own bookkeeping:
 *  - every (re-operator, request, row) runs exactly once, one row at a time, in order, and each
 *    copy processes its round-robin share of the H x W units of every request;
 *  - causality along every row map: a consumer row starts only after every producer re-operator
 *    finished the rows it needs, after its phase started and after its request arrived;
 *  - no buffer port or re-operator is busy longer than the makespan, no link longer than the
 *    last delivery (rows no consumer reads, e.g. the trailing rows a strided layer skips, are
 *    still sent and can land after the makespan);
 *  - the ADC, sample-and-hold and DAC energies equal the action counts the chip's definitions give
 *    (every column of an allocated crossbar converted every input cycle) times the action-cost
 *    table's energies;
 *  - every request finishes after it arrives, and the makespan is the last finish.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { simulateRaw, type Scenario } from '../../../src-main/engine/sim';
import { summarize } from '../../../src-main/engine/sim/summary';
import { scenarioFromDeployment } from '../../../src-main/engine/sim/from-deployment';
import { chipPreset, type ChipSpec } from '../../../src-main/engine/hardware';
import { actionCosts } from '../../../src-main/engine/hardware/action-costs';
import { directDeployment } from '../../../src-main/engine/placement/direct';
import type { Deployment } from '../../../src-main/engine/placement/types';
import { mapTenant } from '../../../src-main/engine/mapping/mapped-tenant';
import { operatorLevel } from '../../../src-main/engine/optimize/operator-level';
import { deployPlans } from '../../../src-main/engine/optimize/deploy-plans';
import { evaluateDeployment } from '../../../src-main/engine/evaluate/deployment';
import { toLayerGraph, zooGraph } from '../../../src-main/engine/workload';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { loadTestWasm } from './load-wasm';
import { scenarioArb } from './random-scenario';

let wasm: RetileWasmExports;
beforeAll(async () => {
  wasm = await loadTestWasm();
});

const EPS = 1e-15;

/** Checks the invariants on one scenario; returns the simulator's summary for further checks. */
function checkInvariants(s: Scenario) {
  const { raw, packed } = simulateRaw({ ...s, trace: true }, wasm);
  // scenario re-operator k sits at packed position pos[k]
  const pos = new Int32Array(s.reops.length);
  packed.reopOrder.forEach((k, x) => (pos[k] = x));
  const reqBase: number[] = [];
  s.tenants.reduce((b, t, i) => ((reqBase[i] = b), b + t.requests), 0);
  const reopsOf = s.layers.map(() => [] as number[]);
  s.reops.forEach((r, k) => reopsOf[r.layer]!.push(k));
  const entry = (k: number, i: number, r: number): number => packed.rTraceBase[pos[k]!]! + i * s.layers[s.reops[k]!.layer]!.rows + r;
  const fail = (msg: string): never => expect.fail(msg);

  s.reops.forEach((ro, k) => {
    const L = s.layers[ro.layer]!;
    const t = L.tenant;
    const n = s.tenants[t]!.requests;
    const d = reopsOf[ro.layer]!.reduce((m, j) => Math.max(m, s.reops[j]!.copy + 1), 0);
    // units of copy c: positions m in [0, H W) with m mod d = c, ceil((N - c) / d)
    const expectUnits = n * Math.ceil((L.rows * L.unitsPerRow - ro.copy) / d);
    if (raw.rUnitsDone[pos[k]!] !== expectUnits) fail(`re-operator ${k}: ${raw.rUnitsDone[pos[k]!]} units, expected ${expectUnits}`);
    let prevEnd = -Infinity;
    for (let i = 0; i < n; i++) {
      const arrival = raw.reqArrival[reqBase[t]! + i]!;
      for (let r = 0; r < L.rows; r++) {
        const e = entry(k, i, r);
        if (raw.trCount[e] !== 1) fail(`re-operator ${k} request ${i} row ${r} ran ${raw.trCount[e]} times`);
        const start = raw.trStart[e]!;
        const end = raw.trEnd[e]!;
        if (!(end >= start && start >= prevEnd - EPS)) fail(`re-operator ${k} request ${i} row ${r}: [${start}, ${end}] after ${prevEnd}`);
        if (start < arrival) fail(`re-operator ${k} request ${i} row ${r} starts at ${start} before its arrival ${arrival}`);
        if (start < raw.phStart[L.phase]! - EPS) fail(`re-operator ${k} starts before its phase`);
        prevEnd = end;
      }
    }
  });

  for (const edge of s.edges) {
    const Hp = s.layers[edge.from]!.rows;
    const n = s.tenants[s.layers[edge.to]!.tenant]!.requests;
    for (const k of reopsOf[edge.to]!) {
      for (let i = 0; i < n; i++) {
        for (let r = 0; r < s.layers[edge.to]!.rows; r++) {
          const need = Math.min(Hp - 1, Math.max(0, Math.floor(edge.scale * r + edge.offset)));
          const start = raw.trStart[entry(k, i, r)]!;
          for (const p of reopsOf[edge.from]!) {
            const ready = raw.trEnd[entry(p, i, need)]!;
            if (ready > start + EPS) fail(`edge ${edge.from}->${edge.to}: row ${r} of request ${i} starts at ${start} before producer row ${need} ends at ${ready}`);
          }
        }
      }
    }
  }
  s.phases.forEach((ph, p) => {
    for (const a of ph.after) if (raw.phStart[p]! < raw.phEnd[a]! - EPS) fail(`phase ${p} starts before its predecessor ${a} ends`);
  });

  const makespan = raw.makespan;
  let last = 0;
  raw.reqDone.forEach((done, q) => {
    if (!(done >= raw.reqArrival[q]!)) fail(`request ${q} finishes at ${done} before it arrives at ${raw.reqArrival[q]}`);
    last = Math.max(last, done);
  });
  expect(makespan).toBe(last);
  expect(raw.lastEvent).toBeGreaterThanOrEqual(makespan);
  const within = (what: string, v: ArrayLike<number>, span: number, name: string) => {
    for (let j = 0; j < v.length; j++) if (v[j]! > span * (1 + 1e-12)) fail(`${what} ${j} busy ${v[j]} s, longer than the ${name} ${span} s`);
  };
  within('link', raw.linkBusy, raw.lastEvent, 'last delivery');
  within('buffer port of tile', raw.portBusy, makespan, 'makespan');
  within('re-operator', raw.rBusyTime, makespan, 'makespan');
  expect(raw.offchipBusy).toBeLessThanOrEqual(makespan);
  return summarize(s, packed, raw);
}

/** ADC conversions, samples and DAC drives of the simulated work, from the chip's definitions and the unit counts. */
function expectActionEnergies(chip: ChipSpec, dep: Deployment, s: Scenario, reopOf: number[], units: number[], energy: Record<string, number>): void {
  const a = actionCosts(chip).actions;
  let conversions = 0;
  dep.reops.forEach((r, i) => {
    const layer = dep.tenants[r.tenant]!.graph.layers[r.layer]!;
    if (r.crossbars === 0) return;
    const cycles = Math.ceil((layer.activationBits ?? chip.precision.activation_bits) / chip.pe.dac.bits);
    conversions += units[reopOf[i]!]! * cycles * r.crossbars * chip.pe.crossbar.cols;
  });
  expect(conversions).toBeGreaterThan(0);
  expect(energy.adc).toBeCloseTo(conversions * a.adcConversion.energyJ, 12);
  expect(energy.sh).toBeCloseTo(conversions * a.sample.energyJ, 12);
  expect(s.reops.length).toBe(dep.reops.length);
}

const graph = (m: string) => toLayerGraph(zooGraph(m));

function operatorDeployment(chip: ChipSpec, models: string[], batch: number): Deployment {
  const tms = models.map((m, i) => mapTenant(i, { name: m, model: m, graph: graph(m), batch, priority: 1 }, chip));
  const tiles = Math.floor(chip.topology.rows * chip.topology.cols / models.length);
  const plans = tms.map((tm) => operatorLevel(tm, chip, tiles, 'bottleneck'));
  return deployPlans(evaluateDeployment, chip, 'test', 'test', tms, [tms.map((_, i) => i)], tms.map(() => tiles), plans);
}

/**
 * `actions`: check the ADC and sample-and-hold energies against the ISAAC-style count (every
 * column of an allocated array, one DAC per row). MNSIM converts only used columns, once per DAC
 * phase and differential pair (its own rule, validated against MNSIM in docs/validation.md).
 */
const DEPLOYMENTS: { name: string; dep: () => Deployment; actions: boolean }[] = [
  {
    name: 'isaac 4x4, lenet5 x3 + resnet20-cifar x2, direct',
    dep: () => directDeployment(chipPreset('isaac', [4, 4]), [
      { name: 'lenet5', model: 'lenet5', graph: graph('lenet5'), batch: 3 },
      { name: 'resnet20', model: 'resnet20-cifar', graph: graph('resnet20-cifar'), batch: 2 },
    ]),
    actions: true,
  },
  {
    name: 'puma, resnet18 + mobilenet_v2, operator-level copies and pieces',
    dep: () => operatorDeployment(chipPreset('puma'), ['resnet18', 'mobilenet_v2'], 2),
    actions: true,
  },
  {
    name: 'mnsim 8x8, vgg16 larger than the chip (phases and reprogramming) + lenet5 Poisson',
    dep: () => directDeployment(chipPreset('mnsim', [8, 8]), [
      { name: 'vgg16', model: 'vgg16', graph: graph('vgg16'), batch: 1 },
      { name: 'lenet5', model: 'lenet5', graph: graph('lenet5'), batch: 4, arrivalRate: 2e4 },
    ]),
    actions: false,
  },
  {
    name: 'isaac 6x6, vit_b_16 (digital attention) + resnet20-cifar, operator-level',
    dep: () => operatorDeployment(chipPreset('isaac', [6, 6]), ['vit_b_16', 'resnet20-cifar'], 1),
    actions: true,
  },
];

describe('simulator invariants on real deployments', () => {
  for (const c of DEPLOYMENTS) {
    test(c.name, () => {
      const dep = c.dep();
      const { scenario, index } = scenarioFromDeployment(dep, { seed: 3 });
      const result = checkInvariants(scenario);
      if (c.actions) expectActionEnergies(dep.chip, dep, scenario, index.reopOf, result.reop_units, result.energy_by_component);
    });
  }
});

describe('simulator invariants on random small scenarios', () => {
  test('meshes and tori, copies, pieces, row splits, phases, Poisson streams', () => {
    fc.assert(fc.property(scenarioArb, (s) => void checkInvariants(s)), { numRuns: 200 });
  });
});
