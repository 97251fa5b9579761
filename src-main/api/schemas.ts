/**
 * Argument validation for every API method, used by both hosts before a call reaches the
 * service (Electron's ipcMain handlers and the HTTP router). Keyed by the contract's method names.
 */
import { z } from '../engine/zod';
import { OBJECTIVES, STRATEGIES } from '../engine/placement/spec';
import { PRESET_NAMES } from '../engine/hardware/presets';
import { SERVE_SWEEP_LIMITS } from '../engine/pipeline/serve-sweep-limits';
import { SERVING_OBJECTIVES } from '../engine/report/serving-objectives';
import { ApiArgumentError } from './errors';

export { ApiArgumentError };

/** POSIX or Windows absolute path (no node:path here: this file is type-checked with the renderer too). */
const isAbsolute = (p: string) => /^(\/|[A-Za-z]:[\\/])/.test(p);

/** A project is named by its file inside the workspace: no directories, no traversal. */
export const projectFile = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,120}\.retile$/, 'a file name like "my-study.retile" inside the workspace');

/**
 * A project reference: a workspace file name, or an absolute path to a `.retile` file. The service
 * accepts a path only after the user opened it explicitly (openProjectPath / pickProjectFile).
 */
export const projectRef = z
  .string()
  .max(4096)
  .refine(
    (p) => projectFile.safeParse(p).success || (/^(\/|[A-Za-z]:[\\/]).*\.retile$/.test(p) && !p.includes('\0')),
    'a file name like "my-study.retile" inside the workspace, or the absolute path of a .retile file you opened',
  );

const none = z.undefined().or(z.object({}).strict());
/** Any script's letters and digits (the file name is made safe separately, see projectFileName). */
export const projectName = z
  .string()
  .trim()
  .min(1, 'give the project a name')
  .max(100, 'at most 100 characters')
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}\p{M} _.-]*$/u, 'start with a letter or digit; use letters, digits, spaces, _ . -');
const tenantName = z.string().trim().min(1, 'give the tenant a name').max(64, 'at most 64 characters');
const batch = z.number('enter a whole number').int('a whole number, like 1 or 8').min(1, 'at least 1').max(65_536, 'at most 65,536');
const priority = z.number('enter a number').positive('greater than 0').max(1000, 'at most 1000');
const slaMs = z.number('enter a number of milliseconds, or leave it empty for none').positive('greater than 0 ms').max(1e9, 'at most 1,000,000,000 ms').nullable();

/**
 * The tenant fields the UI edits, with the very rules the hosts apply to addZooTenant and
 * updateTenant, so a value the form accepts is a value the save accepts.
 */
export const TENANT_FIELDS = { name: tenantName, batch, priority, slaMs } as const;

/** What the user sees for a field: its label in the UI (API field names never reach the screen). */
export const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  batch: 'Batch',
  priority: 'Priority',
  slaMs: 'SLA',
  dataBase64: 'the file',
  fileName: 'the file name',
  model: 'Model',
  sides: 'Chip sizes',
  seed: 'Seed',
  strategy: 'Strategy',
  objective: 'Objective',
  spec: 'Chip spec',
};

/** A zod issue message in words a user can act on (zod's own wording names types, not fields). */
export function friendlyIssue(message: string): string {
  const m = /^Too (small|big): expected number to be ([<>]=?)(-?[\d.e+]+)/.exec(message);
  if (m) return `must be ${{ '>': 'greater than', '>=': 'at least', '<': 'less than', '<=': 'at most' }[m[2]]} ${m[3]}`;
  if (/expected number, received (undefined|NaN|null)/.test(message)) return 'required: enter a number';
  if (/expected int, received number/.test(message)) return 'must be a whole number';
  if (/expected string, received (undefined|null)/.test(message)) return 'required';
  return message;
}

/** The first problem of `value` under `schema`, in plain words, or null when it is valid. */
export function fieldProblem(schema: z.ZodType, value: unknown): string | null {
  const r = schema.safeParse(value);
  return r.success ? null : friendlyIssue(r.error.issues[0].message);
}

/** A serving sweep's fields, shared with the Serving form (the same rules on screen and in the host). */
export const SERVE_FIELDS = {
  rates: z
    .array(z.number('enter numbers of requests per second').positive('each rate above 0').max(SERVE_SWEEP_LIMITS.maxRate, `each rate at most ${SERVE_SWEEP_LIMITS.maxRate.toLocaleString('en-US')} requests/s`))
    .min(1, 'at least one rate')
    .max(SERVE_SWEEP_LIMITS.rates, `at most ${SERVE_SWEEP_LIMITS.rates} rates`),
  requests: z
    .number('enter a whole number of requests')
    .int('a whole number of requests')
    .min(SERVE_SWEEP_LIMITS.minRequests, `at least ${SERVE_SWEEP_LIMITS.minRequests} requests`)
    .max(SERVE_SWEEP_LIMITS.maxRequests, `at most ${SERVE_SWEEP_LIMITS.maxRequests.toLocaleString('en-US')} requests`),
} as const;
const runId = z.number().int().positive();
const strategy = z.enum(STRATEGIES, `one of ${STRATEGIES.join(', ')}`);
const objective = z.enum(OBJECTIVES, `one of ${OBJECTIVES.join(', ')}`);
const seed = z.number().int().min(0).max(2 ** 31 - 1);

