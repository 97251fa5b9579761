/**
 * Browser mode's API client: the contract's methods as POST /api/<method> with the per-launch
 * token, and events over Server-Sent Events. The token arrives once in the page URL
 * (?token=...), is kept in sessionStorage and removed from the address bar.
 */
import { API_METHODS, TOKEN_HEADER, type ApiEvent, type ClientApi } from '../../src-main/api/contract';
import { unwrapReply, type ApiReply } from '../../src-main/api/errors';

function takeToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem('retile-token', fromUrl);
    url.searchParams.delete('token');
    history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem('retile-token') ?? '';
}

export function httpApi(): ClientApi {
  const token = takeToken();
  const api: Record<string, unknown> = {};
  for (const method of API_METHODS) {
    api[method] = async (args?: unknown) => {
      const res = await fetch(`/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
        body: args === undefined ? '' : JSON.stringify(args),
      });
      const body = (await res.json().catch(() => ({ ok: false, error: { code: 'internal', message: `HTTP ${res.status}` } }))) as ApiReply;
      return unwrapReply(body);
    };
  }
  const listeners = new Set<(e: ApiEvent) => void>();
  const reconnects = new Set<() => void>();
  let source: EventSource | null = null;
  api.subscribe = (listener: (e: ApiEvent) => void, onReconnect?: () => void) => {
    listeners.add(listener);
    if (onReconnect) reconnects.add(onReconnect);
    if (!source) {
      source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
      source.onmessage = (m) => {
        const e = JSON.parse(m.data) as ApiEvent;
        listeners.forEach((l) => l(e));
      };
      // EventSource reconnects by itself after a drop (a server restart, a sleeping laptop); every
      // open after the first follows a gap in which events may have been lost.
      let opened = false;
      source.onopen = () => {
        if (opened) reconnects.forEach((f) => f());
        opened = true;
      };
    }
    return () => {
      listeners.delete(listener);
      if (onReconnect) reconnects.delete(onReconnect);
      if (listeners.size === 0 && source) {
        source.close();
        source = null;
      }
    };
  };
  return api as unknown as ClientApi;
}
