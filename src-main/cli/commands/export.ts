/**
 * `retile export <file.retile> --run N --format csv|json [--out DIR] [--table T]`: a run's results
 * as files (with --out) or on stdout.
 */
import { writeFileSync } from 'node:fs';
import { makeDirs } from '../../store';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { CommandModule } from '../command';
import { action, log, positiveInt, printJson, UsageError } from '../io';
import { withProject } from '../project-open';
import { runCsvTables, runDocument } from '../run-report';
import { badInput } from '../../engine/errors';

interface ExportOptions {
  run?: number;
  format?: string;
  out?: string;
  table?: string;
}

const exportCmd: CommandModule = {
  register(program: Command) {
    program
      .command('export <file>')
      .description("export a run's results as CSV tables or one JSON document")
      .option('--run <N>', 'the run id (see `retile runs`)', positiveInt('--run'))
      .option('--format <fmt>', 'csv | json', 'json')
      .option('--out <dir>', 'write files run-<N>.json or run-<N>-<table>.csv into this folder (created if missing)')
      .option('--table <name>', 'csv on stdout: which table (summary | tenants | layers; sweep for the app\'s sweep runs)', 'tenants')
      .action(
        action(async (file: string, o: ExportOptions) => {
          if (o.run === undefined) throw new UsageError('retile export needs --run <N> (see `retile runs <file>`)');
          if (o.format !== 'csv' && o.format !== 'json') throw new UsageError(`--format expects csv or json, got '${o.format}'`);
          const doc = withProject(file, (db) => runDocument(db, file, o.run!), { readonly: true });
          if (doc.run.status !== 'finished') throw badInput(`run #${doc.run.id} is ${doc.run.status}; only finished runs have results to export`, { file, field: 'run' });
          if (o.format === 'json') {
            if (!o.out) return printJson(doc);
            makeDirs(o.out, 'output folder');
            const path = join(o.out, `run-${doc.run.id}.json`);
            writeFileSync(path, JSON.stringify(doc, null, 2) + '\n');
            log(`wrote ${path}`);
            return;
          }
          const tables = runCsvTables(doc);
          if (Object.keys(tables).length === 0) throw badInput(`run #${doc.run.id} (${doc.run.kind}) has no tabular results; use --format json`, { file, field: 'run' });
          if (!o.out) {
            const table = o.table === 'tenants' && !tables.tenants ? Object.keys(tables)[0]! : o.table!;
            if (!tables[table]) throw new UsageError(`--table: run #${doc.run.id} has tables ${Object.keys(tables).join(', ')}, not '${o.table}'`);
            process.stdout.write(tables[table]);
            return;
          }
          makeDirs(o.out, 'output folder');
          for (const [name, text] of Object.entries(tables)) {
            const path = join(o.out, `run-${doc.run.id}-${name}.csv`);
            writeFileSync(path, text);
            log(`wrote ${path}`);
          }
        }),
      );
  },
};
export default exportCmd;
