// `npm run rebuild:electron`: builds an Electron-ABI better-sqlite3 into native/electron/ for the
// Electron host (loaded through `nativeBinding`). Needs network access to Electron's headers, so
// it is never part of `npm install`; node_modules keeps the Node-ABI build for tests and the CLI.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './ensure-build.mjs';

const electronVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')).version;
const work = mkdtempSync(join(tmpdir(), 'retile-electron-sqlite-'));
cpSync(join(ROOT, 'node_modules/better-sqlite3'), join(work, 'better-sqlite3'), { recursive: true });
process.stdout.write(`Building better-sqlite3 for Electron ${electronVersion} in ${work}…\n`);
try {
  execFileSync(
    'npx',
    ['node-gyp', 'rebuild', '--release', `--target=${electronVersion}`, '--dist-url=https://electronjs.org/headers', '--runtime=electron', '--nodedir='],
    { cwd: join(work, 'better-sqlite3'), stdio: 'inherit', env: { ...process.env, npm_config_nodedir: '' } },
  );
} catch {
  process.stderr.write('rebuild:electron failed: it needs network access to download the Electron headers.\n');
  process.exit(1);
}
const out = join(ROOT, 'native/electron');
mkdirSync(out, { recursive: true });
cpSync(join(work, 'better-sqlite3/build/Release/better_sqlite3.node'), join(out, 'better_sqlite3.node'));
process.stdout.write(`Wrote ${join(out, 'better_sqlite3.node')}\n`);
