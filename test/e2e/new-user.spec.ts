/**
 * A new user's path through the app, with the inputs a new user gets wrong: what is on screen is
 * what is saved (tenant and chip fields checked by the hosts' own rules, marked invalid with the
 * reason under them, never saved), a guard before unsaved edits are discarded, two windows on one
 * project, a run whose `finished` event is lost while the event stream is down, a serving sweep
 * (and one that serves the best of the run's candidates by throughput),
 * every export of a run opened the way a viewer would (the SVG parsed as XML, the PNG decoded),
 * plain messages, unicode project names and the drop target on the empty Tenants card.
 */
import { expect, test, type Download, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { encodeModel } from '../../src-main/engine/workload/onnx/encode';
import { E2E_TOKEN, openApp, saveScreenshot } from './fixtures';

test.describe.configure({ mode: 'serial' });

const NAME = `Étude 研究 ${Date.now().toString(36)}`;
let file = '';

async function call<T>(page: Page, method: string, args: unknown): Promise<T> {
  const res = await page.request.post(`/api/${method}`, { headers: { 'x-retile-token': E2E_TOKEN, 'content-type': 'application/json' }, data: JSON.stringify(args) });
  const body = (await res.json()) as { ok: boolean; result: T; error?: { message: string } };
  if (!body.ok) throw new Error(body.error?.message);
  return body.result;
}

async function start(page: Page, width = 1440, height = 900): Promise<string[]> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width, height });
  await openApp(page);
  await expect(page.getByTestId('status')).toContainText(/worker Wasm ABI \d+/);
  return errors;
}

async function openProject(page: Page, tab?: RegExp): Promise<void> {
  await page.getByTestId('project-item').filter({ hasText: NAME }).click();
  await expect(page.getByTestId('project-title')).toHaveText(NAME);
  if (tab) await page.getByRole('tab', { name: tab }).click();
}

/** A Conv 3->4 (3x3) on an 8x8 input: 4 x 27 = 108 weights, 4 x 27 x 64 = 6,912 MACs by hand. */
const TINY_ONNX = Buffer.from(
  encodeModel({
    opset: 13,
    inputs: [{ name: 'x', dims: [1, 3, 8, 8] }],
    initializers: [{ name: 'w', dims: [4, 3, 3, 3] }],
    nodes: [
      { op: 'Conv', name: 'conv', inputs: ['x', 'w'], outputs: ['c'], attrs: { pads: [1, 1, 1, 1] } },
      { op: 'Relu', name: 'relu', inputs: ['c'], outputs: ['y'] },
    ],
    outputs: ['y'],
  }),
).toString('base64');

test('a unicode project name, and ONNX files dropped on the empty Tenants card', async ({ page }, testInfo) => {
  const errors = await start(page);
  await page.getByTestId('new-project').click();
  await page.getByLabel('Project name').fill(NAME);
  await page.getByText('ISAAC', { exact: true }).click();
  await page.getByTestId('create-project').click();
  await expect(page.getByTestId('project-title')).toHaveText(NAME);
  await expect(page).toHaveTitle(`${NAME} · Tenants · Retile`);
  // The file name is made portable separately: accents dropped, other scripts replaced, tagged.
  file = (await call<{ file: string; name: string }[]>(page, 'listProjects', undefined)).find((p) => p.name === NAME)!.file;
  expect(file).toMatch(/^Etude-[A-Za-z0-9_.-]*-[0-9a-f]{8}\.retile$/);

  const card = page.getByTestId('empty-drop');
  await expect(card).toContainText('drop ONNX files here');
  await saveScreenshot(page, testInfo, 'tenants-empty-1440-light');
  const dataTransfer = await page.evaluateHandle((b64) => {
    const dt = new DataTransfer();
    dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'tiny-conv.onnx'));
    return dt;
  }, TINY_ONNX);
  await card.dispatchEvent('dragover', { dataTransfer });
  await card.dispatchEvent('drop', { dataTransfer });
  const row = page.getByTestId('tenant-row');
  await expect(row).toHaveCount(1, { timeout: 45_000 });
  await expect(row.locator('td.num').nth(0)).toHaveText('108');
  await expect(row.locator('td.num').nth(1)).toHaveText('6.91 k');
  expect(errors).toEqual([]);
});

