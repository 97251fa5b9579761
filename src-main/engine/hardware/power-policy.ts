/**
 * Static energy under the chip's power policy, and the energy split every result reports.
 *
 * - `none`: no gating; every tile of the chip leaks for the whole run. A tenant is charged its
 *   tiles while it holds them (as `unused`); the rest of the chip's leakage is `static_idle`.
 * - `unused` (default): tiles no tenant holds are gated, as PUMA's simulator gates unused tiles and
 *   cores and NeuroSim sizes the chip to the network; a tile leaks while a tenant holds it (from the
 *   tenant's start, weight loading included, to its finish).
 * - `idle`: a held tile is also gated while none of its crossbars computes; it leaks while busy and
 *   pays one wake-up (break-even cycles of its leakage) per inference it serves. A tile is woken
 *   when its producer starts, so the wake latency (a few clock cycles) hides under the producer's
 *   work and adds no time.
 */
import type { ChipSpec } from './spec';
import { actionCosts } from './action-costs';

/** How a tenant used one tile: held (powered unless gated) and busy time, and the wake-ups it paid. */
export interface TileUse {
  heldS: number;
  busyS: number;
  wakes: number;
}

/** Energy by kind (J); the four parts sum to the result's energy_j. */
export interface EnergySplit {
  dynamic: number;
  static_allocated: number;
  static_idle: number;
  reprogram: number;
}

/** What the power policy needs of a chip: plain data, so the simulator's scenario can carry it. */
export interface PowerParams {
  policy: ChipSpec['power_policy'];
  /** Static power of one tile (W), router share included. */
  tileStaticW: number;
  /** Energy of one tile wake-up (J). */
  wakeJ: number;
}

export function powerParams(chip: ChipSpec): PowerParams {
  const t = actionCosts(chip);
  return { policy: chip.power_policy, tileStaticW: t.staticW.tile, wakeJ: t.wake.energyJ };
}

/** Static energy of allocated tiles: while held (`none`, `unused`), or while busy plus wake-ups (`idle`). */
export function allocatedTileStaticJ(p: PowerParams, use: TileUse): number {
  return p.policy === 'idle' ? p.tileStaticW * Math.min(use.busyS, use.heldS) + use.wakes * p.wakeJ : p.tileStaticW * use.heldS;
}

/**
 * Static energy charged to no tenant: without gating (`none`) the whole chip leaks over the
 * makespan, less what the tenants were charged; with gating, nothing.
 */
export function idleTilesStaticJ(p: PowerParams, chipTiles: number, makespanS: number, allocatedJ: number): number {
  return p.policy === 'none' ? Math.max(0, chipTiles * p.tileStaticW * makespanS - allocatedJ) : 0;
}

/**
 * The split of an energy breakdown by component (the `leakage` component is the static part):
 * dynamic = everything but leakage and reprogramming; static_idle is the given share of leakage.
 */
export function energySplit(byComponent: Readonly<Record<string, number>> | { leakage: number; reprogram: number }, staticIdleJ = 0): EnergySplit {
  const parts = byComponent as Record<string, number>;
  let total = 0;
  for (const v of Object.values(parts)) total += v;
  const leakage = parts.leakage ?? 0;
  const reprogram = parts.reprogram ?? 0;
  return { dynamic: total - leakage - reprogram, static_allocated: leakage - staticIdleJ, static_idle: staticIdleJ, reprogram };
}
