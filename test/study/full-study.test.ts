/**
 * The optimizer's properties on all 24 cases of the reproduction study (docs/study.md), with the
 * real Wasm simulator. Not part of `npm test` (it takes minutes on 2 cores): run it with
 * `npm run study:full`, e.g. nightly or before changing the cost model or the optimizer.
 */
import { beforeAll } from 'vitest';
import type { StudyCase } from '../../src-main/engine/pipeline/study';
import { loadTestWasm } from '../unit/sim/load-wasm';
import { describeStudyProperties, runCases } from '../unit/optimize/study-properties';

const cases: StudyCase[] = [];

beforeAll(async () => {
  cases.push(...(await runCases('all', await loadTestWasm())));
}, 3_600_000);

describeStudyProperties(cases);
