// `npm start`: Electron when its binary and a display are present, otherwise browser mode
// (a local server on 127.0.0.1 that prints its URL with the per-launch token).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { ensureBuild, ROOT } from './ensure-build.mjs';

ensureBuild();

function electronBinary() {
  try {
    const require = createRequire(import.meta.url);
    const dir = join(require.resolve('electron/package.json'), '..');
    const pathFile = join(dir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const bin = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const electron = electronBinary();
const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const forceBrowser = process.argv.includes('--browser') || process.env.RETILE_BROWSER === '1';

const child =
  electron && hasDisplay && !forceBrowser
    ? spawn(electron, [ROOT], { stdio: 'inherit' })
    : (() => {
        if (!forceBrowser) {
          process.stdout.write(
            electron ? 'No display found: starting Retile in browser mode.\n' : 'Electron binary not installed: starting Retile in browser mode.\n',
          );
        }
        return spawn(process.execPath, [join(ROOT, 'out/main/server.js'), ...process.argv.slice(2).filter((a) => a !== '--browser')], { stdio: 'inherit' });
      })();
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
