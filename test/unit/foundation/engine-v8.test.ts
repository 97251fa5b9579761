/**
 * The engine runs with the same V8 flags in the CLI's workers and in the hosts' engine process
 * (service/engine-v8.ts). The engine process gets them on its command line: the real job host
 * (out/main/job-host.js), started by the real JobRunner, runs a stand-in worker that reports the
 * process's arguments (a worker thread sees its process's execArgv).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { JobRunner } from '../../../src-main/service/job-runner';
import { paths } from '../../../src-main/service/paths';
import { engineV8Flags } from '../../../src-main/service/engine-v8';
import { tempDir } from '../../helpers';

const REPORTING_WORKER = `
import { parentPort } from 'node:worker_threads';
parentPort.postMessage({ type: 'ready', wasmAbi: 1 });
parentPort.on('message', (req) => parentPort.postMessage({ type: 'result', jobId: req.jobId, result: { execArgv: process.execArgv } }));
`;

let tmp: ReturnType<typeof tempDir>;
let runner: JobRunner;
beforeAll(() => {
  tmp = tempDir('retile-engine-v8-');
  writeFileSync(join(tmp.dir, 'worker.mjs'), REPORTING_WORKER);
  runner = new JobRunner({ workerUrl: pathToFileURL(join(tmp.dir, 'worker.mjs')), wasmPath: paths.wasm, jobHost: paths.jobHost });
});
afterAll(async () => {
  await runner.close();
  tmp.cleanup();
});

describe("the engine's V8 flags", () => {
  it('are flags this Node takes (a misspelt one stops it)', () => {
    const ok = spawnSync(process.execPath, [...engineV8Flags(), ...engineV8Flags(25), '-e', '0'], { encoding: 'utf8' });
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    const bad = spawnSync(process.execPath, ['--interrupt-budgett=1', '-e', '0'], { encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/bad option/);
  });

  it("are on the engine process's command line", async () => {
    const { execArgv } = await runner.submit<{ execArgv: string[] }>('deploy', {}).result;
    for (const flag of engineV8Flags()) expect(execArgv).toContain(flag);
    expect(engineV8Flags()).toEqual(expect.arrayContaining([expect.stringMatching(/^--interrupt-budget=\d+$/), expect.stringMatching(/^--heap-growing-percent=\d+$/)]));
  }, 60_000);
});
