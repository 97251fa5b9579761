/**
 * `node out/main/server.js [--port N]`: Retile in browser mode. Prints the URL with the
 * per-launch token and serves until interrupted. RETILE_TOKEN and RETILE_PORT exist for tests.
 */
import { randomBytes } from 'node:crypto';
import { createService } from '../service/service';
import { paths, workspaceDir } from '../service/paths';
import { startServer } from './http-server';
import { setLimits } from '../engine/limits';
import { limitsFromEnv } from '../service/limits-env';
import { keepServingOnUnhandledRejection } from '../service/crash-net';

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  keepServingOnUnhandledRejection('server');
  setLimits(limitsFromEnv());
  const port = Number(argValue('--port') ?? process.env.RETILE_PORT ?? 0);
  const token = process.env.RETILE_TOKEN || randomBytes(24).toString('base64url');
  const service = createService({
    host: 'browser',
    workspaceDir: workspaceDir(),
    workerUrl: paths.worker,
    jobHost: paths.jobHost,
    wasmPath: paths.wasm,
    examplesDir: paths.examples,
    rememberWorkspace: !process.env.RETILE_WORKSPACE,
  });
  const server = await startServer({ service, rendererDir: paths.renderer, token, port });
  process.stdout.write(`Retile (browser mode) is serving at ${server.url}?token=${token}\n`);
  process.stdout.write(`Workspace: ${(await service.appInfo()).workspace}\nPress Ctrl-C to stop.\n`);
  const stop = async () => {
    await server.close();
    await service.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  process.stderr.write(`retile server: ${(e as Error).message}\n`);
  process.exit(1);
});
