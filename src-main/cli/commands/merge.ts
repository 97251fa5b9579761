/** `retile merge <out.retile> <shard files...>`: one project from the shards of a sweep. */
import type { Command } from 'commander';
import type { CommandModule } from '../command';
import { action, EXIT, log, printJson, printText } from '../io';
import { assertProjectPath } from '../project-open';
import { mergeProjectFiles } from '../../store/merge';

const merge: CommandModule = {
  register(program: Command) {
    program
      .command('merge <out> <shards...>')
      .description('merge project files (the shards of `retile sweep --shard i/n`) into a new project file')
      .option('--replace', 'replace an existing output file (an earlier merge, after a shard was re-run)')
      .option('--accept-incomplete', 'exit 0 even when cases are missing or runs did not finish (they are reported either way)')
      .option('--json', 'print JSON on stdout')
      .action(
        action(async (out: string, shards: string[], o: { json?: boolean; replace?: boolean; acceptIncomplete?: boolean }) => {
          assertProjectPath(out);
          shards.forEach(assertProjectPath);
          const report = mergeProjectFiles(out, shards, { replace: o.replace });
          if (report.missing_cases.length) log(`retile: warning: ${report.missing_cases.length} of ${report.sweep_cases} sweep case(s) are in no shard: ${report.missing_cases.join(', ')}`);
          if (report.unfinished_runs.length) {
            const list = report.unfinished_runs.map((r) => `case ${r.case ?? '-'} ${r.status} (${r.shard})`);
            log(`retile: warning: ${list.length} run(s) did not finish: ${list.slice(0, 8).join(', ')}${list.length > 8 ? `, and ${list.length - 8} more` : ''}; re-run those shards, then merge again with --replace`);
          }
          if (o.json) printJson(report);
          else printText(`merged ${shards.length} file(s), ${report.runs} run(s), into ${out}${report.complete ? '' : ' (incomplete)'}\n`);
          // A dependent job or script sees an incomplete sweep by the exit status.
          if (!report.complete && !o.acceptIncomplete) process.exitCode = EXIT.failed;
        }),
      );
  },
};
export default merge;
