// `npm run fuzz -- [--minutes 10] [--seed N] [--out bench/results/fuzz.json]`: the long fuzz run.
//
// Runs the reliability fuzzers (test/unit/reliability/fuzz-*.test.ts) with a time budget per
// property instead of the suite's fixed number of runs (RETILE_FUZZ_SECONDS), a fresh seed unless
// given (RETILE_FUZZ_SEED), one file at a time, and records every property's runs, outcomes,
// slowest case and any counterexample in bench/results/fuzz.json. Exit status 1 if any property
// failed (its counterexample and seed reproduce it: rerun with --seed).
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { startVitest } from 'vitest/node';
import { ROOT } from './ensure-build.mjs';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const minutes = Number(arg('minutes', '10'));
const seed = Number(arg('seed', String(Date.now() % 2 ** 31)));
const out = resolve(ROOT, arg('out', 'bench/results/fuzz.json'));
if (!(minutes > 0) || !Number.isInteger(seed)) {
  process.stderr.write('usage: npm run fuzz -- [--minutes M] [--seed N] [--out file]\n');
  process.exit(2);
}

const dir = join(ROOT, 'test/unit/reliability');
const files = readdirSync(dir).filter((f) => /^fuzz-.*\.test\.ts$/.test(f)).sort();
// Count the properties (calls to fuzz()/fuzzAsync() with a name) to split the budget.
const properties = files.reduce((n, f) => n + (readFileSync(join(dir, f), 'utf8').match(/\bfuzz(Async)?\(\s*\n?\s*'/g) ?? []).length, 0);
const perProperty = Math.max(5, Math.floor((minutes * 60) / Math.max(1, properties)));
const lines = join(tmpdir(), `retile-fuzz-${process.pid}.jsonl`);
rmSync(lines, { force: true });

process.env.RETILE_FUZZ_SECONDS = String(perProperty);
process.env.RETILE_FUZZ_SEED = String(seed);
process.env.RETILE_FUZZ_OUT = lines;
process.stderr.write(`retile fuzz: ${properties} properties in ${files.length} files, ${perProperty} s each, seed ${seed}\n`);

const started = new Date();
const t0 = Date.now();
const vitest = await startVitest(
  'test',
  files.map((f) => join('test/unit/reliability', f)),
  {
    root: ROOT,
    config: false,
    watch: false,
    include: ['test/unit/reliability/fuzz-*.test.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    testTimeout: (perProperty + 120) * 1000 * 3,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
);
await vitest?.close();

let results = [];
try {
  results = readFileSync(lines, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
} catch {
  results = [];
}
rmSync(lines, { force: true });
const failed = results.filter((r) => r.failed).length;
const testsFailed = (process.exitCode ?? 0) !== 0;
const record = {
  started: started.toISOString(),
  minutes_budget: minutes,
  seconds: Math.round((Date.now() - t0) / 1000),
  seed,
  seconds_per_property: perProperty,
  machine: { node: process.versions.node, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memory_gb: Math.round(totalmem() / 2 ** 30) },
  total_runs: results.reduce((n, r) => n + r.runs, 0),
  properties_failed: failed,
  tests_failed: testsFailed,
  properties: results,
};
mkdirSync(join(out, '..'), { recursive: true });
writeFileSync(out, JSON.stringify(record, null, 1) + '\n');
process.stderr.write(`retile fuzz: ${record.total_runs} cases, ${failed} properties failed; recorded in ${out}\n`);
process.exit(failed > 0 || testsFailed ? 1 : 0);
