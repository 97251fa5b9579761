/**
 * Sweep progress on stderr: a cli-progress bar with an ETA when stderr is a terminal, one plain
 * line per finished case otherwise (logs of batch jobs, CI, pipes). stdout is never touched, so
 * `--json` output stays a clean document.
 */
import cliProgress from 'cli-progress';

export interface ProgressView {
  start(total: number): void;
  /** A case finished (or failed): `line` describes it. */
  done(line: string): void;
  /** Free-form note (printed above the bar on a terminal). */
  note(line: string): void;
  stop(): void;
}

function seconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${Math.round(s)} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${Math.round(s % 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** Plain lines: "[3/8] ... (eta 12 s)"; the ETA is the mean time per finished case times the cases left. */
export function plainProgress(write: (s: string) => void = (s) => process.stderr.write(s)): ProgressView {
  let total = 0;
  let finished = 0;
  let t0 = Date.now();
  return {
    start(n) {
      total = n;
      finished = 0;
      t0 = Date.now();
    },
    done(line) {
      finished++;
      const elapsed = (Date.now() - t0) / 1000;
      const eta = finished < total ? `, eta ${seconds((elapsed / finished) * (total - finished))}` : '';
      write(`[${finished}/${total}] ${line} (elapsed ${seconds(elapsed)}${eta})\n`);
    },
    note(line) {
      write(line + '\n');
    },
    stop() {},
  };
}

export function barProgress(): ProgressView {
  const bar = new cliProgress.SingleBar(
    {
      format: 'sweep [{bar}] {value}/{total} cases | {percentage}% | elapsed {duration_formatted} | ETA {eta_formatted} | {last}',
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 8,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let value = 0;
  let active = false;
  return {
    start(total) {
      value = 0;
      active = true;
      bar.start(total, 0, { last: '' });
    },
    done(line) {
      value++;
      bar.update(value, { last: line.length > 60 ? line.slice(0, 59) + '…' : line });
    },
    note(line) {
      if (active) bar.stop();
      process.stderr.write(line + '\n');
      if (active) bar.start(bar.getTotal(), value, { last: '' });
    },
    stop() {
      if (active) bar.stop();
      active = false;
    },
  };
}

export function progressView(): ProgressView {
  return process.stderr.isTTY ? barProgress() : plainProgress();
}
