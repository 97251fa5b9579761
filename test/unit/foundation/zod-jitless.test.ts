/**
 * Parsing compiles no code: every schema comes from engine/zod.ts, which sets Zod jitless before
 * any schema exists. Without it, Zod builds each object schema's parser with `new Function` on its
 * first parse (a cold process's largest single start-up cost in parsing, and what the renderer's
 * CSP forbids). The global Function constructor is watched while a chip preset, a deployment spec
 * and an API call are parsed for the first time in this process.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { chipPreset } from '../../../src-main/engine/hardware/presets';
import { parseChipSpec } from '../../../src-main/engine/hardware/check-spec';
import { parseDeploymentSpec } from '../../../src-main/engine/placement/spec';
import { validateArgs } from '../../../src-main/api/schemas';

/** The sources of the functions built by the Function constructor while `fn` ran. */
function functionsBuilt(fn: () => void): string[] {
  const built: string[] = [];
  const Real = globalThis.Function;
  globalThis.Function = new Proxy(Real, {
    construct(target, args: unknown[], newTarget) {
      built.push(String(args.at(-1)).slice(0, 80));
      return Reflect.construct(target, args, newTarget) as object;
    },
  });
  try {
    fn();
  } finally {
    globalThis.Function = Real;
  }
  return built;
}

describe('Zod parses without compiling', () => {
  it('builds no function on the first parse of a chip, a spec and an API call', () => {
    const spec = JSON.parse(readFileSync('projects/examples/four-tenant-mix.json', 'utf8')) as unknown;
    const built = functionsBuilt(() => {
      const chip = chipPreset('isaac', [8, 8]);
      expect([chip.topology.rows, chip.topology.cols]).toEqual([8, 8]);
      expect(parseChipSpec(JSON.parse(JSON.stringify(chip)), 'chip.json').name).toBe(chip.name);
      expect(parseDeploymentSpec(spec, 'four-tenant-mix.json').tenants).toHaveLength(4);
      expect(validateArgs('startRun', { project: 'a.retile', strategy: 'collaborative', objective: 'makespan', seed: 1 })).toMatchObject({ seed: 1 });
    });
    expect(built).toEqual([]);
  });
});
