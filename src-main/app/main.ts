/**
 * The Electron shell: one sandboxed window on the app:// renderer, IPC handlers that validate
 * every argument before calling the service, and the Electron security checklist applied
 * (context isolation, sandbox, no node integration, CSP, no remote content, navigation,
 * new windows and permission requests denied).
 */
import { app, BrowserWindow, dialog, ipcMain, session, shell } from 'electron';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { API_METHODS, IPC_EVENT_CHANNEL, IPC_PREFIX } from '../api/contract';
import { validateArgs } from '../api/schemas';
import { createService, type Service } from '../service/service';
import { errorResponse } from '../service/errors';
import { paths, workspaceDir } from '../service/paths';
import { setLimits } from '../engine/limits';
import { limitsFromEnv } from '../service/limits-env';
import { keepServingOnUnhandledRejection } from '../service/crash-net';
import { APP_SCHEME, handleAppScheme, registerAppScheme } from './protocol';

registerAppScheme();
keepServingOnUnhandledRejection('app');

let service: Service | null = null;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    title: 'Retile',
    show: false,
    webPreferences: {
      preload: resolve(paths.root, 'out/preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  // No navigation away from the app and no new windows; external links open in the browser.
  win.webContents.on('will-navigate', (e, url) => {
    if (!url.startsWith(`${APP_SCHEME}://retile/`)) e.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void win.loadURL(`${APP_SCHEME}://retile/index.html`);
  return win;
}

app.whenReady().then(() => {
  setLimits(limitsFromEnv());
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  handleAppScheme(paths.renderer);

  service = createService({
    host: 'electron',
    workspaceDir: workspaceDir(),
    workerUrl: paths.worker,
    wasmPath: paths.wasm,
    nativeBinding: existsSync(paths.electronSqlite) ? paths.electronSqlite : undefined,
    examplesDir: paths.examples,
    rememberWorkspace: !process.env.RETILE_WORKSPACE,
    // The user picks the file in a native dialog: the renderer never names a path itself.
    pickFile: async () => {
      const win = BrowserWindow.getFocusedWindow();
      const opts = { title: 'Open a Retile project', properties: ['openFile' as const], filters: [{ name: 'Retile projects', extensions: ['retile'] }] };
      const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
      return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
    },
  });
  for (const method of API_METHODS) {
    ipcMain.handle(IPC_PREFIX + method, async (event, args) => {
      // Only our own page may call the API.
      if (!event.senderFrame || !event.senderFrame.url.startsWith(`${APP_SCHEME}://retile/`)) throw new Error('refused: unknown sender');
      try {
        const valid = validateArgs(method, args);
        const fn = service![method] as (a: unknown) => Promise<unknown>;
        return await fn.call(service, valid);
      } catch (e) {
        throw new Error(errorResponse(e).message);
      }
    });
  }
  const win = createWindow();
  service.onEvent((e) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, e);
  });
});

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault());
});

let quitting = false;
app.on('before-quit', (e) => {
  if (quitting || !service) return;
  // Let the service mark unfinished runs interrupted before the process goes.
  e.preventDefault();
  quitting = true;
  void service.close().finally(() => app.quit());
});

app.on('window-all-closed', () => app.quit());
