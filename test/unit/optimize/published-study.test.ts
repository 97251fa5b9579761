/**
 * The study docs/study.md publishes (docs/study/study.json, all 24 cases, written by
 * `retile study --out docs/study`) holds the properties the full study checks when it is re-run
 * (`npm run study:full`): the learning-rate candidate never slower than balanced, slower than an
 * ablation only where documented, and more tiles never slowing a plan of the method. Checking the
 * published figures here means a study re-run that breaks one cannot be committed unnoticed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StudyCase } from '../../../src-main/engine/pipeline/study';
import { describeMoreTiles, describeStudyProperties } from './study-properties';

const published = JSON.parse(readFileSync(join(__dirname, '../../../docs/study/study.json'), 'utf8')) as StudyCase[];

describeStudyProperties(published);
describeMoreTiles(published);
