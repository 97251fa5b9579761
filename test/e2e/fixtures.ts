/** Shared e2e helpers: open the UI the way a user does, with the per-launch token in the URL. */
import type { Page, TestInfo } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const E2E_TOKEN = process.env.RETILE_E2E_TOKEN ?? 'e2e-token-0123456789';

export async function openApp(page: Page): Promise<void> {
  await page.goto(`/?token=${E2E_TOKEN}`);
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
