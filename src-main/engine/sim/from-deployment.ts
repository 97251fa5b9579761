/**
 * Layer 2 of the simulator: a Deployment (placement/types.ts) plus the chip's cost library
 * (hardware/, mapping/reop.ts reopCosts) become a flat Scenario. Every time and energy comes from the
 * same per-re-operator costs the analytic profiler uses (docs/cost-model.md), so the two agree
 * when nothing contends; see docs/simulator.md for the choices made here.
 */
import { mergeTimeS, nocCosts, tileCount, tileLeakageW } from '../hardware/costs';
import { actionCosts } from '../hardware/action-costs';
import { powerParams } from '../hardware/power-policy';
import { routerCoord, routerGrid } from '../hardware/topology';
import { ENERGY_COMPONENTS } from '../mapping/reop';
import { loadCharged, reprogramOf, rewritesEachCycle } from '../placement/reprogram';
import { bufferFit } from '../placement/buffer-fit';
import { crossPieceAdds } from '../placement/row-merge';
import { badInput } from '../errors';
import { checkLimit } from '../limits';
import type { Deployment, ReOperator } from '../placement/types';
import type { Scenario, ScenarioLayer, ScenarioPhase, ScenarioReop } from './scenario';
import { spilledReopCosts } from '../placement/spilled-costs';
import { edgeHoldRows, inputBufferBytes, rowWindow } from './buffer-bounds';

export interface FromDeploymentOptions {
  /** Override every tenant's batch (requests per tenant). */
  batch?: number;
  /**
   * Charge the first round's initial weight load even when the weights stay resident. It is
   * charged anyway when the schedule rewrites crossbars every repetition (placement/reprogram.ts rewritesEachCycle).
   */
  chargeInitialLoad?: boolean;
  timelineSlots?: number;
  /** Seed of Poisson streams (tenant i uses seed + i). */
  seed?: number;
}

/** Index of the scenario layer for (tenant, layer). */
export interface ScenarioIndex {
  layerOf: (tenant: number, layer: number) => number;
  /** Scenario reop index of each deployment reop. */
  reopOf: number[];
}

