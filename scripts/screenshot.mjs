// `npm run screenshot`: retakes docs/screenshot.png, the README's picture of the app. Starts
// browser mode (out/main/server.js) on a temporary workspace, creates the light-mix example
// project through the HTTP API, runs `collaborative` and `direct`, and photographs the Results tab
// in Debian's Chromium (playwright-core, as the e2e tests use). RETILE_SCREENSHOT_PORT picks the
// port (default: a free one).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ensureBuild, ROOT } from './ensure-build.mjs';

const OUT = join(ROOT, 'docs/screenshot.png');
const VIEWPORT = { width: 1480, height: 1000 };
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function startServer(workspace, token, port) {
  const proc = spawn(process.execPath, [join(ROOT, 'out/main/server.js'), '--port', String(port)], {
    env: { ...process.env, RETILE_TOKEN: token, RETILE_WORKSPACE: workspace },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    proc.stdout.on('data', (d) => String(d).includes('serving at') && resolve(proc));
    proc.once('exit', (code) => reject(new Error(`the server exited (${code}): ${err}`)));
  });
}

async function main() {
  if (!CHROMIUM) throw new Error('no Chromium at /usr/bin/chromium: apt-get install -y chromium');
  ensureBuild();
  const workspace = mkdtempSync(join(tmpdir(), 'retile-screenshot-'));
  const token = randomBytes(16).toString('hex');
  const port = Number(process.env.RETILE_SCREENSHOT_PORT ?? 0) || (await freePort());
  const server = await startServer(workspace, token, port);
  const call = async (method, args) => {
    const res = await fetch(`http://127.0.0.1:${port}/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-retile-token': token },
      body: args === undefined ? '' : JSON.stringify(args),
    });
    const body = await res.json();
    if (!body.ok) throw new Error(`${method}: ${body.error}`);
    return body.result;
  };
  let browser;
  try {
    const project = await call('createProject', { name: 'light mix', example: 'light-mix' });
    for (const strategy of ['direct', 'collaborative']) {
      const { runId } = await call('startRun', { project: project.file, strategy, objective: 'makespan', seed: 1 });
      for (;;) {
        const run = (await call('listRuns', { project: project.file })).find((r) => r.id === runId);
        if (run && run.status !== 'running') {
          if (run.status !== 'finished') throw new Error(`${strategy} run ${run.status}: ${run.message}`);
          break;
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
    const page = await browser.newPage({ viewport: VIEWPORT });
    await page.goto(`http://127.0.0.1:${port}/?token=${token}`);
    await page.getByTestId('project-item').filter({ hasText: 'light mix' }).click();
    await page.getByRole('tab', { name: /^Results/ }).click();
    await page.locator('canvas').first().waitFor();
    await page.waitForTimeout(1000); // charts finish their entry animation
    await page.screenshot({ path: OUT });
    process.stdout.write(`wrote ${OUT}\n`);
  } finally {
    await browser?.close();
    server.kill();
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`screenshot: ${e.message}\n`);
  process.exit(1);
});
