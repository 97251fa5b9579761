/**
 * End-to-end tests drive the real UI in Debian's Chromium against browser mode (the built
 * renderer served by out/main/server.js). The `electron` project runs only where the Electron
 * binary exists; elsewhere its tests report as skipped.
 */
import { defineConfig } from '@playwright/test';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const E2E_PORT = Number(process.env.RETILE_E2E_PORT ?? 47123);
export const E2E_TOKEN = process.env.RETILE_E2E_TOKEN ?? 'e2e-token-0123456789';
const workspace = process.env.RETILE_E2E_WORKSPACE ?? mkdtempSync(join(tmpdir(), 'retile-e2e-'));
process.env.RETILE_E2E_WORKSPACE = workspace;

const systemChromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

export default defineConfig({
  testDir: 'test',
  outputDir: 'test-results',
  // Hang guards, not speed checks: `npm test` runs this beside vitest on two cores, so a step can
  // take several times its idle time.
  timeout: 180_000,
  expect: { timeout: 15_000 },
  workers: 1,
  // One retry: these tests share 2 cores with vitest, so a step can miss its hang guard under
  // load; a test that passes only on its retry is listed by name as flaky at the end of `npm test`.
  retries: 1,
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: systemChromium,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  projects: [
    { name: 'browser', testDir: 'test/e2e' },
    { name: 'electron', testDir: 'test/electron' },
  ],
  webServer: {
    // The same start script as `npm start` (browser mode: Playwright drives Chromium, not Electron).
    command: `node scripts/start.mjs --browser --port ${E2E_PORT}`,
    url: `http://127.0.0.1:${E2E_PORT}/index.html`,
    reuseExistingServer: false,
    timeout: 30_000,
    env: { RETILE_TOKEN: E2E_TOKEN, RETILE_WORKSPACE: workspace },
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