/** Every method's argument schema; the contract's argument types are inferred from these (contract.ts ArgsOf, which also checks every method has one). */
export const API_SCHEMAS = {
  appInfo: none,
  setWorkspace: z.object({ dir: z.string().min(1).max(4096).refine((p) => isAbsolute(p), 'an absolute folder path') }).strict(),
  pickWorkspace: none,
  listProjects: none,
  listTemplates: none,
  createProject: z
    .object({ name: projectName, preset: z.enum(PRESET_NAMES).optional(), example: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/).optional() })
    .strict(),
  openProjectPath: z.object({ path: z.string().min(1).max(4096).refine((p) => isAbsolute(p), 'an absolute path, e.g. /home/me/study.retile').refine((p) => p.endsWith('.retile'), 'a file ending in .retile') }).strict(),
  pickProjectFile: none,
  duplicateProject: z.object({ project: projectRef, name: projectName }).strict(),
  renameProject: z.object({ project: projectRef, name: projectName }).strict(),
  deleteProject: z.object({ project: projectRef }).strict(),
  getProject: z.object({ project: projectRef }).strict(),
  checkChip: z.object({ spec: z.unknown() }).strict(),
  setChip: z.object({ project: projectRef, preset: z.enum(PRESET_NAMES).nullable(), spec: z.unknown() }).strict(),
  presetSpec: z.object({ preset: z.enum(PRESET_NAMES) }).strict(),
  listZoo: none,
  addZooTenant: z
    .object({ project: projectRef, model: z.string().min(1).max(64), name: tenantName.optional(), batch: batch.optional(), priority: priority.optional(), slaMs: slaMs.optional() })
    .strict(),
  importOnnx: z
    .object({
      project: projectRef,
      fileName: z.string().min(1).max(255).regex(/\.onnx$/i, 'an .onnx file'),
      // base64 of at most ~48 MB of bytes (the HTTP body limit is 64 MB).
      dataBase64: z.string().min(4).max(64 * 1024 * 1024).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64 data'),
      name: tenantName.optional(),
      // The CLI's --input and --dim texts: "1x3x224x224" or "input_ids=1x128"; "sequence=128 batch=1".
      input: z.string().max(200).optional(),
      dims: z.string().max(500).optional(),
    })
    .strict(),
  updateTenant: z
    .object({ project: projectRef, id: z.number().int().positive(), name: tenantName.optional(), batch: batch.optional(), priority: priority.optional(), slaMs: slaMs.optional() })
    .strict(),
  removeTenant: z.object({ project: projectRef, id: z.number().int().positive() }).strict(),
  tenantDetail: z.object({ project: projectRef, id: z.number().int().positive() }).strict(),
  listRuns: z.object({ project: projectRef }).strict(),
  getRun: z.object({ project: projectRef, runId }).strict(),
  deleteRun: z.object({ project: projectRef, runId }).strict(),
  startRun: z.object({ project: projectRef, strategy, objective, seed }).strict(),
  startSweep: z
    .object({ project: projectRef, strategy, objective, seed, sides: z.array(z.number().int().min(1).max(128)).min(1, 'at least one chip size').max(12) })
    .strict(),
  startServe: z
    .object({
      project: projectRef,
      strategy,
      objective,
      seed,
      ...SERVE_FIELDS,
      /** Absent: the burst's choice is served; else every resident candidate at each rate, the best by this (pipeline/serve.ts serveSweep). */
      servingObjective: z.enum(SERVING_OBJECTIVES, `one of ${SERVING_OBJECTIVES.join(', ')}`).optional(),
    })
    .strict(),
  listJobs: none,
  cancelJob: z.object({ jobId: z.string().min(1).max(64) }).strict(),
} satisfies Record<string, z.ZodType>;

/** Validates `args` for `method`; throws ApiArgumentError naming the field and what was expected. */
export function validateArgs(method: string, args: unknown): unknown {
  if (!Object.hasOwn(API_SCHEMAS, method)) throw new ApiArgumentError(method, 'unknown method');
  const schema: z.ZodType = API_SCHEMAS[method as keyof typeof API_SCHEMAS];
  const parsed = schema.safeParse(args ?? undefined);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiArgumentError(method, friendlyIssue(issue.message), issue.path.length ? issue.path.join('.') : undefined);
  }
  return parsed.data;
}
