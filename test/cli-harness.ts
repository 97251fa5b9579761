/**
 * Runs CLI command modules in-process through commander, capturing stdout, stderr and the exit
 * status, so command contracts can be tested without spawning the bundled CLI.
 */
import { afterEach, vi } from 'vitest';
import { Command } from 'commander';
import type { CommandModule } from '../src-main/cli/command';

export interface CliRun {
  out: string;
  err: string;
  code: number | undefined;
}

export function cliHarness(...modules: CommandModule[]): (args: string[]) => Promise<CliRun> {
  afterEach(() => {
    process.exitCode = undefined;
  });
  return async (args: string[]) => {
    const program = new Command('retile').exitOverride();
    for (const m of modules) m.register(program);
    let out = '';
    let err = '';
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
    process.exitCode = undefined;
    try {
      await program.parseAsync(args, { from: 'user' });
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
    const code = typeof process.exitCode === 'number' ? process.exitCode : undefined;
    process.exitCode = undefined;
    return { out, err, code };
  };
}
