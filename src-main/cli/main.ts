/**
 * `retile`: the command line. Subcommands live one per file in ./commands/ (the file named as the
 * command), discovered at build time and imported only when invoked: `retile run ...` loads
 * commander, this file and commands/run.ts with what it imports, not the other commands' code.
 * See docs/cli.md for every command and JSON field.
 */
import { Command, CommanderError } from 'commander';
import type { CommandModule } from './command';
import { EXIT, errorLine } from './io';
import { RETILE_VERSION } from '../service/version';
import { setLimits } from '../engine/limits';
import { limitsFromEnv } from '../service/limits-env';
import { storageProblem } from '../store/storage-errors';

const loaders = import.meta.glob<{ default: CommandModule }>('./commands/*.ts');
const commandOf = (path: string): string => path.slice('./commands/'.length, -'.ts'.length);

/**
 * The command modules this invocation needs: the named command's alone; none for the version;
 * all of them when no command is named (the program's help) or the name is unknown (the error
 * lists them).
 */
async function commandModules(argv: string[]): Promise<CommandModule[]> {
  if (argv.length === 1 && (argv[0] === '-V' || argv[0] === '--version')) return [];
  const paths = Object.keys(loaders).sort();
  const named = argv.find((a) => !a.startsWith('-'));
  const one = paths.filter((p) => commandOf(p) === named);
  return Promise.all((one.length ? one : paths).map(async (p) => (await loaders[p]!()).default));
}

function buildProgram(modules: CommandModule[]): Command {
  const program = new Command('retile')
    .description('Retile: multi-tenant DNN deployment on ReRAM processing-in-memory chips')
    .version(RETILE_VERSION, '-V, --version')
    .showHelpAfterError(false)
    .configureOutput({
      // Usage errors: one line on stderr.
      outputError: (str, write) => write(str.trim().replace(/^error: /, 'retile: ') + '\n'),
    })
    .exitOverride();
  for (const m of modules) m.register(program);
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
  const program = buildProgram(await commandModules(argv));
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
