/**
 * Asking for the engine's Wasm ABI (appInfo does) while the engine is still starting: a cancel
 * that restarts the engine before it was ready must not leave the question unanswered (the
 * replacement answers it), and an engine that ends on its own before it is ready is an error
 * that says so. Stand-in workers speak the real protocol (service/worker-protocol.ts).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { JobRunner } from '../../../src-main/service/job-runner';
import { tempDir } from '../../helpers';

const tmp = tempDir('retile-engine-ready-');
afterAll(() => tmp.cleanup());

function standIn(name: string, body: string): URL {
  const file = join(tmp.dir, name);
  writeFileSync(file, `import { parentPort } from 'node:worker_threads';\n${body}\n`);
  return pathToFileURL(file);
}

/** Rejects after `ms` so a promise that never settles fails the test instead of hanging it. */
const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms))]);

describe('engine readiness', () => {
  it('a cancel that restarts a starting engine hands the ABI question to the next engine', async () => {
    // Ready only after 300 ms; never answers a job, so the cancel's grace period ends in a restart.
    const slow = standIn('slow.mjs', `setTimeout(() => parentPort.postMessage({ type: 'ready', wasmAbi: 7 }), 300);`);
    const runner = new JobRunner({ workerUrl: slow, wasmPath: '', cancelGraceMs: 20 });
    const abi = runner.wasmAbi();
    const job = runner.submit('deploy', {});
    const outcome = job.result.catch((e: Error & { code?: string }) => e.code);
    job.cancel();
    expect(await within(outcome, 5_000)).toBe('cancelled');
    expect(await within(abi, 5_000)).toBe(7);
    // Known from then on, without waiting on a worker.
    expect(await within(runner.wasmAbi(), 100)).toBe(7);
    await runner.close();
  });

  it('an engine that ends before it is ready is an error naming its exit code', async () => {
    const dies = standIn('dies.mjs', 'process.exit(5);');
    const runner = new JobRunner({ workerUrl: dies, wasmPath: '' });
    await expect(within(runner.wasmAbi(), 5_000)).rejects.toThrow(/exit code 5 before it was ready/);
    await runner.close();
  });
});
