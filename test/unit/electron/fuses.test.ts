/**
 * The Electron fuses of a release (scripts/electron-fuses.mjs), flipped in a stand-in binary: the
 * fuse wire as Electron's fuse documentation lays it out (a sentinel string, a version byte, a
 * length byte, then one byte per fuse: ASCII '1' on, '0' off, 'r' removed, in the order of
 * Electron's fuses.json5: RunAsNode, EnableCookieEncryption, EnableNodeOptionsEnvironmentVariable,
 * EnableNodeCliInspectArguments, EnableEmbeddedAsarIntegrityValidation, OnlyLoadAppFromAsar,
 * LoadBrowserProcessSpecificV8Snapshot, GrantFileProtocolExtraPrivileges, then newer fuses).
 * No Electron binary is needed, and none is modified.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error: a plain .mjs script without type declarations
import { applyReleaseFuses } from '../../../scripts/electron-fuses.mjs';
import { REPO_ROOT, tempDir } from '../../helpers';

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's defaults for the first eight fuses, plus a ninth (newer) fuse the script leaves alone. */
const DEFAULT_WIRE = '101100011';

function standInBinary(dir: string, copies = 1): string {
  const wire = Buffer.concat([Buffer.from(SENTINEL), Buffer.from([0x01, DEFAULT_WIRE.length]), Buffer.from(DEFAULT_WIRE)]);
  const parts = [Buffer.from('\x7fELF stand-in code ')];
  for (let i = 0; i < copies; i++) parts.push(wire, Buffer.from(' more code '));
  const file = join(dir, 'electron');
  writeFileSync(file, Buffer.concat(parts));
  return file;
}

const wires = (file: string): string[] => {
  const bytes = readFileSync(file);
  const out: string[] = [];
  for (let at = bytes.indexOf(SENTINEL); at >= 0; at = bytes.indexOf(SENTINEL, at + 1)) {
    const start = at + SENTINEL.length;
    out.push(bytes.subarray(start + 2, start + 2 + bytes[start + 1]!).toString('latin1'));
  }
  return out;
};

describe('release fuses', () => {
  it('RunAsNode, NODE_OPTIONS, --inspect and file:// privileges off; cookie encryption on; ASAR fuses off without an asar', async () => {
    const tmp = tempDir('retile-fuses-');
    try {
      const bin = standInBinary(tmp.dir);
      const checked = await applyReleaseFuses(bin, { asar: false });
      expect(checked).toEqual({
        RunAsNode: false,
        EnableCookieEncryption: true,
        EnableNodeOptionsEnvironmentVariable: false,
        EnableNodeCliInspectArguments: false,
        EnableEmbeddedAsarIntegrityValidation: false,
        OnlyLoadAppFromAsar: false,
        GrantFileProtocolExtraPrivileges: false,
      });
      //                  RunAsNode Cookie NodeOpts Inspect AsarInt OnlyAsar Snapshot FileProto (9th)
      expect(wires(bin)).toEqual(['0' + '1' + '0' + '0' + '0' + '0' + '0' + '0' + '1']);
    } finally {
      tmp.cleanup();
    }
  });

  it('with --asar, ASAR integrity validation and app-only-from-asar on; both slices of a universal binary flipped', async () => {
    const tmp = tempDir('retile-fuses-');
    try {
      const bin = standInBinary(tmp.dir, 2);
      await applyReleaseFuses(bin, { asar: true });
      expect(wires(bin)).toEqual(['010011001', '010011001']);
    } finally {
      tmp.cleanup();
    }
  });

  it('npm run fuses: a file without a fuse wire is a one-line error, exit 2', () => {
    const tmp = tempDir('retile-fuses-');
    try {
      const file = join(tmp.dir, 'not-electron');
      writeFileSync(file, 'plain bytes');
      let err: { status: number; stderr: string } | null = null;
      try {
        execFileSync(process.execPath, [join(REPO_ROOT, 'scripts/electron-fuses.mjs'), file], { encoding: 'utf8', stdio: 'pipe' });
      } catch (e) {
        err = e as { status: number; stderr: string };
      }
      expect(err?.status).toBe(2);
      expect(err?.stderr).toMatch(/^fuses: Could not find sentinel in the provided Electron binary.*\n$/);
      expect(readFileSync(file, 'utf8')).toBe('plain bytes');
    } finally {
      tmp.cleanup();
    }
  });
});
