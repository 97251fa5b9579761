/** Random small scenarios for property tests (tenants, phases, copies, pieces, NoC, Poisson). */
import fc from 'fast-check';
import type { Scenario, ScenarioLayer, ScenarioReop } from '../../../src-main/engine/sim/scenario';

const COMPONENTS = ['crossbar', 'adc', 'noc', 'merge', 'reprogram', 'leakage'];

export const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    meshRows: fc.integer({ min: 1, max: 3 }),
    meshCols: fc.integer({ min: 1, max: 3 }),
    torus: fc.boolean(),
    slots: fc.constantFrom(2, 4, 8),
    tenants: fc.array(
      fc.record({
        requests: fc.integer({ min: 1, max: 4 }),
        poisson: fc.boolean(),
        rate: fc.double({ min: 1e4, max: 1e7, noNaN: true }),
        seed: fc.integer({ min: 0, max: 0x7fffffff }),
        twoPhases: fc.boolean(),
        afterPrevious: fc.boolean(),
        // off-chip transfer of each phase's weights (0: the link is not used); shared by all tenants
        transfer: fc.constantFrom(0, 0, 3e-7, 1e-6, 2.5e-6),
        layers: fc.array(
          fc.record({
            rows: fc.integer({ min: 1, max: 6 }),
            units: fc.integer({ min: 1, max: 5 }),
            copies: fc.integer({ min: 1, max: 3 }),
            pieces: fc.integer({ min: 1, max: 3 }),
            rowSplit: fc.boolean(),
            tpu: fc.constantFrom(1e-7, 2.5e-7, 3e-7, 1e-6),
            merge: fc.constantFrom(0, 1e-8, 3e-8),
            bytes: fc.constantFrom(0, 64, 1000),
            tiles: fc.array(fc.nat(), { minLength: 9, maxLength: 9 }),
            // producers: earlier layers this one reads (indices taken modulo the layer index)
            inputs: fc.array(fc.nat(), { maxLength: 2 }),
            scale: fc.constantFrom(0, 0.5, 1, 2),
            offset: fc.constantFrom(-1, 0, 1, 2, 10),
          }),
          { minLength: 1, maxLength: 4 },
        ),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  })
  .map((r) => {
    const routers = r.meshRows * r.meshCols;
    const s: Scenario = {
      mesh: { rows: r.meshRows, cols: r.meshCols, torus: r.torus },
      noc: { linkBytesPerS: 1e9, hopLatencyS: 2e-9, energyPerByteHopJ: 1e-12 },
      components: COMPONENTS,
      nocComponent: 2,
      mergeComponent: 3,
      reprogramComponent: 4,
      leakageComponent: 5,
      tileLeakageW: 0.01,
      timelineSlots: r.slots,
      tenants: [],
      phases: [],
      layers: [],
      reops: [],
      edges: [],
    };
    let lastPhaseOfPrev = -1;
    r.tenants.forEach((t, ti) => {
      s.tenants.push({ name: `t${ti}`, requests: t.requests, arrivalRate: t.poisson ? t.rate : 0, seed: t.seed });
      const p0 = s.phases.length;
      s.phases.push({
        tenant: ti, writeTimeS: t.afterPrevious && lastPhaseOfPrev >= 0 ? 5e-7 : 0, transferTimeS: t.transfer, writeEnergyJ: 1e-9,
        after: t.afterPrevious && lastPhaseOfPrev >= 0 ? [lastPhaseOfPrev] : [],
      });
      const phased = t.twoPhases && t.layers.length > 1;
      if (phased) s.phases.push({ tenant: ti, writeTimeS: 1e-6, transferTimeS: t.transfer * 0.5, writeEnergyJ: 2e-9, after: [p0] });
      const firstLayer = s.layers.length;
      t.layers.forEach((l, li) => {
        const phase = phased && li >= t.layers.length / 2 ? p0 + 1 : p0;
        const layer: ScenarioLayer = {
          name: `t${ti}l${li}`, tenant: ti, phase, rows: l.rows, unitsPerRow: l.units, rowSplit: l.rowSplit,
          outBytesPerRow: l.bytes, psumBytesPerRow: l.bytes * 2, mergeTimePerUnitS: l.merge, mergeEnergyPerUnitJ: 1e-12,
        };
        const idx = s.layers.length;
        s.layers.push(layer);
        for (let c = 0; c < l.copies; c++) {
          for (let p = 0; p < l.pieces; p++) {
            const reop: ScenarioReop = {
              layer: idx, copy: c, piece: p, tile: l.tiles[(c * 3 + p) % 9] % routers, timePerUnitS: l.tpu * (1 + p * 0.25),
              energyPerUnitJ: [1e-12 * (c + 1), 2e-12, 0, 0, 0, 0],
            };
            s.reops.push(reop);
          }
        }
        if (li > 0) {
          const froms = new Set(l.inputs.map((k) => firstLayer + (k % li)));
          for (const from of froms) s.edges.push({ from, to: idx, scale: l.scale, offset: l.offset });
        }
      });
      lastPhaseOfPrev = s.phases.length - 1;
    });
    // shuffle-independent: reverse the re-operator list so packing must sort it
    s.reops.reverse();
    return s;
  });
