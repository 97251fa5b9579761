/**
 * `retile chip <preset|file.json|SimConfig.ini> [--mesh RxC] [--json]`: a chip's roll-up from its
 * component table. An MNSIM SimConfig.ini is read onto the mnsim preset; --json then also lists
 * which keys set which chip-spec fields and which were ignored, and why.
 */
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { CommandModule } from '../command';
import { action, printJson, printText } from '../io';
import { badInput } from '../../engine/errors';
import { MAX_SPEC_BYTES, readInputFile } from '../../service/input-file';
import { chipPreset, chipSummary, importMnsimConfig, isPresetName, parseChipSpec, parseMesh, withMesh, type ChipSpec, type MnsimChip } from '../../engine/hardware';

/** A preset name or a chip-spec JSON file, optionally rescaled to another mesh. Host-side: reads the file. */
export function loadChip(ref: string, mesh?: string): ChipSpec {
  const dims = mesh !== undefined ? parseMesh(mesh) : undefined;
  if (isPresetName(ref)) return chipPreset(ref, dims);
  if (/\.ini$/i.test(ref)) {
    const chip = readMnsimConfig(ref).chip;
    return dims ? withMesh(chip, dims) : chip;
  }
  if (!/\.json$/i.test(ref)) throw badInput(`'${ref}' is neither a chip preset (isaac, puma, mnsim), a .json chip spec nor an MNSIM SimConfig .ini`, { field: 'chip' });
  const text = readInputFile(ref, 'chip spec file', MAX_SPEC_BYTES).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw badInput(`not valid JSON: ${(e as Error).message}`, { file: basename(ref) });
  }
  const chip = parseChipSpec(json, basename(ref));
  return dims ? withMesh(chip, dims) : chip;
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
      .option('--json', 'print JSON on stdout')
      .action(
        action(async (ref: string, opts: { mesh?: string; json?: boolean }) => {
          const spec = loadChip(ref, opts.mesh);
          const s = chipSummary(spec);
          if (opts.json) {
            const mnsim = /\.ini$/i.test(ref) ? readMnsimConfig(ref) : undefined;
            printJson({ ...s, citation: spec.citation, ...(mnsim ? { mnsim: { mapped: mnsim.mapped, ignored: mnsim.ignored } } : {}) });
            return;
          }
          const lines = [
            `${s.name}: ${s.mesh[0]} x ${s.mesh[1]} ${s.topology}, ${s.tiles} tiles, ${s.crossbars} crossbars of ${s.crossbar[0]} x ${s.crossbar[1]} (${s.cell_bits}-bit cells)`,
            `precision: ${s.weight_bits}-bit weights, ${s.activation_bits}-bit activations; weight capacity ${(s.weight_capacity_bytes / 2 ** 20).toFixed(1)} MiB`,
            `tile: ${s.tile_power_mw.toFixed(1)} mW, ${s.tile_area_mm2.toFixed(4)} mm2; chip: ${s.chip_power_w.toFixed(2)} W, ${s.chip_area_mm2.toFixed(2)} mm2 (I/O ${s.io_power_w} W, ${s.io_area_mm2} mm2)`,
            `peak: ${s.peak_gops.toFixed(0)} GOPS, ${s.gops_per_w.toFixed(1)} GOPS/W, ${s.gops_per_mm2.toFixed(1)} GOPS/mm2; MVM ${s.mvm_time_ns.toFixed(1)} ns`,
            `source: ${spec.citation}`,
          ];
          printText(lines.join('\n') + '\n');
        }),
      );
  },
};
export default chip;
