/**
 * Bench records stand only while the code they measured is unchanged: the record keeps its commit
 * and the sources of its bundle, and `npm run bench -- --check` / `--stale` compare those sources
 * between that commit and the working tree (a real git repository in a scratch folder here).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers';
// @ts-expect-error: a plain .mjs script without type declarations
import { measuredSources, staleness } from '../../../scripts/bench-records.mjs';

const tmp = tempDir('retile-bench-records-');
afterAll(() => tmp.cleanup());
const git = (...args: string[]) => execFileSync('git', args, { cwd: tmp.dir, encoding: 'utf8' }).trim();

describe('bench records', () => {
  it('a record is stale once a source it measured changes, committed or not', () => {
    const root = tmp.dir;
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src/measured.ts'), 'export const a = 1;\n');
    writeFileSync(join(root, 'src/other.ts'), 'export const b = 1;\n');
    git('init', '-q');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'empty');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'sources');
    const record = { commit: git('rev-parse', '--short=12', 'HEAD'), measures: ['src/measured.ts'] };

    expect(staleness(root, record)).toBeNull();
    writeFileSync(join(root, 'src/other.ts'), 'export const b = 2;\n');
    expect(staleness(root, record)).toBeNull(); // not measured
    writeFileSync(join(root, 'src/measured.ts'), 'export const a = 2;\n');
    expect(staleness(root, record)).toMatch(/changed since .*src\/measured\.ts/);
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qam', 'edit');
    expect(staleness(root, record)).toMatch(/src\/measured\.ts/); // committed later: still stale

    expect(staleness(root, { ...record, commit: `${record.commit}+dirty` })).toMatch(/uncommitted edits/);
    expect(staleness(root, { measures: ['src/measured.ts'] })).toBe('no commit recorded');
    expect(staleness(root, { commit: 'f'.repeat(12), measures: ['src/measured.ts'] })).toMatch(/not in this repository/);
  });

  it('measures every module of the bench bundle, and what it loads at run time', () => {
    const root = '/repo';
    const output = [
      { type: 'chunk', isEntry: true, name: 'sim', fileName: 'sim.mjs', moduleIds: ['/repo/bench/sim.ts', '/repo/src-main/engine/sim/wasm.ts'], imports: ['shared.mjs'] },
      { type: 'chunk', isEntry: false, name: 'shared', fileName: 'shared.mjs', moduleIds: ['/repo/src-main/engine/workload/zoo.ts', '/repo/node_modules/zod/index.js', '\0vite/preload-helper'], imports: [] },
      { type: 'chunk', isEntry: true, name: 'other', fileName: 'other.mjs', moduleIds: ['/repo/bench/other.ts'], imports: [] },
      { type: 'asset', fileName: 'x.wasm' },
    ];
    expect(measuredSources(root, output, 'sim')).toEqual(['assembly', 'bench/sim.ts', 'src-main/engine/sim/wasm.ts', 'src-main/engine/workload/zoo.ts']);
    expect(measuredSources(root, output, 'other')).toEqual(['bench/other.ts']);
    const browser = [{ type: 'chunk', isEntry: true, name: 'ui', fileName: 'ui.mjs', moduleIds: ['/repo/bench/ui.ts', '/repo/node_modules/playwright-core/index.mjs'], imports: [] }];
    expect(measuredSources(root, browser, 'ui')).toEqual(['bench/ui.ts', 'src-main', 'src-renderer']);
  });
});
