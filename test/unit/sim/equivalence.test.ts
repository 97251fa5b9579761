import { beforeAll, describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { packScenario } from '../../../src-main/engine/sim/scenario';
import { simulateReference, type SimRaw } from '../../../src-main/engine/sim/reference';
import { simulateWasm } from '../../../src-main/engine/sim/driver';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { loadTestWasm } from './load-wasm';
import { scenarioArb } from './random-scenario';

let wasm: RetileWasmExports;
beforeAll(async () => {
  wasm = await loadTestWasm();
});

/** Every number bit-identical (Object.is also separates 0 and -0). */
function expectIdentical(a: SimRaw, b: SimRaw): void {
  for (const key of Object.keys(a) as (keyof SimRaw)[]) {
    const x = a[key];
    const y = b[key];
    if (typeof x === 'number') {
      expect(Object.is(x, y), `${key}: ${x} vs ${String(y)}`).toBe(true);
    } else {
      const xa = Array.from(x as ArrayLike<number>);
      const ya = Array.from(y as ArrayLike<number>);
      expect(ya.length, key).toBe(xa.length);
      for (let i = 0; i < xa.length; i++) {
        if (!Object.is(xa[i], ya[i])) expect.fail(`${key}[${i}]: ts ${xa[i]} vs wasm ${ya[i]}`);
      }
    }
  }
}

describe('Wasm event loop vs TypeScript reference', () => {
  test('identical raw results on random small scenarios', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const p = packScenario(s);
        const ts = simulateReference(p);
        const wa = simulateWasm(wasm, p);
        expect(ts.status).toBe(0);
        expectIdentical(ts, wa);
      }),
      { numRuns: 300 },
    );
  });

  test('the same instance can run many scenarios in a row (state is reset)', () => {
    const samples = fc.sample(scenarioArb, { numRuns: 20, seed: 5 });
    for (const s of samples) {
      const p = packScenario(s);
      const first = simulateWasm(wasm, p);
      const again = simulateWasm(wasm, p);
      expectIdentical(first, again);
    }
  });
});
