/**
 * Project management end to end in browser mode: a new project from an example spec,
 * duplicate / rename / delete from the sidebar's ⋯ menu, the recent list and reopening after a
 * reload, and ONNX import by drag and drop onto the tenant editor. Every test names its projects
 * uniquely, because the e2e workspace is shared with the other specs.
 */
import { expect, test, type Page } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { newPresetProject, startApp as start } from './fixtures';

const ROOT = resolve(import.meta.dirname, '../..');
const RUN = Date.now().toString(36);
const MNIST = resolve(ROOT, 'test/fixtures/onnx/mnist_onnx-mlir.onnx');

/** A sidebar entry's ⋯ menu, then one of its items. */
async function projectAction(page: Page, name: string, action: 'Rename…' | 'Duplicate…' | 'Delete…'): Promise<void> {
  await page.getByRole('button', { name: `Actions for ${name}`, exact: true }).click();
  await page.getByRole('menuitem', { name: action }).click();
}

const sidebarItem = (page: Page, name: string) =>
  page.getByTestId('project-item').filter({ has: page.locator('.name', { hasText: new RegExp(`^${name}$`) }) });

test('new project from an example opens with its chip and tenants', async ({ page }) => {
  // The expected tenants and chip come from the example file itself, not from the UI.
  const example = JSON.parse(readFileSync(join(ROOT, 'projects/examples/light-mix.json'), 'utf8')) as {
    name: string;
    chip: { preset: string; mesh: string };
    tenants: { model: string; batch: number }[];
  };
  const name = `e2e-example-${RUN}`;
  await start(page);
  await page.getByTestId('new-project').click();
  const dialog = page.getByRole('dialog', { name: 'New project' });
  await dialog.getByLabel('Project name').fill(name);
  // The example card lists its chip and tenants before anything is created.
  const card = dialog.locator('label').filter({ hasText: example.name });
  await expect(card).toContainText(example.tenants.map((t) => t.model).join(', '));
  await card.click();
  await expect(dialog.getByRole('radio', { name: new RegExp(example.name) })).toBeChecked();
  await page.getByTestId('create-project').click();
  await expect(dialog).toBeHidden();

  await expect(page.getByTestId('project-title')).toHaveText(name);
  const [rows, cols] = example.chip.mesh.split('x');
  const crumbs = page.getByRole('navigation', { name: 'Breadcrumb' });
  await expect(crumbs).toContainText(new RegExp(`${example.chip.preset}`, 'i'));
  await expect(crumbs).toContainText(`${rows}×${cols} tiles · ${example.tenants.length} tenants`);
  await expect(sidebarItem(page, name)).toContainText(`${example.tenants.length}T · 0R`);

  await page.getByRole('tab', { name: /^Tenants/ }).click();
  await expect(page.getByTestId('tenant-row')).toHaveCount(example.tenants.length);
  for (const t of example.tenants) {
    const row = page.locator(`[data-testid="tenant-row"][data-tenant="${t.model}"]`);
    await expect(row.getByRole('button', { name: t.model, exact: true })).toBeVisible();
    await expect(row.getByLabel(`Batch of ${t.model}`)).toHaveValue(String(t.batch));
  }
  // The chip editor holds the example's mesh.
  await page.getByRole('tab', { name: /^Chip/ }).click();
  await expect(page.getByTestId('sum-tiles')).toContainText(String(Number(rows) * Number(cols)));
});

