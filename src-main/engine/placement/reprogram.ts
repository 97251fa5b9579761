/**
 * What reprogramming a set of re-operators costs (the cells and weight bytes they hold, the write
 * time per tile and the energy), which loads a repeating schedule pays, and the wear they cause:
 * writes per cell and the lifetime against the device's endurance (docs/cost-model.md, "Reprogramming").
 */
import type { ChipSpec } from '../hardware/spec';
import { reprogramCosts, tileProgramS } from '../hardware/costs';
import type { LayerMapping } from '../mapping/map-layer';
import type { Deployment, ReOperator } from './types';

export interface Reprogram {
  cells: number;
  bytes: number;
  /** Uncontended write time: max(transferS, programS). */
  timeS: number;
  /** cells x E_cell + bytes x E_io (hardware/costs.ts reprogramCosts). */
  energyJ: number;
  /** The off-chip link part: bytes / off-chip bandwidth (one link shared by every tenant). */
  transferS: number;
  /** The crossbar part: the slowest tile's programming (hardware/costs.ts tileProgramS; tiles in parallel). */
  programS: number;
  /** Tiles written. */
  tiles: number[];
}

/** `maps[layer]` is the mapping of the re-operators' tenant; each re-operator holds its crossbar share of the layer's cells. */
export function reprogramOf(chip: ChipSpec, maps: LayerMapping[], reops: ReOperator[]): Reprogram {
  let cells = 0;
  let bytes = 0;
  const perTile = new Map<number, { cells: number; crossbars: number }>();
  for (const r of reops) {
    const m = maps[r.layer]!;
    if (m.crossbars === 0) continue;
    const share = r.crossbars / m.crossbars;
    const c = m.mappedCells * share;
    cells += c;
    bytes += m.weightBytes * share;
    const t = perTile.get(r.tile) ?? { cells: 0, crossbars: 0 };
    t.cells += c;
    t.crossbars += r.crossbars;
    perTile.set(r.tile, t);
  }
  if (cells <= 0) return { cells: 0, bytes: 0, timeS: 0, energyJ: 0, transferS: 0, programS: 0, tiles: [] };
  const costs = reprogramCosts(chip);
  let programS = 0;
  for (const t of perTile.values()) programS = Math.max(programS, tileProgramS(chip, t.cells, t.crossbars));
  const transferS = bytes / costs.offchipBandwidthBytesPerS;
  return {
    cells,
    bytes,
    timeS: Math.max(transferS, programS),
    energyJ: cells * costs.cellWriteJ + bytes * costs.offchipByteJ,
    transferS,
    programS,
    tiles: [...perTile.keys()].sort((a, b) => a - b),
  };
}

/**
 * Whether the schedule rewrites crossbars on every repetition: more than one round, or a tenant
 * in phases. Then, at steady state, the previous repetition's last round or phase held the
 * crossbars, so the first round's load is paid again every time (it is charged); otherwise the
 * weights stay resident and the one-off initial load is not part of a repetition.
 */
export function rewritesEachCycle(dep: Pick<Deployment, 'rounds' | 'tenants'> & ({ reops: readonly { phase: number }[] } | { runs: readonly { run: readonly { phase: number }[] }[] })): boolean {
  // A deployment's re-operators, or those of its placed runs not made yet (placement/placed-run.ts).
  const later = (reops: readonly { phase: number }[]): boolean => reops.some((r) => r.phase > 0);
  return dep.rounds.length > 1 || dep.tenants.some((t) => t.phases > 1) || ('reops' in dep ? later(dep.reops) : dep.runs.some((p) => later(p.run)));
}

/**
 * Whether one repetition of the schedule pays the load of a tenant's phase: every phase after its
 * first, a first phase in a round after the first, and a first phase of the first round when the
 * schedule rewrites crossbars every repetition (`rewrites`: rewritesEachCycle, or a plan that
 * runs in phases or in turns) or the initial load is asked for. The analytic evaluation, the
 * simulator's scenario, the wear count and the optimizer's plans all decide it here.
 */
export function loadCharged(phase: number, round: number, rewrites: boolean): boolean {
  return phase > 0 || round > 0 || rewrites;
}

/** One load of a repetition: a tenant's phase written before it runs. */
export interface ScheduledLoad {
  tenant: number;
  phase: number;
  reprogram: Reprogram;
}

/**
 * The loads one repetition of the schedule pays, in order: every phase after a tenant's first,
 * and every tenant's first phase in rounds after the first; the first round's first phases too
 * when the schedule rewrites each cycle (`rewritesEachCycle`) or when `chargeInitialLoad` says so.
 */
export function scheduledLoads(dep: Deployment, chargeInitialLoad = rewritesEachCycle(dep)): ScheduledLoad[] {
  const rounds = dep.rounds.length ? dep.rounds : [dep.tenants.map((_, i) => i)];
  const out: ScheduledLoad[] = [];
  rounds.forEach((members, ri) => {
    for (const ti of members) {
      const mine = dep.reops.filter((r) => r.tenant === ti);
      const phases = mine.reduce((m, r) => Math.max(m, r.phase + 1), Math.max(1, dep.tenants[ti]!.phases));
      for (let ph = 0; ph < phases; ph++) {
        if (!loadCharged(ph, ri, chargeInitialLoad)) continue;
        const rp = reprogramOf(dep.chip, dep.tenants[ti]!.mapped.mappings, mine.filter((r) => r.phase === ph));
        if (rp.cells > 0) out.push({ tenant: ti, phase: ph, reprogram: rp });
      }
    }
  });
  return out;
}

/** Wear of a repeating schedule (JSON field `writes` of a result that reprograms). */
export interface WriteWear {
  /** Cells written in one repetition of the schedule (every load). */
  cells_per_cycle: number;
  /** Loads in one repetition (tenant phases written). */
  loads_per_cycle: number;
  /** Writes of the most-written cell in one repetition: the most loads that write one tile (taken to rewrite the same cells). */
  max_writes_per_cell_per_cycle: number;
  /** That cell's writes per hour with the schedule repeated back to back: writes per cycle x 3600 / cycle time. */
  writes_per_cell_per_hour: number;
  /** The device's endurance (device.endurance_writes). */
  endurance_writes: number;
  /** Hours until the most-written cell reaches its endurance: endurance / writes per hour. */
  lifetime_h: number;
}

/**
 * Writes per cell and the lifetime of a schedule whose one repetition takes `cycleS`, or null when
 * it rewrites nothing at steady state. A cell is counted once per load that writes its tile (the
 * verify iterations of one programming are one write cycle of the device).
 */
export function writeWear(dep: Deployment, cycleS: number, loads: ScheduledLoad[] = scheduledLoads(dep)): WriteWear | null {
  if (loads.length === 0 || !(cycleS > 0)) return null;
  const perTile = new Map<number, number>();
  let cells = 0;
  for (const l of loads) {
    cells += l.reprogram.cells;
    for (const t of l.reprogram.tiles) perTile.set(t, (perTile.get(t) ?? 0) + 1);
  }
  let most = 0;
  for (const n of perTile.values()) most = Math.max(most, n);
  const perHour = (most * 3600) / cycleS;
  const endurance = dep.chip.device.endurance_writes;
  return {
    cells_per_cycle: cells,
    loads_per_cycle: loads.length,
    max_writes_per_cell_per_cycle: most,
    writes_per_cell_per_hour: perHour,
    endurance_writes: endurance,
    lifetime_h: endurance / perHour,
  };
}
