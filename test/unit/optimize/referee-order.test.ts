/**
 * The referee's tie-break (optimize/referee-order.ts, docs/method.md step 5): makespans equal
 * within settings.makespanTieRel are a tie, and the lower energy wins. Small hand-made
 * candidates; the expected winner follows from the rule, not from a run.
 */
import { describe, expect, it } from 'vitest';
import { beats, beatThreshold, sameMakespan } from '../../../src-main/engine/optimize/referee-order';
import { refereed } from '../../../src-main/engine/pipeline/run';
import type { Alternative, StrategyOutcome } from '../../../src-main/engine/optimize/strategies';
import type { Deployment } from '../../../src-main/engine/placement/types';
import type { Simulated } from '../../../src-main/engine/sim/referee';

/** A candidate whose "simulation" is fixed: makespan and energy carried on its deployment stand-in. */
const candidate = (name: string, makespan_s: number, energy_j: number): StrategyOutcome =>
  ({ deployment: { strategy: name, makespan_s, energy_j } as unknown as Deployment, trace: [], shares: [], plans: [], value: 0 });
const simulate = (d: Deployment): Simulated => {
  const f = d as unknown as { makespan_s: number; energy_j: number };
  return { sim: { makespan_s: f.makespan_s, energy_j: f.energy_j }, reopOf: [], crossbars: [] } as unknown as Simulated;
};
/** A tight bound (the makespan itself): pruned exactly when the candidate's makespan is at least `toBeat`. */
const simulateToBeat = (d: Deployment, toBeat: number): Simulated | null => (simulate(d).sim.makespan_s >= toBeat ? null : simulate(d));
const nameOf = (r: { outcome: StrategyOutcome }): string => r.outcome.deployment.strategy;
/** The same candidate as a runner-up, its deployment made when the referee asks for it. */
const runnerUp = ({ deployment, ...rest }: StrategyOutcome): Alternative => ({ ...rest, deploy: () => deployment });

describe('the referee on equal makespans', () => {
  it('the lower energy wins a tie, the shorter makespan wins otherwise', () => {
    // 2 ms each, 1.00 J vs 0.99 J (1 % less): the second wins.
    expect(beats({ makespan_s: 2e-3, energy_j: 0.99 }, { makespan_s: 2e-3, energy_j: 1 })).toBe(true);
    expect(beats({ makespan_s: 2e-3, energy_j: 1 }, { makespan_s: 2e-3, energy_j: 0.99 })).toBe(false);
    // Equal in both: no change (the earlier candidate stays).
    expect(beats({ makespan_s: 2e-3, energy_j: 1 }, { makespan_s: 2e-3, energy_j: 1 })).toBe(false);
    // 1 us slower of 2 ms (5e-4 relative) is no tie: the faster one wins whatever the energy.
    expect(beats({ makespan_s: 2.001e-3, energy_j: 0.5 }, { makespan_s: 2e-3, energy_j: 1 })).toBe(false);
    expect(beats({ makespan_s: 2e-3, energy_j: 1 }, { makespan_s: 2.001e-3, energy_j: 0.5 })).toBe(true);
    // One ulp of f64 rounding apart (2 ms + 2^-61 s, about 2e-16 relative) is a tie.
    expect(sameMakespan(2e-3, 2e-3 + 2 ** -61)).toBe(true);
    expect(sameMakespan(2e-3, 2.001e-3)).toBe(false);
  });

  it('the learning loop\'s referee keeps the lower-energy runner-up of equal makespan, even with pruning', () => {
    const best = candidate('analytic best', 2e-3, 1);
    const alt = candidate('runner-up', 2e-3, 0.99);
    const slower = candidate('slower', 2.5e-3, 0.1);
    const outcome = { ...best, alternatives: [slower, alt].map(runnerUp) };
    expect(nameOf(refereed(outcome, simulate))).toBe('runner-up');
    // Its tight bound (2 ms) equals the best's makespan: it must still be simulated, so the tie can be broken.
    expect(nameOf(refereed(outcome, simulate, simulateToBeat))).toBe('runner-up');
    expect(beatThreshold({ makespan_s: 2e-3, energy_j: 1 })).toBeGreaterThan(2e-3);
    // Equal energy as well: the analytic best stays.
    expect(nameOf(refereed({ ...best, alternatives: [runnerUp(candidate('twin', 2e-3, 1))] }, simulate, simulateToBeat))).toBe('analytic best');
  });
});
