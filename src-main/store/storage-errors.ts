/**
 * SQLite and file-system failures in the user's words: one line that names the file, says what
 * happened and what to do. The CLI prints it with exit status 2; the app shows it as the
 * message of a refused call. Codes are SQLite's result codes (better-sqlite3 puts the extended
 * name in `code`) and Node's errno names.
 */
import { oneLine } from '../engine/errors';

export class ProjectFileError extends Error {
  /** `storageCode`: the SQLite or errno code behind it, when there is one. */
  constructor(file: string, detail: string, readonly storageCode?: string) {
    // One line even when SQLite quotes a damaged schema (control characters escaped).
    super(oneLine(`${file}: ${detail}`));
    this.name = 'ProjectFileError';
  }
}

/** What the user sees when another connection holds the write lock past the busy timeout. */
export function busyError(file: string): ProjectFileError {
  return new ProjectFileError(file, 'busy: another Retile process (the app or the CLI) is writing to this project; try again when it has finished');
}

const SQLITE_PROBLEMS: [RegExp, string][] = [
  [/^SQLITE_(BUSY|LOCKED)/, ''],
  [/^SQLITE_READONLY/, 'read-only: Retile cannot write this file or its folder (read-only media or permissions); `retile runs`, `show` and `export` still read it, or copy it to a folder you can write'],
  [/^SQLITE_(CORRUPT|NOTADB)/, 'damaged: SQLite reports the database image is malformed; restore the file from a backup (other projects are not affected)'],
  [/^SQLITE_FULL/, 'disk full: there is no space left to write the project; free some space and run again (the failed write changed nothing)'],
  [/^SQLITE_IOERR/, 'input/output error while reading or writing the file; the disk or network share may have failed, so check it and try again'],
  [/^SQLITE_CANTOPEN/, 'cannot open project file: its folder is missing or not accessible, or too many files are open'],
  [/^SQLITE_(PERM|AUTH)/, 'permission denied by the file system'],
];

const ERRNO_PROBLEMS: Record<string, string> = {
  EACCES: 'permission denied; check the permissions of the file and its folder',
  EPERM: 'operation not permitted; check the permissions of the file and its folder',
  EROFS: 'read-only file system; choose a folder on writable media',
  ENOSPC: 'disk full: no space left on the device; free some space and try again',
  EDQUOT: 'disk quota exceeded; free some space and try again',
  EISDIR: 'is a folder, not a file; name a file',
  ENOTDIR: 'a part of the path is a file, not a folder',
  ENOENT: 'no such file or folder',
  EEXIST: 'already exists',
  EMFILE: 'too many open files; close some programs and try again',
  ENAMETOOLONG: 'the file name is too long',
  EIO: 'input/output error; the disk or network share may have failed',
  ELOOP: 'too many levels of symbolic links',
};

/**
 * The one-line ProjectFileError for an SQLite or file-system failure, or null for anything else
 * (a constraint, a bug: those keep their own message). `file` names the file when the error does
 * not (SQLite errors never do; a Node write error often does not).
 */
export function storageProblem(e: unknown, file?: string): ProjectFileError | null {
  if (e instanceof ProjectFileError) return e;
  const err = e as NodeJS.ErrnoException | null;
  const code = typeof err?.code === 'string' ? err.code : '';
  if (!code) return null;
  if (code.startsWith('SQLITE_')) {
    const hit = SQLITE_PROBLEMS.find(([re]) => re.test(code));
    if (!hit || !file) return null;
    return hit[1] ? new ProjectFileError(file, `${hit[1]} (${code})`, code) : busyError(file);
  }
  const detail = ERRNO_PROBLEMS[code];
  const where = err?.path ?? file;
  return detail && where ? new ProjectFileError(where, `${detail} (${code})`, code) : null;
}
