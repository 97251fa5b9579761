/**
 * Real engine jobs for the tests that need "a job" (progress, cancel, a crash or a kill mid-run, a
 * burst of saves), through any front end that takes API calls (the service, HTTP, a host process):
 * - a tiny one: lenet5 at batch 1 placed directly on an 8x8 ISAAC chip (well under a second);
 * - a long one: three ImageNet CNNs at batch 4 placed collaboratively on the same chip (seconds).
 */
import { chipPreset } from '../src-main/engine/hardware';

/** An API call by method name (service method, HTTP POST, host process). */
export type ApiCall = (method: string, args?: unknown) => Promise<unknown>;

/** The service's methods as an ApiCall. */
export const serviceCall =
  (service: object): ApiCall =>
  (method, args) =>
    (service as Record<string, (a?: unknown) => Promise<unknown>>)[method]!(args);

const SMALL_CHIP = { preset: 'isaac', spec: chipPreset('isaac', [8, 8]) };

async function projectWith(call: ApiCall, name: string, tenants: { model: string; batch: number }[]): Promise<string> {
  const project = `${name}.retile`;
  await call('createProject', { name, preset: 'isaac' });
  await call('setChip', { project, ...SMALL_CHIP });
  for (const t of tenants) await call('addZooTenant', { project, ...t });
  return project;
}

/** A project holding lenet5 (batch 1) on an 8x8 ISAAC chip; returns its file name. */
export const tinyProject = (call: ApiCall, name: string) => projectWith(call, name, [{ model: 'lenet5', batch: 1 }]);

/** A project whose collaborative run takes seconds: resnet18, mobilenet_v2, squeezenet1_1 at batch 4 on the 8x8 chip. */
export const longProject = (call: ApiCall, name: string) =>
  projectWith(call, name, ['resnet18', 'mobilenet_v2', 'squeezenet1_1'].map((model) => ({ model, batch: 4 })));

/** startRun arguments of the tiny job: the direct placement (the seed is recorded, not used). */
export const directRun = (project: string, seed = 1) => ({ project, strategy: 'direct' as const, objective: 'makespan' as const, seed });

/** startRun arguments of the long job. */
export const collaborativeRun = (project: string) => ({ project, strategy: 'collaborative' as const, objective: 'makespan' as const, seed: 1 });
