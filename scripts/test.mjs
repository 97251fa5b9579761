// `npm test`: build, lint, type checks, vitest, Playwright; then a line with the wall time of the
// whole run and one closing line summing every runner: `N passed, N failed, N skipped`. Every stage
// runs even if an earlier one failed, so one run shows everything that is wrong. Exits non-zero on any failure or when no test ran.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuild, ROOT } from './ensure-build.mjs';

const started = Date.now();
const REPORTS = join(ROOT, 'reports');
rmSync(REPORTS, { recursive: true, force: true });
mkdirSync(REPORTS, { recursive: true });
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const tally = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

const seconds = (since) => `${Math.round((Date.now() - since) / 1000)} s`;

function run(label, args, env = {}) {
  process.stdout.write(`\n── ${label} ──\n`);
  const t = Date.now();
  const r = spawnSync(npx, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  process.stdout.write(`── ${label}: ${seconds(t)}\n`);
  return r.status === 0;
}

/** One check (lint, a type check), its output kept until it ends so that parallel checks do not interleave. */
function checkAsync(label, args) {
  const t = Date.now();
  return new Promise((done) => {
    const child = spawn(npx, args, { cwd: ROOT, env: process.env });
    const out = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => out.push(d));
    child.on('error', (e) => out.push(Buffer.from(String(e))));
    child.on('close', (code) => done({ label, ok: code === 0, text: Buffer.concat(out).toString(), took: seconds(t) }));
  });
}

/**
 * Lint and the two type checks are single-threaded and independent: they run side by side, and
 * each counts as one test.
 */
async function staticChecks(checks) {
  for (const r of await Promise.all(checks.map(([label, args]) => checkAsync(label, args)))) {
    process.stdout.write(`\n── ${r.label} ──\n${r.text}── ${r.label}: ${r.took}\n`);
    tally[r.ok ? 'passed' : 'failed'] += 1;
    if (!r.ok) failures.push(r.label);
  }
}

try {
  const t = Date.now();
  ensureBuild({ force: true });
  process.stdout.write(`── build: ${seconds(t)}\n`);
  tally.passed += 1;
} catch {
  tally.failed += 1;
  failures.push('build');
}
await staticChecks([
  ['lint (eslint, layering rules)', ['eslint', '.']],
  ['type check (src-main, tests)', ['tsc', '-p', 'tsconfig.node.json', '--noEmit']],
  ['type check (renderer, svelte-check)', ['svelte-check', '--tsconfig', './tsconfig.web.json', '--threshold', 'error']],
]);

const vitestJson = join(REPORTS, 'vitest.json');
run('unit and integration tests (vitest)', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
if (existsSync(vitestJson)) {
  const v = JSON.parse(readFileSync(vitestJson, 'utf8'));
  tally.passed += v.numPassedTests;
  tally.failed += v.numFailedTests + suitesThatFailedToLoad(v);
  tally.skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
  if (!v.success) failures.push('vitest');
} else {
  tally.failed += 1;
  failures.push('vitest (no report)');
}

const pwJson = join(REPORTS, 'playwright.json');
run('end-to-end tests (Playwright, Chromium)', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson });
if (existsSync(pwJson)) {
  const s = JSON.parse(readFileSync(pwJson, 'utf8')).stats;
  tally.passed += s.expected + (s.flaky ?? 0);
  tally.failed += s.unexpected;
  tally.skipped += s.skipped;
  if (s.unexpected > 0) failures.push('playwright');
} else {
  tally.failed += 1;
  failures.push('playwright (no report)');
}

/** A suite that failed without a failing test (it did not load) counts as one failure. */
function suitesThatFailedToLoad(v) {
  return (v.testResults ?? []).filter((s) => s.status === 'failed' && !(s.assertionResults ?? []).some((a) => a.status === 'failed')).length;
}

if (failures.length) process.stdout.write(`\nFailed: ${failures.join(', ')}\n`);
const elapsed = Math.round((Date.now() - started) / 1000);
process.stdout.write(`\nnpm test took ${Math.floor(elapsed / 60)} min ${elapsed % 60} s\n`);
process.stdout.write(`${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped\n`);
process.exit(tally.failed > 0 || tally.passed === 0 ? 1 : 0);
