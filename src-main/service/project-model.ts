/**
 * Host-side views of a project's inputs: tenant figures (weights, MACs, layers, crossbars on the
 * project's chip), the weights-fit check, and the job arguments a run needs. Graphs are cached by
 * zoo name or ONNX hash: building a zoo graph or parsing a stored one is the only cost here.
 */
import type { Database } from 'better-sqlite3';
import type { ChipState, FitCheck, TenantLayerRow, TenantView } from '../api/contract';
import { chipPreset, chipSummary, crossbarsPerTile, parseChipSpec, type ChipSpec } from '../engine/hardware';
import { mapGraph } from '../engine/mapping';
import { summarize, toLayerGraph, zooGraph, type Graph, type LayerGraph, type ModelSummary } from '../engine/workload';
import { badInput } from '../engine/errors';
import type { ServingObjective } from '../engine/report/serving-objectives';
import { getChip, getOnnxModel, listTenants, type StoredTenant } from '../store';

interface CachedModel {
  graph: Graph;
  layers: LayerGraph;
  summary: ModelSummary;
}

const cache = new Map<string, CachedModel>();

function cached(key: string, build: () => Graph): CachedModel {
  let hit = cache.get(key);
  if (!hit) {
    const graph = build();
    hit = { graph, layers: toLayerGraph(graph), summary: summarize(graph) };
    if (cache.size > 64) cache.delete(cache.keys().next().value!);
    cache.set(key, hit);
  }
  return hit;
}

export function zooModel(name: string): CachedModel {
  return cached(`zoo:${name}`, () => zooGraph(name));
}

/** The model behind a tenant: the zoo graph, or the imported ONNX graph stored in the project. */
export function tenantModel(db: Database, t: Pick<StoredTenant, 'source' | 'model' | 'onnxSha256'>): CachedModel {
  if (t.source === 'zoo') return zooModel(t.model);
  const sha = t.onnxSha256!;
  return cached(`onnx:${sha}`, () => {
    const m = getOnnxModel(db, sha);
    if (!m) throw badInput(`the imported graph of '${t.model}' is missing from the project file; import the ONNX file again`, { file: t.model });
    return m.graph as Graph;
  });
}

export const DEFAULT_PRESET = 'isaac';

/** The project's chip (projects made before chips were stored get the default preset). */
export function projectChip(db: Database): ChipState {
  const stored = getChip(db);
  const spec = stored ? parseChipSpec(stored.spec, 'project chip') : chipPreset(DEFAULT_PRESET);
  return { preset: stored ? stored.preset : DEFAULT_PRESET, spec, summary: chipSummary(spec) };
}

export function tenantView(db: Database, t: StoredTenant, chip: ChipSpec): TenantView {
  const m = tenantModel(db, t);
  return {
    id: t.id,
    name: t.name,
    source: t.source,
    model: t.model,
    sha256: t.onnxSha256,
    batch: t.batch,
    priority: t.priority,
    slaMs: t.slaMs,
    params: m.summary.params,
    macs: m.summary.macs,
    layers: m.layers.layers.length,
    crossbars: mapGraph(m.layers, chip).crossbars,
  };
}

export function tenantLayers(db: Database, t: StoredTenant, chip: ChipSpec): { summary: Omit<ModelSummary, 'ops'>; layers: TenantLayerRow[] } {
  const m = tenantModel(db, t);
  const mapping = mapGraph(m.layers, chip);
  const byName = new Map(mapping.layers.map((l) => [l.name, l.crossbars]));
  const { ops, ...summary } = m.summary;
  return {
    summary,
    layers: ops.map((o) => ({
      name: o.name,
      kind: o.kind,
      rows: o.rows,
      cols: o.cols,
      groups: o.groups,
      mvms: o.mvms,
      macs: o.macs,
      crossbars: byName.get(o.name) ?? 0,
      outShape: o.out_shape,
    })),
  };
}

/** Do one copy of every tenant's layers fit the chip at once? If not, say what to change. */
export function fitCheck(tenants: TenantView[], chip: ChipSpec): FitCheck {
  const needed = tenants.reduce((s, t) => s + t.crossbars, 0);
  const available = chipSummary(chip).crossbars;
  if (needed <= available) return { neededCrossbars: needed, chipCrossbars: available, fits: true, message: null };
  // Smallest square mesh holding them, rounded up to the router block of a concentrated mesh.
  const perTile = crossbarsPerTile(chip);
  const block = chip.topology.kind === 'cmesh' && chip.topology.concentration > 1 ? 2 : 1;
  let side = Math.ceil(Math.sqrt(needed / perTile));
  side = Math.ceil(side / block) * block;
  return {
    neededCrossbars: needed,
    chipCrossbars: available,
    fits: false,
    message:
      `The tenants' weights need ${needed.toLocaleString('en-US')} crossbars but the chip has ${available.toLocaleString('en-US')}. ` +
      `Enlarge the mesh to at least ${side}x${side} tiles or remove a tenant; otherwise tenants run in rounds or phases with crossbar reprogramming in between.`,
  };
}

export function projectTenants(db: Database, chip: ChipSpec): TenantView[] {
  return listTenants(db).map((t) => tenantView(db, t, chip));
}

/** What a deploy job gets: the chip and each tenant with its graph as plain data. */
export interface DeployTenantArg {
  name: string;
  model: string;
  source: 'zoo' | 'onnx';
  /** Imported ONNX graph (zoo graphs are rebuilt in the worker from the name). */
  graph?: Graph;
  batch: number;
  priority: number;
  slaMs?: number;
}

export interface DeployJobArgs {
  chip: ChipSpec;
  tenants: DeployTenantArg[];
  strategy: string;
  objective: string;
  seed: number;
  /** Sweep only: square mesh sides to evaluate. */
  sides?: number[];
  /** Serving sweep only: requests/s per tenant, one stream each, and requests per tenant per stream. */
  rates?: number[];
  requests?: number;
  /** Serving sweep only: serve every resident candidate at each rate and keep the best by this objective. */
  servingObjective?: ServingObjective;
}

/** The inputs of a run as stored with it: enough to re-derive every figure (graphs by hash). */
export interface RunInputs {
  chip: { preset: string | null; spec: ChipSpec };
  tenants: { name: string; source: 'zoo' | 'onnx'; model: string; sha256: string | null; batch: number; priority: number; slaMs: number | null }[];
}

export function runInputs(db: Database): { inputs: RunInputs; tenants: DeployTenantArg[]; chip: ChipSpec } {
  const chip = projectChip(db);
  const stored = listTenants(db);
  if (stored.length === 0) throw badInput('the project has no tenants yet; add one on the Tenants tab before running', { field: 'tenants' });
  const tenants: DeployTenantArg[] = stored.map((t) => ({
    name: t.name,
    model: t.model,
    source: t.source,
    ...(t.source === 'onnx' ? { graph: tenantModel(db, t).graph } : {}),
    batch: t.batch,
    priority: t.priority,
    ...(t.slaMs !== null ? { slaMs: t.slaMs } : {}),
  }));
  return {
    chip: chip.spec,
    tenants,
    inputs: {
      chip: { preset: chip.preset, spec: chip.spec },
      tenants: stored.map((t) => ({ name: t.name, source: t.source, model: t.model, sha256: t.onnxSha256, batch: t.batch, priority: t.priority, slaMs: t.slaMs })),
    },
  };
}
