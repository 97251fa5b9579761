/**
 * docs/study.md's tables and quoted ranges are generated from docs/study/study.json by
 * scripts/study-tables.mjs (npm run study:tables), so the document cannot drift from the data.
 * The renderer itself is checked on a two-case hand-made study where every figure is worked out
 * by hand.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { applyStudyTables, renderServeTables, renderStudyDoc, renderStudyTables } from '../../../scripts/study-tables.mjs';

const root = join(__dirname, '../../..');
type Parts = Record<string, string>;
const render = renderStudyTables as (cases: unknown[]) => Parts;
const apply = applyStudyTables as (doc: string, parts: Parts) => string;

const res = (ms: number, mj: number) => ({ makespan_s: ms / 1e3, energy_j: mj / 1e3 });
// Two cases. a: direct 10 ms, balanced 4 ms, sequential 5 ms, learning-rate = collaborative 2 ms,
// so C / dir. = 5x, C / bal. = 2x; operator 2.5 ms (LR is not slower), tenant 8 ms.
// b: direct 6 ms, balanced 4 ms, sequential 3 ms (the best), LR 2 ms, operator 1.5 ms, so C =
// operator: C / dir. = 4x, C / seq. = 2x, and LR is 33.3 % slower than operator-only.
const cases = [
  {
    id: 'mix-8x8', pressure: 1.234, peak_fraction: 0.0512, best_baseline: 'balanced', chosen: 'learning-rate', seconds: 90, lower_bound_s: 1e-3,
    results: { direct: res(10, 20), balanced: res(4, 10), sequential: res(5, 10), tenant: res(8, 16), operator: res(2.5, 8), 'learning-rate': res(2, 10), collaborative: res(2, 10), anneal: res(3, 10) },
  },
  {
    id: 'mix-torus-16x16', pressure: 0.25, peak_fraction: 0.01, best_baseline: 'sequential', chosen: 'operator', seconds: 30, lower_bound_s: 0.015e-3,
    results: { direct: res(6, 12), balanced: res(4, 8), sequential: res(3, 6), tenant: res(6, 12), operator: res(1.5, 3), 'learning-rate': res(2, 4), collaborative: res(1.5, 3), anneal: res(1.5, 3) },
  },
];

describe('docs/study.md generated parts', () => {
  test('docs/study.md is what scripts/study-tables.mjs renders from docs/study/study.json (run npm run study:tables)', () => {
    const doc = readFileSync(join(root, 'docs/study.md'), 'utf8');
    expect(doc).toContain('<!-- study-tables:begin speedup -->');
    expect((renderStudyDoc as (d: string) => string)(doc)).toBe(doc);
  });

  test('a hand-made study renders the hand-worked figures', () => {
    const p = render(cases);
    expect(p['c-vs-direct']).toBe('4.00x-5.00x (median 4.50x), energy 2.00x-4.00x');
    expect(p['c-vs-best']).toBe('2.00x-2.00x (median 2.00x), energy 1.00x-2.00x');
    expect(p['best-baseline']).toBe('balanced in 1 case and sequential in 1 (mix-torus-16x16); direct in 0');
    expect(p.chosen).toBe('learning-rate in 1 case; operator-only in 1 case (mix-torus-16x16)');
    expect(p.losses).toContain('than operator-only in: mix-torus-16x16 (33.3 %).');
    expect(p.losses).toContain('slower than direct in: none;');
    expect(p['energy-losses']).toBe('2 cases: mix-8x8 (25.0 %), mix-torus-16x16 (33.3 %)');
    // Operator-only is 25 % slower on mix-8x8 (2.5 against 2 ms), faster on the other.
    expect(p['energy-loss-speed']).toBe('1 of the 2 operator-only is 25 %-25 % slower (mix-8x8 25 %)');
    expect(p.bound).toBe('2.0x-100x');
    expect(p.minutes).toBe('2 min');
    expect(p.remains).toBe('  - mix: 8x8 5.00x -> 2.00x (balanced); torus-16x16 4.00x -> 2.00x (sequential).');
    expect(p.speedup.split('\n')[2]).toBe(
      '| mix-8x8 | 1.23 | 10.000 | 4.000 | 5.000 | balanced | 1.25 | 0.50 | 0.63 | 4.00 | 1.60 | 2.00 | 5.00 | 2.00 | 2.50 | 5.00 | 2.00 | 2.50 | 5.12 | learning-rate |',
    );
  });

  test('the steady state renders the hand-worked ratios of a one-case record', () => {
    // Stream TOPS: direct 1, balanced 4 (the best), sequential 2; tenant 2, operator 3,
    // learning-rate 3 (collaborative's burst choice), learning-rate-throughput 5 (what the serving
    // referee keeps). Energy per inference (mJ): 10, 5, 4; 8, 5, 5, 4. Sequential runs in turns.
    const s = (tops: number, mj: number, more: object = {}) => ({ stream_tops: tops, energy_per_inference_j: mj / 1e3, peak_fraction: 0.05, in_turns: false, ...more });
    const one = {
      id: 'mix-16x16', direct: s(1, 10), balanced: s(4, 5), sequential: s(2, 4, { in_turns: true }), tenant: s(2, 8), operator: s(3, 5), 'learning-rate': s(3, 5), 'learning-rate-throughput': s(5, 4),
      collaborative: s(3, 5, { candidate: 'learning-rate' }), 'collaborative-throughput': s(5, 4, { candidate: 'learning-rate-throughput' }),
    };
    const p = (renderServeTables as (cases: unknown[]) => Parts)([one]);
    // T 2/1, 2/4, 2/2; O and LR and C 3/1, 3/4, 3/2; LRT and CT 5/1, 5/4, 5/2.
    expect(p['serve-speedup'].split('\n')[2]).toBe(
      '| mix-16x16 | 1.00 | 4.00 | 2.00 | balanced | 2.00 | 0.50 | 1.00 | 3.00 | 0.75 | 1.50 | 3.00 | 0.75 | 1.50 | 3.00 | 0.75 | 1.50 | 5.00 | 1.25 | 2.50 | 5.00 | 1.25 | 2.50 | 5.00 | learning-rate-throughput | seq. |',
    );
    // Energy gain = the baseline's energy / the strategy's: T 10/8, 5/8, 4/8; LRT 10/4, 5/4, 4/4.
    expect(p['serve-energy'].split('\n')[2]).toBe(
      '| mix-16x16 | 10.00 | 5.00 | 4.00 | 1.25 | 0.63 | 0.50 | 2.00 | 1.00 | 0.80 | 2.00 | 1.00 | 0.80 | 2.00 | 1.00 | 0.80 | 2.50 | 1.25 | 1.00 | 2.50 | 1.25 | 1.00 |',
    );
    expect(p['serve-c-losses']).toBe('mix-16x16 (0.750x)');
    expect(p['serve-ct-losses']).toBe('none');
    expect(p['serve-lrt-over-lr']).toBe('1 of 1 (mix-16x16 1.67x)');
    expect(p['serve-referee-missed']).toBe('none');
  });

  test('only the marked parts change: inline, block and indented block; unknown names are errors', () => {
    const doc = 'a <!-- study-tables:begin x -->old<!-- study-tables:end x --> b\n\n<!-- study-tables:begin y -->\n\nold\n\n<!-- study-tables:end y -->\n  <!-- study-tables:begin z -->\n  - old\n  <!-- study-tables:end z -->\nc';
    expect(apply(doc, { x: '1', y: 'T', z: '  - new' })).toBe(
      'a <!-- study-tables:begin x -->1<!-- study-tables:end x --> b\n\n<!-- study-tables:begin y -->\n\nT\n\n<!-- study-tables:end y -->\n  <!-- study-tables:begin z -->\n  - new\n  <!-- study-tables:end z -->\nc',
    );
    expect(() => apply(doc, { x: '1', y: '2' })).toThrow(/no part named z/);
    expect(() => apply('<!-- study-tables:begin x -->', { x: '1' })).toThrow(/unmatched/);
  });
});
