/**
 * `retile run <file.retile>`: a run on a project's chip and tenants, saved into the project.
 * runInProject is the helper run.ts calls for .retile arguments; the CLI form is checked once
 * run.ts routes project files to it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ONNX_DIR, tempDir } from '../../helpers';
import { runInProject } from '../../../src-main/cli/project-run';
import { retile, withoutSeconds, writeSpec } from './cli-helpers';

const tmp = tempDir('retile-cli-prun-');
let spec: string;
let project: string;
beforeAll(() => {
  spec = writeSpec(tmp.dir);
  project = join(tmp.dir, 'p.retile');
  expect(retile(['new', project, '--from', spec]).status).toBe(0);
});
afterAll(() => tmp.cleanup());

describe('running into a project', () => {
  it('saves the run, with the same result as running the spec', async () => {
    const { runId, result } = await runInProject(project, { strategy: 'operator', mesh: '8x8' });
    expect(runId).toBe(1);
    const fromSpec = retile(['run', spec, '--mesh', '8x8', '--strategy', 'operator', '--json']);
    expect(fromSpec.status, fromSpec.stderr).toBe(0);
    expect(withoutSeconds(result as unknown as Record<string, unknown>)).toEqual(withoutSeconds(JSON.parse(fromSpec.stdout)));
    const runs = JSON.parse(retile(['runs', project, '--json']).stdout);
    expect(runs).toMatchObject([{ id: 1, strategy: 'operator', status: 'finished', mesh: '8x8', makespan_s: result.makespan_s }]);
  });

  it("uses the spec's strategy and seed the project remembers", async () => {
    const { result } = await runInProject(project, { mesh: '4x4' });
    expect([result.strategy, result.seed]).toEqual(['operator', 1]);
  });

  it('names the file and field of bad input', async () => {
    await expect(runInProject(project, { mesh: '1x1' })).rejects.toThrow(/p\.retile, field 'mesh'/);
    await expect(runInProject(join(tmp.dir, 'none.retile'), {})).rejects.toThrow(/none\.retile: no such project file/);
    const empty = join(tmp.dir, 'empty.retile');
    expect(retile(['new', empty, '--preset', 'isaac']).status).toBe(0);
    await expect(runInProject(empty, {})).rejects.toThrow(/empty\.retile: field 'tenants'/);
  });

  it('runs an ONNX tenant from the graph stored in the project, without the ONNX file', async () => {
    const onnx = join(tmp.dir, 'mnist.onnx');
    copyFileSync(join(ONNX_DIR, 'mnist_onnx-mlir.onnx'), onnx);
    const onnxSpec = writeSpec(tmp.dir, { chip: 'isaac', tenants: [{ model: 'mnist.onnx', batch: 2 }, { model: 'lenet5' }] }, 'onnx.json');
    const fromSpec = retile(['run', onnxSpec, '--mesh', '4x4', '--strategy', 'operator', '--json']);
    expect(fromSpec.status, fromSpec.stderr).toBe(0);
    const file = join(tmp.dir, 'onnx.retile');
    expect(retile(['new', file, '--from', onnxSpec]).status).toBe(0);
    rmSync(onnx);
    const { result } = await runInProject(file, { mesh: '4x4', strategy: 'operator' });
    expect(withoutSeconds(result as unknown as Record<string, unknown>)).toEqual(withoutSeconds(JSON.parse(fromSpec.stdout)));
    // The MNIST MLP has two Gemm layers, 196->128 and 128->10 (test/fixtures/onnx/README.md).
    expect(result.layers.filter((l) => l.tenant === 'mnist').map((l) => [l.rows, l.cols])).toEqual([
      [196, 128],
      [128, 10],
    ]);
  });

  it('is what `retile run <file.retile>` does', () => {
    const r = retile(['run', project, '--strategy', 'direct', '--mesh', '4x4', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).strategy).toBe('direct');
    const runs = JSON.parse(retile(['runs', project, '--json']).stdout);
    expect(runs.at(-1)).toMatchObject({ strategy: 'direct', status: 'finished', mesh: '4x4' });
  });
});