const savedBatch = async (page: Page) =>
  (await call<{ tenants: { name: string; batch: number }[] }>(page, 'getProject', { project: file })).tenants.find((t) => t.name === 'lenet5')!.batch;

test('a rejected tenant edit stays on screen, marked invalid, and is never saved', async ({ page }, testInfo) => {
  const errors = await start(page);
  await call(page, 'addZooTenant', { project: file, model: 'lenet5' });
  await openProject(page, /^Tenants/);
  const batch = page.getByLabel('Batch of lenet5');
  const bad: [string, RegExp][] = [
    ['0', /at least 1/],
    ['1.5', /whole number/],
    ['', /enter a whole number/],
    ['100000', /at most 65,536/],
  ];
  for (const [text, message] of bad) {
    await batch.fill(text);
    await batch.press('Tab');
    await expect(batch).toHaveAttribute('aria-invalid', 'true');
    await expect(batch).toHaveValue(text);
    const described = await batch.getAttribute('aria-describedby');
    await expect(page.locator(`#${described}`)).toHaveText(message);
    // The project keeps the saved batch; no toast speaks for the field.
    expect(await savedBatch(page)).toBe(1);
  }
  await expect(page.getByTestId('toast-error')).toHaveCount(0);
  await saveScreenshot(page, testInfo, 'tenants-invalid-1440-light');

  // Leaving with an edit the project does not hold asks first.
  await page.getByRole('tab', { name: /^Chip/ }).click();
  await expect(page.getByTestId('discard-what')).toContainText('tenant field');
  await page.getByTestId('keep-editing').click();
  await expect(page.getByRole('tab', { name: /^Tenants/ })).toHaveAttribute('aria-selected', 'true');

  await batch.fill('4');
  await batch.press('Tab');
  await expect(batch).not.toHaveAttribute('aria-invalid', 'true');
  await expect.poll(() => savedBatch(page)).toBe(4);

  // Priority, SLA and names follow the same rules; a duplicate name is refused on the spot.
  await call(page, 'addZooTenant', { project: file, model: 'resnet20-cifar' });
  await expect(page.getByTestId('tenant-row')).toHaveCount(3);
  const cases: [string, string, RegExp][] = [
    ['Priority of lenet5', '0', /greater than 0/],
    ['SLA of lenet5 in milliseconds', '-2', /greater than 0 ms/],
    ['Name of tenant lenet5', '', /give the tenant a name/],
    ['Name of tenant lenet5', 'resnet20-cifar', /already named “resnet20-cifar”/],
  ];
  for (const [label, text, message] of cases) {
    const input = page.getByLabel(label);
    await input.fill(text);
    await input.press('Tab');
    await expect(input).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator(`#${await input.getAttribute('aria-describedby')}`)).toHaveText(message);
    await expect(page.locator(`#${await input.getAttribute('aria-describedby')}`)).not.toContainText(/slaMs|received|null/);
  }
  const saved = await call<{ tenants: { name: string; priority: number; slaMs: number | null }[] }>(page, 'getProject', { project: file });
  expect(saved.tenants.map((t) => [t.name, t.priority, t.slaMs])).toEqual([
    ['tiny-conv', 1, null],
    ['lenet5', 1, null],
    ['resnet20-cifar', 1, null],
  ]);
  expect(errors).toEqual([]);
});

