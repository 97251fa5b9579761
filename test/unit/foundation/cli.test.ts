import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { CLI, REPO_ROOT } from '../../helpers';

function retile(...args: string[]) {
  return retileEnv({}, ...args);
}

function retileEnv(env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
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
    // 1*4 + 2*5 + 3*6 = 32, computed by the real Wasm crossbar kernel
    expect(doc.wasm.mac_check).toBe(32);
  });

  it('stops quietly when the reader of its output goes away (| head)', () => {
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${CLI}" run "${REPO_ROOT}/projects/examples/light-mix.json" --json | head -c 10 >/dev/null; echo "status=$?"`], { encoding: 'utf8' });
    // stderr holds only the start line (the Ctrl-C hint): no EPIPE trace, no error line.
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^retile: running collaborative on isaac 16x16, 3 tenant\(s\) \(Ctrl-C stops\)$/);
    expect(r.stdout.trim()).toBe('status=0');
  });

  it('takes engine limits from the environment, refusing bad values by name', () => {
    const bad = retileEnv({ RETILE_MAX_TENANTS: 'many' }, 'info');
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe("retile: field 'RETILE_MAX_TENANTS': expects a positive integer, got 'many'");
    // isaac has 14 x 12 tiles: within a limit of 14 per side, and refused by one of 13.
    expect(retileEnv({ RETILE_MAX_MESH_SIDE: '14' }, 'chip', 'isaac', '--json').status).toBe(0);
    const limited = retileEnv({ RETILE_MAX_MESH_SIDE: '13' }, 'chip', 'isaac', '--json');
    expect(limited.status).toBe(2);
    expect(limited.stderr).toMatch(/above the limit of 13 \(setting maxMeshSide\)/);
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
