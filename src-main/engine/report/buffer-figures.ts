/**
 * The bounded input buffers of a simulation as result figures (docs/simulator.md, "Bounded
 * buffers"): per stage, how long its copies waited for room in a consumer's buffer and the peak
 * of the fullest buffer it reads from, against the bound the simulator enforced there.
 */
import type { SimResult } from '../sim/summary';

export interface BufferStage {
  tenant: string;
  /** The layer (a layer cut across phases: `name@phaseN`). */
  layer: string;
  /** Longest time one of its copies held a finished row waiting for room downstream (s). */
  stall_s: number;
  /** Peak bytes of the fullest tile buffer it reads its inputs from, and that buffer's bound (0: unbounded). */
  peak_bytes: number;
  capacity_bytes: number;
}

export interface BufferFigures {
  /** Rows let through a full buffer to break a deadlock (0 when every share held its producers' lag). */
  overcommits: number;
  /** Stages that stalled or read from a buffer, in layer order. */
  stages: BufferStage[];
}

export function bufferFigures(sim: SimResult): BufferFigures {
  return {
    overcommits: sim.buffers.overcommits,
    stages: sim.buffers.stages
      .filter((s) => s.stall_s > 0 || s.peak_bytes > 0)
      .map((s) => {
        const tenant = sim.tenants[s.tenant]!.name;
        return {
          tenant,
          layer: s.name.startsWith(`${tenant}/`) ? s.name.slice(tenant.length + 1) : s.name,
          stall_s: s.stall_s,
          peak_bytes: s.peak_bytes,
          capacity_bytes: s.capacity_bytes,
        };
      }),
  };
}
