/** `retile zoo [--json]`: the model zoo with key figures (params, MACs, layer counts). */
import type { Command } from 'commander';
import type { CommandModule } from '../command';
import { action, printJson, printText } from '../io';
import { ZOO_NAMES, summarize, zooGraph } from '../../engine/workload';

export function zooTable(): object[] {
  return ZOO_NAMES.map((name) => {
    const s = summarize(zooGraph(name));
    return {
      name,
      input_shape: s.input_shape,
      params: s.params,
      bn_params: s.bn_params,
      embedding_params: s.embedding_params,
      macs: s.macs,
      act_act_macs: s.act_act_macs,
      layers: s.layers,
    };
  });
}

const zoo: CommandModule = {
  register(program: Command) {
    program
      .command('zoo')
      .description('list the model zoo with parameters and MACs (1 MAC = multiply + add; FLOPs = 2 x MACs)')
      .option('--json', 'print JSON on stdout')
      .action(
        action(async (opts: { json?: boolean }) => {
          const rows = zooTable();
          if (opts.json) return printJson({ models: rows });
          const m = (v: number) => (v / 1e6).toFixed(2);
          const lines = [`${'name'.padEnd(16)} ${'input'.padEnd(14)} ${'params (M)'.padStart(11)} ${'MACs (M)'.padStart(11)}  conv/fc/matmul`];
          for (const r of rows as { name: string; input_shape: number[]; params: number; bn_params: number; embedding_params: number; macs: number; layers: { conv: number; fc: number; matmul: number } }[])
            lines.push(`${r.name.padEnd(16)} ${r.input_shape.join('x').padEnd(14)} ${m(r.params + r.bn_params + r.embedding_params).padStart(11)} ${m(r.macs).padStart(11)}  ${r.layers.conv}/${r.layers.fc}/${r.layers.matmul}`);
          printText(lines.join('\n') + '\n');
        }),
      );
  },
};

export default zoo;
