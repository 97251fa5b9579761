/**
 * The repository stands alone: no file of the project (code, test, doc, CLI or UI text, comment)
 * points at material outside it, and every `docs/<page>.md#<anchor>` link names a real heading.
 * Scans every file git tracks or would track (untracked but not ignored), so a new file is caught
 * before it is committed. This file is the only one excluded: it has to spell the patterns.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers';

const SELF = relative(REPO_ROOT, import.meta.filename).split('\\').join('/');

function projectFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO_ROOT, encoding: 'utf8' });
  return out.split('\0').filter((f) => f && existsSync(join(REPO_ROOT, f)));
}

/** Text files only: a NUL byte in the first 8 KiB marks a binary (ONNX fixtures, PNGs). */
function textOf(file: string): string | null {
  const bytes = readFileSync(join(REPO_ROOT, file));
  if (bytes.subarray(0, 8192).includes(0)) return null;
  return bytes.toString('utf8');
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The folder whose absolute paths no file may name: the checkout's parent (where material beside
 * the clone would sit), or the checkout itself when it was cloned straight into a shared
 * temporary folder (then the parent is /tmp, and tests name /tmp paths on purpose).
 */
const parent = resolve(REPO_ROOT, '..');
const LOCAL_ROOT = [tmpdir(), '/tmp', '/var/tmp', '/'].includes(parent) ? REPO_ROOT : parent;

/** What a file must not mention, with the reason shown on failure. */
const FORBIDDEN: { re: RegExp; why: string }[] = [
  { re: /\.\.\/shared/, why: 'a folder beside the checkout that a clone does not have' },
  { re: /METHOD\.md/, why: 'a document outside the repository (cite docs/method.md#... instead)' },
  { re: /\breference\/[\w-]+\.md/, why: 'a document outside the repository (cite the paper or tool by name)' },
  { re: /\bissue [0-9]/i, why: 'a tracker number a reader cannot follow (say what is required instead)' },
  { re: /(?<![\w.$~-])\/(work|root|Users|mnt)\//, why: 'an absolute path of the machine it was written on' },
  { re: /(?<![\w.$~-])\/home\/(?!me\/)/, why: 'an absolute home path (examples use /home/me/)' },
  // The checkout's own location and its parent, wherever the clone lives.
  { re: new RegExp(escapeRe(LOCAL_ROOT + '/')), why: 'an absolute path of this checkout or beside it' },
];

describe('the repository stands alone', () => {
  const files = projectFiles();

  it('lists the project files', () => {
    expect(files).toContain('package.json');
    expect(files).toContain(SELF);
  });

  it('no file mentions material outside the repository', () => {
    const hits: string[] = [];
    for (const file of files) {
      if (file === SELF) continue;
      const text = textOf(file);
      if (text === null) continue;
      text.split('\n').forEach((line, i) => {
        for (const { re, why } of FORBIDDEN) if (re.test(line)) hits.push(`${file}:${i + 1}: ${why}: ${line.trim().slice(0, 160)}`);
      });
    }
    expect(hits).toEqual([]);
  });

  it('every docs/<page>.md#<anchor> link names a real heading', () => {
    const anchorsOf = new Map<string, Set<string>>();
    const anchors = (page: string): Set<string> | undefined => {
      if (!anchorsOf.has(page)) {
        const path = join(REPO_ROOT, page);
        anchorsOf.set(page, existsSync(path) ? headingSlugs(readFileSync(path, 'utf8')) : new Set());
      }
      return anchorsOf.get(page);
    };
    const broken: string[] = [];
    for (const file of files) {
      const text = textOf(file);
      if (text === null) continue;
      for (const m of text.matchAll(/\b(docs\/[\w./-]+\.md)#([\w-]+)/g)) {
        if (!anchors(m[1])!.has(m[2])) broken.push(`${file}: ${m[1]}#${m[2]}`);
      }
      // In-page links of a Markdown file: [text](#anchor).
      if (file.endsWith('.md')) {
        for (const m of text.matchAll(/\]\(#([\w-]+)\)/g)) if (!anchors(file)!.has(m[1])) broken.push(`${file}: #${m[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('slugs headings the way GitHub does', () => {
    expect([...headingSlugs('# The method as built\n## Step 2: tenant level\n## Compared with the paper (1.75x-60.43x speed-up)\n## `info`\n## Metrics\n## Metrics')]).toEqual([
      'the-method-as-built',
      'step-2-tenant-level',
      'compared-with-the-paper-175x-6043x-speed-up',
      'info',
      'metrics',
      'metrics-1',
    ]);
  });
});

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function headingSlugs(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const m = !fenced && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = m[1].toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}
