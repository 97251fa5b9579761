import { expect, test } from '@playwright/test';
import { openApp } from './fixtures';

test('a page without the token cannot use the API', async ({ page }) => {
  await page.goto('/index.html');
  await expect(page.getByTestId('error')).toContainText(/token/);
});

test('the Wasm module loads in the engine worker and in the page', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openApp(page);
  // The token is taken from the URL once and removed from the address bar.
  await expect(page).not.toHaveURL(/token=/);
  await expect(page.getByTestId('status')).toContainText(/worker Wasm ABI (\d+) · page Wasm ABI \1/);
  expect(errors).toEqual([]);
});
