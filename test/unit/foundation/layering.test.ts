/** The import direction of DESIGN.md is enforced by lint: these cases must fail (and pass). */
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers';

const eslint = new ESLint({ cwd: REPO_ROOT });

async function restrictedImportErrors(file: string, code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath: join(REPO_ROOT, file) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').length;
}

describe('layering lint rules', () => {
  it('refuse host and Node imports in the engine', async () => {
    expect(await restrictedImportErrors('src-main/engine/x.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).toBe(1);
    expect(await restrictedImportErrors('src-main/engine/x.ts', "import { Workspace } from '../store';\nexport const x = Workspace;\n")).toBe(1);
    expect(await restrictedImportErrors('src-main/engine/sim/x.ts', "import { app } from 'electron';\nexport const x = app;\n")).toBe(1);
    expect(await restrictedImportErrors('src-main/engine/sim/x.ts', "import { RetileError } from '../errors';\nexport const x = RetileError;\n")).toBe(0);
  });
  it('refuse Node and non-contract imports in the renderer', async () => {
    expect(await restrictedImportErrors('src-renderer/lib/x.ts', "import { readFileSync } from 'fs';\nexport const x = readFileSync;\n")).toBe(1);
    expect(await restrictedImportErrors('src-renderer/lib/x.ts', "import { Workspace } from '../../src-main/store';\nexport const x = Workspace;\n")).toBe(1);
    expect(await restrictedImportErrors('src-renderer/lib/x.ts', "import { zooGraph } from '../../src-main/engine/workload';\nexport const x = zooGraph;\n")).toBe(1);
    expect(await restrictedImportErrors('src-renderer/lib/x.ts', "import { API_METHODS } from '../../src-main/api/contract';\nexport const x = API_METHODS;\n")).toBe(0);
  });
});
