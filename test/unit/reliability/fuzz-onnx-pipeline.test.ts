/**
 * Mutated and truncated real ONNX files through the whole pipeline: import -> toLayerGraph ->
 * map -> direct deployment -> event simulation (Wasm). Every case ends in a result or a
 * one-line RetileError naming the file; never another exception, never past the time bound.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { importOnnx, toLayerGraph } from '../../../src-main/engine/workload';
import { mapGraph } from '../../../src-main/engine/mapping';
import { chipPreset } from '../../../src-main/engine/hardware';
import { directDeployment } from '../../../src-main/engine/placement/direct';
import { simulateDeployment } from '../../../src-main/engine/pipeline/simulate-report';
import { setLimits } from '../../../src-main/engine/limits';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { loadTestWasm } from '../sim/load-wasm';
import { ONNX_DIR } from '../../helpers';
import { expectOneLine, FUZZ_TEST_TIMEOUT_MS, fuzz, LONG_MODE, Outcomes } from './fuzz-harness';

// Small files of different exporters (PyTorch, Caffe2 "light", onnx-mlir); pt_tiny_transformer is 3 MB and slow to mutate.
const FILES = ['mnist_onnx-mlir.onnx', 'pt_alexnet.onnx', 'light_bvlc_alexnet.onnx', 'pt_vgg11.onnx', 'pt_resnet34.onnx', 'pt_mobilenet_v3_small.onnx'];
let wasm: RetileWasmExports;
let restore: () => void;
const files = FILES.map((f) => new Uint8Array(readFileSync(join(ONNX_DIR, f))));
const chip = chipPreset('isaac', [8, 8]);

beforeAll(async () => {
  wasm = await loadTestWasm();
  // A tight event budget turns a mutated file that blows up a dimension into a 'limit' error instead of a long run.
  restore = setLimits({ maxSimEvents: 2_000_000 });
});
afterAll(() => restore());

/** A mutation: truncate, overwrite bytes, or splice a copy of one slice over another. */
const mutation = fc.record({
  file: fc.integer({ min: 0, max: FILES.length - 1 }),
  // Mostly light damage, so that many cases parse and go deep into the pipeline; sometimes heavy.
  cut: fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: fc.double({ min: 0, max: 1, noNaN: true }), weight: 1 }),
  flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
  splice: fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 64 })), weight: 1 }),
});

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(m: Mutation): Uint8Array {
  const src = files[m.file]!;
  const bytes = new Uint8Array(src.subarray(0, m.cut === undefined ? src.length : Math.floor(m.cut * src.length)));
  for (const [pos, val] of m.flips) if (bytes.length) bytes[pos % bytes.length] = val;
  if (m.splice && bytes.length > 0) {
    const [from, to, len] = m.splice;
    const a = from % bytes.length;
    const b = to % bytes.length;
    bytes.copyWithin(b, a, Math.min(bytes.length, a + len));
  }
  return bytes;
}

describe('fuzz: mutated ONNX files through the whole pipeline', () => {
  it(
    'every case ends in a simulated result or a one-line RetileError naming the file',
    () => {
      const outcomes = new Outcomes();
      const stages: Record<string, number> = {};
      const details = fuzz(
        'onnx-pipeline',
        outcomes,
        fc.property(mutation, (m) => {
          const bytes = mutate(m);
          outcomes.run(
            () => {
              const graph = importOnnx(bytes, 'mutated.onnx', { batch: 1 });
              stages.imported = (stages.imported ?? 0) + 1;
              const layers = toLayerGraph(graph);
              mapGraph(layers, chip);
              const dep = directDeployment(chip, [{ name: 't', model: 'mutated.onnx', graph: layers, batch: 2 }]);
              const { result } = simulateDeployment(dep, wasm, { seed: 1 });
              stages.simulated = (stages.simulated ?? 0) + 1;
              expect(result.makespan_s).toBeGreaterThan(0);
              expect(Number.isFinite(result.energy_j)).toBe(true);
              return result;
            },
            (e) => expectOneLine(e, 'mutated.onnx'),
          );
        }),
        20260806,
        200,
      );
      expect(details.numRuns).toBeGreaterThanOrEqual(LONG_MODE ? 1 : 200);
      // The unmutated prefix of a file often still imports: some cases must reach the simulator.
      expect(stages.simulated ?? 0).toBeGreaterThan(0);
    },
    FUZZ_TEST_TIMEOUT_MS,
  );

  it('the unmutated files all reach the simulator (the property is not vacuous)', () => {
    for (const [i, bytes] of files.entries()) {
      const layers = toLayerGraph(importOnnx(bytes, FILES[i]!, { batch: 1 }));
      const dep = directDeployment(chip, [{ name: 't', model: FILES[i]!, graph: layers, batch: 1 }]);
      expect(simulateDeployment(dep, wasm, { seed: 1 }).result.makespan_s, FILES[i]).toBeGreaterThan(0);
    }
  }, FUZZ_TEST_TIMEOUT_MS);
});
