/**
 * The desktop shell's attack surface. The Electron binary is not available everywhere, so the
 * Electron security checklist is checked on the source of src-main/app (a review as a test:
 * it fails if a setting is removed or weakened); test/electron/shell.spec.ts checks the live
 * window where Electron runs. The app:// path guard and the CSP are checked directly.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import fc from 'fast-check';
import { CSP, resolveInside } from '../../../src-main/service/static-path';
import { API_METHODS } from '../../../src-main/api/contract';
import { API_SCHEMAS, validateArgs } from '../../../src-main/api/schemas';
import { REPO_ROOT } from '../../helpers';

const read = (rel: string) => readFileSync(join(REPO_ROOT, rel), 'utf8');
/** Source without comments, so a commented-out setting does not count. */
const code = (rel: string) => read(rel).replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');

describe('Electron security checklist (source review of src-main/app)', () => {
  const main = code('src-main/app/main.ts');
  const preload = code('src-main/app/preload.ts');
  const protocol = code('src-main/app/protocol.ts');

  it('the window: context isolation, sandbox, no node integration, web security on', () => {
    expect(main).toMatch(/contextIsolation:\s*true/);
    expect(main).toMatch(/sandbox:\s*true/);
    expect(main).toMatch(/nodeIntegration:\s*false/);
    expect(main).not.toMatch(/webSecurity:\s*false/);
    expect(main).not.toMatch(/allowRunningInsecureContent:\s*true/);
    expect(main).not.toMatch(/nodeIntegrationIn(Worker|SubFrames):\s*true/);
    expect(main).not.toMatch(/webviewTag:\s*true|enableRemoteModule|experimentalFeatures:\s*true/);
    // exactly one BrowserWindow, so no second window escapes these preferences
    expect(main.match(/new BrowserWindow\(/g)).toHaveLength(1);
  });

  it('no remote content: the window loads app://retile/ only', () => {
    const loads = [...main.matchAll(/loadURL\(([^)]*)\)/g)].map((m) => m[1]);
    expect(loads).toHaveLength(1);
    expect(loads[0]).toMatch(/APP_SCHEME\}:\/\/\$\{APP_HOST\}\//);
    expect(main).not.toMatch(/loadFile\(|loadURL\(\s*['"`]https?:/);
  });

  it('navigation, redirects, frame navigation, new windows, webviews and permission requests are denied', () => {
    // Every web contents (the window and anything it could create) gets the guards.
    expect(main).toMatch(/app\.on\('web-contents-created', \(_e, contents\) => guardNavigation\(contents\)\)/);
    const guard = main.slice(main.indexOf('function guardNavigation('), main.indexOf('function createWindow('));
    expect(guard).toMatch(/const d = navigationDecision\(url\);\s*if \(d\.action === 'allow'\) return;\s*e\.preventDefault\(\);/);
    // Only a followed link asks; a redirect or a frame navigation away from the app is just denied.
    expect(guard).toContain(`contents.on('will-navigate', (e) => onNavigate(e, e.url, true))`);
    for (const event of ['will-redirect', 'will-frame-navigate']) expect(guard).toContain(`contents.on('${event}', (e) => onNavigate(e, e.url, false))`);
    expect(guard).toMatch(/setWindowOpenHandler\([\s\S]{0,200}return \{ action: 'deny' \}/);
    expect(main).not.toMatch(/action:\s*'allow'/);
    expect(guard).toMatch(/on\('will-attach-webview', \(e\) => e\.preventDefault\(\)\)/);
    // external links leave only through the allowlist (navigationDecision) and after the user agrees
    expect(main.match(/shell\.openExternal\(/g)).toHaveLength(1);
    expect(main).toMatch(/if \(r\.response === 0\) await shell\.openExternal\(url\);/);
    expect(main.match(/openExternalAfterConfirm\(owner\(\), d\.url\)/g)).toHaveLength(2);
    expect(main).toMatch(/setPermissionRequestHandler\(\([^)]*\)\s*=>\s*callback\(false\)\)/);
    expect(main).toMatch(/setPermissionCheckHandler\(\(\)\s*=>\s*false\)/);
  });

  it('IPC: one handler per IPC method, sender checked, no path, arguments validated before the service', () => {
    expect(main).toMatch(/for \(const method of IPC_METHODS\)\s*\{\s*ipcMain\.handle\(IPC_PREFIX \+ method/);
    const handler = main.slice(main.indexOf('ipcMain.handle('));
    const senderCheck = handler.indexOf('!isAppUrl(event.senderFrame.url)');
    const noPath = handler.indexOf('checkIpcCall(method, args, issued)');
    const validate = handler.indexOf('validateArgs(method, args)');
    const call = handler.indexOf('fn.call(service, valid)');
    expect(senderCheck).toBeGreaterThan(0);
    expect(noPath).toBeGreaterThan(senderCheck);
    expect(validate).toBeGreaterThan(noPath);
    expect(call).toBeGreaterThan(validate);
    expect(main).not.toMatch(/ipcMain\.on\(/);
  });

  it('DevTools only in a development checkout; the engine in a utility process', () => {
    expect(main).toMatch(/devTools: !app\.isPackaged/);
    expect(main).not.toMatch(/openDevTools/);
    expect(main).toMatch(/jobHost: paths\.jobHost,\s*spawnEngine: spawnUtilityEngine,/);
    expect(code('src-main/app/utility-engine.ts')).toMatch(/utilityProcess\.fork\(script/);
  });

  it('the preload exposes one function per IPC method, never ipcRenderer itself', () => {
    expect(preload).toMatch(/for \(const method of IPC_METHODS\)/);
    expect(preload).toMatch(/contextBridge\.exposeInMainWorld\('api', api\)/);
    expect(preload.match(/exposeInMainWorld/g)).toHaveLength(1);
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*\)/);
    expect(preload).not.toMatch(/api\.\w+\s*=\s*ipcRenderer\b(?!\.)/);
  });

  it('the app:// protocol serves only host "retile" through the shared path guard, with the CSP', () => {
    expect(protocol).toMatch(/url\.host !== APP_HOST/);
    expect(protocol).toMatch(/resolveInside\(rendererDir, url\.pathname\)/);
    expect(protocol).toMatch(/'content-security-policy': CSP/);
  });

  it('every IPC/HTTP argument has a schema, and unknown or inherited method names are refused', () => {
    expect(Object.keys(API_SCHEMAS).sort()).toEqual([...API_METHODS].sort());
    for (const m of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) expect(() => validateArgs(m, {}), m).toThrow(/unknown method/);
  });

  it('hosts never start a shell: child_process only in the engine-process module, which forks its own script', () => {
    const users: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, f.name);
        if (f.isDirectory()) walk(p);
        else if (/\.ts$/.test(f.name) && /child_process/.test(readFileSync(p, 'utf8').replace(/^\s*(\/\/|\*).*$/gm, ''))) users.push(p);
      }
    };
    walk(join(REPO_ROOT, 'src-main'));
    const engineProcess = join(REPO_ROOT, 'src-main/service/engine-process.ts');
    expect(users).toEqual([engineProcess]);
    const text = readFileSync(engineProcess, 'utf8');
    expect(text).toMatch(/import \{ fork \} from 'node:child_process';/);
    expect(text).not.toMatch(/\b(exec|execSync|execFile|spawn|spawnSync)\s*\(|shell:/);
  });
});

describe('Content-Security-Policy', () => {
  const directives = new Map(
    CSP.split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name!, sources]),
  );

  it('has no remote source of any kind', () => {
    for (const [name, sources] of directives) {
      for (const s of sources) {
        expect(s, `${name} ${s}`).toMatch(/^('self'|'none'|'unsafe-inline'|'wasm-unsafe-eval'|data:|blob:)$/);
      }
    }
    expect(CSP).not.toMatch(/https?:|wss?:|\*/);
  });

  it("scripts: 'self' and 'wasm-unsafe-eval' only (no eval, no inline script)", () => {
    expect(directives.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(CSP).not.toMatch(/'unsafe-eval'/);
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    // data: and blob: only for images (charts export), never for scripts or connections
    for (const [name, sources] of directives) if (sources.some((s) => s === 'data:' || s === 'blob:')) expect(name).toBe('img-src');
  });

  it('the built renderer loads nothing remote', () => {
    const index = join(REPO_ROOT, 'out/renderer/index.html');
    if (!existsSync(index)) return; // built by the suite's global setup; nothing to check without a build
    const html = readFileSync(index, 'utf8');
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
  });
});

describe('app:// and static path guard (fast-check)', () => {
  const root = resolve('/srv/retile/renderer');
  const inside = (p: string | null) => p === null || p === root || p.startsWith(root + sep);

  it('refuses traversal variants', () => {
    for (const p of [
      '/..', '/../', '/../../etc/passwd', '/%2e%2e/x', '/%2E%2E/%2E%2E/x', '/.%2e/x', '/%2e./x', '/..%2fx', '/..%2Fx', '/..%5c..%5cx',
      '/a/../../x', '/a/%2e%2e/%2e%2e/x', '//etc/passwd', '/%2f%2fetc/passwd', '/%252e%252e/x', '/x%00.html', '/%c0%ae%c0%ae/x', '/..;/x',
    ]) {
      expect(inside(resolveInside(root, p)), p).toBe(true);
    }
    expect(resolveInside(root, '/../../etc/passwd')).toBeNull();
    expect(resolveInside(root, '/%2e%2e/%2e%2e/etc/passwd')).toBeNull();
  });

  it('any URL path resolves inside the root or to null', () => {
    const segment = fc.oneof(
      fc.constantFrom('..', '.', '%2e%2e', '%2E%2e', '.%2e', '%2e', '', 'assets', 'index.html', '%2f', '%5c', '\\', '..\\..', '%00', '%', '%zz', '~', 'C:', '%252e%252e'),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), fc.constantFrom('/', '//', ''), (segs, lead) => {
        const p = lead + segs.join('/');
        expect(inside(resolveInside(root, p)), p).toBe(true);
      }),
      { seed: 20260811, numRuns: 3000 },
    );
  });
});
