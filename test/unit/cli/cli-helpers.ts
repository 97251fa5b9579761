/** Running the built CLI (out/main/cli.js) in child processes, and a small deployment spec to sweep. */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI } from '../../helpers';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function retile(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  // A run's JSON document can pass spawnSync's 1 MiB default buffer (the timeline and placement of every re-operator).
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: opts.cwd, env: { ...process.env, ...opts.env }, maxBuffer: 256 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function retileAsync(args: string[], opts: { cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Two small zoo tenants on the ISAAC chip: fast enough for 4x4 and 8x8 meshes in tests. */
export const SMALL_SPEC = {
  name: 'small pair',
  chip: 'isaac',
  tenants: [
    { model: 'lenet5', batch: 4 },
    { model: 'resnet20-cifar', batch: 2, priority: 2 },
  ],
  strategy: 'operator',
  seed: 1,
};

export function writeSpec(dir: string, spec: unknown = SMALL_SPEC, name = 'spec.json'): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(spec, null, 2));
  return path;
}

/** A RunResult without its wall-clock `seconds` and `events_per_s` (the only fields that differ between identical runs). */
export function withoutSeconds(r: Record<string, unknown>): Record<string, unknown> {
  const { seconds: _s, events_per_s: _e, ...rest } = r;
  return rest;
}
