/**
 * Creating a folder and its parents one level at a time. Node 20's `mkdirSync(path, { recursive:
 * true })` never returns for some paths under /proc (it loops on the kernel's answers), which hung
 * the server (setWorkspace) and the CLI (export --out, study --out). Here each level is checked:
 * an existing level must be a folder, and no level may resolve into a pseudo-file-system.
 */
import { mkdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { badInput } from '../engine/errors';

/** Kernel pseudo-file-systems: nothing of Retile's can live there. */
const PSEUDO_ROOTS = ['/proc', '/sys', '/dev'];

function inPseudo(path: string): boolean {
  return PSEUDO_ROOTS.some((r) => path === r || path.startsWith(r + sep));
}

/** Creates `path` and any missing parents; refuses /proc, /sys, /dev (also through symbolic links) and non-folders on the way. */
export function makeDirs(path: string, what = 'folder'): void {
  const abs = resolve(path);
  if (inPseudo(abs)) throw badInput(`cannot create the ${what} inside ${abs.split(sep).slice(0, 2).join(sep)} (a kernel pseudo-file-system); choose another folder`, { file: path });
  const levels: string[] = [];
  for (let p = abs; ; p = dirname(p)) {
    levels.unshift(p);
    if (dirname(p) === p) break;
  }
  for (const level of levels) {
    let st;
    try {
      st = statSync(level);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw badInput(`cannot create the ${what}: ${(e as Error).message}`, { file: path });
    }
    if (st) {
      if (!st.isDirectory()) throw badInput(`cannot create the ${what}: ${level} exists and is not a folder`, { file: path });
      if (inPseudo(realpathSync(level))) throw badInput(`cannot create the ${what} inside a kernel pseudo-file-system (${level} leads there); choose another folder`, { file: path });
      continue;
    }
    try {
      mkdirSync(level);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw badInput(`cannot create the ${what}: ${(e as Error).message}`, { file: path });
    }
  }
}
