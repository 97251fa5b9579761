/**
 * Every `sh` example of docs/cli.md runs as written. The examples are read from the page (not
 * copied here), run in page order by bash with `retile` on PATH, from a scratch folder that holds
 * what a clone's root holds for them (`projects/examples/`), so an example that names a missing
 * file, a flag the CLI no longer has, or an order that does not work fails this test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, REPO_ROOT, tempDir } from '../../helpers';

interface Example {
  section: string;
  lines: string[];
}

/** The page's `sh` fences, each with the `###` heading above it. */
function examples(markdown: string): Example[] {
  const found: Example[] = [];
  let section = '';
  let block: string[] | null = null;
  for (const line of markdown.split('\n')) {
    if (block) {
      if (line.trim() === '```') {
        found.push({ section, lines: block });
        block = null;
      } else if (line.trim() && !line.trim().startsWith('#')) block.push(line.trim());
      continue;
    }
    const heading = /^#{2,3} (.+)$/.exec(line);
    if (heading) section = heading[1]!.replace(/`/g, '');
    if (/^\s*```sh\s*$/.test(line)) block = [];
  }
  return found;
}

const page = readFileSync(join(REPO_ROOT, 'docs/cli.md'), 'utf8');
const blocks = examples(page);
const tmp = tempDir('retile-docs-cli-');
const bin = join(tmp.dir, 'bin');
const work = join(tmp.dir, 'work');

beforeAll(() => {
  mkdirSync(bin);
  mkdirSync(join(work, 'projects'), { recursive: true });
  cpSync(join(REPO_ROOT, 'projects/examples'), join(work, 'projects/examples'), { recursive: true });
  // `npm link` puts this command on PATH; the test runs the built CLI the same way.
  writeFileSync(join(bin, 'retile'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(join(bin, 'retile'), 0o755);
});
afterAll(() => tmp.cleanup());

describe('docs/cli.md examples', () => {
  it('has an example for every command in its command table', () => {
    const commands = [...page.matchAll(/^\| \[`(\w+)`\]\(#\w+\) \|/gm)].map((m) => m[1]!);
    expect(commands.length).toBeGreaterThanOrEqual(15);
    const shown = new Set(blocks.flatMap((b) => b.lines.map((l) => /^retile (\w+)/.exec(l)?.[1])));
    expect(commands.filter((c) => !shown.has(c))).toEqual([]);
    // Every line of an example is a retile command (no set-up hidden in the page's prose).
    expect(blocks.flatMap((b) => b.lines).filter((l) => !l.startsWith('retile '))).toEqual([]);
  });

  it('runs every example in page order, each exiting 0, writing only into projects/', () => {
    const ran: string[] = [];
    for (const block of blocks) {
      for (const line of block.lines) {
        const r = spawnSync('bash', ['-o', 'pipefail', '-c', line], {
          cwd: work,
          encoding: 'utf8',
          env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, RETILE_WORKSPACE: join(work, 'projects') },
          timeout: 120_000,
        });
        expect(r.status, `${block.section}: ${line}\n${r.stderr}`).toBe(0);
        ran.push(line);
      }
    }
    expect(ran.length).toBeGreaterThanOrEqual(25);
    // The scratch root holds nothing but what it was given: examples write into projects/ only.
    expect(readdirSync(work).sort()).toEqual(['projects']);
    expect(readdirSync(join(work, 'projects/examples')).sort()).toEqual(readdirSync(join(REPO_ROOT, 'projects/examples')).sort());
    // What later examples rely on was made by earlier ones.
    for (const made of ['light.retile', 'sizes.retile', 'sizes-merged.retile', 'light-results/run-1-summary.csv', 'study-quick/study.csv', 'my-chip.json']) {
      expect(existsSync(join(work, 'projects', made)), made).toBe(true);
    }
    const merge = JSON.parse(readFileSync(join(work, 'projects/merge.json'), 'utf8')) as { complete: boolean; sweep_cases: number };
    expect(merge).toMatchObject({ complete: true, sweep_cases: 4 });
  }, 300_000);
});
