/** The API the UI talks to: Electron's preload bridge when present, else browser mode's HTTP client. */
import { API_METHODS, type ApiEvent, type ClientApi } from '../../src-main/api/contract';
import { unwrapReply, type ApiReply } from '../../src-main/api/errors';
import { httpApi } from './http-api';

/** What the preload exposes: each method resolves to the host's ApiReply (errors are values over IPC). */
type BridgeApi = Record<string, ((args?: unknown) => Promise<ApiReply>) | undefined> & {
  subscribe(listener: (event: ApiEvent) => void): () => void;
};

declare global {
  interface Window {
    api?: BridgeApi;
  }
}

/** The bridge's methods, unwrapped: a result, or an ApiCallError thrown in the page. */
function electronApi(bridge: BridgeApi): ClientApi {
  const api: Record<string, unknown> = { subscribe: bridge.subscribe };
  for (const method of API_METHODS) {
    const call = bridge[method];
    // Methods the desktop host does not serve (paths typed by hand) are absent from the bridge.
    if (call) api[method] = async (args?: unknown) => unwrapReply(await call(args));
  }
  return api as unknown as ClientApi;
}

export const api: ClientApi = window.api ? electronApi(window.api) : httpApi();
export const hostKind: 'electron' | 'browser' = window.api ? 'electron' : 'browser';
