/** Shared e2e helpers: open the UI the way a user does, with the per-launch token in the URL. */
import { expect, type Page, type TestInfo } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const E2E_TOKEN = process.env.RETILE_E2E_TOKEN ?? 'e2e-token-0123456789';

export async function openApp(page: Page): Promise<void> {
  await page.goto(`/?token=${E2E_TOKEN}`);
}

/** Opens the app at a desktop size and waits for the engine worker. */
export async function startApp(page: Page): Promise<void> {
  await page.setViewportSize({ width: 1480, height: 1000 });
  await openApp(page);
  await expect(page.getByTestId('status')).toContainText(/worker Wasm ABI \d+/);
}

/** New project from the ISAAC preset (empty tenants); it opens on the Tenants tab. */
export async function newPresetProject(page: Page, name: string): Promise<void> {
  await page.getByTestId('new-project').click();
  await page.getByLabel('Project name').fill(name);
  await page.getByText('ISAAC', { exact: true }).click();
  await page.getByTestId('create-project').click();
  await expect(page.getByTestId('project-title')).toHaveText(name);
}

/** Saves a full-page screenshot under reports/screenshots/ and attaches it to the report. */
export async function saveScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<string> {
  const dir = join(process.cwd(), 'reports/screenshots');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
  return path;
}
