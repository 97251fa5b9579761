import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    // Hang guards: `npm test` runs vitest beside Playwright and the static checks on two cores.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default is one fork per core but one: a single fork on the 2-core machines this
    // runs on. The CLI and server tests wait on child processes most of the time, so two forks
    // keep both cores busy.
    maxWorkers: 2,
    globalSetup: ['test/setup/global-build.ts'],
  },
});
