/**
 * The Electron shell's decisions, tested in Node on the very functions src-main/app/main.ts
 * calls (the Electron binary is not needed): where the window may navigate, which links leave
 * for the system browser, and which IPC calls a renderer may make.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IssuedRefs, checkIpcCall, externalLink, externalLinkPrompt, isAppUrl, navigationDecision } from '../../../src-main/app/guards';
import { IPC_METHODS, PATH_METHODS } from '../../../src-main/app/ipc-methods';
import { API_METHODS } from '../../../src-main/api/contract';
import { ApiArgumentError } from '../../../src-main/api/schemas';
import { thrown } from '../../helpers';

describe('navigation, redirects, frame navigation and window.open', () => {
  it('stay inside app://retile/', () => {
    expect(navigationDecision('app://retile/index.html')).toEqual({ action: 'allow' });
    expect(navigationDecision('app://retile/assets/x.js?y#z')).toEqual({ action: 'allow' });
    for (const url of ['app://other/index.html', 'app://user:pw@retile/', 'file:///etc/passwd', 'http://127.0.0.1:5173/', 'about:blank', 'javascript:alert(1)', 'data:text/html,<script>1</script>', 'blob:app://retile/1', 'not a url', '']) {
      expect(navigationDecision(url), url).toEqual({ action: 'deny' });
    }
  });

  it('an allowlisted https link asks to leave; look-alikes are denied', () => {
    expect(navigationDecision('https://doi.org/10.1145/3007787.3001139')).toEqual({ action: 'ask-external', url: 'https://doi.org/10.1145/3007787.3001139' });
    expect(externalLink('https://arxiv.org/abs/1234.5678')).toBe('https://arxiv.org/abs/1234.5678');
    for (const url of [
      'http://doi.org/10.1145/1', // not https
      'https://doi.org@evil.example/', // credentials: the host is evil.example
      'https://user:pw@doi.org/', // credentials on an allowed host
      'https://doi.org:8443/', // another port
      'https://doi.org.evil.example/', // suffix look-alike
      'https://evildoi.org/',
      'https://gist.github.com/', // subdomains are not the allowlisted site
      'https://evil.example/?u=https://doi.org/',
      'ftp://doi.org/',
    ]) {
      expect(navigationDecision(url), url).toEqual({ action: 'deny' });
    }
  });

  it('random URLs are denied unless they are the app or an allowlisted https host', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        const d = navigationDecision(url);
        if (d.action === 'ask-external') expect(new URL(d.url).protocol).toBe('https:');
        expect(d.action === 'allow').toBe(false);
      }),
      { numRuns: 500, seed: 19 },
    );
  });

  it('the confirmation defaults to Cancel', () => {
    const p = externalLinkPrompt('https://doi.org/x');
    expect(p.detail).toBe('https://doi.org/x');
    expect(p.buttons[p.defaultId]).toBe('Cancel');
    expect(p.buttons[p.cancelId]).toBe('Cancel');
  });

  it('isAppUrl recognises only the app origin', () => {
    expect(isAppUrl('app://retile/')).toBe(true);
    expect(isAppUrl('app://retile.evil/')).toBe(false);
    expect(isAppUrl('https://retile/')).toBe(false);
  });
});

describe('IPC: no file-system path from the window', () => {
  it('the path-taking methods are neither exposed nor served; the dialog methods are', () => {
    expect([...PATH_METHODS].sort()).toEqual(['openProjectPath', 'setWorkspace']);
    for (const m of PATH_METHODS) expect(IPC_METHODS).not.toContain(m);
    expect(IPC_METHODS).toContain('pickWorkspace');
    expect(IPC_METHODS).toContain('pickProjectFile');
    expect(IPC_METHODS.length).toBe(API_METHODS.length - 2);
    const issued = new IssuedRefs();
    const e = thrown(() => checkIpcCall('setWorkspace', { dir: '/etc' }, issued));
    expect(e).toBeInstanceOf(ApiArgumentError);
    expect((e as Error).message).toMatch(/^invalid arguments for setWorkspace: the desktop app takes no file path from its window; choose the folder or file in the dialog/);
    expect(() => checkIpcCall('openProjectPath', { path: '/home/me/a.retile' }, issued)).toThrow(ApiArgumentError);
  });

  it('a project given as a path must be one the main process handed out', () => {
    const issued = new IssuedRefs();
    for (const project of ['/etc/x.retile', 'C:\\Users\\me\\x.retile', 'c:/x.retile', '\\\\server\\share\\x.retile', 'file:///tmp/x.retile']) {
      expect(() => checkIpcCall('getProject', { project }, issued), project).toThrow(/project: a file outside the workspace must be opened with Open… first/);
    }
    // Workspace projects are file names, not paths.
    expect(() => checkIpcCall('getProject', { project: 'study.retile' }, issued)).not.toThrow();
    expect(() => checkIpcCall('listProjects', undefined, issued)).not.toThrow();
    // Handed out by a dialog pick (a summary) or the project list (an array of them).
    issued.noteResult({ file: '/data/a.retile', name: 'a', external: true });
    issued.noteResult([{ file: 'w.retile', external: false }, { file: '/data/b.retile', external: true }]);
    issued.noteResult({ summary: { file: '/data/c.retile', external: true }, runs: [] });
    for (const project of ['/data/a.retile', '/data/b.retile', '/data/c.retile']) expect(() => checkIpcCall('getProject', { project }, issued), project).not.toThrow();
    expect(() => checkIpcCall('getProject', { project: '/data/../etc/a.retile' }, issued)).toThrow(ApiArgumentError);
    // A summary that is not external never grants a path.
    issued.noteResult({ file: '/data/d.retile', external: false });
    expect(() => checkIpcCall('getProject', { project: '/data/d.retile' }, issued)).toThrow(ApiArgumentError);
  });

  it('random absolute paths are refused for every project-addressed method', () => {
    const issued = new IssuedRefs();
    issued.noteResult({ file: '/opened/one.retile', external: true });
    fc.assert(
      fc.property(fc.constantFrom(...IPC_METHODS), fc.string({ minLength: 0, maxLength: 40 }), fc.constantFrom('/', 'C:\\', 'd:/', '\\\\', 'file:'), (method, tail, root) => {
        const project = root + tail;
        if (project === '/opened/one.retile') return;
        expect(() => checkIpcCall(method, { project }, issued)).toThrow(ApiArgumentError);
      }),
      { numRuns: 3000, seed: 19 },
    );
  });
});
