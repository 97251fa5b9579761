/**
 * `retile`: the command line. Subcommands live one per file in ./commands/ and are discovered at
 * build time. See docs/cli.md for every command and JSON field.
 */
import { Command, CommanderError } from 'commander';
import type { CommandModule } from './command';
import { EXIT, errorLine } from './io';
import { RETILE_VERSION } from '../service/version';
import { setLimits } from '../engine/limits';
import { limitsFromEnv } from '../service/limits-env';
import { storageProblem } from '../store';

const modules = import.meta.glob<{ default: CommandModule }>('./commands/*.ts', { eager: true });

export function buildProgram(): Command {
  const program = new Command('retile')
    .description('Retile: multi-tenant DNN deployment on ReRAM processing-in-memory chips')
    .version(RETILE_VERSION, '-V, --version')
    .showHelpAfterError(false)
    .configureOutput({
      // Usage errors: one line on stderr.
      outputError: (str, write) => write(str.trim().replace(/^error: /, 'retile: ') + '\n'),
    })
    .exitOverride();
  for (const path of Object.keys(modules).sort()) modules[path].default.register(program);
  program.commands.forEach((c) => c.exitOverride());
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    setLimits(limitsFromEnv());
  } catch (e) {
    process.stderr.write(errorLine(e) + '\n');
    return EXIT.usage;
  }
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    throw e;
  }
  return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
}

// Short commands: Ctrl-C or SIGTERM exits at once (long ones install their own clean-up, interrupt.ts).
process.on('SIGINT', () => process.exit(EXIT.interrupted));
process.on('SIGTERM', () => process.exit(EXIT.interrupted));
// `retile ... --json | head`: the reader left; stop quietly, as Unix tools do.
// Any other output failure (a full disk behind a redirection): one line naming it, exit 2.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(EXIT.ok);
  const problem = storageProblem(e, 'standard output');
  process.stderr.write(errorLine(problem ?? e) + '\n');
  process.exit(problem ? EXIT.usage : EXIT.failed);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`retile: ${(e as Error).message}\n`);
    process.exitCode = EXIT.failed;
  },
);
