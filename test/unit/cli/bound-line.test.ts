/** `retile run`'s bound line: the ratio to the bound is printed as a gap only where it certifies the plan (within 2x). */
import { describe, expect, it } from 'vitest';
import { boundLine } from '../../../src-main/cli/commands/run';
import type { RunResult } from '../../../src-main/engine/report/result';

const result = (makespan: number, bound: number, certifies?: boolean): RunResult =>
  ({ makespan_s: makespan, lower_bound_s: bound, gap_to_bound: makespan / bound - 1, bound: { work_s: bound, critical_path_s: [], binding: 'work', ...(certifies === undefined ? {} : { certifies }) } }) as unknown as RunResult;

describe('the bound line', () => {
  it('within 2x: the gap, and which term sets the bound', () => {
    const line = boundLine(result(3e-3, 2e-3, true));
    expect(line).toContain('lower bound 2.000 ms (set by work)');
    expect(line).toContain('within 1.50x of any plan');
  });
  it('beyond 2x: no ratio, and why', () => {
    const line = boundLine(result(30e-3, 2e-3, false));
    expect(line).toContain('too loose to certify');
    expect(line).not.toMatch(/15(\.0+)?x/);
  });
  it('a stored result from before `certifies` existed is judged by its ratio', () => {
    expect(boundLine(result(3e-3, 2e-3))).toContain('within 1.50x');
    expect(boundLine(result(9e-3, 2e-3))).toContain('too loose');
  });
});
