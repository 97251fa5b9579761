/**
 * docs/cli.md's examples of the commands that work on specs, zoo models and chips (everything but
 * the project-file sections), run as written in page order from a scratch clone root: an example
 * that names a missing file, a flag the CLI no longer has, or an order that does not work fails.
 * The quick study one of them makes is held to the optimizer's study properties (the other
 * representative cases run in optimize/properties.test.ts), so those cases are computed once.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { quickCases, type StudyCase } from '../../../src-main/engine/pipeline/study';
import { REPO_ROOT } from '../../helpers';
import { describeStudyProperties } from '../optimize/study-properties';
import { CLI_PAGE, examples, PROJECT_SECTIONS, scratch } from './docs-examples';

const blocks = examples();
const root = scratch('retile-docs-specs-');
/** The cases of `retile study --quick --out projects/study-quick`, read back once the examples ran. */
const quick: StudyCase[] = [];
afterAll(() => root.cleanup());

describe('docs/cli.md examples', () => {
  it('has an example for every command in its command table', () => {
    const commands = [...CLI_PAGE.matchAll(/^\| \[`(\w+)`\]\(#\w+\) \|/gm)].map((m) => m[1]!);
    expect(commands.length).toBeGreaterThanOrEqual(15);
    const shown = new Set(blocks.flatMap((b) => b.lines.map((l) => /^retile (\w+)/.exec(l)?.[1])));
    expect(commands.filter((c) => !shown.has(c))).toEqual([]);
    // Every line of an example is a retile command (no set-up hidden in the page's prose).
    expect(blocks.flatMap((b) => b.lines).filter((l) => !l.startsWith('retile '))).toEqual([]);
    // The project-file sections (run by the other file) are headings of the page, each with an example.
    expect(PROJECT_SECTIONS.filter((s) => !blocks.some((b) => b.section === s))).toEqual([]);
  });

  it('runs the spec, model and chip examples in page order, each exiting 0, writing only into projects/', () => {
    const ran = root.run(blocks.filter((b) => !PROJECT_SECTIONS.includes(b.section)));
    expect(ran.length).toBeGreaterThanOrEqual(15);
    // The scratch root holds nothing but what it was given: examples write into projects/ only.
    expect(readdirSync(root.work).sort()).toEqual(['projects']);
    expect(readdirSync(join(root.work, 'projects/examples')).sort()).toEqual(readdirSync(join(REPO_ROOT, 'projects/examples')).sort());
    // What later examples rely on was made by earlier ones.
    for (const made of ['my-chip.json', 'resnet18-map.json', 'study-quick/study.csv', 'light-serve.json']) {
      expect(existsSync(join(root.work, 'projects', made)), made).toBe(true);
    }
    quick.push(...(JSON.parse(readFileSync(join(root.work, 'projects/study-quick/study.json'), 'utf8')) as StudyCase[]));
  }, 900_000);
});

describe('the quick study the examples made', () => {
  it('holds every quick case', () => {
    expect(quick.map((c) => c.id)).toEqual(quickCases().map((c) => c.id));
  });
  describeStudyProperties(quick);
});
