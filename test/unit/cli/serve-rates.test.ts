/** `retile serve --rate`: per-tenant rates, a bare rate for the rest, the spec's as the fallback, and one-line errors. */
import { describe, expect, it } from 'vitest';
import { parseRates } from '../../../src-main/cli/commands/serve';

describe('serve --rate', () => {
  const names = ['resnet50', 'vgg16', 'mobilenet_v2'];
  it('a tenant\'s own --rate wins, a bare --rate covers the others, the spec\'s rate is the fallback', () => {
    expect(parseRates(['vgg16=5', '20'], names, [undefined, 7, 3])).toEqual({ resnet50: 20, vgg16: 5, mobilenet_v2: 20 });
    expect(parseRates([], names, [1, undefined, 3])).toEqual({ resnet50: 1, mobilenet_v2: 3 });
  });
  it('names the bad item', () => {
    expect(() => parseRates(['resnet=5'], names, [])).toThrow("--rate resnet=5: no tenant named 'resnet' (tenants: resnet50, vgg16, mobilenet_v2)");
    expect(() => parseRates(['vgg16=-1'], names, [])).toThrow("--rate vgg16=-1: expected a positive number of requests per second, got '-1'");
    expect(() => parseRates(['fast'], names, [])).toThrow("--rate fast: expected a positive number of requests per second, got 'fast'");
  });
});
