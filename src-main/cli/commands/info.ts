/** `retile info`: version, Wasm module status and workspace, the CLI's smoke test. */
import type { Command } from 'commander';
import type { CommandModule } from '../command';
import { action, printJson, printText } from '../io';
import { RETILE_VERSION } from '../../service/version';
import { paths, workspaceDir } from '../../service/paths';
import { loadWasm } from '../../service/wasm-node';
import { WasmMac, resolveMacParams } from '../../engine/sim/mac';

const info: CommandModule = {
  register(program: Command) {
    program
      .command('info')
      .description('show the version, the Wasm module status and the workspace')
      .option('--json', 'print JSON on stdout')
      .action(
        action(async (opts: { json?: boolean }) => {
          const wasm = await loadWasm();
          // The crossbar kernel on one 3-row column holding weights 4, 5, 6 (2-bit cells, 1-bit DAC
          // cycles, an ADC wide enough to be exact), driven by 1, 2, 3: 1*4 + 2*5 + 3*6 = 32.
          const check = new WasmMac(wasm, resolveMacParams({ rows: 3, cols: 1, weightBits: 8, cellBits: 2, adcBits: 8 }), Int32Array.of(4, 5, 6), 1).run(Int32Array.of(1, 2, 3))[0];
          const result = {
            name: 'Retile',
            version: RETILE_VERSION,
            node: process.versions.node,
            wasm: { path: paths.wasm, abi: wasm.abiVersion(), mac_check: check },
            workspace: workspaceDir(),
          };
          if (opts.json) printJson(result);
          else
            printText(
              `Retile ${result.version} (Node ${result.node})\nWasm: ${result.wasm.path} (ABI ${result.wasm.abi}, check ${check === 32 ? 'ok' : 'FAILED'})\nWorkspace: ${result.workspace}\n`,
            );
        }),
      );
  },
};
export default info;
