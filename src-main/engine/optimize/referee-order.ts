/**
 * The referee's order on simulated candidates (docs/method.md, step 5): the shorter makespan wins;
 * makespans equal within settings.makespanTieRel are a tie, which the lower total energy breaks
 * (equal energy too: the incumbent stays, so the earlier candidate wins).
 */
import { OPTIMIZER_SETTINGS as S } from './settings';

export interface Refereed {
  makespan_s: number;
  energy_j: number;
}

/** Whether the two makespans are the same to the referee (relative difference at most makespanTieRel). */
export function sameMakespan(a: number, b: number): boolean {
  return Math.abs(a - b) <= S.makespanTieRel * Math.max(Math.abs(a), Math.abs(b));
}

/** Whether `challenger` replaces `incumbent`: strictly faster, or as fast and less energy. */
export function beats(challenger: Refereed, incumbent: Refereed): boolean {
  if (sameMakespan(challenger.makespan_s, incumbent.makespan_s)) return challenger.energy_j < incumbent.energy_j;
  return challenger.makespan_s < incumbent.makespan_s;
}

/**
 * The makespan a challenger's proven lower bound must stay below to possibly beat `incumbent`
 * (sim/referee.ts `toBeat`): a tie within the tolerance can win on energy, so the threshold is the
 * incumbent's makespan raised past the tie band (2 x makespanTieRel > the band's 1 / (1 - tol) - 1).
 */
export function beatThreshold(incumbent: Refereed): number {
  return incumbent.makespan_s * (1 + 2 * S.makespanTieRel);
}
