/**
 * The Electron shell: one sandboxed window on the app:// renderer, IPC handlers that validate
 * every argument before calling the service, and the Electron security checklist applied
 * (context isolation, sandbox, no node integration, CSP, no remote content, navigation,
 * redirects, frame navigation, new windows and permission requests denied, DevTools only in
 * development). The decisions themselves are the pure functions of ./guards.ts. Folders and
 * outside files come from native dialogs: the window never names a path. The engine runs in an
 * Electron utility process. Release binaries get their fuses from scripts/electron-fuses.mjs.
 */
import { app, BrowserWindow, dialog, ipcMain, session, shell, type WebContents } from 'electron';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { IPC_EVENT_CHANNEL, IPC_PREFIX } from '../api/contract';
import { validateArgs } from '../api/schemas';
import { createService, type Service } from '../service/service';
import { errorResponse } from '../service/errors';
import type { ApiReply } from '../api/errors';
import { paths, workspaceDir } from '../service/paths';
import { setLimits } from '../engine/limits';
import { limitsFromEnv } from '../service/limits-env';
import { keepServingOnUnhandledRejection } from '../service/crash-net';
import { handleAppScheme, registerAppScheme } from './protocol';
import { APP_HOST, APP_SCHEME, IssuedRefs, checkIpcCall, externalLinkPrompt, isAppUrl, navigationDecision } from './guards';
import { IPC_METHODS } from './ipc-methods';
import { spawnUtilityEngine } from './utility-engine';

registerAppScheme();
keepServingOnUnhandledRejection('app');

let service: Service | null = null;

/** Leaves the app only for an allowlisted link, in the system browser, after the user agrees. */
async function openExternalAfterConfirm(owner: BrowserWindow | null, url: string): Promise<void> {
  const prompt = externalLinkPrompt(url);
  const r = owner ? await dialog.showMessageBox(owner, { type: 'question', ...prompt }) : await dialog.showMessageBox({ type: 'question', ...prompt });
  if (r.response === 0) await shell.openExternal(url);
}

/**
 * Navigation, redirects, frame navigation and new windows: stay in the app; a link the user
 * followed (will-navigate, window.open) may ask to open outside. Redirects and frame navigation
 * (which also fires for the main frame, after will-navigate has asked) are only denied.
 */
function guardNavigation(contents: WebContents): void {
  const owner = () => BrowserWindow.fromWebContents(contents);
  const onNavigate = (e: { preventDefault(): void }, url: string, ask: boolean) => {
    const d = navigationDecision(url);
    if (d.action === 'allow') return;
    e.preventDefault();
    if (ask && d.action === 'ask-external') void openExternalAfterConfirm(owner(), d.url);
  };
  contents.on('will-navigate', (e) => onNavigate(e, e.url, true));
  contents.on('will-redirect', (e) => onNavigate(e, e.url, false));
  contents.on('will-frame-navigate', (e) => onNavigate(e, e.url, false));
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const d = navigationDecision(url);
    if (d.action === 'ask-external') void openExternalAfterConfirm(owner(), d.url);
    return { action: 'deny' };
  });
}

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
      // A packaged (release) app has no DevTools; a development checkout keeps them.
      devTools: !app.isPackaged,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_SCHEME}://${APP_HOST}/index.html`);
  return win;
}

/** A native dialog owned by the focused window. */
async function showOpenDialog(opts: Electron.OpenDialogOptions): Promise<string | null> {
  const win = BrowserWindow.getFocusedWindow();
  const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
  return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
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
    jobHost: paths.jobHost,
    spawnEngine: spawnUtilityEngine,
    // The user picks files and folders in native dialogs: the renderer never names a path itself.
    pickFile: () => showOpenDialog({ title: 'Open a Retile project', properties: ['openFile'], filters: [{ name: 'Retile projects', extensions: ['retile'] }] }),
    pickFolder: () => showOpenDialog({ title: 'Choose the workspace folder', properties: ['openDirectory', 'createDirectory'] }),
  });
  const issued = new IssuedRefs();
  for (const method of IPC_METHODS) {
    ipcMain.handle(IPC_PREFIX + method, async (event, args) => {
      // Only our own page may call the API.
      if (!event.senderFrame || !isAppUrl(event.senderFrame.url)) throw new Error('refused: unknown sender');
      // A reply, never a throw: Electron would flatten a thrown error to a prefixed string.
      try {
        checkIpcCall(method, args, issued);
        const valid = validateArgs(method, args);
        const fn = service![method] as (a: unknown) => Promise<unknown>;
        const result = await fn.call(service, valid);
        issued.noteResult(result);
        return { ok: true, result } satisfies ApiReply;
      } catch (e) {
        return { ok: false, error: errorResponse(e).error } satisfies ApiReply;
      }
    });
  }
  const win = createWindow();
  service.onEvent((e) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, e);
  });
});

app.on('web-contents-created', (_e, contents) => guardNavigation(contents));

let quitting = false;
app.on('before-quit', (e) => {
  if (quitting || !service) return;
  // Let the service mark unfinished runs interrupted before the process goes.
  e.preventDefault();
  quitting = true;
  void service.close().finally(() => app.quit());
});

app.on('window-all-closed', () => app.quit());
