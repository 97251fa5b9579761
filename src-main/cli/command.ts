/**
 * What a CLI command module looks like. Every file in ./commands/ default-exports one; main.ts
 * discovers them, so adding a command never touches a shared list.
 */
import type { Command } from 'commander';

export interface CommandModule {
  /** Registers the subcommand (its options, help and action) on the program. */
  register(program: Command): void;
}