test('duplicate, rename and delete a project', async ({ page }) => {
  const a = `e2e-orig-${RUN}`;
  const b = `e2e-copy-${RUN}`;
  const c = `e2e-renamed-${RUN}`;
  await start(page);
  await newPresetProject(page, a);
  await page.getByLabel('Search the model zoo').fill('lenet5');
  await page.getByTestId('add-lenet5').click();
  await expect(page.locator('[data-tenant="lenet5"]')).toBeVisible();

  // Duplicate: the copy opens, with the same tenants; the original stays.
  await projectAction(page, a, 'Duplicate…');
  const dup = page.getByRole('dialog', { name: 'Duplicate project' });
  await expect(dup.getByLabel('Name of the copy')).toHaveValue(`${a} copy`);
  await dup.getByLabel('Name of the copy').fill(b);
  await dup.getByRole('button', { name: 'Duplicate', exact: true }).click();
  await expect(dup).toBeHidden();
  await expect(page.getByTestId('project-title')).toHaveText(b);
  await expect(sidebarItem(page, a)).toHaveCount(1);
  await expect(sidebarItem(page, b)).toContainText('1T · 0R');
  await page.getByRole('tab', { name: /^Tenants/ }).click();
  await expect(page.locator('[data-tenant="lenet5"]')).toBeVisible();

  // Rename the (open) copy: the sidebar and the title show the new name, the file keeps working.
  await projectAction(page, b, 'Rename…');
  const ren = page.getByRole('dialog', { name: 'Rename project' });
  await ren.getByLabel('New name').fill(c);
  await ren.getByRole('button', { name: 'Rename', exact: true }).click();
  await expect(ren).toBeHidden();
  await expect(page.getByTestId('project-title')).toHaveText(c);
  await expect(sidebarItem(page, c)).toHaveCount(1);
  await expect(sidebarItem(page, b)).toHaveCount(0);
  await sidebarItem(page, a).click();
  await expect(page.getByTestId('project-title')).toHaveText(a);
  await sidebarItem(page, c).click();
  await expect(page.getByTestId('project-title')).toHaveText(c);
  await page.getByRole('tab', { name: /^Tenants/ }).click();
  await page.getByLabel('Search the model zoo').fill('resnet20-cifar');
  await page.getByTestId('add-resnet20-cifar').click();
  await expect(page.getByTestId('tenant-row')).toHaveCount(2);
  await expect(sidebarItem(page, c)).toContainText('2T · 0R');

  // Delete: Cancel keeps it; confirming removes it from the list and from disk.
  await projectAction(page, c, 'Delete…');
  const del = page.getByRole('dialog', { name: 'Delete project?' });
  await expect(del).toContainText(c);
  await expect(del).toContainText('0 runs');
  await del.getByRole('button', { name: 'Cancel' }).click();
  await expect(del).toBeHidden();
  await expect(sidebarItem(page, c)).toHaveCount(1);
  await expect(page.getByTestId('project-title')).toHaveText(c);

  await projectAction(page, c, 'Delete…');
  const fileText = await del.locator('code').textContent();
  await del.getByTestId('confirm-delete').click();
  await expect(del).toBeHidden();
  await expect(sidebarItem(page, c)).toHaveCount(0);
  await expect(sidebarItem(page, a)).toHaveCount(1);
  // The open project was the deleted one: back on the start page.
  await expect(page.getByTestId('project-title')).toHaveCount(0);
  await expect(page.getByTestId('home-new')).toBeVisible();
  const ws = process.env.RETILE_E2E_WORKSPACE;
  if (ws && fileText) expect(existsSync(resolve(ws, fileText))).toBe(false);
  // Still gone after a reload (the server's list, not only the page's state).
  await page.reload();
  await expect(sidebarItem(page, a)).toHaveCount(1);
  await expect(sidebarItem(page, c)).toHaveCount(0);
});

test('recent projects and reopening after a reload', async ({ page }) => {
  const first = `e2e-recent-a-${RUN}`;
  const second = `e2e-recent-b-${RUN}`;
  await start(page);
  await newPresetProject(page, first);
  await newPresetProject(page, second);

  // A reload reopens the last project; the recent list holds both, most recent first.
  await page.reload();
  await expect(page.getByTestId('project-title')).toHaveText(second);
  const recent = page.getByRole('list', { name: 'Recent projects' });
  await expect(recent.getByRole('button')).toHaveText([second, first]);
  await recent.getByRole('button', { name: first, exact: true }).click();
  await expect(page.getByTestId('project-title')).toHaveText(first);
  await page.reload();
  await expect(page.getByTestId('project-title')).toHaveText(first);
  await expect(recent.getByRole('button')).toHaveText([first, second]);
});

test('import an ONNX file by drag and drop', async ({ page }) => {
  const name = `e2e-drop-${RUN}`;
  await start(page);
  await newPresetProject(page, name);
  await expect(page.getByRole('tab', { name: /^Tenants/ })).toHaveAttribute('aria-selected', 'true');

  // A real drop event whose DataTransfer holds the file's bytes (as the OS would deliver them).
  const base64 = readFileSync(MNIST).toString('base64');
  const dataTransfer = await page.evaluateHandle((b64) => {
    const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], 'mnist_onnx-mlir.onnx', { type: 'application/octet-stream' }));
    return dt;
  }, base64);
  const zone = page.getByRole('region', { name: 'Import ONNX files' });
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });

  const row = page.getByTestId('tenant-row');
  await expect(row).toHaveCount(1, { timeout: 45_000 });
  await expect(row.getByRole('button', { name: 'mnist_onnx-mlir.onnx' })).toBeVisible();
  await expect(row).toContainText('ONNX');
  // test/fixtures/onnx/README.md: params 26,506 and MACs 26,368, shown with 3 significant digits.
  const cells = row.locator('td.num');
  await expect(cells.nth(0)).toHaveText('26.5 k');
  await expect(cells.nth(1)).toHaveText('26.4 k');

  // The per-layer summary: 0 conv + 2 fc whose MACs add up to 26,368 (196·128 + 128·10).
  await row.getByRole('button', { name: 'mnist_onnx-mlir.onnx' }).click();
  const layers = page.getByTestId('tenant-layers-row');
  await expect(layers).toHaveCount(2);
  await expect(layers.locator('td[data-key="kind"]')).toHaveText(['fc', 'fc']);
  const macs = await layers.locator('td[data-key="macs"]').evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-raw'))));
  expect(macs.reduce((s, m) => s + m, 0)).toBe(26_368);
  await expect(page.getByTestId('tenant-detail')).toContainText('26.4 k MACs');
});
