/**
 * Hostile ONNX files of a few hundred bytes, made with the project's own encoder, that ask the
 * constant folder for billions of values or outputs. Each must end at once in a one-line
 * RetileError (or a graph whose large constants keep only their dims), never exhaust memory,
 * hang or produce a model-sized message.
 */
import { describe, expect, it } from 'vitest';
import { encodeModel, type EncModel, type EncNode, type EncTensor } from '../../../src-main/engine/workload/onnx/encode';
import { RetileError } from '../../../src-main/engine/errors';
import { rangeCount, sliceCount } from '../../../src-main/engine/workload/onnx/budget';
import { appendAll, maxOf, minOf } from '../../../src-main/engine/arrays';
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers';
import { chipPreset, parseChipSpec } from '../../../src-main/engine/hardware';
import { mapGraph } from '../../../src-main/engine/mapping';
import { importOnnx, toLayerGraph, zooGraph } from '../../../src-main/engine/workload';

const int64s = (name: string, values: number[]): EncTensor => ({ name, dims: [values.length], int64s: values });
function floats(name: string, values: number[]): EncTensor {
  const raw = new Uint8Array(values.length * 4);
  const dv = new DataView(raw.buffer);
  values.forEach((v, i) => dv.setFloat32(i * 4, v, true));
  return { name, dims: [values.length], dataType: 1, raw };
}

/** A graph with one real input X [1, 8] through a linear layer, plus the hostile constant nodes. */
function model(nodes: EncNode[], initializers: EncTensor[] = [], opset = 13): Uint8Array {
  const m: EncModel = {
    opset,
    nodes: [...nodes, { op: 'MatMul', name: 'fc', inputs: ['X', 'W'], outputs: ['Y'] }],
    initializers: [...initializers, { name: 'W', dims: [8, 4], dataType: 1 }],
    inputs: [{ name: 'X', dims: [1, 8] }],
    outputs: ['Y'],
  };
  return encodeModel(m);
}

function importError(bytes: Uint8Array): RetileError {
  try {
    importOnnx(bytes, 'hostile.onnx');
  } catch (e) {
    expect(e).toBeInstanceOf(RetileError);
    const err = e as RetileError;
    expect(err.message.split('\n')).toHaveLength(1);
    expect(err.message.length).toBeLessThan(1200);
    expect(err.message).toMatch(/^hostile\.onnx/);
    return err;
  }
  throw new Error('expected a RetileError');
}

/** ConstantOfShape(shape) named `out`: a 65,536-element constant from 8 bytes of shape. */
const bigConst = (out: string): EncNode => ({ op: 'ConstantOfShape', name: out, inputs: ['shape64k'], outputs: [out] });
const shape64k = int64s('shape64k', [65_536]);

