// `npm run bench [name...]`: bundles each bench/<name>.ts for Node with Vite, runs its default
// export, prints its table and records the returned object in bench/results/<name>.json with the
// commit, the sources it measured and the machine it ran on. Benchmarks are never timed tests:
// they record, the docs state the ratios.
//   --check   list each record as current or stale (its measured sources changed since its
//             commit); exit 1 if any is stale. Runs nothing.
//   --stale   run only the benches whose record is stale.
import { build } from 'vite';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join, basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuild, ROOT } from './ensure-build.mjs';
import { measuredSources, recordStaleness } from './bench-records.mjs';

const flags = new Set(process.argv.slice(2).filter((a) => a.startsWith('--')));
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const unknown = [...flags].filter((f) => f !== '--check' && f !== '--stale');
if (unknown.length) {
  process.stderr.write(`bench: unknown option ${unknown.join(', ')} (options: --check, --stale)\n`);
  process.exit(2);
}
const all = readdirSync(join(ROOT, 'bench'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => basename(f, '.ts'))
  .filter((n) => wanted.length === 0 || wanted.includes(n));
if (all.length === 0) {
  process.stderr.write(`no benchmark named ${wanted.join(', ')} in bench/\n`);
  process.exit(2);
}
const stale = new Map(all.map((n) => [n, recordStaleness(ROOT, n)]));
if (flags.has('--check')) {
  for (const [n, why] of stale) process.stdout.write(`${n.padEnd(16)} ${why ? `stale: ${why}` : 'current'}\n`);
  process.exit([...stale.values()].some(Boolean) ? 1 : 0);
}
const benches = flags.has('--stale') ? all.filter((n) => stale.get(n)) : all;
if (benches.length === 0) {
  process.stdout.write('every record is current\n');
  process.exit(0);
}
ensureBuild();

const outDir = join(ROOT, 'out/bench');
const bundled = await build({
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
/**
 * The commit the figures belong to (with `+dirty` when the tree has edits), so a record can be
 * traced. The records themselves are left out: a run of several benches rewrites them as it goes.
 */
function commit() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', '.', ':(exclude)bench/results'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
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
    // A bench that runs the built app in child processes names what those run (`MEASURES`): its bundle alone would miss them.
    const measures = [...new Set([...measuredSources(ROOT, [bundled].flat()[0].output, name), ...(mod.MEASURES ?? [])])].sort();
    const record = { bench: name, date: new Date().toISOString(), commit: commit(), machine: { ...machine, load_avg_1m: load }, results, measures };
    writeFileSync(join(ROOT, 'bench/results', `${name}.json`), JSON.stringify(record, null, 2) + '\n');
    process.stdout.write(`recorded bench/results/${name}.json\n`);
  } catch (e) {
    failed++;
    process.stderr.write(`bench ${name} failed: ${e.stack ?? e}\n`);
  }
}
process.exit(failed ? 1 : 0);
