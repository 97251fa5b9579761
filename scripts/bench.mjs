// `npm run bench [name...]`: bundles each bench/<name>.ts for Node with Vite, runs its default
// export, prints its table and records the returned object in bench/results/<name>.json with the
// machine it ran on. Benchmarks are never timed tests: they record, the docs state the ratios.
import { build } from 'vite';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join, basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuild, ROOT } from './ensure-build.mjs';

ensureBuild();
const wanted = process.argv.slice(2);
const benches = readdirSync(join(ROOT, 'bench'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => basename(f, '.ts'))
  .filter((n) => wanted.length === 0 || wanted.includes(n));
if (benches.length === 0) {
  process.stderr.write(`no benchmark named ${wanted.join(', ')} in bench/\n`);
  process.exit(2);
}

const outDir = join(ROOT, 'out/bench');
await build({
  root: ROOT,
  logLevel: 'warn',
  configFile: false,
  build: {
    ssr: true,
    target: 'node20',
    outDir,
    emptyOutDir: true,
    minify: false,
    rollupOptions: { input: Object.fromEntries(benches.map((n) => [n, join(ROOT, 'bench', `${n}.ts`)])), output: { format: 'es', entryFileNames: '[name].mjs' } },
  },
});

mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
const machine = { node: process.versions.node, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memory_gb: Math.round(totalmem() / 2 ** 30) };
/** The commit the figures belong to (with `+dirty` when the tree has edits), so a record can be traced. */
function commit() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head}+dirty` : head;
  } catch {
    return 'unknown';
  }
}

let failed = 0;
for (const name of benches) {
  process.stdout.write(`\n== bench/${name}.ts ==\n`);
  try {
    const mod = await import(pathToFileURL(join(outDir, `${name}.mjs`)).href);
    // The 1-minute load average before and after: figures taken on a busy machine say so.
    const loadBefore = loadavg()[0];
    const results = await mod.default();
    const load = { before: Number(loadBefore.toFixed(2)), after: Number(loadavg()[0].toFixed(2)) };
    const record = { bench: name, date: new Date().toISOString(), commit: commit(), machine: { ...machine, load_avg_1m: load }, results };
    writeFileSync(join(ROOT, 'bench/results', `${name}.json`), JSON.stringify(record, null, 2) + '\n');
    process.stdout.write(`recorded bench/results/${name}.json\n`);
  } catch (e) {
    failed++;
    process.stderr.write(`bench ${name} failed: ${e.stack ?? e}\n`);
  }
}
process.exit(failed ? 1 : 0);
