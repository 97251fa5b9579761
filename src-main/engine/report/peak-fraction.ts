/**
 * The chip's sustained fraction of its peak: operations done (2 per MAC, every inference of every
 * tenant) per second over the peak operations per second of `retile chip` (every crossbar
 * finishing one MVM per MVM period, hardware/costs.ts chipSummary).
 */
import type { ChipSpec } from '../hardware/spec';
import { chipSummary } from '../hardware/costs';

/** Operations of one inference: 2 per MAC. */
export function opsPerInference(graph: { layers: { macs: number }[] }): number {
  return 2 * graph.layers.reduce((a, l) => a + l.macs, 0);
}

/** The chip's peak in operations per second. */
export function peakOps(chip: ChipSpec): number {
  return chipSummary(chip).peak_gops * 1e9;
}

/** Sustained operations of a burst (every tenant's batch) over its makespan, as a fraction of the peak. */
export function peakFraction(chip: ChipSpec, tenants: { graph: { layers: { macs: number }[] }; batch: number }[], makespanS: number): number {
  const ops = tenants.reduce((s, t) => s + t.batch * opsPerInference(t.graph), 0);
  const peak = peakOps(chip);
  return makespanS > 0 && peak > 0 ? ops / makespanS / peak : 0;
}
