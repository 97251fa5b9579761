import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// Vitest orders files by the durations it cached on an earlier run; a fresh clone (as in CI) has
// none, and the longest files (dozens of CLI processes one after another) then tend to start last
// and run alone at the end. Starting them first lets the short files fill the forks.
const SLOW_FIRST = [
  'cli/docs-examples-specs',
  'cli/docs-examples-projects',
  'cli/sweep',
  'cli/project-commands',
  'optimize/properties',
  'optimize/steering',
  'optimize/analytic-optimum',
  'cli/shard-merge',
];
const rank = (spec: TestSpecification): number => {
  const i = SLOW_FIRST.findIndex((name) => spec.moduleId.replaceAll('\\', '/').endsWith(`/test/unit/${name}.test.ts`));
  return i < 0 ? SLOW_FIRST.length : i;
};
class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    // Hang guards: `npm test` runs vitest beside Playwright and the static checks on two cores.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Three forks on the 2-core machines this runs on: the CLI and server tests wait on child
    // processes much of the time (with two forks, a CI run's test time summed to 1.6x vitest's
    // wall time, so a third fork finds idle time).
    maxWorkers: 3,
    // Test files share a fork's loaded modules (the engine, the store, zod schemas) instead of
    // importing them again for every file: on 40 unit files this cut CPU by 40 % (import time
    // 73 s -> 20 s). Files that change global state (limits, environment, exit code) restore it.
    isolate: false,
    globalSetup: ['test/setup/global-build.ts'],
    sequence: { sequencer: SlowFirstSequencer },
  },
});
