/** `retile zoo` and `retile model` command modules: JSON fields and the exit status on errors. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliHarness } from '../../cli-harness';
import { ONNX_DIR } from '../../helpers';
import modelCmd from '../../../src-main/cli/commands/model';
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
