/**
 * The optimizer's properties on all 24 cases of the reproduction study (docs/study.md), with the
 * real Wasm simulator, and each case again without pruning runners-up by their lower bound (the
 * same choices and figures). Not part of `npm test` (it takes minutes on 2 cores): run it with
 * `npm run study:full`, e.g. nightly or before changing the cost model or the optimizer.
 */
import { beforeAll } from 'vitest';
import type { StudyCase } from '../../src-main/engine/pipeline/study';
import { loadTestWasm } from '../unit/sim/load-wasm';
import { describeMoreTiles, describePruningAgreement, describeStudyProperties, runCases } from '../unit/optimize/study-properties';

const cases: StudyCase[] = [];
const unpruned: StudyCase[] = [];

beforeAll(async () => {
  const wasm = await loadTestWasm();
  cases.push(...(await runCases('all', wasm)));
  unpruned.push(...(await runCases('all', wasm, { prune: false })));
}, 3_600_000);

describeStudyProperties(cases);
describeMoreTiles(cases);
describePruningAgreement(cases, unpruned);
