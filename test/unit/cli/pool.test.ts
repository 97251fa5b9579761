/**
 * The sweep pool's hand-over of baselines between workers, with a stand-in worker (a small script,
 * no engine): a case of a chip the worker has not seen posts the chip's baselines as it starts,
 * then waits as told before its result; each result says whether the worker had the chip's
 * baselines when the case began.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers';
import { SweepPool, type PoolCase } from '../../../src-main/cli/sweep/pool';
import type { WorkerJob, WorkerOutput } from '../../../src-main/cli/sweep/protocol';

const tmp = tempDir('retile-pool-');
afterAll(() => tmp.cleanup());

/** What a stand-in case does: its chip, how long it runs after posting the baselines, and whether it dies once another chip's baselines reach it. */
interface FakeJob {
  chip: number;
  ms: number;
  dieOnBaselinesOf?: number;
}

const WORKER = `
import { parentPort } from 'node:worker_threads';
const known = new Set();
let dieOn = null;
parentPort.on('message', (m) => {
  if (m.type === 'baselines') {
    for (const k of m.known) known.add(k.code[0]);
    if (dieOn !== null && known.has(dieOn)) process.exit(3);
    return;
  }
  const job = m.job;
  const knew = known.has(job.chip);
  if (!knew) {
    known.add(job.chip);
    parentPort.postMessage({ type: 'baselines', index: m.index, known: [{ code: new Float64Array([job.chip]), result: {} }] });
  }
  if (job.dieOnBaselinesOf !== undefined) {
    dieOn = job.dieOnBaselinesOf;
    if (known.has(dieOn)) process.exit(3);
    return;
  }
  setTimeout(() => parentPort.postMessage({ type: 'result', index: m.index, output: { kind: 'fake', knew, at: Date.now() } }), job.ms);
});
parentPort.postMessage({ type: 'ready' });
`;

function pool(workers: number): SweepPool {
  const workerPath = join(tmp.dir, 'fake-worker.mjs');
  writeFileSync(workerPath, WORKER);
  return new SweepPool({ workers, workerPath, wasmPath: '' });
}

async function runAll(p: SweepPool, jobs: FakeJob[]): Promise<{ results: Map<number, { knew: boolean; at: number }>; errors: Map<number, string> }> {
  const results = new Map<number, { knew: boolean; at: number }>();
  const errors = new Map<number, string>();
  const cases: PoolCase[] = jobs.map((j, index) => ({ index, affinity: `chip${j.chip}`, job: j as unknown as WorkerJob }));
  try {
    await p.run(cases, {
      onResult: (i, o: WorkerOutput) => results.set(i, o as unknown as { knew: boolean; at: number }),
      onError: (i, code) => errors.set(i, code),
    });
  } finally {
    await p.close();
  }
  return { results, errors };
}

describe('sweep pool: baselines between workers', () => {
  it("gives a waiting worker a held chip's case as soon as its baselines are posted, before the holder's case ends", async () => {
    // Case 0 holds chip 1 for 1.5 s after posting its baselines; case 1 (chip 1) waits for them,
    // then runs on the other worker with them and ends long before case 0.
    const { results } = await runAll(pool(2), [
      { chip: 1, ms: 1500 },
      { chip: 1, ms: 0 },
    ]);
    expect(results.get(0)!.knew).toBe(false);
    expect(results.get(1)!.knew).toBe(true);
    expect(results.get(1)!.at).toBeLessThan(results.get(0)!.at);
  });

  it('sends a worker that replaces one that died the baselines of chips still queued', async () => {
    // Case 0 posts chip 1's baselines and runs on; case 1 (chip 2) dies once chip 1's reach its
    // worker. Its replacement takes a case of chip 1 (the first worker is busy) and has them.
    const { results, errors } = await runAll(pool(2), [
      { chip: 1, ms: 3000 },
      { chip: 2, ms: 0, dieOnBaselinesOf: 1 },
      { chip: 1, ms: 0 },
    ]);
    expect(errors.get(1)).toBe('internal');
    expect(results.get(0)!.knew).toBe(false);
    expect(results.get(2)!.knew).toBe(true);
  });
});
