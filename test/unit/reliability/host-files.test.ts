/**
 * Files and folders a user names on the host side: model and spec paths must be regular files
 * read up to their size (a symbolic link to /dev/zero, a FIFO or a folder is refused at once),
 * folders are created level by level and never inside /proc, /sys or /dev (Node 20's recursive
 * mkdir never returns for some /proc paths), and every text report of the CLI escapes control
 * and bidirectional characters quoted from files.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { readInputFile } from '../../../src-main/service/input-file';
import { readOnnx } from '../../../src-main/service/models';
import { makeDirs } from '../../../src-main/store';
import { terminalText } from '../../../src-main/engine/errors';
import { encodeModel } from '../../../src-main/engine/workload/onnx/encode';
import { REPO_ROOT, tempDir } from '../../helpers';
import { retile } from '../cli/cli-helpers';

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('input files', () => {
  it('refuses a symbolic link to /dev/zero, a FIFO and a folder before reading', () => {
    const tmp = tempDir('retile-input-');
    try {
      const zero = join(tmp.dir, 'zero.onnx');
      symlinkSync('/dev/zero', zero);
      expect(message(() => readOnnx(zero))).toBe(`${zero}: the ONNX file is not a regular file (a folder, device, FIFO or socket); name a file`);
      const fifo = join(tmp.dir, 'pipe.json');
      execFileSync('mkfifo', [fifo]);
      expect(message(() => readInputFile(fifo, 'chip spec file', 1000))).toMatch(/pipe\.json: the chip spec file is not a regular file/);
      expect(message(() => readInputFile(tmp.dir, 'deployment spec', 1000))).toMatch(/the deployment spec is not a regular file/);
      expect(message(() => readInputFile(join(tmp.dir, 'none.json'), 'deployment spec', 1000))).toMatch(/none\.json: cannot read the deployment spec \(no such file\)/);
    } finally {
      tmp.cleanup();
    }
  });

  it('refuses a file above the limit from its size, and reads a regular file whole', () => {
    const tmp = tempDir('retile-input-');
    try {
      const f = join(tmp.dir, 'big.json');
      writeFileSync(f, 'x'.repeat(2000));
      expect(message(() => readInputFile(f, 'chip spec file', 1000))).toMatch(/big\.json: the chip spec file is 2000 bytes, above the limit of 1000/);
      expect(readInputFile(f, 'chip spec file', 4000).toString()).toBe(readFileSync(f, 'utf8'));
    } finally {
      tmp.cleanup();
    }
  });
});

describe('creating folders', () => {
  it('refuses /proc, /sys and /dev, also through a symbolic link, without creating anything', () => {
    expect(message(() => makeDirs('/proc/self/retile-out', 'output folder'))).toMatch(/cannot create the output folder inside \/proc \(a kernel pseudo-file-system\)/);
    expect(message(() => makeDirs('/sys/kernel/x'))).toMatch(/inside \/sys/);
    const tmp = tempDir('retile-mkdir-');
    try {
      const link = join(tmp.dir, 'looks-harmless');
      symlinkSync('/proc/self', link);
      expect(message(() => makeDirs(join(link, 'a', 'b')))).toMatch(/looks-harmless leads there/);
      const file = join(tmp.dir, 'file');
      writeFileSync(file, '');
      expect(message(() => makeDirs(join(file, 'sub')))).toMatch(/exists and is not a folder/);
      makeDirs(join(tmp.dir, 'x', 'y', 'z'));
      expect(readdirSync(join(tmp.dir, 'x', 'y'))).toEqual(['z']);
    } finally {
      tmp.cleanup();
    }
  });

  it('the CLI refuses `study --out /proc/...` at once with exit 2, before running the study', () => {
    const r = retile(['study', '--quick', '--out', '/proc/self/fd/out']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('retile: /proc/self/fd/out: cannot create the output folder inside /proc (a kernel pseudo-file-system); choose another folder\n');
  });
});

describe('terminal text', () => {
  it('escapes control and bidirectional characters, keeps line breaks and tabs', () => {
    // ESC ] 0 ; title BEL sets a terminal's window title; ESC [ 2 J clears the screen; U+202E reverses text.
    expect(terminalText('a\x1b]0;pwned\x07b\tc\n\x1b[2Jd\u202eexe.txt')).toBe('a\\x1b]0;pwned\\x07b\tc\n\\x1b[2Jd\\u202eexe.txt');
  });

  it('`retile model` prints a hostile node name escaped', () => {
    const tmp = tempDir('retile-escape-');
    try {
      const file = join(tmp.dir, 'evil.onnx');
      writeFileSync(
        file,
        encodeModel({
          nodes: [{ op: 'MatMul', name: 'fc\x1b]0;owned\x07\x1b[2J', inputs: ['X', 'W'], outputs: ['Y'] }],
          initializers: [{ name: 'W', dims: [8, 4], dataType: 1 }],
          inputs: [{ name: 'X', dims: [1, 8] }],
          outputs: ['Y'],
        }),
      );
      const r = retile(['model', file]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).not.toMatch(/\x1b|\x07/);
      expect(r.stdout).toContain('fc\\x1b]0;owned\\x07\\x1b[2J');
    } finally {
      tmp.cleanup();
    }
  });

  it('no CLI command writes a text report to stdout without escaping it', () => {
    const dir = join(REPO_ROOT, 'src-main/cli/commands');
    const raw = readdirSync(dir).filter((f) => /process\.stdout\.write/.test(readFileSync(join(dir, f), 'utf8')));
    // export writes the CSV tables themselves: data, not a report.
    expect(raw).toEqual(['export.ts']);
  });
});
