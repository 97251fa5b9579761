/** `retile zoo` and `retile model` command modules: JSON fields and the exit status on errors. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliHarness } from '../../cli-harness';
import { writeFileSync } from 'node:fs';
import modelCmd from '../../../src-main/cli/commands/model';
import { ONNX_DIR, symbolicSequenceOnnx, tempDir } from '../../helpers';
import zooCmd from '../../../src-main/cli/commands/zoo';

const run = cliHarness(zooCmd, modelCmd);

/**
 * MNSIM 2.0's CIFAR networks as its mapper builds them (its per-layer tables, 3x32x32 input): the
 * weighted layers in MNSIM's index order, 'conv Cin→Cout Hout k' (square maps and kernels) or 'fc in→out'.
 */
const MNSIM_LAYERS: Record<string, string> = {
  'mnsim-lenet': 'conv 3→6 28 k5, conv 6→16 10 k5, conv 16→120 1 k5, fc 120→84, fc 84→10',
  'mnsim-alexnet': 'conv 3→64 16 k3, conv 64→192 8 k3, conv 192→384 4 k3, conv 384→256 4 k3, conv 256→256 4 k3, fc 1024→512, fc 512→10',
  'mnsim-vgg8': 'conv 3→128 32 k3, conv 128→128 32 k3, conv 128→256 16 k3, conv 256→256 16 k3, conv 256→512 8 k3, conv 512→512 8 k3, conv 512→1024 2 k3, fc 1024→10',
  'mnsim-vgg16':
    'conv 3→64 32 k3, conv 64→64 32 k3, conv 64→128 16 k3, conv 128→128 16 k3, conv 128→256 8 k3, conv 256→256 8 k3, conv 256→256 8 k3, ' +
    'conv 256→512 4 k3, conv 512→512 4 k3, conv 512→512 4 k3, conv 512→512 2 k3, conv 512→512 2 k3, conv 512→512 2 k3, fc 2048→10',
  'mnsim-resnet18':
    'conv 3→64 32 k3, conv 64→64 16 k3, conv 64→64 16 k3, conv 64→64 16 k3, conv 64→64 16 k3, conv 64→128 8 k3, conv 128→128 8 k3, conv 64→128 8 k3, ' +
    'conv 128→128 8 k3, conv 128→128 8 k3, conv 128→256 4 k3, conv 256→256 4 k3, conv 128→256 4 k3, conv 256→256 4 k3, conv 256→256 4 k3, ' +
    'conv 256→512 2 k3, conv 512→512 2 k3, conv 256→512 2 k3, conv 512→512 2 k3, conv 512→512 2 k3, fc 2048→512, fc 512→10',
};

/** A layer of the table as `retile model --json` reports it: kind, crossbar rows (k^2 Cin) and cols (Cout), output shape. */
function mnsimOp(layer: string): { kind: string; rows: number; cols: number; out_shape: number[] } {
  const [kind, io, h, k] = layer.split(' ');
  const [cin, cout] = io!.split('→').map(Number);
  if (kind === 'fc') return { kind, rows: cin!, cols: cout!, out_shape: [1, cout!] };
  const kk = Number(k!.slice(1)) ** 2;
  return { kind: kind!, rows: kk * cin!, cols: cout!, out_shape: [1, cout!, Number(h), Number(h)] };
}

describe('retile model / zoo', () => {
  it("model <mnsim-*> --input 3x32x32 gives MNSIM 2.0's layer shapes", async () => {
    for (const [name, table] of Object.entries(MNSIM_LAYERS)) {
      const j = JSON.parse((await run(['model', name, '--input', '3x32x32', '--json'])).out);
      expect(j.input_shape, name).toEqual([1, 3, 32, 32]);
      const ops = j.ops.map((o: { kind: string; rows: number; cols: number; out_shape: number[] }) => ({ kind: o.kind, rows: o.rows, cols: o.cols, out_shape: o.out_shape }));
      expect(ops, name).toEqual(table.split(', ').map(mnsimOp));
    }
  });

  it('model --json prints the documented fields', async () => {
    const r = await run(['model', 'resnet18', '--json']);
    const j = JSON.parse(r.out);
    for (const k of ['name', 'input_shape', 'params', 'bn_params', 'macs', 'act_act_macs', 'layers', 'ops']) expect(j).toHaveProperty(k);
    expect(j.macs).toBe(1_814_073_344); // torchvision resnet18: 1.81 GFLOPS, summed layer by layer
    expect(j.layers).toEqual({ conv: 20, fc: 1, matmul: 0 });
    expect(Object.keys(j.ops[0])).toEqual(expect.arrayContaining(['name', 'kind', 'rows', 'cols', 'mvms', 'macs', 'out_shape']));
  });

  it('model reads an ONNX file with --batch', async () => {
    const file = path.join(ONNX_DIR, 'pt_alexnet.onnx');
    const j = JSON.parse((await run(['model', file, '--json', '--batch', '2'])).out);
    expect(j.macs).toBe(2 * 714_188_480); // test/fixtures/onnx/README.md pt_alexnet, two images
  });

  it('--input and --dim on zoo models: a CIFAR-size ResNet-18 and GPT-2 at 64 tokens', async () => {
    const r = JSON.parse((await run(['model', 'resnet18', '--input', '3x32x32', '--json'])).out);
    expect(r.input_shape).toEqual([1, 3, 32, 32]);
    expect(r.ops[0].out_shape).toEqual([1, 64, 16, 16]); // 7x7/2, pad 3 on 32x32
    const g = JSON.parse((await run(['model', 'gpt2', '--dim', 'seq=64', '--json'])).out);
    expect(g.act_act_macs).toBe(12 * 2 * 64 * 64 * 768); // layers x {QK^T, AV} x T^2 x D
  });

  it('binds the symbolic axes of an ONNX file by name, and names the unbound ones', async () => {
    const t = tempDir();
    const file = path.join(t.dir, 'seq.onnx');
    writeFileSync(file, symbolicSequenceOnnx());
    try {
      const bad = await run(['model', file, '--json']);
      expect(bad.code).toBe(2);
      expect(bad.err.trim()).toMatch(/seq\.onnx, field 'graph\.input': unbound symbolic axes: 'input_ids' axis 1 'sequence'; bind them with --dim sequence=<n>/);
      expect(JSON.parse((await run(['model', file, '--dim', 'sequence=32', '--json'])).out).macs).toBe(32 * 8 * 4);
      expect(JSON.parse((await run(['model', file, '--input', 'input_ids=2x32', '--json'])).out).macs).toBe(2 * 32 * 8 * 4);
    } finally {
      t.cleanup();
    }
  });

  it('zoo --json lists every model', async () => {
    const j = JSON.parse((await run(['zoo', '--json'])).out);
    expect(j.models.map((m: { name: string }) => m.name)).toContain('bert_base');
  });

  it('an unknown model is one stderr line and exit 2', async () => {
    const r = await run(['model', 'nosuch']);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.code).toBe(2);
  });
});
