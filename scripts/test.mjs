// `npm test`: lint and type checks beside the build, then vitest and Playwright once the build is
// done, all side by side; then a line with
// the wall time of the whole run and one closing line summing every runner:
// `N passed, N failed, N skipped`. Every stage runs even if another failed, so one run shows
// everything that is wrong. Exits non-zero on any failure or when no test ran.
//
// Why side by side: on the 2-core machines this runs on, vitest keeps about 1.7 cores busy (its
// CLI and server tests wait on child processes) and leaves a tail with one core idle; the static
// checks are single-threaded (and need no build, so they fill the core the build leaves idle) and
// Playwright waits on the browser. Run one after another they
// leave cores idle that running them together fills. Each stage's output is kept and printed
// whole when it ends, so stages never interleave.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './ensure-build.mjs';

const started = Date.now();
const REPORTS = join(ROOT, 'reports');
rmSync(REPORTS, { recursive: true, force: true });
mkdirSync(REPORTS, { recursive: true });
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const tally = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
/** Each failing (or, in Playwright, failed-then-passed) test, one line, repeated at the end. */
const failedTests = [];
const flakyTests = [];

const seconds = (since) => `${Math.round((Date.now() - since) / 1000)} s`;

/** One stage as a child process; its output is printed whole, under its label, when it ends. */
function stage(label, args, env = {}, command = npx) {
  const t = Date.now();
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env } });
    const out = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => out.push(d));
    child.on('error', (e) => out.push(Buffer.from(`${e}\n`)));
    child.on('close', (code) => {
      process.stdout.write(`\n── ${label} ──\n${Buffer.concat(out).toString()}── ${label}: ${seconds(t)}\n`);
      done(code === 0);
    });
  });
}

/** Lint and the two type checks: each counts as one test. */
async function staticCheck(label, args) {
  const ok = await stage(label, args);
  tally[ok ? 'passed' : 'failed'] += 1;
  if (!ok) failures.push(label);
}

async function vitest() {
  const json = join(REPORTS, 'vitest.json');
  const exitedOk = await stage('unit and integration tests (vitest)', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${json}`]);
  if (!existsSync(json)) {
    tally.failed += 1;
    failures.push('vitest (no report)');
    return;
  }
  const v = JSON.parse(readFileSync(json, 'utf8'));
  tally.passed += v.numPassedTests;
  tally.failed += v.numFailedTests + suitesThatFailedToLoad(v);
  tally.skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
  if (!v.success) failures.push('vitest');
  // An unhandled error or a test process that died leaves its file's remaining tests 'pending' in a
  // report that says success: only vitest's exit status tells.
  if (!exitedOk && v.success && !v.numFailedTests) {
    tally.failed += 1;
    failures.push('vitest (exited with an error: an unhandled error or a test process that died; see its output)');
  }
  for (const file of v.testResults ?? []) {
    const name = relative(ROOT, file.name);
    const failed = (file.assertionResults ?? []).filter((a) => a.status === 'failed');
    for (const a of failed) failedTests.push(`${name}: ${a.fullName}: ${firstLines(a.failureMessages?.[0])}`);
    if (file.status === 'failed' && !failed.length) failedTests.push(`${name}: did not load: ${firstLines(file.message)}`);
  }
}

async function playwright() {
  const json = join(REPORTS, 'playwright.json');
  await stage('end-to-end tests (Playwright, Chromium)', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: json });
  if (!existsSync(json)) {
    tally.failed += 1;
    failures.push('playwright (no report)');
    return;
  }
  const s = JSON.parse(readFileSync(json, 'utf8')).stats;
  tally.passed += s.expected + (s.flaky ?? 0);
  tally.failed += s.unexpected;
  tally.skipped += s.skipped;
  if (s.unexpected > 0) failures.push('playwright');
  for (const { spec, test } of playwrightTests(JSON.parse(readFileSync(json, 'utf8')).suites ?? [])) {
    const where = `${spec.file}:${spec.line} ${spec.title}`;
    const error = test.results.find((r) => r.error)?.error?.message;
    if (test.status === 'unexpected') failedTests.push(`${where}: ${firstLines(error)}`);
    if (test.status === 'flaky') flakyTests.push(`${where}: failed once, passed on retry: ${firstLines(error)}`);
  }
}

/** Every (spec, test) of a Playwright JSON report, through its nested suites. */
function* playwrightTests(suites) {
  for (const suite of suites) {
    for (const spec of suite.specs ?? []) for (const test of spec.tests ?? []) yield { spec, test };
    yield* playwrightTests(suite.suites ?? []);
  }
}

/** A failure message's first three non-empty lines on one line, colours stripped, at most 400 characters. */
function firstLines(message) {
  const lines = String(message ?? '').replace(/\x1b\[[0-9;]*m/g, '').split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines.slice(0, 3).join(' · ') || '(no message)').slice(0, 400);
}

/** The build, as a stage of its own: vitest and Playwright need it, the static checks do not. */
async function build() {
  const ok = await stage('build', ['run', '--silent', 'build'], {}, npm);
  tally[ok ? 'passed' : 'failed'] += 1;
  if (!ok) failures.push('build');
  return ok;
}

process.stdout.write('\nRunning lint and type checks beside the build, then vitest and Playwright; each prints when it ends.\n');
await Promise.all([
  // The build is mostly one thread (asc, Vite); the single-threaded static checks fill the other core.
  build().then((ok) => (ok ? Promise.all([vitest(), playwright()]) : undefined)),
  staticCheck('lint (eslint, layering rules)', ['eslint', '.']),
  staticCheck('type check (src-main, tests)', ['tsc', '-p', 'tsconfig.node.json', '--noEmit']),
  staticCheck('type check (renderer, svelte-check)', ['svelte-check', '--tsconfig', './tsconfig.web.json', '--threshold', 'error']),
]);

/** A suite that failed without a failing test (it did not load) counts as one failure. */
function suitesThatFailedToLoad(v) {
  return (v.testResults ?? []).filter((s) => s.status === 'failed' && !(s.assertionResults ?? []).some((a) => a.status === 'failed')).length;
}

// Repeated here, next to the closing line, so a log cut to its tail still names what failed.
if (flakyTests.length) process.stdout.write(`\nFlaky (counted as passed):\n${flakyTests.map((t) => `  ${t}\n`).join('')}`);
if (failures.length) process.stdout.write(`\nFailed: ${failures.join(', ')}\n${failedTests.map((t) => `  ${t}\n`).join('')}`);
const elapsed = Math.round((Date.now() - started) / 1000);
process.stdout.write(`\nnpm test took ${Math.floor(elapsed / 60)} min ${elapsed % 60} s\n`);
process.stdout.write(`${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped\n`);
process.exit(tally.failed > 0 || tally.passed === 0 ? 1 : 0);
