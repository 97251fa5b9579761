/**
 * `retile map <zoo-name|file.onnx> --chip <preset|file.json> [--mesh RxC] [--json]`: one tenant
 * mapped directly (the direct-deployment baseline) and profiled analytically.
 */
import type { Command } from 'commander';
import type { CommandModule } from '../command';
import { action, printJson, printText, UsageError } from '../io';
import { toLayerGraph } from '../../engine/workload';
import { chipSummary, resolvedComponents } from '../../engine/hardware';
import { directDeployment } from '../../engine/placement/direct';
import { evaluateDeployment } from '../../engine/evaluate/deployment';
import { bufferFit } from '../../engine/placement/buffer-fit';
import { peRegisterOverflows, sizeToFit } from '../../engine/mapping/pe-registers';
import { resolveModel } from '../../service/models';
import { collect, loadChip, SET_HELP } from './chip';
import { addShapeFlags, shapeBindings, type ShapeFlags } from '../shape-flags';

const map: CommandModule = {
  register(program: Command) {
    const cmd = program
      .command('map')
      .description('map one model directly onto a chip and profile it')
      .argument('<model>', 'zoo name, .onnx file or NeuroSim network .csv')
      .option('--chip <chip>', 'preset name (isaac, puma, mnsim), chip-spec .json file or MNSIM SimConfig .ini')
      .option('--mesh <RxC>', 'rescale the chip to another mesh of the same tile, e.g. 32x32')
      .option('--set <field=value>', SET_HELP, collect, [])
      .option('--json', 'print JSON on stdout');
    addShapeFlags(cmd).action(
        action(async (ref: string, opts: { chip?: string; mesh?: string; set: string[]; json?: boolean } & ShapeFlags) => {
          if (!opts.chip) throw new UsageError('map needs --chip <preset|file.json>');
          const chip = loadChip(opts.chip, opts.mesh, opts.set);
          const model = resolveModel(ref, shapeBindings(opts));
          // Activation bytes on the NoC follow the chip's activation precision.
          const graph = toLayerGraph(model.graph);
          const dep = directDeployment(chip, [{ name: model.model, model: model.model, graph }]);
          const ev = evaluateDeployment(dep);
          const fit = bufferFit(dep);
          const t = ev.tenants[0]!;
          const p = t.profile;
          const summary = chipSummary(chip);
          const regs = resolvedComponents(chip).pe;
          const peOver = peRegisterOverflows(chip, graph, dep.tenants[0]!.mapped.mappings);
          const result = {
            model: model.model,
            chip: chip.name,
            mesh: summary.mesh,
            power_policy: chip.power_policy,
            pinned: resolvedComponents(chip).pinned,
            crossbars: p.crossbars,
            /** Tiles the direct mapping uses, and their area. */
            tiles: t.tiles,
            area_mm2: t.tiles * summary.tile_area_mm2,
            tiles_direct: t.tiles,
            chip_tiles: chip.topology.rows * chip.topology.cols,
            phases: t.phases,
            utilization: p.utilization,
            latency_s: t.latencyS,
            interval_s: t.intervalS,
            throughput_ips: t.throughputIps,
            energy_j: t.energyJ,
            energy_breakdown_j: t.energy,
            energy_split_j: t.energySplit,
            chip_energy_j: ev.energyJ,
            makespan_s: ev.makespanS,
            definition: ev.definition,
            // Tiles whose buffer cannot hold their layers' working sets; the excess spills off-chip (charged).
            buffer: {
              capacity_bytes: fit.capacityBytes,
              overflows: fit.overflows.flatMap((o) =>
                o.layers.map((n) => ({
                  layer: n.name,
                  tile: o.tile,
                  need_bytes: n.bytes,
                  input_bytes: n.inputBytes,
                  psum_bytes: n.psumBytes,
                  output_bytes: n.outputBytes,
                  tile_need_bytes: o.needBytes,
                })),
              ),
            },
            // PEs whose input or output register cannot hold their arrays' vectors for one MVM: the arrays compute in turns (charged).
            pe_registers: {
              input_capacity_bytes: regs.input_register.size_bytes * chip.pe.input_register.count,
              output_capacity_bytes: regs.output_register.size_bytes * chip.pe.output_register.count,
              overflows: peOver.map((n) => ({
                layer: n.layer,
                register: n.register,
                need_bytes: n.needBytes,
                capacity_bytes: n.capacityBytes,
                arrays: n.arrays,
                turns: Math.ceil(n.needBytes / n.capacityBytes - 1e-9),
                fits_at_size_bytes: sizeToFit(chip, [n], n.register),
              })),
            },
            layers: p.layers.map((l, i) => ({
              name: l.name,
              kind: l.kind,
              rows: graph.layers[i]!.rows,
              cols: graph.layers[i]!.cols,
              groups: graph.layers[i]!.groups,
              crossbars: l.crossbars,
              mvms: l.mvms,
              start_s: l.startS,
              latency_s: l.timeS,
              energy_j: l.energyJ,
            })),
          };
          if (opts.json) {
            printJson(result);
            return;
          }
          const out = [
            `${result.model} on ${result.chip} (${result.mesh[0]} x ${result.mesh[1]}): ${result.crossbars} crossbars, ${result.tiles_direct} of ${result.chip_tiles} tiles directly${t.phases > 1 ? `, ${t.phases} phases` : ''}, utilization ${(result.utilization * 100).toFixed(2)}%`,
            `latency ${(result.latency_s * 1e3).toFixed(3)} ms, throughput ${result.throughput_ips.toFixed(1)} inferences/s, energy ${(result.energy_j * 1e3).toFixed(3)} mJ per inference`,
            `energy: ${Object.entries(result.energy_breakdown_j)
              .filter(([, v]) => v > 0)
              .map(([k, v]) => `${k} ${(v * 1e3).toFixed(3)} mJ`)
              .join(', ')}`,
            `baseline: ${result.definition}`,
            ...result.buffer.overflows.map(
              (o) =>
                `buffer: layer '${o.layer}' needs ${o.need_bytes} B on tile ${o.tile} (input rows ${o.input_bytes} B, partial sums ${o.psum_bytes} B, outputs ${o.output_bytes} B); ` +
                `the tile's buffer holds ${result.buffer.capacity_bytes} B, so ${Math.round(o.tile_need_bytes - result.buffer.capacity_bytes)} B spill off-chip (time and energy charged)`,
            ),
            ...result.pe_registers.overflows.map(
              (o) =>
                `pe register: layer '${o.layer}' needs ${o.need_bytes} B of ${o.register.replace('_', ' ')} per PE (${o.arrays} arrays); pe.${o.register} holds ${o.capacity_bytes} B, ` +
                `so the arrays compute in ${o.turns} turns (crossbar time x ${o.turns}, charged); pe.${o.register}.size_bytes ${o.fits_at_size_bytes} would hold them`,
            ),
          ];
          printText(out.join('\n') + '\n');
        }),
      );
  },
};
export default map;
