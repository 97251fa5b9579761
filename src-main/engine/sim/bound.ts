/**
 * A lower bound on a scenario's simulated makespan, from the event loop's semantics alone
 * (docs/simulator.md, "Semantics"), so that a candidate that cannot win is never simulated:
 *  - a re-operator runs its rows one at a time, each for at least units x timePerUnitS (a row
 *    ends at the later of its compute and its buffer-port time), and a request completes only
 *    when every copy of every layer has emitted its last row, which waits for every piece;
 *  - a phase starts no earlier than max(writeTimeS, transferTimeS) after it is ready (its grant on
 *    the off-chip link is no earlier than ready), it is ready when every predecessor has finished,
 *    and it finishes no earlier than its start plus the most work of any of its re-operators;
 *  - a consumer whose last row needs its producer's last row (the usual row map) ends no earlier
 *    than every producer re-operator's end plus the time of its own last row;
 *  - a tile's buffer port serves one row at a time (its re-operators' port time, summed), and the
 *    chip's off-chip link one transfer at a time (every phase's transfer, summed).
 * Every wait on inputs, the NoC and contention is left out, which makes it a bound, not an estimate.
 */
import type { Scenario } from './scenario';

/** Units copy c of d does in rows [0, rows) of W units (round-robin: unit m goes to copy m mod d). */
function unitsBefore(c: number, d: number, rows: number, units: number): number {
  const n = rows * units;
  return n > c ? Math.floor((n - c - 1) / d) + 1 : 0;
}

export function scenarioLowerBoundS(s: Scenario): number {
  const copies = s.layers.map(() => 0);
  for (const r of s.reops) copies[r.layer] = Math.max(copies[r.layer]!, r.copy + 1);
  const reopsOf: number[][] = s.layers.map(() => []);
  s.reops.forEach((r, i) => reopsOf[r.layer]!.push(i));
  const layersOf: number[][] = s.phases.map(() => []);
  s.layers.forEach((l, i) => layersOf[l.phase]!.push(i));
  const inputs: number[][] = s.layers.map(() => []);
  // A consumer's last row needs its producer's last row (the usual row map): then it cannot end
  // before the producer has finished and it has done that row. Other edges add nothing here.
  for (const e of s.edges) {
    const last = s.layers[e.to]!.rows - 1;
    if (Math.floor(e.scale * last + e.offset) >= s.layers[e.from]!.rows - 1) inputs[e.to]!.push(e.from);
  }
  const portWork = new Map<number, number>();
  const layerEnd = new Array<number>(s.layers.length).fill(-1);
  const phaseEnd = new Array<number>(s.phases.length).fill(-1);
  const phaseStart = (p: number): number => {
    const ph = s.phases[p]!;
    let ready = 0;
    for (const a of ph.after) ready = Math.max(ready, endOfPhase(a));
    return ready + Math.max(ph.writeTimeS, ph.transferTimeS ?? 0);
  };
  const endOfPhase = (p: number): number => {
    if (phaseEnd[p]! < 0) phaseEnd[p] = layersOf[p]!.reduce((m, l) => Math.max(m, endOfLayer(l)), phaseStart(p));
    return phaseEnd[p]!;
  };
  const endOfLayer = (l: number): number => {
    if (layerEnd[l]! >= 0) return layerEnd[l]!;
    const layer = s.layers[l]!;
    const requests = s.tenants[layer.tenant]!.requests;
    const start = phaseStart(layer.phase);
    const before = inputs[l]!.reduce((m, p) => Math.max(m, endOfLayer(p)), 0);
    let end = start;
    for (const i of reopsOf[l]!) {
      const r = s.reops[i]!;
      const d = copies[l]!;
      const all = unitsBefore(r.copy, d, layer.rows, layer.unitsPerRow);
      const lastRow = all - unitsBefore(r.copy, d, layer.rows - 1, layer.unitsPerRow);
      end = Math.max(end, start + requests * all * r.timePerUnitS, before + lastRow * r.timePerUnitS);
      if (r.portTimePerUnitS) portWork.set(r.tile, (portWork.get(r.tile) ?? 0) + requests * all * r.portTimePerUnitS);
    }
    layerEnd[l] = end;
    return end;
  };
  let bound = 0;
  s.phases.forEach((_, p) => (bound = Math.max(bound, endOfPhase(p))));
  for (const w of portWork.values()) bound = Math.max(bound, w);
  return Math.max(bound, s.phases.reduce((sum, ph) => sum + (ph.transferTimeS ?? 0), 0));
}
