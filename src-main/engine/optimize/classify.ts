/**
 * Operator classification and inter-layer parallelism (docs/method.md#step-1-profile-and-classification).
 *
 * For layer l of a tenant: footprint share f = crossbars_l / crossbars of the tenant, work share
 * w = (N x crossbars x t_mvm)_l / the tenant's. 'area' when f >= r x w (large footprint for its
 * work: late convs, FC layers), 'compute' when w >= r x f (many MVMs on a small footprint: early
 * convs; digital act x act layers hold no crossbars, so they are 'compute'), 'balanced'
 * otherwise; r = settings.classRatio = 2.
 *
 * Inter-layer parallelism of a tenant (one copy per layer): sum of the stage times / single-
 * inference latency: how many layers are busy at once on average while one inference flows
 * through the pipeline (1 = strictly sequential). Pipeline depth for a stream: sum of stage
 * times / the slowest stage.
 */
import type { ChipSpec } from '../hardware/spec';
import { profileTenant } from '../evaluate/profile-tenant';
import { OPTIMIZER_SETTINGS as S } from './settings';
import type { MappedTenant } from '../mapping/mapped-tenant';

export type LayerClass = 'area' | 'compute' | 'balanced';

export interface TenantClassification {
  classes: LayerClass[];
  counts: Record<LayerClass, number>;
  /** Sum of stage times / latency (one copy per layer). */
  parallelism: number;
  /** Sum of stage times / slowest stage (one copy per layer). */
  pipelineDepth: number;
  /** Index of the slowest layer with one copy. */
  bottleneck: number;
}

export function classifyLayer(footprintShare: number, workShare: number): LayerClass {
  if (footprintShare >= S.classRatio * workShare && footprintShare > 0) return 'area';
  if (workShare >= S.classRatio * footprintShare) return 'compute';
  return 'balanced';
}

export function classifyTenant(tm: MappedTenant, chip: ChipSpec): TenantClassification {
  const g = tm.graph;
  const works = g.layers.map((l, i) => l.mvms * tm.xb[i]! * tm.mvmTime[i]!);
  const totalWork = works.reduce((a, b) => a + b, 0) || 1;
  const foot = tm.footprint || 1;
  const classes = g.layers.map((_, i) => (tm.xb[i] === 0 ? 'compute' : classifyLayer(tm.xb[i]! / foot, works[i]! / totalWork)) as LayerClass);
  const counts: Record<LayerClass, number> = { area: 0, compute: 0, balanced: 0 };
  classes.forEach((c) => counts[c]++);
  const p = profileTenant(g, chip, { mappings: tm.mappings, costs: tm.costs, leakage: 'none' });
  const stages = p.layers.reduce((s, l) => s + l.timeS, 0);
  return {
    classes,
    counts,
    parallelism: p.latencyS > 0 ? stages / p.latencyS : 1,
    pipelineDepth: p.intervalS > 0 ? stages / p.intervalS : 1,
    bottleneck: p.bottleneck,
  };
}
