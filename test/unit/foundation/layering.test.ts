/** The allowed imports of docs/architecture.md are enforced by lint: these cases must fail (and pass). */
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers';

const eslint = new ESLint({ cwd: REPO_ROOT });

async function restrictedImportErrors(file: string, from: string): Promise<number> {
  const code = `import * as m from '${from}';\nexport const x = m;\n`;
  const [result] = await eslint.lintText(code, { filePath: join(REPO_ROOT, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').length;
}

describe('engine purity', () => {
  it('refuses host and Node imports anywhere in the engine', async () => {
    expect(await restrictedImportErrors('src-main/engine/x.ts', 'node:fs')).toBe(1);
    expect(await restrictedImportErrors('src-main/engine/x.ts', '../store')).toBe(1);
    expect(await restrictedImportErrors('src-main/engine/sim/x.ts', 'electron')).toBe(1);
    expect(await restrictedImportErrors('src-main/engine/workload/onnx/x.ts', '../../../service/paths')).toBe(1);
    expect(await restrictedImportErrors('src-main/engine/sim/x.ts', '../errors')).toBe(0);
  });
});

// Each engine area: one import it must refuse (a later area, or a sibling it does not use) and one it may make.
const AREA_CASES: [file: string, forbidden: string, allowed: string][] = [
  ['src-main/engine/limits.ts', './workload/ir', './errors'],
  ['src-main/engine/workload/x.ts', '../hardware/spec', '../limits'],
  ['src-main/engine/workload/onnx/x.ts', '../../mapping/map-layer', '../ir'],
  ['src-main/engine/hardware/x.ts', '../mapping/map-layer', '../workload/digital-ops'],
  ['src-main/engine/mapping/x.ts', '../placement/types', '../hardware/costs'],
  ['src-main/engine/placement/x.ts', '../evaluate/deployment', '../mapping/reop'],
  ['src-main/engine/evaluate/x.ts', '../sim/referee', '../placement/types'],
  ['src-main/engine/sim/x.ts', '../evaluate/deployment', '../placement/reprogram'],
  ['src-main/engine/optimize/x.ts', '../sim/referee', '../evaluate/deployment'],
  ['src-main/engine/optimize/x.ts', '../report/result', './settings'],
  ['src-main/engine/report/x.ts', '../pipeline/run', '../optimize/classify'],
  ['src-main/engine/pipeline/x.ts', '../../store', '../report/run-result'],
];

/** One test per case: the forbidden import is refused, the allowed one is not. */
function refusesAndAccepts(title: string, cases: [file: string, forbidden: string, allowed: string][]): void {
  describe(title, () => {
    for (const [file, forbidden, allowed] of cases) {
      it(`${file}: refuses ${forbidden}, accepts ${allowed}`, async () => {
        expect(await restrictedImportErrors(file, forbidden)).toBe(1);
        expect(await restrictedImportErrors(file, allowed)).toBe(0);
      });
    }
  });
}

refusesAndAccepts('engine areas import downstream only', AREA_CASES);

// Each host layer: one import it must refuse and one it may make.
const LAYER_CASES: [file: string, forbidden: string, allowed: string][] = [
  ['src-main/api/x.ts', '../service/service', '../engine/report/result'],
  ['src-main/api/x.ts', 'node:fs', './schemas'],
  ['src-main/store/x.ts', '../service/paths', '../engine/errors'],
  ['src-main/service/x.ts', '../cli/io', '../store'],
  ['src-main/service/x.ts', '../server/guard', '../api/contract'],
  ['src-main/cli/commands/x.ts', '../../server/http-server', '../../service/models'],
  ['src-main/cli/x.ts', '../app/main', '../store'],
  ['src-main/app/x.ts', '../store', '../service/service'],
  ['src-main/app/x.ts', '../engine/pipeline/run', '../engine/limits'],
  ['src-main/server/x.ts', '../cli/io', '../service/service'],
  ['src-main/server/x.ts', '../engine/workload', '../engine/errors'],
  ['src-renderer/lib/x.ts', 'fs', '../../src-main/api/contract'],
  ['src-renderer/lib/x.ts', '../../src-main/store', '../../src-main/api/schemas'],
  ['src-renderer/lib/x.ts', '../../src-main/engine/workload', '../../src-main/api/contract'],
];

refusesAndAccepts('host layers import only the layers beneath them', LAYER_CASES);
