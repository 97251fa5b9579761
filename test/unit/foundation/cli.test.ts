import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { CLI } from '../../helpers';

function retile(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('retile CLI contract', () => {
  it('prints its version and help', () => {
    const v = retile('--version');
    expect(v.status).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const h = retile('--help');
    expect(h.status).toBe(0);
    expect(h.stdout).toContain('Usage: retile');
  });

  it('with --json prints only the JSON document on stdout', () => {
    const r = retile('info', '--json');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    // 1*4 + 2*5 + 3*6 = 32, computed by the real Wasm module
    expect(doc.wasm.dot_check).toBe(32);
  });

  it('reports bad usage as one stderr line with exit status 2', () => {
    for (const args of [['no-such-command'], ['info', '--no-such-option']]) {
      const r = retile(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^retile: /);
    }
  });
});
