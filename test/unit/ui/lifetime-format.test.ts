/** The Results view's lifetime figure (hours from a run's `writes.lifetime_h`) in the unit a reader expects. */
import { describe, expect, it } from 'vitest';
import { fmtHours } from '../../../src-renderer/lib/format';

describe('fmtHours', () => {
  it('picks years, days, hours, minutes or seconds', () => {
    expect(fmtHours(4.88)).toBe('4.88 h');
    expect(fmtHours(0.0855)).toBe('5.13 min'); // 0.0855 x 60 = 5.13
    expect(fmtHours(72)).toBe('3 days');
    expect(fmtHours(2 * 8766)).toBe('2 years'); // 365.25 days of 24 h
    expect(fmtHours(1 / 7200)).toBe('0.5 s');
    expect(fmtHours(undefined)).toBe('—');
  });
});
