// What a bench record measured, and whether it still stands. A record keeps the commit it was
// taken at and the sources it measured (the bench's bundle, from the bundler's module graph); it
// is stale when any of those sources differs between that commit and the working tree.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * The repository sources one bench measures: every module of its bundle (following the entry
 * chunk's imports), plus what the bundle loads at run time rather than imports: the Wasm module's
 * sources when it drives the simulator, and the app (renderer and hosts) when it drives a browser.
 */
export function measuredSources(root, output, entryName) {
  const chunks = new Map(output.filter((o) => o.type === 'chunk').map((c) => [c.fileName, c]));
  const entry = [...chunks.values()].find((c) => c.isEntry && c.name === entryName);
  if (!entry) throw new Error(`bench bundle has no entry named ${entryName}`);
  const ids = new Set();
  const seen = new Set();
  const visit = (chunk) => {
    if (seen.has(chunk.fileName)) return;
    seen.add(chunk.fileName);
    for (const id of chunk.moduleIds) ids.add(id);
    for (const f of [...chunk.imports, ...(chunk.dynamicImports ?? [])]) if (chunks.has(f)) visit(chunks.get(f));
  };
  visit(entry);
  const files = new Set();
  let drivesBrowser = false;
  for (const id of ids) {
    const clean = id.replace(/^\0/, '').split('?')[0];
    if (clean.includes(`${sep}node_modules${sep}playwright-core${sep}`)) drivesBrowser = true;
    if (!clean.startsWith(root + sep) || clean.includes(`${sep}node_modules${sep}`)) continue;
    files.add(relative(root, clean).split(sep).join('/'));
  }
  if ([...files].some((f) => f.startsWith('src-main/engine/sim/'))) files.add('assembly');
  if (drivesBrowser) ['src-renderer', 'src-main'].forEach((d) => files.add(d));
  return [...files].sort();
}

/** Why a record no longer stands (null: it does). */
export function staleness(root, record) {
  if (!record || typeof record.commit !== 'string' || record.commit === 'unknown') return 'no commit recorded';
  if (record.commit.endsWith('+dirty')) return `taken on a tree with uncommitted edits (${record.commit})`;
  if (!Array.isArray(record.measures) || record.measures.length === 0) return 'no measured sources recorded';
  let changed;
  try {
    // Commit against the working tree: committed and uncommitted edits (and deletions) both count.
    changed = execFileSync('git', ['diff', '--name-only', record.commit, '--', ...record.measures], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return `commit ${record.commit} is not in this repository`;
  }
  if (!changed) return null;
  const list = changed.split('\n');
  return `changed since ${record.commit}: ${list.slice(0, 3).join(', ')}${list.length > 3 ? ` and ${list.length - 3} more` : ''}`;
}

/** The stale reason of bench/results/<name>.json, or 'no record'. */
export function recordStaleness(root, name) {
  const file = join(root, 'bench/results', `${name}.json`);
  if (!existsSync(file)) return 'no record';
  return staleness(root, JSON.parse(readFileSync(file, 'utf8')));
}
