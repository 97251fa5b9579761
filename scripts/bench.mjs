// `npm run bench [name...]`: bundles each bench/<name>.ts for Node with Vite, runs its default
// export, prints its table and records the returned object in bench/results/<name>.json with the
// machine it ran on. Benchmarks are never timed tests: they record, the docs state the ratios.
import { build } from 'vite';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
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
let failed = 0;
for (const name of benches) {
  process.stdout.write(`\n== bench/${name}.ts ==\n`);
  try {
    const mod = await import(pathToFileURL(join(outDir, `${name}.mjs`)).href);
    const results = await mod.default();
    const record = { bench: name, date: new Date().toISOString(), machine, results };
    writeFileSync(join(ROOT, 'bench/results', `${name}.json`), JSON.stringify(record, null, 2) + '\n');
    process.stdout.write(`recorded bench/results/${name}.json\n`);
  } catch (e) {
    failed++;
    process.stderr.write(`bench ${name} failed: ${e.stack ?? e}\n`);
  }
}
process.exit(failed ? 1 : 0);
