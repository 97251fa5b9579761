// Builds Retile (Wasm + electron-vite) when the sources are newer than the last build.
// Build output goes to stderr so that `retile ... --json` keeps stdout for the JSON document.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = join(ROOT, 'out/.build-stamp');
const INPUTS = ['src-main', 'src-renderer', 'assembly', 'electron.vite.config.ts', 'asconfig.json', 'svelte.config.js', 'package.json'];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function isStale() {
  if (!existsSync(STAMP) || !existsSync(join(ROOT, 'build/wasm/retile.wasm'))) return true;
  const built = statSync(STAMP).mtimeMs;
  return INPUTS.some((p) => newestMtime(join(ROOT, p)) > built);
}

/** `npm run build` ends here, so a build by hand (say, once in a shared install) is seen as current. */
export function writeStamp() {
  mkdirSync(join(ROOT, 'out'), { recursive: true });
  writeFileSync(STAMP, new Date().toISOString());
}

export function ensureBuild({ force = false } = {}) {
  if (!force && !isStale()) return false;
  process.stderr.write('retile: building (sources changed since the last build)…\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(npm, ['run', '--silent', 'build'], { cwd: ROOT, stdio: ['ignore', process.stderr, process.stderr] });
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--stamp')) writeStamp();
  else ensureBuild({ force: process.argv.includes('--force') });
}
