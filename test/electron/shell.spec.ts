/**
 * Electron-only behaviour: the preload surface and the app:// guard. Runs where the Electron
 * binary is installed (with a display or xvfb-run); elsewhere these tests report as skipped.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

function electronBinary(): string | null {
  try {
    const dir = join(createRequire(import.meta.url).resolve('electron/package.json'), '..');
    const bin = join(dir, 'dist', readFileSync(join(dir, 'path.txt'), 'utf8').trim());
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const hasDisplay = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
test.skip(!binary || !hasDisplay, 'needs the Electron binary and a display (not available on this machine)');

test('the preload exposes the API methods and nothing of Node', async () => {
  const app = await electron.launch({ executablePath: binary!, args: ['.'] });
  const page = await app.firstWindow();
  const surface = await page.evaluate(() => ({
    api: Object.keys((globalThis as unknown as { api: object }).api).sort(),
    require: typeof (globalThis as unknown as { require?: unknown }).require,
    process: typeof (globalThis as unknown as { process?: unknown }).process,
  }));
  expect(surface.api).toContain('appInfo');
  expect(surface.api).not.toContain('invoke');
  expect(surface.require).toBe('undefined');
  expect(surface.process).toBe('undefined');
  const status = await page.evaluate(async () => (await fetch('app://retile/../../package.json')).status);
  expect([403, 404]).toContain(status);
  await app.close();
});

test('no path method over IPC; navigation, redirects and new windows stay in the app; the engine runs in a utility process', async () => {
  const app = await electron.launch({ executablePath: binary!, args: ['.'] });
  const page = await app.firstWindow();
  const api = await page.evaluate(() => Object.keys((globalThis as unknown as { api: object }).api));
  expect(api).not.toContain('setWorkspace');
  expect(api).not.toContain('openProjectPath');
  expect(api).toContain('pickWorkspace');
  // A non-allowlisted link neither opens a window nor navigates the page.
  await page.evaluate(() => window.open('https://example.com/', '_blank'));
  await page.evaluate(() => {
    location.href = 'https://example.com/';
  });
  await page.waitForTimeout(500);
  expect(app.windows()).toHaveLength(1);
  expect(page.url()).toMatch(/^app:\/\/retile\//);
  // The engine answers (its Wasm ABI) from a utility process named for it.
  // The bridge answers with a reply value (errors are values over IPC), unwrapped by the page's api.ts.
  const reply = await page.evaluate(() => (globalThis as unknown as { api: { appInfo(): Promise<{ ok: boolean; result: { wasmAbi: number } }> } }).api.appInfo());
  expect(reply.ok).toBe(true);
  expect(reply.result.wasmAbi).toBeGreaterThan(0);
  const refused = await page.evaluate(() => (globalThis as unknown as { api: { getProject(a: unknown): Promise<unknown> } }).api.getProject({ project: '../x.retile' }));
  expect(refused).toMatchObject({ ok: false, error: { code: 'bad-input', field: 'project' } });
  const utility = await app.evaluate(({ app: a }) => a.getAppMetrics().filter((m) => m.type === 'Utility').map((m) => m.name ?? ''));
  expect(utility).toContain('Retile engine');
  await app.close();
});
