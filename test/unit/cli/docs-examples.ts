/**
 * The `sh` examples of docs/cli.md, read from the page (not copied into the tests), and a scratch
 * folder to run them in: it holds what a clone's root holds for them (`projects/examples/`) and
 * puts `retile` on PATH as `npm link` does. Two test files run the page's sections along its two
 * independent chains (commands on specs; commands on project files), so vitest runs them side by
 * side.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { CLI, REPO_ROOT, tempDir } from '../../helpers';

export interface Example {
  /** The `###` heading above the fence: the command the section documents. */
  section: string;
  lines: string[];
}

export const CLI_PAGE = readFileSync(join(REPO_ROOT, 'docs/cli.md'), 'utf8');

/** The page's `sh` fences, each with the heading above it. */
export function examples(markdown: string = CLI_PAGE): Example[] {
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

/** The sections whose examples make and read project files; every other section runs on specs. */
export const PROJECT_SECTIONS = ['new', 'runs', 'show', 'export', 'sweep', 'merge'];

export interface Scratch {
  /** The scratch root: a stand-in for a clone's root. */
  work: string;
  /** Runs the examples in page order, each by bash, expecting exit 0; returns the lines run. */
  run(blocks: Example[]): string[];
  cleanup(): void;
}

export function scratch(prefix: string): Scratch {
  const tmp = tempDir(prefix);
  const bin = join(tmp.dir, 'bin');
  const work = join(tmp.dir, 'work');
  mkdirSync(bin);
  mkdirSync(join(work, 'projects'), { recursive: true });
  cpSync(join(REPO_ROOT, 'projects/examples'), join(work, 'projects/examples'), { recursive: true });
  writeFileSync(join(bin, 'retile'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(join(bin, 'retile'), 0o755);
  return {
    work,
    run(blocks) {
      const ran: string[] = [];
      for (const block of blocks) {
        for (const line of block.lines) {
          const r = spawnSync('bash', ['-o', 'pipefail', '-c', line], {
            cwd: work,
            encoding: 'utf8',
            env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, RETILE_WORKSPACE: join(work, 'projects') },
            // A hang guard, not a speed check: the quick study takes about 25 s on an idle 2-core machine.
            timeout: 300_000,
          });
          expect(r.status, `${block.section}: ${line}\n${r.stderr}`).toBe(0);
          ran.push(line);
        }
      }
      return ran;
    },
    cleanup: tmp.cleanup,
  };
}
