/**
 * The Electron shell's decisions as pure functions (no Electron import), so Node tests check the
 * very code the shell runs: where the window may navigate, which links may leave for the system
 * browser, and which IPC calls a renderer may make. The renderer never names a file-system path:
 * folders and outside files come from native dialogs the main process opens, and an outside
 * project is addressed only by a reference the main process handed out.
 */
import { ApiArgumentError } from '../api/errors';
import { PATH_METHODS } from './ipc-methods';

export const APP_SCHEME = 'app';
export const APP_HOST = 'retile';

/** Sites a link in the app may open in the system browser (citations: DOIs, papers, the code). */
export const EXTERNAL_LINK_HOSTS: readonly string[] = ['doi.org', 'arxiv.org', 'github.com', 'ieeexplore.ieee.org', 'dl.acm.org'];

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for a page of the app itself (`app://retile/...`). */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return u !== null && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && !u.username && !u.password;
}

/**
 * The URL to hand to the system browser, or null: https only, on an allowlisted host, default
 * port, no credentials (`https://doi.org@evil.example/` has host evil.example and is refused).
 */
export function externalLink(url: string): string | null {
  const u = parse(url);
  if (!u || u.protocol !== 'https:' || u.username || u.password || u.port) return null;
  return EXTERNAL_LINK_HOSTS.includes(u.hostname) ? u.href : null;
}

export type NavigationDecision = { action: 'allow' } | { action: 'deny' } | { action: 'ask-external'; url: string };

/**
 * What a navigation, redirect, frame navigation or window.open may do: stay inside the app, or
 * (only for an allowlisted link, after the user confirms) open in the system browser; anything
 * else is denied.
 */
export function navigationDecision(url: string): NavigationDecision {
  if (isAppUrl(url)) return { action: 'allow' };
  const external = externalLink(url);
  return external ? { action: 'ask-external', url: external } : { action: 'deny' };
}

/** The confirmation shown before a link leaves the app (the host shows it in a native message box). */
export function externalLinkPrompt(url: string): { message: string; detail: string; buttons: string[]; defaultId: number; cancelId: number } {
  return { message: 'Open this link in your web browser?', detail: url, buttons: ['Open in browser', 'Cancel'], defaultId: 1, cancelId: 1 };
}

/**
 * The outside projects the main process has handed to the renderer (a dialog's pick, the recent
 * list): the only absolute references an IPC call may carry. The renderer can give one back; it
 * can never introduce a path of its own.
 */
export class IssuedRefs {
  private readonly refs = new Set<string>();

  has(ref: string): boolean {
    return this.refs.has(ref);
  }

  /** Records the outside projects in a result (a project summary, a list of them, a project view). */
  noteResult(result: unknown): void {
    const note = (v: unknown) => {
      const s = v as { file?: unknown; external?: unknown } | null;
      if (s && typeof s === 'object' && s.external === true && typeof s.file === 'string') this.refs.add(s.file);
    };
    if (Array.isArray(result)) result.forEach(note);
    else if (result && typeof result === 'object') {
      note(result);
      note((result as { summary?: unknown }).summary);
    }
  }
}

/** Absolute POSIX or Windows path, or a UNC / file URL form. */
const looksLikePath = (s: string) => /^(\/|\\\\|[A-Za-z]:[\\/]|file:)/i.test(s);

/**
 * Checks an IPC call before schema validation: a path-taking method is refused, and a `project`
 * that is a path must be one the main process issued. Throws ApiArgumentError naming the field.
 */
export function checkIpcCall(method: string, args: unknown, issued: IssuedRefs): void {
  if ((PATH_METHODS as readonly string[]).includes(method)) {
    throw new ApiArgumentError(method, 'the desktop app takes no file path from its window; choose the folder or file in the dialog (Change folder…, Open…)');
  }
  const project = (args as { project?: unknown } | null | undefined)?.project;
  if (typeof project === 'string' && looksLikePath(project) && !issued.has(project)) {
    throw new ApiArgumentError(method, 'project: a file outside the workspace must be opened with Open… first (the window cannot name a path)');
  }
}
