/**
 * packScenario refuses a bad field by name: its checks build the field's name only when they
 * fail, so these pin that the name and the expectation still reach the error.
 */
import { describe, expect, it } from 'vitest';
import { packScenario, type Scenario } from '../../../src-main/engine/sim/scenario';
import type { RetileError } from '../../../src-main/engine/errors';
import { retileError } from '../../helpers';
import { handScenario, rowLayer } from './hand-scenario';

function oneLayer(): Scenario {
  return handScenario(2, [{ tenant: 0, writeTimeS: 0, writeEnergyJ: 0, after: [] }], [rowLayer(0, 0, 4)], [{ layer: 0, copy: 0, piece: 0, tile: 1, timePerUnitS: 1e-6, energyPerUnitJ: [0, 0, 0, 0, 0] }]);
}

const refusal = (s: Scenario): RetileError => retileError(() => packScenario(s), 'bad-input');

describe('packScenario names the bad field', () => {
  it('accepts the good scenario', () => {
    expect(packScenario(oneLayer()).R).toBe(1);
  });

  it('a router that is not an integer (not truncated to one)', () => {
    const e = refusal({ ...oneLayer(), tileRouter: [0, 0.5] });
    expect(e.where.field).toBe('tileRouter[1]');
    expect(e.detail).toBe('must be an integer in [0, 1], got 0.5');
  });

  it("a re-operator's tile beyond the chip", () => {
    const s = oneLayer();
    s.reops[0]!.tile = 2;
    const e = refusal(s);
    expect(e.where.field).toBe('reops[0].tile');
    expect(e.detail).toBe('must be an integer in [0, 1], got 2');
  });

  it("a layer's rows that are not a number", () => {
    const s = oneLayer();
    s.layers[0]!.rows = Number.NaN;
    expect(refusal(s).where.field).toBe('layers[0].rows');
  });

  it('a negative tile buffer', () => {
    const e = refusal({ ...oneLayer(), tileBufferBytes: [0, -1] });
    expect(e.where.field).toBe('tileBufferBytes[1]');
    expect(e.detail).toBe('must be a finite non-negative number, got -1');
  });
});