describe('ONNX folding budgets', () => {
  it('a Concat of a thousand copies of a 65,536-element constant keeps only its dims (no 4.5 GB of values)', () => {
    const nodes: EncNode[] = [bigConst('c')];
    for (let k = 0; k < 10; k++) nodes.push({ op: 'Concat', name: `cat${k}`, inputs: Array(1000).fill('c'), outputs: [`cat${k}`], attrs: { axis: 0 } });
    const bytes = model(nodes, [shape64k]);
    expect(bytes.length).toBeLessThan(40_000);
    const g = importOnnx(bytes, 'hostile.onnx');
    expect(g.nodes.map((n) => n.op)).toContain('fc');
  });

  it('a constant chain that folds more values than the model budget is a limit error naming the node and setting', () => {
    // 1 value of shape64k + 64 folded constants of 65,536 values = 4,194,305 > 4,194,304 (maxFoldedModelElements).
    const nodes: EncNode[] = [];
    for (let k = 0; k < 70; k++) nodes.push(bigConst(`c${k}`));
    const e = importError(model(nodes, [shape64k]));
    expect(e.code).toBe('limit');
    expect(e.message).toMatch(/node 'c63' \(ConstantOfShape\).*4194305, above the limit of 4194304 \(setting maxFoldedModelElements\)/);
  });

  it('a Slice with a fractional step (1e-30) is refused at once instead of looping forever', () => {
    const bytes = model(
      [{ op: 'Slice', name: 'tiny_step', inputs: ['data', 'starts', 'ends', 'axes', 'steps'], outputs: ['s'] }],
      [int64s('data', [1, 2, 3, 4]), int64s('starts', [0]), int64s('ends', [4]), int64s('axes', [0]), floats('steps', [1e-30])],
    );
    expect(bytes.length).toBeLessThan(300);
    const e = importError(bytes);
    expect(e.message).toMatch(/node 'tiny_step' \(Slice\): Slice step 1.0000000031710769e-30 must be a non-zero integer/);
  });

  it('a Split with 10^8 outputs is a limit error of one short line, not a 415 MB message', () => {
    const bytes = encodeModel({
      opset: 18,
      nodes: [{ op: 'Split', name: 'many', inputs: ['X'], outputs: ['a', 'b'], attrs: { axis: 1, num_outputs: 100_000_000 } }],
      inputs: [{ name: 'X', dims: [1, 8] }],
      outputs: ['a'],
    });
    expect(bytes.length).toBeLessThan(200);
    const e = importError(bytes);
    expect(e.code).toBe('limit');
    expect(e.message).toBe("hostile.onnx, node 'many' (Split): the output count of the node is 100000000, above the limit of 4096 (setting maxNodeOutputs)");
  });

  it('Slice and Range element counts follow the ONNX formulas without iterating', () => {
    // ONNX Range: max(ceil((limit - start) / delta), 0), e.g. Range(3, 10, 3) = [3, 6, 9].
    expect(rangeCount(3, 10, 3)).toBe(3);
    expect(rangeCount(10, 4, -2)).toBe(3); // 10, 8, 6
    expect(rangeCount(0, 5, -1)).toBe(0);
    expect(() => rangeCount(0, 1, 1e-30)).toThrow(/exceeds the limit of 2\^40/);
    expect(() => rangeCount(0, Infinity, 1)).toThrow(/finite/);
    expect(() => rangeCount(0, 1, 0)).toThrow(/must not be 0/);
    // numpy: len(range(10)[1:9:3]) = 3 (1, 4, 7); len(range(10)[8:0:-3]) = 3 (8, 5, 2).
    expect(sliceCount(1, 9, 3)).toBe(3);
    expect(sliceCount(8, 0, -3)).toBe(3);
    expect(() => sliceCount(0, 4, 0.5)).toThrow(/non-zero integer/);
  });

  it('an error quoting a model-sized list shows its first items and a count', () => {
    // A constant with a million dims, one of them invalid: the message quotes 8 of them.
    const dims = Array<number>(1_000_000).fill(0);
    dims[0] = -1;
    const e = importError(model([], [{ name: 'w', dims, dataType: 1 }]));
    expect(e.message).toMatch(/invalid dimension -1 in \[-1, 0, 0, 0, 0, 0, 0, 0, \.\.\. \(999992 more\)\]/);
  });
});

describe('model-sized arrays', () => {
  it('maxOf, minOf and appendAll take a million elements, where a spread overflows the stack', () => {
    const big = Array.from({ length: 1_000_000 }, (_, i) => (i * 7919) % 1_000_003);
    expect(() => Math.max(...big)).toThrow(RangeError);
    expect(maxOf(big)).toBe(big.reduce((m, v) => (v > m ? v : m), -Infinity));
    expect(minOf(big)).toBe(0);
    expect(appendAll([1], big)).toHaveLength(1_000_001);
    expect(maxOf([])).toBe(-Infinity); // as Math.max()
    expect(Number.isNaN(maxOf([1, NaN, 2]))).toBe(true); // as Math.max(1, NaN, 2)
  });

  it('lint refuses spreading an array into Math.max/min or push in src-main', async () => {
    const eslint = new ESLint({ cwd: REPO_ROOT });
    const errors = async (code: string) =>
      (await eslint.lintText(code, { filePath: join(REPO_ROOT, 'src-main/engine/x.ts') }))[0]!.messages.filter((m) => m.ruleId === 'no-restricted-syntax').length;
    expect(await errors('export const f = (xs: number[]) => Math.max(...xs);\n')).toBe(1);
    expect(await errors('export const f = (a: number[], xs: number[]) => a.push(...xs);\n')).toBe(1);
    expect(await errors('export const f = (a: number, b: number) => Math.max(a, b);\n')).toBe(0);
  });
});

describe('crossbars per layer', () => {
  it('a schema-valid chip with 1 x 1 crossbars is refused for vgg16 when mapping, naming the layer and setting', () => {
    const base = chipPreset('isaac', [8, 8]);
    const chip = parseChipSpec({ ...base, pe: { ...base.pe, crossbar: { ...base.pe.crossbar, rows: 1, cols: 1 } } }, 'tiny-xbar.json');
    let err: RetileError | undefined;
    try {
      mapGraph(toLayerGraph(zooGraph('vgg16')), chip);
    } catch (e) {
      err = e as RetileError;
    }
    // The first layer past the limit, features.19 (3 x 3 conv, 512 -> 512 channels): 4,608 weight rows x
    // (512 columns x 8 slices of 2-bit cells for ISAAC's 16-bit weights) = 18,874,368 crossbars of 1 x 1.
    expect(err?.code).toBe('limit');
    expect(err?.message).toBe(
      "field 'pe.crossbar': the crossbar count of layer 'features.19' (4608 x 4096 blocks of 1 x 1) is 18874368, above the limit of 16777216 (setting maxCrossbarsPerLayer)",
    );
  });
});
