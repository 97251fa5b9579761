/** `retile zoo` and `retile model` command modules: JSON fields and the exit status on errors. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliHarness } from '../../cli-harness';
import { writeFileSync } from 'node:fs';
import modelCmd from '../../../src-main/cli/commands/model';
import { ONNX_DIR, symbolicSequenceOnnx, tempDir } from '../../helpers';
import zooCmd from '../../../src-main/cli/commands/zoo';

const run = cliHarness(zooCmd, modelCmd);

describe('retile model / zoo', () => {
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
