/**
 * Structure-aware ONNX fuzzing: small, valid files (made with the project's own encoder) whose
 * constant-folding chains of ConstantOfShape, Slice, Concat, Split, Expand, Tile and Range carry
 * extreme attributes and inputs (0, -1, 2^31 - 1, 2^40, 10^15, 2^53 - 1, fractional steps, fan-ins
 * of thousands). Every case must end in a graph or a one-line RetileError naming the file, with
 * a short message; the byte fuzzer (fuzz-onnx-pipeline) cannot reach these chains, since a random
 * byte flip almost never forms a valid node. Time per case: recorded (max_case_ms) by `npm run fuzz`.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { importOnnx } from '../../../src-main/engine/workload';
import { encodeModel, type EncNode, type EncTensor } from '../../../src-main/engine/workload/onnx/encode';
import { expectOneLine, FUZZ_TEST_TIMEOUT_MS, fuzz, LONG_MODE, Outcomes } from './fuzz-harness';

const OPS = ['ConstantOfShape', 'Slice', 'Concat', 'Split', 'Expand', 'Tile', 'Range'] as const;

const extreme = fc.oneof(
  { arbitrary: fc.integer({ min: -4, max: 70_000 }), weight: 3 },
  { arbitrary: fc.constantFrom(0, -1, 1, 2 ** 31 - 1, -(2 ** 31), 2 ** 40, 1e15, Number.MAX_SAFE_INTEGER, 65_536, 65_537), weight: 2 },
);
const vector = fc.array(extreme, { minLength: 1, maxLength: 4 });
const step = fc.record({
  op: fc.constantFrom(...OPS),
  from: fc.nat(),
  a: vector,
  b: vector,
  c: fc.oneof(vector, fc.constant<number[]>([1e-30]), fc.constant<number[]>([0.5])),
  fanIn: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 100, max: 3000 })),
  attr: extreme,
});
const chain = fc.array(step, { minLength: 1, maxLength: 6 });

type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

function int64s(name: string, values: number[], scalar = false): EncTensor {
  return { name, dims: scalar ? [] : [values.length], int64s: values };
}
/** A float tensor (fractional values such as a Slice step of 1e-30 survive only as floats). */
function floats(name: string, values: number[]): EncTensor {
  const raw = new Uint8Array(values.length * 4);
  values.forEach((v, i) => new DataView(raw.buffer).setFloat32(i * 4, v, true));
  return { name, dims: [values.length], dataType: 1, raw };
}

/** The chain as an ONNX file: each step folds constants made by earlier steps; a linear layer keeps the graph valid. */
function build(steps: Step[]): Uint8Array {
  const inits: EncTensor[] = [int64s('seed', [4, 4])];
  const nodes: EncNode[] = [];
  const made = ['seed'];
  steps.forEach((s, k) => {
    const prev = made[s.from % made.length]!;
    const p = (tag: string) => `s${k}_${tag}`;
    const out = p('out');
    const fractional = s.c.some((v) => !Number.isInteger(v));
    switch (s.op) {
      case 'ConstantOfShape':
        inits.push(int64s(p('shape'), s.a));
        nodes.push({ op: s.op, name: out, inputs: [p('shape')], outputs: [out] });
        break;
      case 'Slice':
        inits.push(int64s(p('starts'), s.a.slice(0, 1)), int64s(p('ends'), s.b.slice(0, 1)), int64s(p('axes'), [0]));
        inits.push(fractional ? floats(p('steps'), s.c.slice(0, 1)) : int64s(p('steps'), s.c.slice(0, 1)));
        nodes.push({ op: s.op, name: out, inputs: [prev, p('starts'), p('ends'), p('axes'), p('steps')], outputs: [out] });
        break;
      case 'Concat':
        nodes.push({ op: s.op, name: out, inputs: Array<string>(s.fanIn).fill(prev), outputs: [out], attrs: { axis: 0 } });
        break;
      case 'Split':
        nodes.push({ op: s.op, name: out, inputs: [prev], outputs: [out, p('rest')], attrs: { axis: 0, num_outputs: s.attr } });
        break;
      case 'Expand':
      case 'Tile':
        inits.push(int64s(p('shape'), s.a));
        nodes.push({ op: s.op, name: out, inputs: [prev, p('shape')], outputs: [out] });
        break;
      case 'Range':
        inits.push(int64s(p('start'), [s.a[0]!], true), int64s(p('limit'), [s.b[0]!], true));
        inits.push(fractional ? { ...floats(p('delta'), [s.c[0]!]), dims: [] } : int64s(p('delta'), [s.c[0]!], true));
        nodes.push({ op: s.op, name: out, inputs: [p('start'), p('limit'), p('delta')], outputs: [out] });
        break;
    }
    made.push(out);
  });
  nodes.push({ op: 'MatMul', name: 'fc', inputs: ['X', 'W'], outputs: ['Y'] });
  inits.push({ name: 'W', dims: [8, 4], dataType: 1 });
  return encodeModel({ opset: 18, nodes, initializers: inits, inputs: [{ name: 'X', dims: [1, 8] }], outputs: ['Y'] });
}

describe('fuzz: ONNX constant-folding chains with extreme attributes', () => {
  it(
    'every chain ends in a graph or a short one-line RetileError naming the file',
    () => {
      const outcomes = new Outcomes();
      const details = fuzz(
        'onnx-structure',
        outcomes,
        fc.property(chain, (steps) => {
          const bytes = build(steps);
          outcomes.run(
            () => importOnnx(bytes, 'chain.onnx'),
            (e) => {
              expectOneLine(e, 'chain.onnx');
              if (e.message.length > 1200) throw new Error(`error message of ${e.message.length} characters`);
            },
          );
        }),
        20261130,
        300,
      );
      expect(details.numRuns).toBeGreaterThanOrEqual(LONG_MODE ? 1 : 300);
      // Both ends are reached: some chains import, some are refused.
      expect(outcomes.counts.ok ?? 0).toBeGreaterThan(0);
      expect(Object.keys(outcomes.counts).filter((k) => k !== 'ok').length).toBeGreaterThan(0);
    },
    FUZZ_TEST_TIMEOUT_MS,
  );
});
