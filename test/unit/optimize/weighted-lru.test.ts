/**
 * The optimizer's bounded memo (engine/weighted-lru.ts): entries past the weight cap go least
 * recently used first, a read counts as a use, and an entry heavier than the cap is not kept.
 */
import { describe, expect, it } from 'vitest';
import { WeightedLru } from '../../../src-main/engine/weighted-lru';

describe('WeightedLru', () => {
  it('forgets the least recently used entries once the weights pass the cap', () => {
    const lru = new WeightedLru<string, number>(10);
    lru.set('a', 1, 4);
    lru.set('b', 2, 4);
    expect(lru.get('a')).toBe(1); // a is now more recent than b
    lru.set('c', 3, 4); // 12 > 10: b, the least recently used, goes
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe(1);
    expect(lru.get('c')).toBe(3);
    expect(lru.weight).toBe(8);
    lru.set('d', 4, 9); // 17 > 10: a goes (4 + 9 = 13, still past 10), then c
    expect(lru.size).toBe(1);
    expect(lru.get('d')).toBe(4);
    expect(lru.weight).toBe(9);
  });

  it('replaces an entry under the same key and keeps none heavier than the cap', () => {
    const lru = new WeightedLru<string, number>(10);
    lru.set('a', 1, 3);
    lru.set('a', 2, 5);
    expect(lru.get('a')).toBe(2);
    expect(lru.weight).toBe(5);
    lru.set('big', 3, 11);
    expect(lru.get('big')).toBeUndefined();
    expect(lru.get('a')).toBe(2);
  });
});
