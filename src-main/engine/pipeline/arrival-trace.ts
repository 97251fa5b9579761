/**
 * Arrival-trace files for `retile serve --trace <tenant>=<file>` (docs/cli.md, "serve"): plain
 * text, one arrival time in seconds per line (>= 0, non-decreasing; an optional second
 * comma-separated column is ignored, so a CSV of `time,anything` works); blank lines and lines
 * starting with `#` are skipped. Pure: the host reads the file and passes its text and name.
 */
import { badInput } from '../errors';

export function parseArrivalTrace(text: string, file: string): number[] {
  const times: number[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const cell = line.split(',')[0]!.trim();
    const v = cell === '' ? NaN : Number(cell);
    const where = `${file} line ${i + 1}`;
    if (!Number.isFinite(v) || v < 0) throw badInput(`${where}: expected an arrival time in seconds (a number >= 0), got '${cell}'`, { field: 'trace' });
    const prev = times[times.length - 1];
    if (prev !== undefined && v < prev) throw badInput(`${where}: arrival times must not decrease (${v} after ${prev}); sort the file by time`, { field: 'trace' });
    times.push(v);
  });
  if (times.length < 2) throw badInput(`${file}: a trace needs at least 2 arrival times (one per line, in seconds), found ${times.length}`, { field: 'trace' });
  return times;
}
