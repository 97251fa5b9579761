/**
 * The end of an engine job, written so that nothing about it can take the host down: saving the
 * result, recording a failure and telling listeners are each caught. When the project cannot take
 * the result (locked, deleted or renamed while the job ran, disk full), the run is recorded
 * `failed` if the file still opens, and the result is kept as a JSON file beside the projects so
 * it can be re-imported or exported by hand.
 */
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { ApiEvent, ProjectRef } from '../api/contract';
import { endRun, type Workspace } from '../store';
import { JobError } from './job-runner';

/** Tries at recording a run's end in a project that refused it (locked), one second apart. */
const RECORD_ATTEMPTS = 4;
const RECORD_RETRY_MS = 1000;

export interface RunJob {
  project: ProjectRef;
  runId: number;
  jobId: string;
}

export interface CompletionHost {
  workspace(): Workspace;
  emit(e: ApiEvent): void;
  /** Where a host writes what it cannot tell a user (stderr by default). */
  log?(line: string): void;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Writes `result` as `<project>.run-<id>.unsaved.json` in the workspace folder; the file name, or null when that failed too. */
export function keepUnsaved(dir: string, job: RunJob, result: unknown): string | null {
  const file = join(dir, `${basename(job.project).replace(/\.retile$/i, '')}.run-${job.runId}.unsaved.json`);
  try {
    writeFileSync(file, JSON.stringify({ project: job.project, runId: job.runId, result }));
    return file;
  } catch {
    return null;
  }
}

/**
 * Settles one run from its job's outcome. Never rejects: every step that touches the file or a
 * listener is caught, and what could not be recorded is logged.
 */
export async function settleRun<R>(
  host: CompletionHost,
  job: RunJob,
  outcome: Promise<R>,
  finish: (db: Database, runId: number, result: R) => void,
): Promise<void> {
  const log = host.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const emit = (e: ApiEvent) => {
    try {
      host.emit(e);
    } catch (err) {
      log(`retile: an event listener failed: ${message(err)}`);
    }
  };
  // A project locked by another process may free up: try a few times, then leave the run
  // `running` (the next start of a host marks it interrupted) and say so in the log.
  const record = async (status: 'failed' | 'cancelled' | 'interrupted', text: string) => {
    for (let attempt = 1; ; attempt++) {
      try {
        host.workspace().with(job.project, (db) => endRun(db, job.runId, status, text));
        return;
      } catch (err) {
        if (attempt >= RECORD_ATTEMPTS || !host.workspace().exists(job.project)) {
          log(`retile: could not record run ${job.runId} of ${job.project} as ${status}: ${message(err)}`);
          return;
        }
        await new Promise((r) => setTimeout(r, RECORD_RETRY_MS));
      }
    }
  };
  const base = { jobId: job.jobId, project: job.project, runId: job.runId };

  let result: R;
  try {
    result = await outcome;
  } catch (e) {
    const cancelled = e instanceof JobError && e.code === 'cancelled';
    const status = cancelled ? 'cancelled' : e instanceof JobError && e.code === 'interrupted' ? 'interrupted' : 'failed';
    const error = e instanceof JobError ? e.error : undefined;
    emit(cancelled ? { type: 'cancelled', ...base } : { type: 'failed', ...base, message: message(e), ...(error ? { error } : {}) });
    return record(status, message(e));
  }
  try {
    host.workspace().with(job.project, (db) => finish(db, job.runId, result));
    emit({ type: 'finished', ...base });
  } catch (e) {
    const kept = keepUnsaved(host.workspace().dir, job, result);
    const text = `saving the results failed: ${message(e)}${kept ? `; the result was kept in ${kept}` : ''}`;
    emit({ type: 'failed', ...base, message: text });
    await record('failed', text);
  }
}
