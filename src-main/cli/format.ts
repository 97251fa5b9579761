/** Human-readable figures for the CLI's tables (the JSON output keeps SI numbers). */
import Table from 'cli-table3';
import type { WriteWear } from '../engine/placement/reprogram';
export function fmtSeconds(x: number | null | undefined): string {
  if (x === null || x === undefined) return '';
  const a = Math.abs(x);
  return a >= 1 ? `${x.toFixed(3)} s` : a >= 1e-3 ? `${(x * 1e3).toFixed(3)} ms` : `${(x * 1e6).toFixed(2)} us`;
}

export function fmtJoules(x: number | null | undefined): string {
  if (x === null || x === undefined) return '';
  const a = Math.abs(x);
  return a >= 1 ? `${x.toFixed(3)} J` : a >= 1e-3 ? `${(x * 1e3).toFixed(3)} mJ` : `${(x * 1e6).toFixed(2)} uJ`;
}

export function fmtRatio(x: number | null | undefined): string {
  return x === null || x === undefined ? '' : `${x.toFixed(2)}x`;
}

/** The wear line of a result that reprograms; `cycle` names one repetition (`repetition`, `stream`). */
export function fmtWear(w: WriteWear, cycle: string): string {
  return `wear: each ${cycle} writes ${w.cells_per_cycle.toExponential(2)} cells, the most-written ${w.max_writes_per_cell_per_cycle} time(s): ${w.writes_per_cell_per_hour.toExponential(2)} writes per cell per hour repeated back to back, so ${w.endurance_writes.toExponential(0)} writes last ${w.lifetime_h.toPrecision(3)} h (docs/cost-model.md#reprogramming-hardwarecoststs-placementreprogramts)`;
}

/** A text table with a header row and plain borders (no colours: output may go to a log file). */
export function textTable(head: string[]): Table.Table {
  return new Table({ head, style: { head: [], border: [] }, chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } });
}
