/**
 * `retile simulate` as an engine function: a deployment in, the event simulation and the
 * analytic profile of the same placement out, as the plain JSON report the CLI prints.
 */
import { evaluateDeployment } from '../evaluate/deployment';
import type { Deployment } from '../placement/types';
import { simulate } from '../sim/index';
import { scenarioFromDeployment, type FromDeploymentOptions } from '../sim/from-deployment';
import type { SimResult } from '../sim/summary';
import type { RetileWasmExports } from '../sim/wasm';
import type { EnergySplit } from '../hardware/power-policy';
import { resolvedComponents } from '../hardware/components';
import { bufferFigures, type BufferFigures } from '../report/buffer-figures';
import { peakFraction } from '../report/peak-fraction';
import { rewritesEachCycle, scheduledLoads, writeWear, type WriteWear } from '../placement/reprogram';

export interface SimulateReport {
  chip: string;
  mesh: [number, number];
  strategy: string;
  definition: string;
  makespan_s: number;
  energy_j: number;
  energy_breakdown_j: Record<string, number>;
  /** energy_j split: dynamic, static on allocated tiles, static on idle tiles, reprogramming. */
  energy_split_j: EnergySplit;
  power_policy: 'none' | 'unused' | 'idle';
  /** Chip-spec cost fields given rather than derived by their component models. */
  pinned: string[];
  events: number;
  transfers: number;
  /** Wall-clock seconds of the simulation (scenario build excluded). */
  seconds: number;
  events_per_s: number;
  tenants: {
    name: string;
    model: string;
    batch: number;
    latency_s: number;
    latency_p50_s: number;
    latency_p99_s: number;
    throughput_ips: number;
    finish_s: number;
    energy_j: number;
    energy_split_j: EnergySplit;
  }[];
  analytic: {
    makespan_s: number;
    energy_j: number;
    tenants: { name: string; latency_s: number; throughput_ips: number; finish_s: number; energy_j: number }[];
  };
  tile_busy_s: SimResult['tile_busy_s'];
  max_link_utilization: number;
  /** Every inference's operations (2 per MAC) over the makespan, as a fraction of the chip's peak (report/peak-fraction.ts). */
  peak_fraction: number;
  /** Bounded input buffers: rows let through to break a deadlock, and per stage its stall and fullest input buffer. */
  buffers: BufferFigures;
  /** Writes per cell and lifetime, with the simulated run repeated back to back; present only when it reprograms. */
  writes?: WriteWear;
}

export function simulateDeployment(dep: Deployment, wasm: RetileWasmExports, opts: FromDeploymentOptions = {}): { report: SimulateReport; result: SimResult } {
  const { scenario } = scenarioFromDeployment(dep, opts);
  const t0 = performance.now();
  const result = simulate(scenario, wasm);
  const seconds = (performance.now() - t0) / 1000;
  const ev = evaluateDeployment(dep);
  const report: SimulateReport = {
    chip: dep.chip.name,
    mesh: [dep.chip.topology.rows, dep.chip.topology.cols],
    strategy: dep.strategy,
    definition: dep.definition,
    makespan_s: result.makespan_s,
    energy_j: result.energy_j,
    energy_breakdown_j: result.energy_by_component,
    energy_split_j: result.energy_split,
    power_policy: dep.chip.power_policy,
    pinned: resolvedComponents(dep.chip).pinned,
    events: result.events,
    transfers: result.transfers,
    seconds,
    events_per_s: seconds > 0 ? result.events / seconds : 0,
    tenants: result.tenants.map((t, i) => ({
      name: t.name,
      model: dep.tenants[i]!.model,
      batch: t.requests,
      latency_s: t.latency_mean_s,
      latency_p50_s: t.latency_p50_s,
      latency_p99_s: t.latency_p99_s,
      throughput_ips: t.throughput_ips,
      finish_s: t.finish_s,
      energy_j: t.energy_j,
      energy_split_j: t.energy_split,
    })),
    analytic: {
      makespan_s: ev.makespanS,
      energy_j: ev.energyJ,
      tenants: ev.tenants.map((t) => ({ name: t.name, latency_s: t.latencyS, throughput_ips: t.throughputIps, finish_s: t.finishS, energy_j: t.energyJ })),
    },
    tile_busy_s: result.tile_busy_s,
    max_link_utilization: result.max_link_utilization,
    peak_fraction: peakFraction(dep.chip, dep.tenants.map((t, i) => ({ graph: t.graph, batch: result.tenants[i]!.requests })), result.makespan_s),
    buffers: bufferFigures(result),
  };
  const writes = writeWear(dep, result.makespan_s, scheduledLoads(dep, !!opts.chargeInitialLoad || rewritesEachCycle(dep)));
  if (writes) report.writes = writes;
  return { report, result };
}
