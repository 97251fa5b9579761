/** `retile merge <out.retile> <shard files...>`: one project from the shards of a sweep. */
import type { Command } from 'commander';
import type { CommandModule } from '../command';
import { action, log, printJson, printText } from '../io';
import { assertProjectPath } from '../project-file';
import { mergeProjectFiles } from '../../store/merge';

const merge: CommandModule = {
  register(program: Command) {
    program
      .command('merge <out> <shards...>')
      .description('merge project files (the shards of `retile sweep --shard i/n`) into a new project file')
      .option('--json', 'print JSON on stdout')
      .action(
        action(async (out: string, shards: string[], o: { json?: boolean }) => {
          assertProjectPath(out);
          shards.forEach(assertProjectPath);
          const report = mergeProjectFiles(out, shards);
          if (report.missing_cases.length) log(`retile: warning: ${report.missing_cases.length} of ${report.sweep_cases} sweep case(s) are in no shard: ${report.missing_cases.join(', ')}`);
          if (o.json) printJson(report);
          else printText(`merged ${shards.length} file(s), ${report.runs} run(s), into ${out}\n`);
        }),
      );
  },
};
export default merge;
