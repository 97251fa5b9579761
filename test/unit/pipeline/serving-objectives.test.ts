/**
 * Serving objectives (docs/simulator.md, "Serving objectives"): `throughput` and `sla-attainment`
 * serve every candidate of the strategy (in turns when it runs in rounds or phases) with the same
 * streams and keep the best. Checked against a second path: the burst's own choice, served without an objective, must give the
 * figures the referee recorded for it (same deployment, same streams, same seed), and the
 * deployment finally served must give the figures recorded for the winner.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { serveDeployment, serveSweep, servingBetter, type ServeRequest } from '../../../src-main/engine/pipeline/serve';
import { NO_PROGRESS } from '../../../src-main/engine/progress';
import { requestFromSpecFile } from '../../../src-main/cli/commands/run';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { tempDir } from '../../helpers';
import { writeSpec, SMALL_SPEC } from '../cli/cli-helpers';
import { loadTestWasm } from '../sim/load-wasm';

let wasm: RetileWasmExports;
const tmp = tempDir('retile-serving-objective-');
let base: ServeRequest;

beforeAll(async () => {
  wasm = await loadTestWasm();
  const spec = writeSpec(tmp.dir, { ...SMALL_SPEC, chip: { preset: 'isaac', mesh: '8x8' }, strategy: 'collaborative' });
  const req = requestFromSpecFile(spec);
  base = { ...req, rates: {}, clients: Object.fromEntries(req.tenants.map((t) => [t.name, 2])), requests: 12 };
}, 120_000);

describe('serving objectives', () => {
  it('throughput: every candidate served with the same streams; the figures agree with serving each alone', async () => {
    const plain = await serveDeployment(base, { wasm });
    const refereed = await serveDeployment({ ...base, servingObjective: 'throughput' }, { wasm });
    const byName = new Map(refereed.serving_candidates!.map((c) => [c.candidate, c]));
    expect(refereed.serving_objective).toBe('throughput');
    expect(byName.size).toBeGreaterThanOrEqual(2);
    // The burst's choice, served on its own, reports what the referee measured for it.
    expect(byName.get(plain.chosen_candidate)!.stream_tops).toBe(plain.stream_tops);
    expect(byName.get(plain.chosen_candidate)!.sustained_tops).toBe(plain.sustained_tops);
    // The deployment served is the winner, and reports what the referee measured for it.
    const winner = byName.get(refereed.chosen_candidate)!;
    expect(refereed.stream_tops).toBe(winner.stream_tops);
    for (const c of byName.values()) expect(winner.stream_tops, c.candidate).toBeGreaterThanOrEqual(c.stream_tops * (1 - 1e-3));
  }, 120_000);

  it('a serving sweep (the app\'s Serving view) with an objective gives at each rate what retile serve --objective gives for that rate', async () => {
    // One small tenant keeps the two optimizations cheap; collaborative still has several candidates.
    const one = requestFromSpecFile(writeSpec(tmp.dir, { ...SMALL_SPEC, chip: { preset: 'isaac', mesh: '2x2' }, tenants: [{ model: 'lenet5', batch: 1 }], strategy: 'collaborative' }, 'one.json'));
    const rate = 2000;
    const [point] = await serveSweep({ ...one, rates: [rate], requests: 20, servingObjective: 'throughput' }, { wasm, progress: NO_PROGRESS });
    const cli = await serveDeployment({ ...one, rates: { lenet5: rate }, requests: 20, servingObjective: 'throughput' }, { wasm });
    expect(point).toEqual(cli);
    expect(point!.serving_candidates!.length).toBeGreaterThanOrEqual(2);
    expect(point!.serving_candidates!.map((c) => c.candidate)).toContain(point!.chosen_candidate);
    await expect(serveSweep({ ...one, rates: [rate], requests: 20, servingObjective: 'sla-attainment' }, { wasm, progress: NO_PROGRESS })).rejects.toThrow(/needs a p99 target/);
  }, 120_000);

  it('throughput ranks by the whole stream, not by the sum of each tenant\'s own rate', () => {
    // A serves tenant 1 fast and tenant 2 slowly: its rates sum higher, but its streams take longer.
    const a = { stream_tops: 5, sustained_tops: 10, min_sla_attainment: null, worst_p99_s: 0.01 };
    const b = { stream_tops: 6, sustained_tops: 8, min_sla_attainment: null, worst_p99_s: 0.02 };
    expect(servingBetter(b, a, 'throughput')).toBe(true);
    expect(servingBetter(a, b, 'throughput')).toBe(false);
    // Within 0.1 % the streams tie, and the lower worst p99 wins.
    expect(servingBetter({ ...a, stream_tops: 6.005 }, b, 'throughput')).toBe(true);
    // sla-attainment: the worst tenant's attainment first, then the stream.
    expect(servingBetter({ ...a, min_sla_attainment: 0.9 }, { ...b, min_sla_attainment: 0.8 }, 'sla-attainment')).toBe(true);
    expect(servingBetter({ ...a, min_sla_attainment: 0.9 }, { ...b, min_sla_attainment: 0.9 }, 'sla-attainment')).toBe(false);
  });

  it('sla-attainment needs a p99 target, and a burst run refuses a serving objective, each naming what to do', async () => {
    await expect(serveDeployment({ ...base, servingObjective: 'sla-attainment' }, { wasm })).rejects.toThrow(/sla-attainment.*needs a p99 target.*sla_ms/);
    const spec = writeSpec(tmp.dir, { ...SMALL_SPEC, objective: 'throughput' }, 'burst.json');
    expect(() => requestFromSpecFile(spec)).toThrow(/'throughput' is a serving objective: use it with retile serve --objective throughput/);
  });
});
