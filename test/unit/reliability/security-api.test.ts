/**
 * What a compromised renderer (or any token holder) can send: random arguments to every API
 * method are refused with ApiArgumentError or accepted as plain validated data, never anything
 * else; and no project name reaches a path outside the workspace (Workspace.path is the one gate
 * every project-addressed call goes through).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join, resolve, sep } from 'node:path';
import fc from 'fast-check';
import { API_METHODS } from '../../../src-main/api/contract';
import { ApiArgumentError, validateArgs } from '../../../src-main/api/schemas';
import { ProjectFileError, Workspace } from '../../../src-main/store';
import { tempDir } from '../../helpers';

let tmp: ReturnType<typeof tempDir>;
let ws: Workspace;
beforeAll(() => {
  tmp = tempDir('retile-sec-api-');
  ws = new Workspace(join(tmp.dir, 'ws'));
});
afterAll(() => tmp.cleanup());

/** Strings an attacker would try for names and paths. */
const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '../x.retile', '..\\x.retile', '/etc/passwd', '/tmp/x.retile', 'a/b.retile', 'a\\b.retile', '.retile', '..retile', 'x.retile\0.txt',
    'C:\\x.retile', '\\\\server\\share\\x.retile', 'x.retile/', ' x.retile', '%2e%2e%2fx.retile', 'x'.repeat(300) + '.retile', 'ok.retile',
  ),
);

describe('API arguments (fast-check)', () => {
  it('every method: random arguments are refused with ApiArgumentError or accepted as plain data', () => {
    const args = fc.oneof(
      fc.anything({ maxDepth: 3 }),
      fc.record({ project: nasty, name: nasty, fileName: nasty, path: nasty, dir: nasty, id: fc.anything(), runId: fc.anything(), dataBase64: fc.string() }, { requiredKeys: [] }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...API_METHODS), args, (method, a) => {
        let out: unknown;
        try {
          out = validateArgs(method, a);
        } catch (e) {
          expect(e).toBeInstanceOf(ApiArgumentError);
          expect((e as Error).message).toMatch(new RegExp(`^invalid arguments for ${method}: `));
          return;
        }
        // Accepted: survives JSON unchanged (plain data, no functions, prototypes or cycles).
        if (out !== undefined) expect(JSON.parse(JSON.stringify(out))).toEqual(out);
      }),
      { seed: 20260812, numRuns: 3000 },
    );
  });
});

describe('workspace path gate (fast-check)', () => {
  it('a project name resolves inside the workspace or is refused with ProjectFileError', () => {
    const root = resolve(ws.dir);
    fc.assert(
      fc.property(nasty, (name) => {
        let p: string;
        try {
          p = ws.path(name);
        } catch (e) {
          expect(e).toBeInstanceOf(ProjectFileError);
          return;
        }
        expect(p.startsWith(root + sep)).toBe(true);
        expect(p.slice(root.length + 1)).not.toMatch(/[\\/]/);
      }),
      { seed: 20260813, numRuns: 3000 },
    );
  });
});
