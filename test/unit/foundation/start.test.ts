/**
 * `npm start` on a machine without the Electron binary (or without a display): it starts browser
 * mode, prints a URL with the per-launch token, and that URL serves the UI and the API.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, tempDir } from '../../helpers';

describe('npm start (browser mode)', () => {
  it('prints a URL with a token that serves the UI and answers the API', async () => {
    const ws = tempDir();
    // Without DISPLAY the start script must choose browser mode even where Electron is installed.
    const env = { ...process.env, RETILE_WORKSPACE: ws.dir, DISPLAY: '', WAYLAND_DISPLAY: '', RETILE_TOKEN: '' };
    const child = spawn(process.execPath, [join(REPO_ROOT, 'scripts/start.mjs'), '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 30_000);
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{16,})/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
        child.on('exit', (code) => reject(new Error(`npm start exited with ${code}: ${out}`)));
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="app">');
      const token = new URL(url).searchParams.get('token')!;
      const api = await fetch(new URL('/api/appInfo', url), { method: 'POST', headers: { 'x-retile-token': token } });
      expect(((await api.json()) as { result: { name: string } }).result.name).toBe('Retile');
      const refused = await fetch(new URL('/api/appInfo', url), { method: 'POST' });
      expect(refused.status).toBe(401);
    } finally {
      child.kill('SIGTERM');
      ws.cleanup();
    }
  });
});
