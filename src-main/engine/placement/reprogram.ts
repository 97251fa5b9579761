/** What reprogramming a set of re-operators costs: the cells and weight bytes they hold, and the write time and energy. */
import type { ChipSpec } from '../hardware/spec';
import { reprogramCosts, reprogramTimeEnergy } from '../hardware/costs';
import type { LayerMapping } from '../mapping/map-layer';
import type { ReOperator } from './types';

export interface Reprogram {
  cells: number;
  bytes: number;
  /** Uncontended write time: max(transferS, programS) (hardware/costs.ts reprogramTimeEnergy). */
  timeS: number;
  energyJ: number;
  /** The off-chip link part: bytes / off-chip bandwidth (one link shared by every tenant). */
  transferS: number;
  /** The crossbar part: R x t_write, every crossbar programming its rows in parallel (0 without cells). */
  programS: number;
}

/** `maps[layer]` is the mapping of the re-operators' tenant; each re-operator holds its crossbar share of the layer's cells. */
export function reprogramOf(chip: ChipSpec, maps: LayerMapping[], reops: ReOperator[]): Reprogram {
  let cells = 0;
  let bytes = 0;
  for (const r of reops) {
    const m = maps[r.layer]!;
    if (m.crossbars === 0) continue;
    const share = r.crossbars / m.crossbars;
    cells += m.mappedCells * share;
    bytes += m.weightBytes * share;
  }
  return { cells, bytes, ...reprogramTimeEnergy(chip, cells, bytes), ...reprogramParts(chip, cells, bytes) };
}

/**
 * The two parts of reprogramTimeEnergy's max(): the transfer over the off-chip link and the
 * crossbar programming (both 0 when there is nothing to write, as reprogramTimeEnergy).
 */
export function reprogramParts(chip: ChipSpec, cells: number, bytes: number): { transferS: number; programS: number } {
  if (cells <= 0) return { transferS: 0, programS: 0 };
  const c = reprogramCosts(chip);
  return { transferS: bytes / c.offchipBandwidthBytesPerS, programS: c.crossbarWriteS };
}
