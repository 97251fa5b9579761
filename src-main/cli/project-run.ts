/**
 * `retile run <file.retile>`: one strategy on a project's chip and tenants, saved as a run of the
 * project. The run goes through the sweep's worker pool (one worker) so the main thread stays free
 * to answer Ctrl-C: the run is then marked `interrupted` and the CLI exits 130.
 *
 * run.ts calls runInProject when its argument ends in .retile and prints the result like a spec run.
 */
import { RetileError } from '../engine/errors';
import { assertObjective, assertStrategy } from '../engine/placement/spec';
import { parseMesh, withMesh } from '../engine/hardware/presets';
import { applySettings, parseSetting } from '../engine/hardware/settings';
import { badInput } from '../engine/errors';
import type { RunResult } from '../engine/report/result';
import { log, parseSeed } from './io';
import { projectDefaults, projectRunInputs } from './project-file';
import { openProject } from './project-open';
import { executeRuns } from './sweep/execute';
import { plainProgress, progressView, type ProgressView } from './sweep/progress';

export interface ProjectRunOptions {
  strategy?: string;
  objective?: string;
  seed?: string;
  mesh?: string;
  set?: string[];
}

export async function runInProject(file: string, o: ProjectRunOptions, view?: ProgressView): Promise<{ runId: number; result: RunResult }> {
  const db = openProject(file);
  try {
    const { chip: base, preset, tenants, inputs } = projectRunInputs(db, file);
    const d = projectDefaults(db);
    const strategy = assertStrategy(o.strategy ?? d.strategy ?? 'collaborative');
    const objective = assertObjective(o.objective ?? d.objective ?? 'makespan');
    let seed = d.seed ?? 1;
    if (o.seed !== undefined) seed = parseSeed(o.seed);
    const mesh = o.mesh ? parseMesh(o.mesh) : null;
    let chip = o.set?.length ? applySettings(base, o.set.map((t) => parseSetting(t)), file) : base;
    if (mesh) {
      try {
        chip = withMesh(chip, mesh);
      } catch (e) {
        throw badInput((e as Error).message, { file, field: 'mesh' });
      }
    }
    const label = `${strategy} on ${chip.topology.rows}x${chip.topology.cols}`;
    log(`retile: running ${label}, ${tenants.length} tenant(s), saved into ${file} (Ctrl-C stops)`);
    const [done] = await executeRuns(
      db,
      [
        {
          index: 0,
          label,
          request: { chip, tenants, strategy, objective, seed },
          run: {
            kind: 'deploy',
            strategy,
            objective,
            seed,
            settings: { strategy, objective, seed, ...(mesh ? { mesh } : {}), ...(o.set?.length ? { set: o.set } : {}) },
            inputs: { ...inputs, chip: { preset, spec: chip } },
          },
        },
      ],
      { workers: 1, progress: view ?? (process.stderr.isTTY ? progressView() : silent()) },
    );
    if (!done || !done.result) {
      const code = (done?.code ?? 'internal') as RetileError['code'];
      throw new RetileError(code === 'cancelled' ? 'internal' : code, `run #${done?.runId} failed: ${done?.message ?? 'no result'}`, { file });
    }
    return { runId: done.runId, result: done.result };
  } finally {
    db.close();
  }
}

function silent(): ProgressView {
  const p = plainProgress(() => {});
  return p;
}
