/** docs/workloads.md's operator table lists exactly the importer's operators, each with its placement. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { OPERATORS } from '../../../src-main/engine/workload/onnx/ops';
import { REPO_ROOT } from '../../helpers';

it('every operator of the table is documented once with its placement, and nothing else', () => {
  const doc = readFileSync(join(REPO_ROOT, 'docs/workloads.md'), 'utf8');
  const section = doc.slice(doc.indexOf('### Operators'), doc.indexOf('## NeuroSim'));
  const documented = new Map<string, string>();
  for (const line of section.split('\n')) {
    const m = /^\| ((?:`\w+` ?)+) \| (\w+) \|/.exec(line);
    if (!m) continue;
    for (const op of m[1].match(/`\w+`/g)!) {
      const name = op.slice(1, -1);
      expect(documented.has(name), `${name} documented twice`).toBe(false);
      documented.set(name, m[2]);
    }
  }
  const actual = new Map(Object.entries(OPERATORS).map(([k, h]) => [k, h.placement as string]));
  expect(Object.fromEntries([...documented].sort())).toEqual(Object.fromEntries([...actual].sort()));
});
