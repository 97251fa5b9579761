import { defineConfig } from 'vitest/config';

// `npm run study:full`: the full reproduction study's property check (test/study), kept out of `npm test`.
export default defineConfig({
  test: {
    include: ['test/study/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 3_600_000,
    pool: 'forks',
    globalSetup: ['test/setup/global-build.ts'],
  },
});
