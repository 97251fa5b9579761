/** `retile new <file.retile> --from <spec.json>`: a project file holding a deployment spec's chip and tenants. */
import type { Command } from 'commander';
import type { CommandModule } from '../command';
import { action, printJson, printText, UsageError } from '../io';
import { readSpecFile } from '../spec-file';
import { createProject } from '../project-file';
import { withProject } from '../project-open';
import { getMeta, listTenants, getChip } from '../../store';
import { isPresetName, PRESET_NAMES } from '../../engine/hardware/presets';

interface NewOptions {
  from?: string;
  preset?: string;
  name?: string;
  json?: boolean;
}

const newCmd: CommandModule = {
  register(program: Command) {
    program
      .command('new <file>')
      .description('create a project file (.retile) from a deployment spec (chip and tenants)')
      .option('--from <spec.json>', 'deployment spec whose chip and tenants the project gets')
      .option('--preset <name>', `without --from: an empty project on this chip preset (${PRESET_NAMES.join(', ')})`)
      .option('--name <name>', "the project's display name (default: the spec's name, else the file name)")
      .option('--json', 'print JSON on stdout')
      .action(
        action(async (file: string, o: NewOptions) => {
          if (o.from && o.preset) throw new UsageError('give --from <spec.json> or --preset <name>, not both');
          if (!o.from && !o.preset) throw new UsageError('retile new needs --from <spec.json> (or --preset <name> for an empty project)');
          if (o.preset && !isPresetName(o.preset)) throw new UsageError(`--preset: unknown chip preset '${o.preset}' (expected one of ${PRESET_NAMES.join(', ')})`);
          const spec = o.from ? readSpecFile(o.from) : undefined;
          createProject(file, { spec, preset: o.preset, name: o.name });
          const summary = withProject(file, (db) => {
            const chip = getChip(db)!;
            const spec = chip.spec as { name: string; topology: { rows: number; cols: number } };
            return {
              file,
              name: getMeta(db, 'name') ?? file,
              chip: { preset: chip.preset, name: spec.name, mesh: `${spec.topology.rows}x${spec.topology.cols}` },
              tenants: listTenants(db).map((t) => ({ name: t.name, model: t.model, source: t.source, batch: t.batch, priority: t.priority, sla_ms: t.slaMs })),
            };
          });
          if (o.json) printJson(summary);
          else
            printText(
              `created ${file} ("${summary.name}"): chip ${summary.chip.name} ${summary.chip.mesh}, ${summary.tenants.length} tenant(s)` +
                (summary.tenants.length ? `: ${summary.tenants.map((t) => `${t.name} x${t.batch}`).join(', ')}` : '') +
                '\n',
            );
        }),
      );
  },
};
export default newCmd;
