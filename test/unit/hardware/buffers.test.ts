/**
 * The tile buffer as a resource: capacity, port width, access time, energy per access, the
 * capacity check of a placed deployment, and the port time that lengthens simulated latency.
 * Expected values are hand calculations from the published figures named in each test.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { bufferCosts, bufferTimeS, chipPreset, parseChipSpec, type ChipSpec } from '../../../src-main/engine/hardware';
import { directDeployment } from '../../../src-main/engine/placement/direct';
import { bufferFit } from '../../../src-main/engine/placement/buffer-fit';
import { simulateDeployment } from '../../../src-main/engine/pipeline/simulate-report';
import { toLayerGraph, zooGraph } from '../../../src-main/engine/workload';
import type { RetileWasmExports } from '../../../src-main/engine/sim/wasm';
import { loadTestWasm } from '../sim/load-wasm';
import { chain, fcLayer } from './fixtures';
import { cliHarness } from '../../cli-harness';
import mapCommand from '../../../src-main/cli/commands/map';

let wasm: RetileWasmExports;
beforeAll(async () => {
  wasm = await loadTestWasm();
});

/** The ISAAC chip with its buffer replaced. */
function withBuffer(edram: Partial<ChipSpec['tile']['edram']>, mesh: [number, number] = [2, 2]): ChipSpec {
  const c = structuredClone(chipPreset('isaac', mesh));
  Object.assign(c.tile.edram, edram);
  return parseChipSpec(c, 'test chip');
}

describe('buffer figures', () => {
  test('ISAAC: 64 KB, 2 banks of 256-bit words at 2 ns; energy per access near Accelergy\'s 20.45 pJ', () => {
    const b = bufferCosts(chipPreset('isaac'));
    expect(b.capacityBytes).toBe(64 * 1024);
    expect(b.wordBytes).toBe(32);
    // 2 banks x 32 B / 2 ns = 32 GB/s
    expect(b.bandwidthBytesPerS).toBeCloseTo(32e9, 0);
    // Accelergy hwcomponents-library isaac.py: 20.45 pJ per 256-bit eDRAM read or write
    expect(Math.abs(b.accessJ / 20.45e-12 - 1)).toBeLessThan(0.02);
  });
  test('PUMA: 17.2 pJ per 2-cycle 256-bit access (constants.py: 0.0172 nJ)', () => {
    const b = bufferCosts(chipPreset('puma'));
    expect(b.accessJ).toBeCloseTo(17.2e-12, 15);
    expect(b.bandwidthBytesPerS).toBeCloseTo(16e9, 0);
  });
  test('MNSIM 2.0: one 64-bit word per 20 ns (Buffer.py)', () => {
    const chip = chipPreset('mnsim');
    expect(bufferCosts(chip).bandwidthBytesPerS).toBeCloseTo(8 / 20e-9, 0);
    // MNSIM's VGG-8 layer 0 writes 512 B to the tile output buffer per output position: 1280 ns
    expect(bufferTimeS(chip, 512)).toBeCloseTo(1280e-9, 15);
  });
});

describe('buffer capacity of a placed deployment', () => {
  test('VGG-16 features.2 on an ISAAC tile needs 86 016 B of input rows against 64 KB', () => {
    const chip = chipPreset('isaac', [32, 32]);
    const graph = toLayerGraph(zooGraph('vgg16'));
    const fit = bufferFit(directDeployment(chip, [{ name: 'vgg16', model: 'vgg16', graph }]));
    const f2 = fit.overflows.flatMap((o) => o.layers).find((n) => n.name === 'features.2')!;
    // 3x3 conv, 64 input channels of 224 columns, 16-bit: 3 rows x 224 x 64 x 2 B
    expect(f2.inputBytes).toBe(3 * 224 * 64 * 2);
    // one output row staged: 224 x 64 x 2 B
    expect(f2.outputBytes).toBe(224 * 64 * 2);
    expect(fit.capacityBytes).toBe(65536);
    // features.0 reads 3 rows of the 3-channel image: 4 KB, it fits
    expect(fit.overflows.flatMap((o) => o.layers).some((n) => n.name === 'features.0')).toBe(false);
  });
  test('a big enough buffer has no overflow and no spill', () => {
    const chip = withBuffer({ size_kb: 256 }, [32, 32]);
    const graph = toLayerGraph(zooGraph('vgg16'));
    const fit = bufferFit(directDeployment(chip, [{ name: 'vgg16', model: 'vgg16', graph }]));
    expect(fit.overflows).toEqual([]);
    expect(fit.spillBytesPerMvm.flat().every((b) => b === 0)).toBe(true);
  });
  test('retile map names the layer that does not fit', async () => {
    const run = cliHarness(mapCommand);
    const text = await run(['map', 'vgg16', '--chip', 'isaac', '--mesh', '32x32']);
    expect(text.out).toMatch(/buffer: layer 'features\.2' needs 114688 B on tile \d+ \(input rows 86016 B/);
    const j = JSON.parse((await run(['map', 'vgg16', '--chip', 'isaac', '--mesh', '32x32', '--json'])).out);
    expect(j.buffer.capacity_bytes).toBe(65536);
    expect(j.buffer.overflows.map((o: { layer: string }) => o.layer)).toContain('features.2');
  });
});

describe('buffer port time', () => {
  // One fc layer 128 -> 16 on one ISAAC crossbar (16-bit weights in 8 slices: 128 columns).
  // Per MVM the buffer moves 128 inputs + 16 outputs of 2 B = 288 B. The crossbars take
  // 16 cycles x 100 ns + one 1.2 GHz shift-and-add = 1600.83 ns.
  const graph = chain('fc', [fcLayer(0, 128, 16)]);
  const mvmS = 16 * 100e-9 + 1e-9 / 1.2;
  const simulated = (chip: ChipSpec) => simulateDeployment(directDeployment(chip, [{ name: 'fc', model: 'fc', graph }]), wasm).report.tenants[0]!.latency_s;

  test('a wide port hides behind the crossbars; a narrow one sets the pace (simulated)', () => {
    // 64-bit port, 20 ns, 1 bank: 36 accesses = 720 ns < 1600.83 ns: the crossbars set the time.
    const wide = simulated(withBuffer({ bus_bits: 64, access_latency_ns: 20, banks: 1 }));
    expect(wide).toBeCloseTo(mvmS, 12);
    // 16-bit port: 144 accesses x 20 ns = 2880 ns > 1600.83 ns: the port sets the time.
    const narrow = simulated(withBuffer({ bus_bits: 16, access_latency_ns: 20, banks: 1 }));
    expect(narrow).toBeCloseTo(144 * 20e-9, 12);
    expect(narrow).toBeGreaterThan(wide);
  });
});
