/**
 * The build stamp: `npm run build` ends by writing it, so a build made by hand (once, in a shared
 * install on a cluster) is current for every later `retile` call, and any source edit after it
 * makes the next call rebuild. Run on a copy of the script in a scratch root, so the real build is
 * not touched.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT, tempDir } from '../../helpers';

const tmp = tempDir('retile-stamp-');
afterAll(() => tmp.cleanup());

describe('build stamp', () => {
  it('npm run build ends by writing the stamp', () => {
    const build = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.build!;
    expect(build.split('&&').at(-1)!.trim()).toBe('node scripts/ensure-build.mjs --stamp');
  });

  it('a stamped build is current until a source changes', async () => {
    const root = tmp.dir;
    mkdirSync(join(root, 'scripts'));
    mkdirSync(join(root, 'src-main'));
    mkdirSync(join(root, 'build/wasm'), { recursive: true });
    copyFileSync(join(REPO_ROOT, 'scripts/ensure-build.mjs'), join(root, 'scripts/ensure-build.mjs'));
    const source = join(root, 'src-main/a.ts');
    writeFileSync(source, 'export {};\n');
    writeFileSync(join(root, 'build/wasm/retile.wasm'), '');
    const past = new Date(Date.now() - 60_000);
    utimesSync(source, past, past);

    const { isStale } = (await import(pathToFileURL(join(root, 'scripts/ensure-build.mjs')).href)) as { isStale(): boolean };
    expect(isStale()).toBe(true); // no stamp yet
    const r = spawnSync(process.execPath, [join(root, 'scripts/ensure-build.mjs'), '--stamp'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe(''); // stamping builds nothing
    expect(isStale()).toBe(false);

    const later = new Date(Date.now() + 60_000);
    utimesSync(source, later, later);
    expect(isStale()).toBe(true);
  });
});
