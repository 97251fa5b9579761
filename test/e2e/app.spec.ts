/**
 * The desktop app end to end in browser mode (real Chromium, server, worker, Wasm and SQLite):
 * a project from a preset, three zoo tenants and one uploaded ONNX file, collaborative and direct
 * runs whose figures match the CLI's for the same spec, a comparison, persistence across a
 * reload, and cancelling a long run.
 */
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { E2E_TOKEN, newPresetProject, openApp, saveScreenshot } from './fixtures';

const ROOT = resolve(import.meta.dirname, '../..');
const ONNX = resolve(ROOT, 'test/fixtures/onnx/pt_alexnet.onnx');
const ZOO = ['lenet5', 'resnet20-cifar', 'vgg8-cifar'];
const NAME = `e2e-mix-${Date.now().toString(36)}`;

test.describe.configure({ mode: 'serial' });

async function runStrategy(page: Page, strategy: string): Promise<void> {
  await page.getByRole('tab', { name: /^Run/ }).click();
  await page.getByTestId('strategy').selectOption(strategy);
  const before = await page.getByTestId('run-row').count();
  await page.getByTestId('start-run').click();
  await expect(page.getByTestId('run-row')).toHaveCount(before + 1);
  // A finished run opens on the Results tab.
  await expect(page.getByRole('tab', { name: /^Results/ })).toHaveAttribute('aria-selected', 'true', { timeout: 90_000 });
  await expect(page.getByTestId('kpi-makespan')).toBeVisible();
}

