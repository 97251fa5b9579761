/**
 * The tenants of a project: the zoo list, adding zoo models, importing ONNX files (parsed in the
 * engine worker), editing and removing tenants, and one tenant's layer detail. One concern of the
 * service (service.ts composes them); project access and the job runner come from its context.
 */
import type { Database } from 'better-sqlite3';
import type { AppApi, ZooEntry } from '../api/contract';
import { addTenant, getTenant, listTenants, putOnnxModel, removeTenant, uniqueTenantName, updateTenant } from '../store';
import { ZOO_NAMES, describeBindings, isZooName } from '../engine/workload';
import { badInput } from '../engine/errors';
import { importBindings } from './models';
import { JobError } from './job-runner';
import type { ServiceContext } from './context';
import type { ImportOnnxResult } from './jobs-registry';
import { projectChip, tenantLayers, tenantView, zooModel } from './project-model';

type TenantMethods = Pick<AppApi, 'listZoo' | 'addZooTenant' | 'importOnnx' | 'updateTenant' | 'removeTenant' | 'tenantDetail'>;

export function tenantMethods({ withProject, readProject, view, runner, jobs }: ServiceContext): TenantMethods {
  return {
    async listZoo(): Promise<ZooEntry[]> {
      return ZOO_NAMES.map((name) => {
        const m = zooModel(name);
        return { name, params: m.summary.params, macs: m.summary.macs, layers: m.layers.layers.length, inputShape: m.summary.input_shape };
      });
    },
    async addZooTenant({ project, model, name, batch, priority, slaMs }) {
      if (!isZooName(model)) throw badInput(`'${model}' is not a zoo model; pick one from the list`, { field: 'model' });
      withProject(project, (db) =>
        addTenant(db, { name: name ? checkFreeName(db, name) : uniqueTenantName(db, model), source: 'zoo', model, batch, priority, slaMs: slaMs ?? null }),
      );
      return view(project);
    },
    async importOnnx({ project, fileName, dataBase64, name, input, dims }) {
      withProject(project, () => undefined);
      const bytes = new Uint8Array(Buffer.from(dataBase64, 'base64'));
      if (bytes.length === 0) throw badInput('the file is empty', { file: fileName });
      // Parsed here too, so a malformed setting is refused before the worker reads the file.
      const bindings = importBindings(input, dims);
      const job = runner.submit<ImportOnnxResult>('importOnnx', { bytes, fileName, input, dims });
      jobs.set(job.jobId, { jobId: job.jobId, project, runId: null, kind: 'importOnnx', stage: `importing ${fileName}`, fraction: 0 });
      let imported: ImportOnnxResult;
      try {
        imported = await job.result;
      } catch (e) {
        // The engine's structured refusal (code, field, limit setting) goes to the caller as it is.
        throw e instanceof JobError && e.code !== 'internal' && !e.error ? badInput(e.message, {}) : e;
      } finally {
        jobs.delete(job.jobId);
      }
      withProject(project, (db) =>
        db.transaction(() => {
          putOnnxModel(db, { sha256: imported.sha256, fileName, bytes: imported.bytes, graph: imported.graph });
          const base = name ?? fileName.replace(/\.onnx$/i, '');
          const model = bindings.input || bindings.dims ? `${fileName} ${describeBindings(bindings)}` : fileName;
          addTenant(db, { name: name ? checkFreeName(db, name) : uniqueTenantName(db, base), source: 'onnx', model, onnxSha256: imported.sha256 });
        })(),
      );
      return view(project);
    },
    async updateTenant({ project, id, name, batch, priority, slaMs }) {
      withProject(project, (db) => {
        const t = getTenant(db, id);
        if (!t) throw badInput(`no tenant with id ${id}; reload the project`, { field: 'id' });
        updateTenant(db, id, { name: name && name !== t.name ? checkFreeName(db, name) : undefined, batch, priority, slaMs });
      });
      return view(project);
    },
    async removeTenant({ project, id }) {
      withProject(project, (db) => removeTenant(db, id));
      return view(project);
    },
    async tenantDetail({ project, id }) {
      return readProject(project, (db) => {
        const t = getTenant(db, id);
        if (!t) throw badInput(`no tenant with id ${id}; reload the project`, { field: 'id' });
        const chip = projectChip(db).spec;
        return { tenant: tenantView(db, t, chip), ...tenantLayers(db, t, chip) };
      });
    },
  };
}

function checkFreeName(db: Database, name: string): string {
  if (listTenants(db).some((t) => t.name === name)) throw badInput(`a tenant named '${name}' already exists; pick another name`, { field: 'name' });
  return name;
}
