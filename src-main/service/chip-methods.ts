/**
 * A project's chip: checking a spec as the editor types it (with the mesh limits the save
 * enforces), saving it, and a preset's full spec. One concern of the service (service.ts
 * composes them).
 */
import type { AppApi, ChipCheck } from '../api/contract';
import { setChip } from '../store';
import { chipPreset, chipSpecSchema, chipSummary, parseChipSpec, unknownFields, type ChipSpec } from '../engine/hardware';
import { LIMITS } from '../engine/limits';
import { friendlyIssue } from '../api/schemas';
import { LIMIT_VARIABLES } from './limits-env';
import type { ServiceContext } from './context';

type ChipMethods = Pick<AppApi, 'checkChip' | 'setChip' | 'presetSpec'>;

export function chipMethods(ctx: ServiceContext): ChipMethods {
  return {
    async checkChip({ spec }): Promise<ChipCheck> {
      const unknown = unknownFields(spec);
      if (unknown.length) return { ok: false, issues: unknown.map((path) => ({ path, message: `no such chip-spec field` })) };
      const r = chipSpecSchema.safeParse(spec);
      if (!r.success) return { ok: false, issues: r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: friendlyIssue(i.message) })) };
      try {
        const limits = chipLimitIssues(r.data);
        if (limits.length) return { ok: false, issues: limits };
        return { ok: true, spec: r.data, summary: chipSummary(r.data) };
      } catch (e) {
        return { ok: false, issues: [{ path: '', message: (e as Error).message }] };
      }
    },
    async setChip({ project, preset, spec }) {
      const chip: ChipSpec = parseChipSpec(spec, 'chip');
      ctx.withProject(project, (db) => setChip(db, { preset, spec: chip }));
      return ctx.view(project);
    },
    async presetSpec({ preset }) {
      return chipPreset(preset);
    },
  };
}

/**
 * The mesh limits setChip enforces (parseChipSpec), as form messages: the editor shows them under
 * the field and keeps Save disabled, so a chip the form accepts is a chip the save accepts.
 */
function chipLimitIssues(spec: ChipSpec): { path: string; message: string }[] {
  const { rows, cols } = spec.topology;
  const raise = (k: 'maxMeshSide' | 'maxTiles') => `or start Retile with ${LIMIT_VARIABLES[k]} set higher`;
  const issues: { path: string; message: string }[] = [];
  for (const [path, n] of [['topology.rows', rows], ['topology.cols', cols]] as const) {
    if (n > LIMITS.maxMeshSide) issues.push({ path, message: `at most ${LIMITS.maxMeshSide} tiles per side: use a smaller mesh, ${raise('maxMeshSide')}` });
  }
  if (!issues.length && rows * cols > LIMITS.maxTiles) {
    const message = `${rows} × ${cols} = ${(rows * cols).toLocaleString('en-US')} tiles; at most ${LIMITS.maxTiles.toLocaleString('en-US')} are allowed: use a smaller mesh, ${raise('maxTiles')}`;
    issues.push({ path: 'topology.rows', message }, { path: 'topology.cols', message });
  }
  return issues;
}
