import { defineConfig } from 'vitest/config';

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
    globalSetup: ['test/setup/global-build.ts'],
  },
});