/** The CLI's figures for the same spec. */
function cliRun(strategy: string): { makespan_s: number; energy_j: number; tenants: { name: string; latency_s: number }[] } {
  const dir = mkdtempSync(join(tmpdir(), 'retile-e2e-spec-'));
  const spec = join(dir, 'spec.json');
  writeFileSync(spec, JSON.stringify({ chip: 'isaac', tenants: [...ZOO.map((model) => ({ model })), { model: ONNX }], strategy, objective: 'makespan', seed: 1 }));
  const out = execFileSync('node', [join(ROOT, 'out/main/cli.js'), 'run', spec, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out);
}

test('build a project, run two strategies, compare, persist', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1480, height: 1000 });
  await openApp(page);
  await expect(page).not.toHaveURL(/token=/);
  await expect(page.getByTestId('status')).toContainText(/worker Wasm ABI \d+/);

  await newPresetProject(page, NAME);
  await expect(page.getByRole('tab', { name: /^Tenants/ })).toHaveAttribute('aria-selected', 'true');

  // Three zoo tenants (search, then add) and one ONNX file by upload.
  for (const m of ZOO) {
    await page.getByLabel('Search the model zoo').fill(m);
    await page.getByTestId(`add-${m}`).click();
    await expect(page.locator(`[data-tenant="${m}"]`)).toBeVisible();
  }
  await page.getByTestId('onnx-input').setInputFiles(ONNX);
  await expect(page.getByTestId('tenant-row')).toHaveCount(4, { timeout: 45_000 });
  await expect(page.getByTestId('tenants')).toContainText('pt_alexnet.onnx');
  // The per-layer summary of the imported model.
  await page.getByRole('button', { name: 'pt_alexnet.onnx' }).click();
  await expect(page.getByTestId('tenant-layers-row').first()).toBeVisible();
  await saveScreenshot(page, testInfo, 'tenants');

  // The chip editor: inline validation and a live summary.
  await page.getByRole('tab', { name: /^Chip/ }).click();
  await expect(page.getByTestId('sum-tiles')).toContainText('168');
  await page.getByLabel('Tile rows').fill('0');
  await expect(page.locator('#chip-topology-rows-err')).toBeVisible();
  await expect(page.getByTestId('save-chip')).toBeDisabled();
  await saveScreenshot(page, testInfo, 'chip-invalid');
  await page.getByRole('button', { name: 'Revert' }).click();
  await expect(page.getByTestId('sum-tiles')).toContainText('168');

  await runStrategy(page, 'collaborative');
  const cli = cliRun('collaborative');
  const collabMakespan = await page.getByTestId('kpi-makespan').textContent();
  // The exact numbers behind the formatted figures (data-raw) equal the CLI's JSON.
  await expect(page.getByTestId('kpi-makespan')).toHaveAttribute('data-raw', String(cli.makespan_s));
  await expect(page.getByTestId('kpi-energy')).toHaveAttribute('data-raw', String(cli.energy_j));
  for (const t of cli.tenants) {
    const row = page.getByTestId('tenant-metrics-row').filter({ has: page.locator('td[data-key="name"]', { hasText: new RegExp(`^${t.name}$`) }) });
    await expect(row.locator('td[data-key="latency_s"]')).toHaveAttribute('data-raw', String(t.latency_s));
  }
  // Floorplan drawn, re-operators on hover.
  const canvas = page.getByTestId('floorplan-canvas');
  await expect(canvas).toBeVisible();
  // The baselines table sits above the floorplan: bring the canvas into view before hovering it.
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  let hovered = false;
  for (let i = 0; i < 30 && !hovered; i++) {
    await page.mouse.move(box.x + box.width * (0.2 + 0.02 * i), box.y + box.height * (0.2 + 0.01 * i));
    hovered = (await page.getByTestId('floorplan-tooltip').count()) > 0 && /crossbars/.test((await page.getByTestId('floorplan-tooltip').textContent()) ?? '');
  }
  expect(hovered).toBe(true);
  await page.mouse.move(0, 0);
  await expect(page.getByTestId('tenant-metrics-row')).toHaveCount(4);
  await expect(page.getByTestId('layer-table-row').first()).toBeVisible();
  await page.locator('[data-testid^="toast-"] button').evaluateAll((bs) => bs.forEach((b) => (b as unknown as { click(): void }).click()));
  await saveScreenshot(page, testInfo, 'results');
  // The whole results page (the app scrolls inside its main pane, so grow the window to see it all).
  await page.setViewportSize({ width: 1480, height: 2600 });
  await expect(page.getByTestId('gantt')).toBeVisible();
  await saveScreenshot(page, testInfo, 'results-full');
  await page.setViewportSize({ width: 1480, height: 1000 });

  await runStrategy(page, 'direct');
  const cliDirect = cliRun('direct');
  await expect(page.getByTestId('kpi-makespan')).toHaveAttribute('data-raw', String(cliDirect.makespan_s));
  // Direct deployment is its own baseline.
  await expect(page.getByTestId('kpi-speedup')).toHaveText('1×');

  // Compare the two runs.
  await page.getByRole('tab', { name: /^Compare/ }).click();
  await expect(page.getByTestId('compare-row')).toHaveCount(10);
  const row = page.locator('[data-testid="compare-row"][data-metric="makespan_s"]');
  await expect(row).toContainText(collabMakespan!);
  await expect(page.getByTestId('compare-chart')).toBeVisible();
  await saveScreenshot(page, testInfo, 'compare');
  // The picks survive a visit to another tab: swap them, leave, come back.
  const [pickA, pickB] = [await page.getByTestId('compare-a').inputValue(), await page.getByTestId('compare-b').inputValue()];
  await page.getByTestId('compare-a').selectOption(pickB);
  await page.getByTestId('compare-b').selectOption(pickA);
  await page.getByRole('tab', { name: /^Tenants/ }).click();
  await page.getByRole('tab', { name: /^Compare/ }).click();
  await expect(page.getByTestId('compare-a')).toHaveValue(pickB);
  await expect(page.getByTestId('compare-b')).toHaveValue(pickA);

  // Reload: the project reopens with identical results.
  await page.reload();
  await expect(page.getByTestId('project-title')).toHaveText(NAME);
  await page.getByRole('tab', { name: /^Results/ }).click();
  const select = page.getByTestId('result-run');
  const collabOption = select.locator('option', { hasText: 'collaborative' });
  await select.selectOption(await collabOption.getAttribute('value'));
  await expect(page.getByTestId('kpi-makespan')).toHaveText(collabMakespan!);
  await expect(page.getByTestId('tenant-metrics-row')).toHaveCount(4);

  // Dark theme, for the record (once the last section, the layer table, is mounted).
  await expect(page.getByTestId('layer-table-row').first()).toBeVisible();
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await saveScreenshot(page, testInfo, 'results-dark');
  await page.getByRole('button', { name: 'Switch to light theme' }).click();
  expect(errors).toEqual([]);
});

