/**
 * The sandboxed preload (bundled as CommonJS: Electron's sandbox does not load ESM preloads).
 * It exposes one function per IPC method (./ipc-methods.ts) and an event subscription, never
 * ipcRenderer itself.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_PREFIX, type ApiEvent } from '../api/contract';
import { IPC_METHODS } from './ipc-methods';

const api: Record<string, unknown> = {};
// Not the path-taking methods (setWorkspace, openProjectPath): the main process opens dialogs instead.
for (const method of IPC_METHODS) {
  // Resolves to the host's ApiReply; the renderer unwraps it (src-renderer/lib/api.ts).
  api[method] = (args?: unknown) => ipcRenderer.invoke(IPC_PREFIX + method, args);
}
api.subscribe = (listener: (e: ApiEvent) => void) => {
  const handler = (_event: IpcRendererEvent, e: ApiEvent) => listener(e);
  ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
  return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
};

contextBridge.exposeInMainWorld('api', api);
