/**
 * `retile chip <preset|file.json|SimConfig.ini> [--mesh RxC] [--json]`: a chip's roll-up from its
 * component table. An MNSIM SimConfig.ini is read onto the mnsim preset; --json then also lists
 * which keys set which chip-spec fields and which were ignored, and why.
 */
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { CommandModule } from '../command';
import { action, log, printJson, printText } from '../io';
import { badInput } from '../../engine/errors';
import { MAX_SPEC_BYTES, readInputFile } from '../../service/input-file';
import {
  applySettings,
  checkChipSpec,
  chipPreset,
  chipSummary,
  describeSpec,
  editableSpec,
  importMnsimConfig,
  isPresetName,
  parseChipSpec,
  parseMesh,
  parseSetting,
  resolvedComponents,
  withMesh,
  type ChipSpec,
  type MnsimChip,
} from '../../engine/hardware';

/**
 * A preset name, chip-spec JSON file or MNSIM SimConfig.ini, with `--set field.path=value`
 * settings applied (costs re-derived unless pinned) and optionally rescaled to another mesh.
 * Host-side: reads the file.
 */
export function loadChip(ref: string, mesh?: string, sets: string[] = []): ChipSpec {
  const dims = mesh !== undefined ? parseMesh(mesh) : undefined;
  const base = isPresetName(ref) ? chipPreset(ref) : /\.ini$/i.test(ref) ? readMnsimConfig(ref).chip : parseChipSpec(readChipJson(ref), basename(ref));
  const chip = sets.length ? applySettings(base, sets.map((t) => parseSetting(t)), isPresetName(ref) ? `preset ${ref}` : basename(ref)) : base;
  return dims ? withMesh(chip, dims) : chip;
}

/** The JSON of a chip-spec file, unvalidated. Host-side: reads the file. */
function readChipJson(ref: string): unknown {
  if (!/\.json$/i.test(ref)) throw badInput(`'${ref}' is neither a chip preset (isaac, puma, mnsim), a .json chip spec nor an MNSIM SimConfig .ini`, { field: 'chip' });
  const text = readInputFile(ref, 'chip spec file', MAX_SPEC_BYTES).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badInput(`not valid JSON: ${(e as Error).message}`, { file: basename(ref) });
  }
}

/** Commander collector for a repeatable option. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The `--set` option: any chip-spec field, repeatable. */
export const SET_HELP = 'set a chip-spec field, e.g. pe.adc.bits=4 (repeatable; dependent costs are re-derived unless pinned)';

/** Every problem of a chip-spec file at once: schema, limits, models and unknown fields. */
function checkFile(ref: string): string[] {
  const json = readChipJson(ref);
  return checkChipSpec(json).map((p) => `${basename(ref)}, field '${p.field}': ${p.message}`);
}

/** An MNSIM SimConfig.ini read onto the mnsim preset. Host-side: reads the file. */
export function readMnsimConfig(path: string): MnsimChip {
  return importMnsimConfig(readInputFile(path, 'MNSIM SimConfig.ini', MAX_SPEC_BYTES).toString('utf8'), basename(path));
}

const chip: CommandModule = {
  register(program: Command) {
    program
      .command('chip')
      .description('show a chip preset or chip-spec JSON file rolled up from its component table')
      .argument('<chip>', 'preset name (isaac, puma, mnsim), chip-spec .json file or MNSIM SimConfig .ini')
      .option('--mesh <RxC>', 'rescale to another mesh of the same tile, e.g. 32x32')
      .option('--set <field=value>', SET_HELP, collect, [])
      .option('--spec', 'print the full editable chip spec, with every field\'s unit and source and the costs its models derive (under "about")')
      .option('--check', 'validate a chip-spec file and list every problem at once')
      .option('--json', 'print JSON on stdout')
      .action(
        action(async (ref: string, opts: { mesh?: string; set: string[]; spec?: boolean; check?: boolean; json?: boolean }) => {
          if (opts.check) {
            const problems = isPresetName(ref) || /\.ini$/i.test(ref) ? [] : checkFile(ref);
            if (problems.length) {
              for (const p of problems) log(p);
              throw badInput(`${problems.length} problem(s), listed above`, { file: basename(ref) });
            }
            printText(`${basename(ref)}: valid chip spec\n`);
            return;
          }
          const spec = loadChip(ref, opts.mesh, opts.set);
          if (opts.spec) {
            const full = editableSpec(spec);
            printJson({ ...full, about: describeSpec(full) });
            return;
          }
          const s = chipSummary(spec);
          const pinned = resolvedComponents(spec).pinned;
          if (opts.json) {
            const mnsim = /\.ini$/i.test(ref) ? readMnsimConfig(ref) : undefined;
            printJson({ ...s, power_policy: spec.power_policy, pinned, citation: spec.citation, ...(mnsim ? { mnsim: { mapped: mnsim.mapped, ignored: mnsim.ignored } } : {}) });
            return;
          }
          const lines = [
            `${s.name}: ${s.mesh[0]} x ${s.mesh[1]} ${s.topology}, ${s.tiles} tiles, ${s.crossbars} crossbars of ${s.crossbar[0]} x ${s.crossbar[1]} (${s.cell_bits}-bit cells)`,
            `precision: ${s.weight_bits}-bit weights, ${s.activation_bits}-bit activations; weight capacity ${(s.weight_capacity_bytes / 2 ** 20).toFixed(1)} MiB`,
            `tile: ${s.tile_power_mw.toFixed(1)} mW, ${s.tile_area_mm2.toFixed(4)} mm2; chip: ${s.chip_power_w.toFixed(2)} W, ${s.chip_area_mm2.toFixed(2)} mm2 (I/O ${s.io_power_w} W, ${s.io_area_mm2} mm2)`,
            `peak: ${s.peak_gops.toFixed(0)} GOPS, ${s.gops_per_w.toFixed(1)} GOPS/W, ${s.gops_per_mm2.toFixed(1)} GOPS/mm2; MVM ${s.mvm_time_ns.toFixed(1)} ns`,
            `power policy: ${spec.power_policy}${pinned.length ? `; pinned (not derived): ${pinned.join(', ')}` : ''}`,
            `source: ${spec.citation}`,
          ];
          printText(lines.join('\n') + '\n');
        }),
      );
  },
};
export default chip;