test('the chip form refuses what the save refuses, says which chip runs use, and guards unsaved edits', async ({ page }, testInfo) => {
  const errors = await start(page);
  await openProject(page, /^Chip/);
  await page.getByLabel('Tile rows').fill('1000');
  await page.getByLabel('Tile columns').fill('1000');
  const rows = page.getByLabel('Tile rows');
  await expect(rows).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator(`#${await rows.getAttribute('aria-describedby')}`)).toContainText('1000 × 1000 = 1,000,000 tiles; at most 65,536');
  await expect(page.getByTestId('save-chip')).toBeDisabled();
  await expect(page.getByTestId('chip-unsaved')).toContainText('runs use the saved chip (isaac, 14×12 tiles)');
  await expect(page.getByTestId('chip-summary')).not.toContainText('1,000,000');
  await expect(page.getByTestId('chip-summary')).not.toContainText('setting');
  await saveScreenshot(page, testInfo, 'chip-invalid-1440-light');

  // A tab switch asks before dropping the edits; Keep editing keeps them.
  await page.getByRole('tab', { name: /^Run/ }).click();
  await expect(page.getByTestId('discard-what')).toContainText('runs use the saved chip');
  await page.getByTestId('keep-editing').click();
  await expect(rows).toHaveValue('1000');

  // Invalid JSON in the full spec: Revert is still there to get back.
  await page.getByRole('button', { name: /Full chip spec/ }).click();
  await page.getByLabel('Chip spec as JSON').fill('{ not json');
  await expect(page.getByRole('button', { name: 'Revert' })).toBeEnabled();
  await page.getByRole('button', { name: 'Revert' }).click();
  await expect(rows).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('save-chip')).toBeDisabled();
  await page.getByRole('tab', { name: /^Run/ }).click();
  await expect(page.getByTestId('discard-what')).toBeHidden();
  await expect(page.getByRole('tab', { name: /^Run/ })).toHaveAttribute('aria-selected', 'true');
  await expect(page).toHaveTitle(`${NAME} · Run · Retile`);
  expect(errors).toEqual([]);
});

test('two windows on one project: edits refresh the other, a run started in one never moves the other', async ({ browser }) => {
  const context = await browser.newContext();
  const a = await context.newPage();
  const b = await context.newPage();
  await start(a);
  await start(b);
  await openProject(a, /^Tenants/);
  await openProject(b, /^Tenants/);
  const batchA = a.getByLabel('Batch of lenet5');
  await batchA.fill('6');
  await batchA.press('Tab');
  await expect(b.getByLabel('Batch of lenet5')).toHaveValue('6');

  await a.getByRole('tab', { name: /^Run/ }).click();
  await a.getByTestId('start-run').click();
  await expect(a.getByRole('tab', { name: /^Results/ })).toHaveAttribute('aria-selected', 'true', { timeout: 90_000 });
  // The other window learns of the run (its count) but stays where its user is.
  await expect(b.getByRole('tab', { name: /^Run/ })).toContainText('1');
  await expect(b.getByRole('tab', { name: /^Tenants/ })).toHaveAttribute('aria-selected', 'true');
  await context.close();
});

