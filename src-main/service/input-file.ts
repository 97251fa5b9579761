/**
 * Reading a file a user named (ONNX model, chip or deployment spec): it must be a regular file
 * (a FIFO, a device such as /dev/zero, or a symbolic link to one is refused before reading), no
 * larger than the limit, and at most its size when opened is read, so a file that grows while it
 * is read (or a pseudo-file claiming size 0) cannot make the read unbounded.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { badInput, isRetileError } from '../engine/errors';

/** Largest JSON spec read (chip or deployment): specs are a few KB; 16 MiB is far above any. */
export const MAX_SPEC_BYTES = 16 * 1024 * 1024;

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder, not a file';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  return (e as Error).message;
}

export function readInputFile(path: string, what: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    // Non-blocking, so opening a FIFO does not wait for a writer; it is refused below.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw badInput(`cannot read the ${what} (${reason(e)})`, { file: path });
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw badInput(`the ${what} is not a regular file (a folder, device, FIFO or socket); name a file`, { file: path });
    if (st.size > maxBytes) throw badInput(`the ${what} is ${st.size} bytes, above the limit of ${maxBytes}`, { file: path });
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) break;
      off += n;
    }
    return off === buf.length ? buf : buf.subarray(0, off);
  } catch (e) {
    if (isRetileError(e)) throw e;
    throw badInput(`cannot read the ${what} (${reason(e)})`, { file: path });
  } finally {
    closeSync(fd);
  }
}
