/** What reprogramming a set of re-operators costs: the cells and weight bytes they hold, and the write time and energy. */
import type { ChipSpec } from '../hardware/spec';
import { reprogramTimeEnergy } from '../hardware/costs';
import type { LayerMapping } from '../mapping/map-layer';
import type { ReOperator } from './types';

/** `maps[layer]` is the mapping of the re-operators' tenant; each re-operator holds its crossbar share of the layer's cells. */
export function reprogramOf(chip: ChipSpec, maps: LayerMapping[], reops: ReOperator[]): { cells: number; bytes: number; timeS: number; energyJ: number } {
  let cells = 0;
  let bytes = 0;
  for (const r of reops) {
    const m = maps[r.layer]!;
    if (m.crossbars === 0) continue;
    const share = r.crossbars / m.crossbars;
    cells += m.mappedCells * share;
    bytes += m.weightBytes * share;
  }
  return { cells, bytes, ...reprogramTimeEnergy(chip, cells, bytes) };
}
