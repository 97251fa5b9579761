/** `retile info`: version, Wasm module status and workspace, the CLI's smoke test. */
import type { Command } from 'commander';
import type { CommandModule } from '../command';
import { action, printJson, printText } from '../io';
import { RETILE_VERSION } from '../../service/version';
import { paths, workspaceDir } from '../../service/paths';
import { loadWasm } from '../../service/wasm-node';
import { wasmDot } from '../../engine/sim/wasm';

const info: CommandModule = {
  register(program: Command) {
    program
      .command('info')
      .description('show the version, the Wasm module status and the workspace')
      .option('--json', 'print JSON on stdout')
      .action(
        action(async (opts: { json?: boolean }) => {
          const wasm = await loadWasm();
          // 1*4 + 2*5 + 3*6 = 32: proves the module computes, not just loads.
          const check = wasmDot(wasm, Float64Array.of(1, 2, 3), Float64Array.of(4, 5, 6));
          const result = {
            name: 'Retile',
            version: RETILE_VERSION,
            node: process.versions.node,
            wasm: { path: paths.wasm, abi: wasm.abiVersion(), dot_check: check },
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
