/**
 * new, runs, show and export on real project files written by the built CLI. Independent figures:
 * ISAAC's chip is 14 x 12 = 168 tiles (Shafiee et al., ISCA 2016: 12 x 14 tiles per chip), LeNet-5 (modern) has 2 conv + 3 fc
 * weight layers and ResNet-20 (CIFAR, option A) 19 conv + 1 fc (He et al., CVPR 2016, section 4.2).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers';
import { retile, SMALL_SPEC, writeSpec } from './cli-helpers';

const tmp = tempDir('retile-cli-project-');
let spec: string;
let project: string;

beforeAll(() => {
  spec = writeSpec(tmp.dir);
  project = join(tmp.dir, 'study.retile');
});
afterAll(() => tmp.cleanup());

describe('retile new', () => {
  it('creates a project holding the spec chip and tenants', () => {
    const r = retile(['new', project, '--from', spec, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.name).toBe('small pair');
    expect(doc.chip).toMatchObject({ preset: 'isaac', mesh: '14x12' });
    expect(doc.tenants).toEqual([
      { name: 'lenet5', model: 'lenet5', source: 'zoo', batch: 4, priority: 1, sla_ms: null },
      { name: 'resnet20-cifar', model: 'resnet20-cifar', source: 'zoo', batch: 2, priority: 2, sla_ms: null },
    ]);
    expect(retile(['runs', project, '--json']).stdout.trim()).toBe('[]');
  });

  it('refuses an existing file, a missing --from and a bad spec, naming file and field (exit 2)', () => {
    const again = retile(['new', project, '--from', spec]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/study\.retile: already exists/);

    expect(retile(['new', join(tmp.dir, 'x.retile')]).status).toBe(2);
    expect(retile(['new', join(tmp.dir, 'x.txt'), '--from', spec]).stderr).toMatch(/ends in \.retile/);

    const bad = writeSpec(tmp.dir, { ...SMALL_SPEC, tenants: [{ model: 'lenet5', batch: 0 }] }, 'bad.json');
    const r = retile(['new', join(tmp.dir, 'bad.retile'), '--from', bad]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('bad.json');
    expect(r.stderr).toContain("field 'tenants.0.batch'");
    expect(existsSync(join(tmp.dir, 'bad.retile'))).toBe(false);

    const zoo = writeSpec(tmp.dir, { ...SMALL_SPEC, tenants: [{ model: 'no-such-net' }] }, 'zoo.json');
    const z = retile(['new', join(tmp.dir, 'zoo.retile'), '--from', zoo]);
    expect(z.status).toBe(2);
    expect(z.stderr).toMatch(/zoo\.json, field 'tenants\.0\.model'/);
  });
});

describe('runs, show and export', () => {
  beforeAll(() => {
    // Two runs into the project: direct and operator on the 8x8 mesh.
    const r = retile(['sweep', spec, '--mesh', '8x8', '--strategy', 'direct,operator', '--workers', '1', '--out', project, '--json']);
    expect(r.status, r.stderr).toBe(0);
  });

  it('lists runs with id, strategy, status and makespan', () => {
    const r = retile(['runs', project, '--json']);
    expect(r.status).toBe(0);
    const runs = JSON.parse(r.stdout);
    expect(runs.map((x: { id: number; strategy: string; status: string; mesh: string }) => [x.id, x.strategy, x.status, x.mesh])).toEqual([
      [1, 'direct', 'finished', '8x8'],
      [2, 'operator', 'finished', '8x8'],
    ]);
    for (const x of runs) expect(x.makespan_s).toBeGreaterThan(0);
    // Direct is its own baseline: speed-up 1 by definition.
    expect(runs[0].speedup_vs_direct).toBe(1);
    const text = retile(['runs', project]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/operator/);
  });

  it('shows one run as text and as JSON', () => {
    const j = retile(['show', project, '--run', '2', '--json']);
    expect(j.status, j.stderr).toBe(0);
    const doc = JSON.parse(j.stdout);
    expect(doc.run).toMatchObject({ id: 2, strategy: 'operator', status: 'finished' });
    expect(doc.settings).toMatchObject({ strategy: 'operator', seed: 1, mesh: [8, 8] });
    expect(doc.inputs.chip.spec.topology).toMatchObject({ rows: 8, cols: 8 });
    expect(doc.result.tenants.map((t: { name: string }) => t.name)).toEqual(['lenet5', 'resnet20-cifar']);
    const t = retile(['show', project, '--run', '2']);
    expect(t.status).toBe(0);
    expect(t.stdout).toMatch(/run #2 .*finished/);
    expect(t.stdout).toMatch(/resnet20-cifar/);

    expect(retile(['show', project]).status).toBe(2);
    const missing = retile(['show', project, '--run', '99']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/study\.retile, field 'run': no run #99/);
    expect(retile(['show', join(tmp.dir, 'nope.retile'), '--run', '1']).status).toBe(2);
  });

  it('exports CSV tables and the JSON document', () => {
    const out = join(tmp.dir, 'export');
    const r = retile(['export', project, '--run', '2', '--format', 'csv', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const lines = (name: string) => readFileSync(join(out, `run-2-${name}.csv`), 'utf8').trim().split('\n');
    expect(lines('tenants')).toHaveLength(1 + 2);
    // LeNet-5: 2 conv + 3 fc; ResNet-20 option A: 19 conv + 1 fc => 25 weight layers
    expect(lines('layers')).toHaveLength(1 + 25);
    expect(lines('summary')).toHaveLength(2);
    const header = lines('summary')[0]!.split(',');
    const row = lines('summary')[1]!.split(',');
    const shown = JSON.parse(retile(['show', project, '--run', '2', '--json']).stdout);
    expect(Number(row[header.indexOf('makespan_s')])).toBe(shown.result.makespan_s);
    expect(row[header.indexOf('mesh')]).toBe('8x8');

    const stdoutCsv = retile(['export', project, '--run', '2', '--format', 'csv', '--table', 'layers']);
    expect(stdoutCsv.stdout.trim().split('\n')).toHaveLength(26);

    const j = retile(['export', project, '--run', '1', '--format', 'json', '--out', out]);
    expect(j.status).toBe(0);
    const doc = JSON.parse(readFileSync(join(out, 'run-1.json'), 'utf8'));
    expect(doc.result.strategy).toBe('direct');

    expect(retile(['export', project, '--run', '1', '--format', 'xml']).status).toBe(2);
  });

  it('refuses to export an unfinished run', () => {
    // A run that failed: every simulation needs more than one event.
    const failing = join(tmp.dir, 'failing.retile');
    const f = retile(['sweep', spec, '--mesh', '4x4', '--strategy', 'direct', '--out', failing], { env: { RETILE_MAX_SIM_EVENTS: '1' } });
    expect(f.status).toBe(1);
    const e = retile(['export', failing, '--run', '1', '--format', 'json']);
    expect(e.status).toBe(2);
    expect(e.stderr).toMatch(/run #1 is failed/);
  });

  it('rejects a file that is not a project', () => {
    const junk = join(tmp.dir, 'junk.retile');
    writeFileSync(junk, 'not sqlite at all, just text that is long enough to be a header');
    const r = retile(['runs', junk]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/junk\.retile/);
  });
});
