/**
 * The import dialog's shape fields end to end: an ONNX model whose input has symbolic `batch` and
 * `sequence` axes (an embedding Gather of an [100, 8] table, then an 8 -> 4 MatMul) is refused
 * while `sequence` is unbound and leaves the project unchanged, then imports once the axis is
 * bound by "Symbolic axes" or the whole input by "Input shape". Expected MACs by hand: tokens x 8 x 4.
 */
import { expect, test, type Page } from '@playwright/test';
import { symbolicSequenceOnnx } from '../helpers';
import { newPresetProject, startApp } from './fixtures';

const NAME = `e2e-shapes-${Date.now().toString(36)}`;

async function importAs(page: Page, fileName: string): Promise<void> {
  await page.getByTestId('onnx-input').setInputFiles({ name: fileName, mimeType: 'application/octet-stream', buffer: Buffer.from(symbolicSequenceOnnx()) });
}

/**
 * The imported tenant's fc layer has `macs` MACs (exact, from data-raw). Retried until it holds: the
 * detail pane keeps the tenant shown before until the clicked tenant's layers arrive.
 */
async function expectFcMacs(page: Page, fileName: string, macs: number): Promise<void> {
  await page.getByTestId('tenant-row').getByRole('button', { name: fileName }).click();
  const fc = page.getByTestId('tenant-layers-row').filter({ has: page.locator('td[data-key="kind"]', { hasText: /^fc$/ }) });
  await expect(fc.locator('td[data-key="macs"]')).toHaveAttribute('data-raw', String(macs));
}

test('symbolic axes and input shape in the import dialog', async ({ page }) => {
  await startApp(page);
  await newPresetProject(page, NAME);

  // Unbound: one error naming the input, the axis and the flag; no tenant added.
  await importAs(page, 'seq.onnx');
  await expect(page.getByTestId('toast-error')).toContainText("unbound symbolic axes: 'input_ids' axis 1 'sequence'");
  await expect(page.getByTestId('toast-error')).toContainText('--dim sequence=<n>');
  await expect(page.getByTestId('tenant-row')).toHaveCount(0);

  // Bound by name: 128 tokens x 8 x 4 = 4,096 MACs.
  await page.getByTestId('onnx-dims').fill('sequence=128');
  await importAs(page, 'seq128.onnx');
  await expect(page.getByTestId('tenant-row')).toHaveCount(1, { timeout: 45_000 });
  await expectFcMacs(page, 'seq128.onnx', 4_096);
  await expect(page.getByTestId('tenant-detail')).toContainText('input 1×128');

  // The whole input given instead: 1 x 64 tokens, 64 x 8 x 4 = 2,048 MACs.
  await page.getByTestId('onnx-dims').fill('');
  await page.getByTestId('onnx-input-shape').fill('input_ids=1x64');
  await importAs(page, 'seq64.onnx');
  await expect(page.getByTestId('tenant-row')).toHaveCount(2, { timeout: 45_000 });
  await expectFcMacs(page, 'seq64.onnx', 2_048);
  await expect(page.getByTestId('tenant-detail')).toContainText('input 1×64');
});
