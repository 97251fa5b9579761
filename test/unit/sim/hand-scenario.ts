/** Hand-built scenarios for the simulator's semantic tests: times are hand-computable. */
import type { Scenario, ScenarioLayer, ScenarioPhase, ScenarioReop } from '../../../src-main/engine/sim/scenario';

export const US = 1e-6;

/**
 * A scenario on a 1 x `cols` router row with 1 GB/s links, no hop latency, no energy and no
 * leakage; one request per tenant (tenants are those the phases name).
 */
export function handScenario(cols: number, phases: ScenarioPhase[], layers: ScenarioLayer[], reops: ScenarioReop[], edges: Scenario['edges'] = []): Scenario {
  const tenants = [...new Set(phases.map((p) => p.tenant))].map((t) => ({ name: `t${t}`, requests: 1 }));
  return {
    mesh: { rows: 1, cols },
    noc: { linkBytesPerS: 1e9, hopLatencyS: 0, energyPerByteHopJ: 0 },
    components: ['crossbar', 'noc', 'merge', 'reprogram', 'leakage'],
    nocComponent: 1, mergeComponent: 2, reprogramComponent: 3, leakageComponent: 4,
    tileLeakageW: 0,
    tenants, phases, layers, reops, edges,
  };
}

/** One row of `units` MVMs. */
export function rowLayer(tenant: number, phase: number, units: number): ScenarioLayer {
  return { name: `l${tenant}.${phase}`, tenant, phase, rows: 1, unitsPerRow: units, rowSplit: false, outBytesPerRow: 0, psumBytesPerRow: 0, mergeTimePerUnitS: 0, mergeEnergyPerUnitJ: 0 };
}
