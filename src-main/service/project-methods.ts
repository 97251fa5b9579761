/**
 * The workspace and its project files: which folder is the workspace, the app's facts, listing,
 * creating (empty, from a preset or from an example spec), opening an outside file, duplicating,
 * renaming, deleting and viewing a project, and the presets and examples a new project can start
 * from. One concern of the service (service.ts composes them).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { AppApi, TemplateInfo } from '../api/contract';
import { ProjectFileError, setChip } from '../store';
import { chipPreset, chipSummary, PRESET_NAMES } from '../engine/hardware';
import { badInput } from '../engine/errors';
import { parseDeploymentSpec, tenantNames } from '../engine/placement/spec';
import { RETILE_VERSION } from './version';
import { DEFAULT_PRESET } from './project-model';
import { loadSpec } from './spec-loader';
import { writeSpecIntoProject } from './spec-into-project';
import type { ServiceContext } from './context';

type ProjectMethods = Pick<
  AppApi,
  | 'appInfo'
  | 'setWorkspace'
  | 'pickWorkspace'
  | 'listProjects'
  | 'listTemplates'
  | 'createProject'
  | 'openProjectPath'
  | 'pickProjectFile'
  | 'duplicateProject'
  | 'renameProject'
  | 'deleteProject'
  | 'getProject'
>;

export function projectMethods(ctx: ServiceContext): ProjectMethods {
  const { options, settings } = ctx;
  const examplesDir = options.examplesDir;

  /** Fills a new project from an example spec: its chip and tenants (ONNX paths relative to the spec). */
  function exampleInit(id: string): (db: Database) => void {
    if (!examplesDir) throw badInput('no examples folder', { field: 'example' });
    const file = join(examplesDir, `${id}.json`);
    if (!existsSync(file)) throw badInput(`no example '${id}'`, { field: 'example' });
    const loaded = loadSpec(JSON.parse(readFileSync(file, 'utf8')), basename(file), examplesDir);
    return (db) => writeSpecIntoProject(db, loaded);
  }

  const methods: ProjectMethods = {
    async appInfo() {
      return {
        name: 'Retile',
        version: RETILE_VERSION,
        host: options.host,
        wasmAbi: await ctx.runner.wasmAbi(),
        workspace: ctx.workspace().dir,
        defaultWorkspace: options.workspaceDir,
        canPickFiles: Boolean(options.pickFile),
      };
    },
    async setWorkspace({ dir }) {
      if (ctx.jobs.size > 0) throw badInput('a run is in progress; wait for it or cancel it before changing the workspace', { field: 'dir' });
      ctx.openWorkspace(resolve(dir));
      ctx.allowRecent();
      settings.update({ workspace: ctx.workspace().dir });
      return methods.appInfo();
    },
    async pickWorkspace() {
      if (!options.pickFolder) return null;
      const dir = await options.pickFolder();
      return dir ? methods.setWorkspace({ dir }) : null;
    },
    async listProjects() {
      const inside = ctx.workspace().list().map((p) => ctx.summaryOf(p.file));
      const outside = ctx.allowRecent().map(ctx.summaryOf);
      return [...inside, ...outside];
    },
    async listTemplates(): Promise<TemplateInfo> {
      const presets = PRESET_NAMES.map((name) => {
        const spec = chipPreset(name);
        return { name, citation: spec.citation, summary: chipSummary(spec) };
      });
      const examples: TemplateInfo['examples'] = [];
      if (examplesDir && existsSync(examplesDir)) {
        for (const f of readdirSync(examplesDir).filter((f) => f.endsWith('.json')).sort()) {
          try {
            const spec = parseDeploymentSpec(JSON.parse(readFileSync(join(examplesDir, f), 'utf8')), f);
            const chip = typeof spec.chip === 'string' ? spec.chip : 'preset' in spec.chip ? `${String(spec.chip.preset)}${spec.chip.mesh ? ` ${Array.isArray(spec.chip.mesh) ? spec.chip.mesh.join('x') : String(spec.chip.mesh)}` : ''}` : String(spec.chip.name ?? 'custom');
            examples.push({ id: f.replace(/\.json$/, ''), name: spec.name ?? f.replace(/\.json$/, ''), chip, tenants: tenantNames(spec), strategy: spec.strategy ?? null });
          } catch {
            // A broken example is skipped here; `retile run` on it reports what is wrong.
          }
        }
      }
      return { presets, examples };
    },
    async createProject({ name, preset, example }) {
      const init = example ? exampleInit(example) : (db: Database) => setChip(db, { preset: preset ?? DEFAULT_PRESET, spec: chipPreset(preset ?? DEFAULT_PRESET) });
      return ctx.summaryOf(ctx.workspace().create(name, init).file);
    },
    async openProjectPath({ path }) {
      const workspace = ctx.workspace();
      const abs = resolve(path);
      // A file inside the workspace is addressed by its name like any other.
      const ref = resolve(workspace.dir, basename(abs)) === abs ? basename(abs) : workspace.allowExternal(abs);
      const s = ctx.summaryOf(ref);
      if (s.error) {
        if (ref === abs) settings.removeRecent(abs);
        throw new ProjectFileError(path, s.error.replace(`${abs}: `, ''));
      }
      if (ref === abs) settings.addRecent(abs);
      return s;
    },
    async pickProjectFile() {
      if (!options.pickFile) return null;
      const path = await options.pickFile();
      return path ? methods.openProjectPath({ path }) : null;
    },
    async duplicateProject({ project, name }) {
      ctx.withProject(project, () => undefined);
      return ctx.summaryOf((await ctx.workspace().duplicate(project, name)).file);
    },
    async renameProject({ project, name }) {
      ctx.refuseWhileBusy(project, 'rename it');
      ctx.withProject(project, () => undefined);
      return ctx.summaryOf(ctx.workspace().rename(project, name).file);
    },
    async deleteProject({ project }) {
      ctx.refuseWhileBusy(project, 'delete it');
      const workspace = ctx.workspace();
      if (workspace.isExternal(project)) settings.removeRecent(resolve(project));
      workspace.remove(project);
      return { deleted: true };
    },
    async getProject({ project }) {
      return ctx.view(project);
    },
  };
  return methods;
}
