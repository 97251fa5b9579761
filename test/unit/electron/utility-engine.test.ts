/**
 * The desktop app runs the engine in an Electron utility process, which talks to its parent
 * through `process.parentPort` (messages arrive as `{ data }`) instead of Node's `process.send`.
 * Without the Electron binary, a stand-in gives a forked Node child that very surface (and no
 * `process.send`), so the real job host (out/main/job-host.js) and JobRunner are exercised on the
 * utility-process path: a job's result, and an engine that dies being a failed job. The real
 * utilityProcess is launched only by the Electron spec (test/electron/shell.spec.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { JobRunner } from '../../../src-main/service/job-runner';
import { forkNode, type SpawnEngine } from '../../../src-main/service/engine-process';
import { paths } from '../../../src-main/service/paths';
import { tempDir } from '../../helpers';

// Preloaded with --import (also into the process's worker threads, which have no process.send).
// Like Electron's ParentPort, messages wait until the first 'message' listener starts the port.
const PARENT_PORT = `
if (process.send) {
  const send = process.send.bind(process);
  const listeners = [];
  const queued = [];
  process.on('message', (m) => (listeners.length ? listeners.forEach((l) => l({ data: m })) : queued.push(m)));
  process.send = undefined;
  process.parentPort = {
    postMessage: (m) => send(m),
    on: (event, l) => {
      if (event !== 'message') return;
      listeners.push(l);
      for (const m of queued.splice(0)) l({ data: m });
    },
  };
}
`;

const FAKE_WORKER = `
import { parentPort } from 'node:worker_threads';
parentPort.postMessage({ type: 'ready', wasmAbi: 5 });
parentPort.on('message', (req) => {
  if (req.args.seed === 13) process.exit(9);
  parentPort.postMessage({ type: 'result', jobId: req.jobId, result: { seed: req.args.seed } });
});
`;

let tmp: ReturnType<typeof tempDir>;
let runner: JobRunner;
beforeAll(() => {
  tmp = tempDir('retile-utility-');
  writeFileSync(join(tmp.dir, 'parent-port.mjs'), PARENT_PORT);
  writeFileSync(join(tmp.dir, 'worker.mjs'), FAKE_WORKER);
  const spawnLikeUtility: SpawnEngine = (script, execArgv, env) => forkNode(script, ['--import', pathToFileURL(join(tmp.dir, 'parent-port.mjs')).href, ...execArgv], env);
  runner = new JobRunner({ workerUrl: pathToFileURL(join(tmp.dir, 'worker.mjs')), wasmPath: paths.wasm, jobHost: paths.jobHost, spawnEngine: spawnLikeUtility });
});
afterAll(async () => {
  await runner.close();
  tmp.cleanup();
});

describe('the engine on the utility-process message path', () => {
  it('runs jobs, and an engine that dies is a failed job followed by a fresh engine', async () => {
    expect(await runner.wasmAbi()).toBe(5);
    expect(await runner.submit<{ seed: number }>('deploy', { seed: 4 }).result).toEqual({ seed: 4 });
    await expect(runner.submit('deploy', { seed: 13 }).result).rejects.toThrow(/the engine stopped with exit code 9 during the job/);
    expect(await runner.submit<{ seed: number }>('deploy', { seed: 6 }).result).toEqual({ seed: 6 });
  }, 120_000);
});
