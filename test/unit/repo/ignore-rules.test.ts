/**
 * `git status` stays clean after `npm install`, `npm start`, `npm test` and every command of the
 * README: everything they write is under a path git ignores. The README's commands are read from
 * its code blocks, so a new example that writes somewhere else fails here.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers';

/** The subset of `paths` git would not ignore. */
function notIgnored(paths: string[]): string[] {
  // Exit status 1 means "none of them is ignored", not an error.
  const r = spawnSync('git', ['check-ignore', '--no-index', '--verbose', '--non-matching', '--stdin'], { cwd: REPO_ROOT, input: paths.join('\n'), encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 1) throw new Error(`git check-ignore failed: ${r.stderr}`);
  // Non-matching lines start with "::" (no source, no pattern).
  return r.stdout
    .split('\n')
    .filter((l) => l.startsWith('::\t'))
    .map((l) => l.slice(3));
}

/** What the README's commands write: `--out X`, `new X`, and a sweep's default file next to its spec. */
function readmeOutputs(): string[] {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const commands = blocks.flatMap((b) => b.split('\n')).map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean);
  const outputs: string[] = [];
  for (const c of commands) {
    const args = c.split(/\s+/);
    args.forEach((a, i) => {
      if (a === '--out' || a === 'new') outputs.push(args[i + 1]!);
    });
    if (args.includes('sweep') && !args.includes('--out')) {
      const spec = args[args.indexOf('sweep') + 1]!;
      outputs.push(spec.replace(/\.json$/, '.sweep.retile'));
    }
  }
  return outputs;
}

describe('git status stays clean', () => {
  it('finds the README commands that write files', () => {
    expect(readmeOutputs().length).toBeGreaterThanOrEqual(2);
  });

  it('every file a README command writes is ignored, with its SQLite side files', () => {
    const outputs = readmeOutputs().flatMap((f) => [f, `${f}-wal`, `${f}-shm`, `${f}-journal`]);
    expect(notIgnored(outputs)).toEqual([]);
  });

  it('what install, build, start and test write is ignored', () => {
    expect(
      notIgnored([
        'node_modules/better-sqlite3/build/Release/better_sqlite3.node', // npm install
        'out/main/cli.js', // build (electron-vite)
        'out/.build-stamp',
        'build/wasm/retile.wasm', // build (AssemblyScript)
        'native/electron/better_sqlite3.node', // npm run rebuild:electron
        'reports/vitest.json', // npm test
        'reports/screenshots/sweep-running.png',
        'test-results/app-browser/trace.zip', // Playwright
        'playwright-report/index.html',
        'projects/light-mix.retile', // npm start: the app's default workspace
        'projects/light-mix.retile-wal',
        'projects/.retile/settings.json',
        'bench/results/sweep.json.tmp', // npm run bench, mid-write
      ]),
    ).toEqual([]);
  });

  it('the tracked examples and fixtures are not ignored', () => {
    expect(notIgnored(['projects/examples/light-mix.json', 'test/fixtures/onnx/pt_alexnet.onnx', 'docs/screenshot.png'])).toHaveLength(3);
  });
});
