/**
 * A chip-spec field the schema does not know is refused, naming the field and the file, whichever
 * path loads the spec: the engine's parseChipSpec, `retile chip <file>`, `retile map --chip <file>`
 * and a deployment spec's inline chip. A misspelt optional field (device.read_voltage for
 * read_voltage_v) would otherwise be dropped and its default used without a word.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cliHarness } from '../../cli-harness';
import chipCommand from '../../../src-main/cli/commands/chip';
import mapCommand from '../../../src-main/cli/commands/map';
import { checkChipSpec, chipPreset, parseChipSpec } from '../../../src-main/engine/hardware';
import { parseDeploymentSpec, resolveSpecChip } from '../../../src-main/engine/placement/spec';

const run = cliHarness(chipCommand, mapCommand);
const dir = mkdtempSync(join(tmpdir(), 'retile-unknown-'));

/** ISAAC's spec with one field added at a dotted path. */
function withField(path: string, value: unknown): Record<string, unknown> {
  const spec = structuredClone(chipPreset('isaac')) as unknown as Record<string, unknown>;
  const keys = path.split('.');
  let o = spec;
  for (const k of keys.slice(0, -1)) o = o[k] as Record<string, unknown>;
  o[keys.at(-1)!] = value;
  return spec;
}

describe('unknown chip-spec fields', () => {
  test('parseChipSpec names the field and the source, at any depth', () => {
    for (const path of ['power_polcy', 'device.read_voltage', 'pe.adc.bitz', 'tile.edram.size_kbytes', 'tile.router.latency_ns', 'tile.extras.0.colour']) {
      expect(() => parseChipSpec(withField(path, 1), 'mine.json'), path).toThrow(`mine.json, field '${path}': no chip-spec field '${path}'`);
    }
    const ref = withField('pe.adc.reference', { bits: 8, sample_rate_gsps: 1.28, power_mw: 2, area_mm2: 0.0012, bitz: 6 });
    expect(() => parseChipSpec(ref, 'mine.json')).toThrow("mine.json, field 'pe.adc.reference.bitz'");
    // The known fields of every preset load, and the notes `retile chip --spec` writes are not fields.
    expect(parseChipSpec({ ...chipPreset('isaac'), about: { fields: {} } }, 'isaac.json').name).toBe(chipPreset('isaac').name);
  });

  test('checkChipSpec lists the unknown fields beside the other problems', () => {
    const spec = withField('device.read_voltage', 0.2);
    (spec.pe as { adc: { bits: number } }).adc.bits = 0;
    expect(checkChipSpec(spec).map((p) => p.field)).toEqual(['device.read_voltage', 'pe.adc.bits']);
  });

  test('retile chip <file> and retile map --chip <file> refuse it in one line (exit 2)', async () => {
    const file = join(dir, 'typo.json');
    writeFileSync(file, JSON.stringify(withField('device.read_voltage', 0.2)));
    for (const args of [
      ['chip', file, '--json'],
      ['map', 'lenet5', '--chip', file, '--json'],
    ]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toContain("typo.json, field 'device.read_voltage': no chip-spec field 'device.read_voltage'");
    }
  });

  test("a deployment spec's inline chip", () => {
    const spec = parseDeploymentSpec({ chip: withField('pe.crossbar.cell_bit', 2), tenants: [{ model: 'lenet5' }] }, 'deploy.json');
    expect(() => resolveSpecChip(spec, 'deploy.json')).toThrow("deploy.json (chip), field 'pe.crossbar.cell_bit': no chip-spec field 'pe.crossbar.cell_bit'");
  });
});
