/** `retile serve --rate`, `--clients`, `--trace`: per-tenant streams, a bare value for the rest, the spec's rate as the fallback, and one-line errors naming the item, file and line. */
import { describe, expect, it } from 'vitest';
import { parseClients, parseRates, readTraces } from '../../../src-main/cli/commands/serve';

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

describe('serve --clients and --trace', () => {
  const names = ['resnet50', 'vgg16'];
  it('--clients takes whole numbers per tenant or for all', () => {
    expect(parseClients(['vgg16=4', '2'], names)).toEqual({ named: { vgg16: 4 }, all: 2 });
    expect(() => parseClients(['vgg16=0'], names)).toThrow("--clients vgg16=0: expected a whole number of requests outstanding (at least 1), got '0'");
  });
  it('a tenant served by --clients or --trace takes neither the bare rate nor the spec\'s', () => {
    expect(parseRates(['20'], names, [3, 7], ['vgg16'])).toEqual({ resnet50: 20 });
  });
  it('reads a trace: one time per line, comments, blank lines and a second CSV column skipped', () => {
    const files: Record<string, string> = { 'a.trace': '# arrivals of resnet50\n0\n0.001,x\n\n0.0015\n' };
    expect(readTraces(['resnet50=a.trace'], names, (f) => files[f]!)).toEqual({ resnet50: { times: [0, 0.001, 0.0015], source: 'a.trace' } });
  });
  it('a bad trace names the file and the line', () => {
    const read = (text: string) => () => text;
    expect(() => readTraces(['vgg16=b.trace'], names, read('0\n0.5\nsoon\n'))).toThrow("b.trace line 3: expected an arrival time in seconds (a number >= 0), got 'soon'");
    expect(() => readTraces(['vgg16=b.trace'], names, read('0\n0.5\n0.2\n'))).toThrow('b.trace line 3: arrival times must not decrease (0.2 after 0.5); sort the file by time');
    expect(() => readTraces(['vgg16=b.trace'], names, read('# nothing\n'))).toThrow('b.trace: a trace needs at least 2 arrival times (one per line, in seconds), found 0');
    expect(() => readTraces(['vgg16'], names, read(''))).toThrow('--trace vgg16: expected <tenant>=<value> (tenants: resnet50, vgg16)');
    expect(() =>
      readTraces(['vgg16=missing.trace'], names, () => {
        throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      }),
    ).toThrow("--trace vgg16=missing.trace: cannot read 'missing.trace' (ENOENT)");
  });
});