export function scenarioFromDeployment(dep: Deployment, opts: FromDeploymentOptions = {}): { scenario: Scenario; index: ScenarioIndex } {
  checkLimit('re-operators of the deployment', dep.reops.length, 'maxReOperators');
  const chip = dep.chip;
  const [gridRows, gridCols] = routerGrid(chip);
  const tiles = tileCount(chip);
  const tileRouter = Array.from({ length: tiles }, (_, t) => {
    const [r, c] = routerCoord(chip, t);
    return r * gridCols + c;
  });
  const noc = nocCosts(chip);
  const act = actionCosts(chip).actions;
  const actBytes = chip.precision.activation_bits / 8;
  const comp = (name: string): number => ENERGY_COMPONENTS.indexOf(name as (typeof ENERGY_COMPONENTS)[number]);

  const byTenant: ReOperator[][] = dep.tenants.map((_, ti) => dep.reops.filter((r) => r.tenant === ti));
  const mappings = dep.tenants.map((t) => t.mapped.mappings);
  // Working sets beyond a tile's buffer spill off-chip, as in the analytic evaluation.
  const fit = bufferFit(dep);
  // Each re-operator's costs with its own tile's spill (placement/spilled-costs.ts).
  const placed = spilledReopCosts(dep, fit);

  // phases: one per (tenant, deployment phase); a layer belongs to the latest phase of its pieces
  const phases: ScenarioPhase[] = [];
  const phaseIdx: number[][] = [];
  dep.tenants.forEach((t, ti) => {
    // A loop, not Math.max(...spread): deployments can hold more re-operators than call arguments fit.
    const n = byTenant[ti]!.reduce((m, r) => Math.max(m, r.phase + 1), Math.max(1, t.phases));
    phaseIdx[ti] = [];
    for (let ph = 0; ph < n; ph++) {
      const rp = loadCharged(ph, 0, false) ? reprogramOf(dep.chip, mappings[ti]!, byTenant[ti]!.filter((r) => r.phase === ph)) : { programS: 0, transferS: 0, energyJ: 0 };
      phaseIdx[ti]![ph] = phases.length;
      // The transfer uses the chip's one off-chip link (shared, FIFO); programming runs on the tenant's own crossbars.
      phases.push({ tenant: ti, writeTimeS: rp.programS, transferTimeS: rp.transferS, writeEnergyJ: rp.energyJ, after: ph > 0 ? [phases.length - 1] : [] });
    }
  });
  // rounds: round k's first phases follow every last phase of round k-1; each loads its own
  // weights over the shared off-chip link, in member order (the simulator serializes them, FIFO),
  // so the round's last member starts after the round's combined transfer.
  const rounds = dep.rounds.length ? dep.rounds : [dep.tenants.map((_, i) => i)];
  rounds.forEach((members, ri) => {
    if (!loadCharged(0, ri, !!opts.chargeInitialLoad || rewritesEachCycle(dep))) return;
    const prevLast = ri > 0 ? rounds[ri - 1]!.map((ti) => phaseIdx[ti]![phaseIdx[ti]!.length - 1]!) : [];
    for (const ti of members) {
      const load = reprogramOf(dep.chip, mappings[ti]!, byTenant[ti]!.filter((r) => r.phase === 0));
      const first = phases[phaseIdx[ti]![0]!]!;
      first.writeTimeS = load.programS;
      first.transferTimeS = load.transferS;
      first.writeEnergyJ = load.energyJ;
      first.after = prevLast;
    }
  });
  // Turns: a schedule that reloads weights repeats, each repetition serving the requests that
  // arrived before it (docs/simulator.md, "Turns"). The last round's last phases
  // ready the first round again; a tenant in phases on its own loops from its last phase to its first.
  const inTurns = dep.tenants.map((_, ti) => rounds.length > 1 || phaseIdx[ti]!.length > 1);
  if (rounds.length > 1) {
    const lastRound = rounds[rounds.length - 1]!.map((ti) => phaseIdx[ti]!.at(-1)!);
    for (const ti of rounds[0]!) phases[phaseIdx[ti]![0]!]!.again = lastRound;
  } else inTurns.forEach((on, ti) => on && (phases[phaseIdx[ti]![0]!]!.again = [phaseIdx[ti]!.at(-1)!]));

  const layers: ScenarioLayer[] = [];
  const layerIndex: number[][] = [];
  /** Scenario layers of each (tenant, layer): one per phase the layer's pieces occupy. */
  const instances: number[][][] = [];
  const reops: ScenarioReop[] = [];
  const reopOf: number[] = new Array<number>(dep.reops.length).fill(-1);
  const edges: Scenario['edges'] = [];
  const reopIds = new Map<ReOperator, number>(dep.reops.map((r, i) => [r, i]));

  dep.tenants.forEach((t, ti) => {
    const g = t.graph;
    layerIndex[ti] = [];
    instances[ti] = [];
    const outBytes = g.layers.map(() => 0);
    for (const e of g.edges) outBytes[e.from] = Math.max(outBytes[e.from]!, e.elemsPerRow * actBytes);
    // The tenant's re-operators by layer (in deployment order), grouped once.
    const ofLayer: ReOperator[][] = g.layers.map(() => []);
    for (const r of byTenant[ti]!) ofLayer[r.layer]?.push(r);
    g.layers.forEach((layer, li) => {
      const mine = ofLayer[li]!;
      if (mine.length === 0) throw badInput(`layer '${layer.name}' has no re-operator`, { node: layer.name, field: 'reops' });
      const m = mappings[ti]![li]!;
      const rows = Math.max(1, layer.outRows);
      const units = Math.max(1, Math.round(layer.mvms / rows));
      // A layer cut across phases (larger than the chip) runs once per phase on that phase's
      // pieces; its consumers read the output of its last phase (earlier partial outputs wait in
      // buffers). Matches evaluateDeployment, which profiles each phase's layers separately.
      const byPhase = new Map<number, ReOperator[]>();
      for (const r of mine) {
        const part = byPhase.get(r.phase);
        if (part) part.push(r);
        else byPhase.set(r.phase, [r]);
      }
      instances[ti]![li] = [];
      for (const ph of [...byPhase.keys()].sort((a, b) => a - b)) {
        const part = byPhase.get(ph)!;
        const phase = phaseIdx[ti]![ph]!;
        const pieces = part.reduce((m, r) => Math.max(m, r.pieces), 0);
        const rowSplit = part.some((r) => r.rowSplit);
        // Cross-piece merge: the copy's adder tree minus the levels each piece already did (reopCosts.mergeTimeS).
        const pieceMerge = part.reduce((mx, r) => Math.max(mx, m.digital ? 0 : mergeTimeS(chip, Math.max(1, r.rowBlocks))), 0);
        const mergeTime = rowSplit && pieces > 1 ? Math.max(0, mergeTimeS(chip, m.rowBlocks) - pieceMerge) : 0;
        // bytes a non-first piece sends to piece 0 per MVM: its partial sums (row split) or its output columns
        const piece1 = part.find((r) => r.piece > 0) ?? part[0]!;
        const c1 = dep.reopCosts[reopIds.get(piece1)!]!;
        const psumPerMvm = rowSplit ? c1.psumBytesPerMvm : c1.outputBytesPerMvm;
        const index = layers.length;
        instances[ti]![li]!.push(index);
        layers.push({
          name: byPhase.size > 1 ? `${t.name}/${layer.name}@phase${ph}` : `${t.name}/${layer.name}`,
          tenant: ti,
          phase,
          rows,
          unitsPerRow: units,
          rowSplit: rowSplit && pieces > 1,
          outBytesPerRow: outBytes[li]!,
          psumBytesPerRow: psumPerMvm * units,
          mergeTimePerUnitS: mergeTime,
          // (row pieces - 1) additions per output per MVM (placement/row-merge.ts), shift-and-add energy each
          mergeEnergyPerUnitJ: rowSplit ? crossPieceAdds(m, part) * act.shiftAdd.energyJ : 0,
        });
        // Pieces are renumbered 0..n-1 per copy within this phase's instance.
        const nextPiece = new Map<number, number>();
        for (const r of [...part].sort((a, b) => a.copy - b.copy || a.piece - b.piece)) {
          const piece = nextPiece.get(r.copy) ?? 0;
          nextPiece.set(r.copy, piece + 1);
          const c = placed[reopIds.get(r)!]!;
          reopOf[reopIds.get(r)!] = reops.length;
          reops.push({
            layer: index,
            copy: r.copy,
            piece,
            tile: r.tile,
            // Crossbars, VFU and spill on the re-operator; the buffer port on the tile's shared port.
            timePerUnitS: Math.max(c.busyTimeS, c.spillTimeS) + c.mergeTimeS,
            portTimePerUnitS: c.bufferTimeS,
            energyPerUnitJ: ENERGY_COMPONENTS.map((k) => c.energyPerMvmJ[k]),
            crossbars: r.crossbars,
          });
        }
      }
      layerIndex[ti]![li] = instances[ti]![li]!.at(-1)!;
    });
    const hold = edgeHoldRows(g);
    g.edges.forEach((e, ei) => {
      const rows = Math.max(1, g.layers[e.from]!.outRows);
      for (const to of instances[ti]![e.to]!) {
        edges.push({ from: layerIndex[ti]![e.from]!, to, scale: e.rowMap.scale, offset: e.rowMap.offset, window: rowWindow(e.rowMap, rows), hold: hold[ei]! });
      }
    });
  });

  const scenario: Scenario = {
    mesh: { rows: gridRows, cols: gridCols, torus: chip.topology.kind === 'torus' },
    tileRouter,
    noc: { linkBytesPerS: noc.linkBandwidthBytesPerS, hopLatencyS: noc.hopLatencyS, energyPerByteHopJ: noc.byteHopJ },
    components: [...ENERGY_COMPONENTS],
    nocComponent: comp('noc'),
    mergeComponent: comp('sa'),
    reprogramComponent: comp('reprogram'),
    leakageComponent: comp('leakage'),
    tileLeakageW: tileLeakageW(chip),
    powerPolicy: chip.power_policy,
    wakeEnergyJ: powerParams(chip).wakeJ,
    idleTiles: tiles - new Set(dep.reops.map((r) => r.tile)).size,
    timelineSlots: opts.timelineSlots ?? 16,
    tileBufferBytes: inputBufferBytes(fit, tiles),
    tenants: dep.tenants.map((t, ti) => ({
      name: t.name,
      requests: opts.batch ?? t.batch,
      arrivalRate: t.arrivalRate ?? 0,
      seed: (opts.seed ?? 1) + ti,
      ...(inTurns[ti] ? { turns: true } : {}),
    })),
    phases,
    layers,
    reops,
    edges,
  };
  return { scenario, index: { layerOf: (t, l) => layerIndex[t]![l]!, reopOf } };
}


