/** The API the UI talks to: Electron's preload bridge when present, else browser mode's HTTP client. */
import type { ClientApi } from '../../src-main/api/contract';
import { httpApi } from './http-api';

declare global {
  interface Window {
    api?: ClientApi;
  }
}

export const api: ClientApi = window.api ?? httpApi();
export const hostKind: 'electron' | 'browser' = window.api ? 'electron' : 'browser';