test('a run that finishes while the event stream is down: on reconnecting the page reads the jobs again, the bar goes', async ({ page }) => {
  // Every event stream the page opens ends at once, as a dropped connection does: the page hears
  // no event at all (the run's `finished` included) and reconnects after the 200 ms the stream asks.
  await page.route('**/api/events?*', (route) =>
    route.fulfill({ status: 200, headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store' }, body: 'retry: 200\n: connected\n\n' }),
  );
  await start(page);
  await openProject(page, /^Run/);
  await page.getByTestId('strategy').selectOption('direct');
  await page.getByTestId('start-run').click();
  await expect(page.getByRole('tab', { name: /^Results/ })).toHaveAttribute('aria-selected', 'true', { timeout: 30_000 });
  await expect(page.getByTestId('kpi-makespan')).toBeVisible();
  // No job left running on screen: neither the top bar's pill nor the Run tab's bar.
  await expect(page.locator('.jobpill')).toHaveCount(0);
  await page.getByRole('tab', { name: /^Run/ }).click();
  await expect(page.getByTestId('run-progress')).toHaveCount(0);
  await expect(page.getByTestId('run-row').first()).toHaveAttribute('data-status', 'finished');
});

test('serving: latency percentiles and SLA attainment against the request rate', async ({ page }) => {
  const view = await call<{ tenants: { id: number; name: string }[] }>(page, 'getProject', { project: file });
  await call(page, 'updateTenant', { project: file, id: view.tenants.find((t) => t.name === 'lenet5')!.id, slaMs: 1 });
  const errors = await start(page);
  await openProject(page, /^Results/);
  const rates = page.getByTestId('serve-rates');
  await rates.fill('100, 0');
  await expect(rates).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#serve-rates-err')).toHaveText('each rate above 0');
  await expect(page.getByTestId('start-serve')).toBeDisabled();
  await rates.fill('100, 1000');
  await page.getByLabel('Requests per tenant and rate').fill('20');
  await page.getByTestId('start-serve').click();
  await expect(page.getByTestId('chart-serve-latency')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('chart-serve-sla')).toBeVisible();
  // Two rates x three tenants, each with its percentiles; only lenet5 has a p99 target.
  await expect(page.getByTestId('serve-table-row')).toHaveCount(6);
  await expect(page.getByTestId('serve-table-row').filter({ hasText: 'lenet5' }).first().locator('td[data-key="sla_p99_ms"]')).toHaveText('1 ms');
  await expect(page.getByTestId('serve-table-row').filter({ hasText: 'resnet20-cifar' }).first().locator('td[data-key="sla_attainment"]')).toHaveText('—');
  expect(errors).toEqual([]);
});

test('serving objective: the collaborative run\'s candidates each served at the rate, the best by throughput named', async ({ page }) => {
  const errors = await start(page);
  await openProject(page, /^Run/);
  await page.locator('[data-testid="run-row"][data-strategy="collaborative"][data-status="finished"]').first().click();
  await expect(page.getByRole('tab', { name: /^Results/ })).toHaveAttribute('aria-selected', 'true');
  // Results first shows the run shown last (direct) and remounts its sections when the chosen run
  // arrives: fill the form only once it is the collaborative run's.
  await expect(page.getByText(/Replays this run's deployment \(collaborative, seed 1\)/)).toBeVisible();
  // One rate, the fewest requests the sweep takes: one stream per candidate.
  await page.getByTestId('serve-rates').fill('100');
  await page.getByLabel('Requests per tenant and rate').fill('20');
  await page.getByTestId('serve-objective').selectOption('throughput');
  await expect(page.getByTestId('serve-rates')).toHaveValue('100');
  await page.getByTestId('start-serve').click();
  const served = page.getByTestId('serve-served');
  await expect(served).toContainText(/the best of \d+ candidates by throughput/, { timeout: 90_000 });
  // Collaborative's portfolio: several candidates, each with its figures, exactly one served.
  const rows = page.getByTestId('serve-candidates-row');
  expect(await rows.count()).toBeGreaterThanOrEqual(2);
  const winner = rows.filter({ hasText: '(served)' });
  await expect(winner).toHaveCount(1);
  const name = ((await winner.locator('td[data-key="candidate"]').textContent()) ?? '').replace(' (served)', '').trim();
  expect(['learning-rate', 'operator', 'tenant', 'replicas', 'direct', 'learning-rate-throughput']).toContain(name);
  await expect(served.locator('strong')).toHaveText(name);
  expect(errors).toEqual([]);
});

/** The download's bytes, and what Chromium makes of them: an SVG parsed as XML, a PNG decoded. */
async function opened(page: Page, download: Download): Promise<{ name: string; ok: boolean; detail: string; text: string }> {
  const bytes = readFileSync(await download.path());
  const name = download.suggestedFilename();
  const kind = name.endsWith('.svg') ? 'svg' : 'png';
  const r = await page.evaluate(
    async ({ b64, kind }) => {
      const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      if (kind === 'svg') {
        const doc = new DOMParser().parseFromString(new TextDecoder().decode(data), 'image/svg+xml');
        const err = doc.querySelector('parsererror');
        return { ok: !err && doc.documentElement.localName === 'svg', detail: err?.textContent ?? '' };
      }
      const bmp = await createImageBitmap(new Blob([data], { type: 'image/png' }));
      return { ok: bmp.width > 0 && bmp.height > 0, detail: `${bmp.width}x${bmp.height}` };
    },
    { b64: bytes.toString('base64'), kind },
  );
  return { name, ...r, text: kind === 'svg' ? bytes.toString('utf8') : '' };
}

test('every export of a run opens: charts, floorplan and timeline as SVG and PNG', async ({ page }, testInfo) => {
  const errors = await start(page);
  await openProject(page, /^Results/);
  // Results mounts section by section; the serving charts (of the sweep above) come last.
  await expect(page.getByTestId('chart-serve-latency')).toBeVisible();
  // Each tenant's energy split (dynamic, static on its tiles and its share of the idle ones, reprogramming) is among them.
  await expect(page.getByTestId('chart-energy-split')).toBeVisible();
  const buttons = page.getByRole('button', { name: /^Export .* as (SVG|PNG)$/ });
  const n = await buttons.count();
  expect(n).toBeGreaterThanOrEqual(12);
  for (let i = 0; i < n; i++) {
    const [download] = await Promise.all([page.waitForEvent('download'), buttons.nth(i).click()]);
    const file = await opened(page, download);
    expect(file.ok, `${file.name}: ${file.detail}`).toBe(true);
    if (/floorplan|timeline/.test(file.name) && file.name.endsWith('.svg')) {
      // Title, run label and legend travel with the figure.
      expect(file.text).toMatch(/Floorplan|Timeline/);
      expect(file.text).toContain('run #');
      expect(file.text).toContain('lenet5');
    }
  }
  await expect(page.getByTestId('toast-error')).toHaveCount(0);
  await saveScreenshot(page, testInfo, 'results-1440-light');
  expect(errors).toEqual([]);
});

test('every view, light and dark, at 1440 and 1024 px: nothing cut off, screenshots kept', async ({ page }, testInfo) => {
  const errors = await start(page);
  await openProject(page, /^Results/);
  await expect(page.getByTestId('kpi-makespan')).toBeVisible();
  for (const theme of ['light', 'dark'] as const) {
    if ((await page.locator('html').getAttribute('data-theme')) !== theme) await page.getByRole('button', { name: `Switch to ${theme} theme` }).click();
    for (const width of [1440, 1024]) {
      await page.setViewportSize({ width, height: width === 1440 ? 900 : 700 });
      for (const [tab, name] of [[/^Chip/, 'chip'], [/^Tenants/, 'tenants'], [/^Run/, 'run'], [/^Results/, 'results'], [/^Compare/, 'compare'], [/^Sweep/, 'sweep']] as const) {
        await page.getByRole('tab', { name: tab }).click();
        await expect(page).toHaveTitle(new RegExp(` · ${name === 'run' ? 'Run' : name[0].toUpperCase() + name.slice(1)} · Retile$`));
        if (name === 'results') await expect(page.getByTestId('layer-table-row').first()).toBeVisible();
        // No table pushes its last column (the actions) out of its box.
        const clipped = await page.locator('main table').evaluateAll((ts) =>
          ts.filter((t) => {
            const box = t.closest('.scroll, .tscroll') ?? t.parentElement!;
            return t.getBoundingClientRect().right > box.getBoundingClientRect().right + 1 && getComputedStyle(box).overflowX === 'visible';
          }).length,
        );
        expect(clipped, `${name} at ${width} px`).toBe(0);
        await saveScreenshot(page, testInfo, `${name}-${width}-${theme}`);
      }
    }
  }
  await page.getByRole('button', { name: 'Switch to light theme' }).click();
  expect(errors).toEqual([]);
});
