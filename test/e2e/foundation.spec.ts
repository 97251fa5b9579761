import { expect, test } from '@playwright/test';
import { openApp, saveScreenshot } from './fixtures';

test('UI -> API -> worker -> Wasm -> store -> UI round trip', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openApp(page);
  // The token left the address bar once it was taken.
  await expect(page).not.toHaveURL(/token=/);
  await expect(page.getByTestId('status')).toContainText(/worker Wasm ABI \d+ · page Wasm ABI \d+/);

  const name = `e2e-${Date.now()}`;
  await page.getByLabel('New project').fill(name);
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByTestId('project-item').filter({ hasText: name })).toBeVisible();

  await page.getByLabel('n', { exact: true }).fill('2000');
  await page.getByTestId('run-selftest').click();
  await expect(page.getByRole('progressbar')).toBeVisible();
  const row = page.getByTestId('run-row').first();
  await expect(row).toHaveAttribute('data-status', 'finished', { timeout: 15_000 });
  // 1 + 2 + ... + 2000 = 2000 * 2001 / 2, computed in Wasm in the worker and read back from SQLite.
  await expect(row.getByTestId('run-headline')).toHaveText('2001000');

  // Reload: the run is still there (persistence through the store).
  await page.reload();
  await page.getByTestId('project-item').filter({ hasText: name }).click();
  await expect(page.getByTestId('run-headline').first()).toHaveText('2001000');
  await saveScreenshot(page, testInfo, 'foundation');
  expect(errors).toEqual([]);
});

test('a page without the token cannot use the API', async ({ page }) => {
  await page.goto('/index.html');
  await expect(page.getByTestId('error')).toContainText(/token/);
});
