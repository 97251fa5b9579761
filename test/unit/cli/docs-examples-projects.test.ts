/**
 * docs/cli.md's examples of the commands on project files (new, runs, show, export, sweep, merge),
 * run as written in page order from a scratch clone root: each section builds on the files the
 * ones above it made.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers';
import { examples, PROJECT_SECTIONS, scratch } from './docs-examples';

const root = scratch('retile-docs-projects-');
afterAll(() => root.cleanup());

describe('docs/cli.md examples', () => {
  it('runs the project-file examples in page order, each exiting 0, writing only into projects/', () => {
    const ran = root.run(examples().filter((b) => PROJECT_SECTIONS.includes(b.section)));
    expect(ran.length).toBeGreaterThanOrEqual(12);
    expect(readdirSync(root.work).sort()).toEqual(['projects']);
    expect(readdirSync(join(root.work, 'projects/examples')).sort()).toEqual(readdirSync(join(REPO_ROOT, 'projects/examples')).sort());
    for (const made of ['light.retile', 'sizes.retile', 'sizes-merged.retile', 'light-results/run-1-summary.csv', 'light-layers.csv', 'adc-rows.retile']) {
      expect(existsSync(join(root.work, 'projects', made)), made).toBe(true);
    }
    const merge = JSON.parse(readFileSync(join(root.work, 'projects/merge.json'), 'utf8')) as { complete: boolean; sweep_cases: number };
    expect(merge).toMatchObject({ complete: true, sweep_cases: 4 });
  }, 300_000);
});
