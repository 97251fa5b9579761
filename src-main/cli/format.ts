/** Human-readable figures for the CLI's tables (the JSON output keeps SI numbers). */
import Table from 'cli-table3';
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

/** A text table with a header row and plain borders (no colours: output may go to a log file). */
export function textTable(head: string[]): Table.Table {
  return new Table({ head, style: { head: [], border: [] }, chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } });
}
