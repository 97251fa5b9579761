/**
 * `retile mac --rows R --cols C --weight-bits W --cell-bits B --adc-bits A [--dac-bits D] [--sigma S] [--seed N] [--json]`:
 * one bit-sliced crossbar MVM experiment on random operands, compared with the exact integer product.
 */
import type { Command } from 'commander';
import type { CommandModule } from '../command';
import { action, positiveInt, printJson, printText, UsageError } from '../io';
import { runMacExperiment } from '../../engine/sim/mac';
import { loadWasm } from '../../service/wasm-node';

interface Opts {
  rows?: number;
  cols?: number;
  weightBits?: number;
  cellBits?: number;
  adcBits?: number;
  dacBits?: number;
  actBits?: number;
  polarity?: number;
  sigma?: string;
  stuckAt0?: string;
  stuckAt1?: string;
  seed?: string;
  vectors?: number;
  json?: boolean;
}

function num(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`${name} expects a number, got '${v}'`);
  return n;
}

const mac: CommandModule = {
  register(program: Command) {
    program
      .command('mac')
      .description('bit-sliced crossbar MVM vs the exact integer product (ADC, DAC, variation, faults)')
      .option('--rows <R>', 'crossbar rows (inputs)', positiveInt('--rows'))
      .option('--cols <C>', 'weight columns (outputs)', positiveInt('--cols'))
      .option('--weight-bits <W>', 'signed weight bits', positiveInt('--weight-bits'))
      .option('--cell-bits <B>', 'bits per cell', positiveInt('--cell-bits'))
      .option('--adc-bits <A>', 'ADC resolution', positiveInt('--adc-bits'))
      .option('--dac-bits <D>', 'DAC bits per input cycle (default 1)', positiveInt('--dac-bits'))
      .option('--act-bits <N>', 'unsigned input bits (default 8)', positiveInt('--act-bits'))
      .option('--polarity <P>', '2: positive/negative arrays (default), 1: offset encoding', positiveInt('--polarity'))
      .option('--sigma <S>', 'relative Gaussian conductance variation (default 0)')
      .option('--stuck-at-0 <p>', 'probability a cell is stuck at level 0')
      .option('--stuck-at-1 <p>', 'probability a cell is stuck at the top level')
      .option('--seed <N>', 'seed of operands, variation and faults (default 1)')
      .option('--vectors <V>', 'input vectors (default 16)', positiveInt('--vectors'))
      .option('--json', 'print JSON on stdout')
      .action(
        action(async (opts: Opts) => {
          for (const k of ['rows', 'cols', 'weightBits', 'cellBits', 'adcBits'] as const) {
            if (opts[k] === undefined) throw new UsageError(`mac needs --${k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}`);
          }
          const wasm = await loadWasm();
          const report = runMacExperiment(
            {
              rows: opts.rows!,
              cols: opts.cols!,
              weightBits: opts.weightBits!,
              cellBits: opts.cellBits!,
              adcBits: opts.adcBits!,
              dacBits: opts.dacBits,
              actBits: opts.actBits,
              polarity: opts.polarity,
              sigma: num('--sigma', opts.sigma),
              stuckAt0: num('--stuck-at-0', opts.stuckAt0),
              stuckAt1: num('--stuck-at-1', opts.stuckAt1),
              seed: num('--seed', opts.seed),
            },
            opts.vectors ?? 16,
            wasm,
          );
          if (opts.json) {
            printJson(report);
            return;
          }
          // Errors are in units of the integer dot product (one weight step x one input step); full
          // scale is the largest |dot product| the operands can give: rows x max |weight| x max input.
          const fullScale = report.rows * (2 ** (report.weight_bits - 1) - 1) * (2 ** report.act_bits - 1);
          const pct = (e: number): string => `${((100 * e) / fullScale).toPrecision(3)} % of full scale`;
          const n = (v: number): string => v.toLocaleString('en-US', { maximumSignificantDigits: 6 });
          printText(
            `${report.rows}x${report.cols}, ${report.weight_bits}-bit weights in ${report.cell_bits}-bit cells, ${report.adc_bits}-bit ADC (${report.adc_bits_needed} for exact), ${report.dac_bits}-bit DAC, ${report.act_bits}-bit inputs, sigma ${report.sigma}\n` +
              `${report.exact ? 'exact' : 'not exact'}: error of the crossbar result against the exact integer dot product, in units of one weight step x one input step\n` +
              `  rmse ${n(report.rmse)} (${pct(report.rmse)}), max |error| ${n(report.max_abs_error)} (${pct(report.max_abs_error)}); full scale ${n(fullScale)} = ${report.rows} rows x ${2 ** (report.weight_bits - 1) - 1} x ${2 ** report.act_bits - 1}\n` +
              `${n(report.macs)} MACs (${report.vectors} vectors) in ${report.seconds.toFixed(4)} s\n`,
          );
        }),
      );
  },
};
export default mac;
