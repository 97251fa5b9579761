/**
 * No file imports itself back inside an area: within each engine area (workload, hardware, ...)
 * and each host layer (api, store, service, ...), the import graph of files has no cycle, type
 * imports included (a type cycle still ties two files' definitions together). The layering rule
 * (eslint.config.js) orders the areas; this orders the files inside them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../sim/load-wasm';

const SRC = join(repoRoot, 'src-main');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The area of a file: src-main/engine/<area> for the engine, src-main/<layer> otherwise. */
function areaOf(file: string): string {
  const parts = relative(SRC, file).split('/');
  if (parts[0] === 'engine') return parts.length > 2 ? `engine/${parts[1]}` : 'engine';
  return parts[0]!;
}

/** Relative imports and re-exports of a source text, resolved to files. */
export function importsOf(file: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"](\.[^'"]+)['"]/g)) {
    const base = resolve(dirname(file), m[1]!);
    for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
      try {
        if (statSync(candidate).isFile()) {
          out.push(candidate);
          break;
        }
      } catch {
        // not this form
      }
    }
  }
  return out;
}

/** Cycles (strongly connected components of two or more files, or a self-import) of a graph. */
export function cyclesOf(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

describe('file import cycles', () => {
  it('no area of src-main has files that import each other in a cycle', () => {
    const graph = new Map<string, string[]>();
    for (const f of tsFiles(SRC)) graph.set(f, importsOf(f, readFileSync(f, 'utf8')).filter((g) => areaOf(g) === areaOf(f)));
    const cycles = cyclesOf(graph).map((c) => c.map((f) => relative(repoRoot, f)).join(' <-> '));
    expect(cycles).toEqual([]);
  });

  it('the check sees a cycle, a type-only one included', () => {
    const a = join(SRC, 'engine/x/a.ts');
    const b = join(SRC, 'engine/x/b.ts');
    const graph = new Map([[a, [b]], [b, [a]], [join(SRC, 'engine/x/c.ts'), [a]]]);
    expect(cyclesOf(graph)).toEqual([[a, b]]);
    expect(importsOf(a, "import type { T } from './b';\nexport { U } from './c';")).toEqual([]); // b and c do not exist on disk
  });
});