test('cancel a long run', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1480, height: 1000 });
  await openApp(page);
  await page.getByTestId('project-item').filter({ hasText: NAME }).click();
  await expect(page.getByTestId('project-title')).toHaveText(NAME);
  // A sweep over many chip sizes takes several seconds: long enough to cancel.
  await page.getByRole('tab', { name: /^Sweep/ }).click();
  await page.getByLabel('Mesh sides').fill('16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 64');
  await page.getByRole('button', { name: 'Run sweep' }).click();
  const cancel = page.getByRole('button', { name: 'Cancel' });
  await expect(cancel).toBeVisible();
  await saveScreenshot(page, testInfo, 'sweep-running');
  await cancel.click();
  await expect(page.getByRole('button', { name: 'Run sweep' })).toBeVisible();
  await page.getByRole('tab', { name: /^Run/ }).click();
  await expect(page.getByTestId('run-row').first()).toHaveAttribute('data-status', 'cancelled');
  // One count everywhere: the run list, the Run tab's badge and the sidebar (two runs and the sweep).
  await expect(page.getByTestId('run-row')).toHaveCount(3);
  await expect(page.getByRole('tab', { name: /^Run/ }).locator('.count')).toHaveText('3');
  await expect(page.getByTestId('project-item').filter({ hasText: NAME })).toContainText('· 3R');
  expect(readdirSync(process.env.RETILE_E2E_WORKSPACE!).some((f) => f.startsWith(NAME))).toBe(true);
});

test('a plan in rounds: the floorplan says so and shows one round at a time', async ({ page }) => {
  // The four-tenant example does not fit the chip at once: direct deployment runs it in rounds.
  const name = `e2e-rounds-${Date.now().toString(36)}`;
  await openApp(page);
  const res = await page.request.post('/api/createProject', {
    headers: { 'x-retile-token': E2E_TOKEN, 'content-type': 'application/json' },
    data: JSON.stringify({ name, example: 'four-tenant-mix' }),
  });
  expect((await res.json()).ok).toBe(true);
  await page.reload();
  await page.getByTestId('project-item').filter({ hasText: name }).click();
  await page.getByRole('tab', { name: /^Run/ }).click();
  await page.getByTestId('strategy').selectOption('direct');
  await page.getByTestId('start-run').click();
  await expect(page.getByRole('tab', { name: /^Results/ })).toHaveAttribute('aria-selected', 'true', { timeout: 90_000 });

  const floorplan = page.getByTestId('floorplan');
  // The caption names the number of rounds; wait for it before counting the round buttons (one per
  // round and "all"), which render with it.
  const caption = floorplan.locator('figcaption');
  await expect(caption).toContainText(/\d+ rounds, reprogrammed between/, { timeout: 60_000 });
  const n = Number(/(\d+) rounds, reprogrammed between/.exec((await caption.textContent()) ?? '')![1]);
  expect(n).toBeGreaterThan(1);
  const rounds = page.getByTestId('floorplan-rounds').getByRole('radio');
  await expect(rounds).toHaveCount(n + 1);
  const legend = page.getByTestId('floorplan-legend-tenant');
  await expect(legend).toHaveCount(4);
  // Each round shows only its own tenants, and the rounds hold every tenant once.
  let shown = 0;
  for (let k = 1; k <= n; k++) {
    await rounds.nth(k).click();
    await expect(rounds.nth(k)).toHaveAttribute('aria-checked', 'true');
    const members = await legend.count();
    expect(members).toBeGreaterThan(0);
    for (let i = 0; i < members; i++) await expect(legend.nth(i)).toContainText(`round ${k}`);
    shown += members;
  }
  expect(shown).toBe(4);
  await rounds.first().click();
  await expect(legend).toHaveCount(4);
  // Rounds rewrite the crossbars every repetition: the headline section shows the wear and lifetime.
  await expect(page.getByTestId('writes')).toBeVisible();
  await expect(page.getByTestId('writes-lifetime')).toHaveText(/^[\d.]+ (years|days|h|min|s)$/);
});
