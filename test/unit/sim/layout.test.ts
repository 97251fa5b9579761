/** The Wasm simulator's layout file is generated from the one table (sim/layout.ts) and is current. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import * as table from '../../../src-main/engine/sim/layout';
// @ts-expect-error: a plain .mjs script without type declarations
import { renderAssemblyLayout } from '../../../scripts/gen-sim-layout.mjs';
import { repoRoot } from './load-wasm';

describe('simulator memory layout', () => {
  test('assembly/layout.ts is what scripts/gen-sim-layout.mjs generates from sim/layout.ts (run npm run build:wasm)', () => {
    const onDisk = readFileSync(join(repoRoot, 'assembly/layout.ts'), 'utf8');
    expect(onDisk).toBe((renderAssemblyLayout as (t: typeof table) => string)(table));
  });

  test('the ABI version is written once: the generated file and the driver take it from the table', () => {
    const sources = ['assembly/index.ts', 'assembly/sim.ts', 'src-main/engine/sim/wasm.ts', 'src-main/engine/sim/driver.ts'].map((f) => readFileSync(join(repoRoot, f), 'utf8'));
    for (const s of sources) expect(s).not.toMatch(/abi\w*\s*[:=(][^;\n]*\b\d+\b/i);
    expect(readFileSync(join(repoRoot, 'assembly/layout.ts'), 'utf8')).toContain(`SIM_ABI_VERSION: i32 = ${table.SIM_ABI_VERSION};`);
  });

  test('every field the table names is a field of the packed scenario or sized by a header count', () => {
    const names = table.FIELDS.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect(Object.values(table.PARAMS).map((p) => p.index).sort((a, b) => a - b)).toEqual([...Array(table.PARAM_COUNT).keys()]);
  });
});
