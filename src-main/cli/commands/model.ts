/**
 * `retile model <zoo-name|file.onnx|file.csv> [--input <CxHxW>|--input <name>=<dims>] [--dim <name>=<n>]
 * [--json] [--batch N] [--seq-len N]`: the model summary.
 */
import type { Command } from 'commander';
import type { CommandModule } from '../command';
import { action, positiveInt, printJson, printText } from '../io';
import { badInput } from '../../engine/errors';
import { summarize, zooGraph, isZooName } from '../../engine/workload';
import { isOnnxRef, readOnnx, resolveModel } from '../../service/models';
import { resolve } from 'node:path';
import { addShapeFlags, shapeBindings, type ShapeFlags } from '../shape-flags';

const model: CommandModule = {
  register(program: Command) {
    const cmd = program
      .command('model')
      .description('summarize a zoo model or an ONNX file: params, MACs, per-operator crossbar matrices')
      .argument('<model>', 'zoo name (see `retile zoo`), .onnx file or NeuroSim network .csv')
      .option('--json', 'print JSON on stdout')
      .option('--batch <n>', 'batch size (symbolic batch axis of ONNX files; zoo models)', positiveInt('--batch'))
      .option('--seq-len <n>', 'sequence length of language models (same as --dim seq=N; default 128)', positiveInt('--seq-len'));
    addShapeFlags(cmd).action(
        action(async (ref: string, opts: { json?: boolean; batch?: number; seqLen?: number } & ShapeFlags) => {
          const bind = shapeBindings(opts);
          if (bind.input?.name && isZooName(ref)) throw badInput(`--input ${opts.input} names an input; zoo models take --input <CxHxW>`, { field: '--input' });
          const graph = isZooName(ref)
            ? zooGraph(ref, { batch: opts.batch, seqLen: opts.seqLen, input: bind.input?.dims, dims: bind.dims })
            : isOnnxRef(ref)
              ? readOnnx(resolve(ref), { batch: opts.batch, ...bind }).graph
              : resolveModel(ref, bind).graph; // a NeuroSim CSV, or names the bad reference
          const s = summarize(graph);
          if (opts.json) return printJson(s);
          const m = (v: number) => (v / 1e6).toFixed(2);
          const out = [
            `${s.name} (${s.source}), input ${s.input_shape.join('x')}`,
            `params ${s.params.toLocaleString('en-US')} (conv/fc weights + biases), BN/LN ${s.bn_params.toLocaleString('en-US')}, embeddings ${s.embedding_params.toLocaleString('en-US')}`,
            `MACs ${m(s.macs)} M (FLOPs = 2 x MACs = ${m(s.flops)} M), of which act x act ${m(s.act_act_macs)} M`,
            `layers: ${s.layers.conv} conv, ${s.layers.fc} fc, ${s.layers.matmul} act x act matmul`,
            '',
            `${'op'.padEnd(48)} ${'kind'.padEnd(6)} ${'rows'.padStart(6)} ${'cols'.padStart(6)} ${'groups'.padStart(6)} ${'MVMs'.padStart(8)} ${'MACs'.padStart(14)}  out`,
            ...s.ops.map((o) => `${o.name.slice(-48).padEnd(48)} ${o.kind.padEnd(6)} ${String(o.rows).padStart(6)} ${String(o.cols).padStart(6)} ${String(o.groups).padStart(6)} ${String(o.mvms).padStart(8)} ${String(o.macs).padStart(14)}  ${o.out_shape.join('x')}`),
          ];
          printText(out.join('\n') + '\n');
        }),
      );
  },
};

export default model;
