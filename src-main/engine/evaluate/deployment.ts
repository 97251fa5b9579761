/**
 * The analytic evaluation of any deployment (direct or optimized) with the profiler's model:
 * rounds, phases, reprogramming, makespan, energy. The optimizer receives it as its evaluator;
 * the pipeline reports it beside the simulated figures.
 */
import type { LayerGraph } from '../workload/ir';
import { tileCount } from '../hardware/costs';
import { allocatedTileStaticJ, idleTilesStaticJ, powerParams, energySplit, type EnergySplit } from '../hardware/power-policy';
import { addEnergy, totalEnergy, zeroEnergy, type EnergyBreakdown } from '../mapping/reop';
import type { Deployment } from '../placement/types';
import { loadCharged, reprogramOf, rewritesEachCycle } from '../placement/reprogram';
import { profileTenant, type TenantProfile } from './profile-tenant';
import { deploymentLinkLoads } from './link-load';
import { maxOf } from '../arrays';
import { bufferFit } from '../placement/buffer-fit';
import { spilledReopCosts } from '../placement/spilled-costs';
import { crossPieceAdds, rowPiecesOf } from '../placement/row-merge';
import { actionCosts } from '../hardware/action-costs';

export interface TenantEvaluation {
  name: string;
  model: string;
  batch: number;
  phases: number;
  round: number;
  tiles: number;
  crossbars: number;
  utilization: number;
  /** Single-inference latency (sum over phases when phased). */
  latencyS: number;
  /** Steady-state initiation interval (the slowest stage over all phases). */
  intervalS: number;
  /** 1 / interval; for a phased tenant, batch / run time (reprogramming included). */
  throughputIps: number;
  /** Time to run the batch: per phase latency + (batch - 1) x interval, plus reprogramming between phases. */
  runTimeS: number;
  /** Start and finish within the whole run (round start + reprogramming + run time). */
  startS: number;
  finishS: number;
  /** Dynamic energy of one inference (leakage excluded). */
  energyPerInferenceJ: number;
  /** Energy of the batch: dynamic, its own reprogramming, and its tiles' static energy under the power policy. */
  energy: EnergyBreakdown;
  energyJ: number;
  /** energy split into dynamic, static on its tiles and reprogramming (sums to energyJ). */
  energySplit: EnergySplit;
  profile: TenantProfile;
}

export interface RoundEvaluation {
  tenants: number[];
  reprogramS: number;
  reprogramJ: number;
  /** Until the round's last tenant finishes: each starts once its weights are in (loads share the off-chip link, in order). */
  timeS: number;
}

export interface DeploymentEvaluation {
  strategy: string;
  definition: string;
  makespanS: number;
  /** Everything: dynamic energy of all batches, reprogramming, and static energy under the power policy. */
  energy: EnergyBreakdown;
  energyJ: number;
  /** Dynamic, static on allocated tiles, static on idle tiles (policy none), reprogramming (sums to energyJ). */
  energySplit: EnergySplit;
  rounds: RoundEvaluation[];
  tenants: TenantEvaluation[];
  /** Mapped / allocated cells over every placed re-operator. */
  utilization: number;
  /** Most tiles in use at once (over rounds and phases) / chip tiles. */
  tileOccupancy: number;
}

/** Analytic evaluation of any deployment (direct or optimized) with the profiler's model. */
export function evaluateDeployment(dep: Deployment): DeploymentEvaluation {
  const chip = dep.chip;
  const power = powerParams(chip);
  const N = tileCount(chip);
  const byTenant = dep.tenants.map((_, ti) => dep.reops.filter((r) => r.tenant === ti));

  // NoC link loads of the placement (evaluate/link-load.ts): the communication bound of each stage.
  const links = deploymentLinkLoads(dep);
  // Working sets beyond a tile's buffer spill off-chip (placement/buffer-fit.ts).
  const fit = bufferFit(dep);
  const { spillBytesPerMvm } = fit;
  const placed = spilledReopCosts(dep, fit);
  const reopIndex = new Map(dep.reops.map((r, i) => [r, i]));
  const shiftAddJ = actionCosts(chip).actions.shiftAdd.energyJ;
  // Time and energy of one tenant (all phases), independent of its round.
  const tenantEval = dep.tenants.map((t, ti) => {
    const reops = byTenant[ti]!;
    const mappings = t.mapped.mappings;
    const copies = t.graph.layers.map(() => 1);
    const tileSets = t.graph.layers.map(() => new Set<number>());
    for (const r of reops) {
      copies[r.layer] = Math.max(copies[r.layer]!, r.copies);
      tileSets[r.layer]!.add(r.tile);
    }
    const layerTiles = tileSets.map((set) => [...set]);
    const spill = spillBytesPerMvm[ti]!;
    // Energy per MVM of each layer as placed: every piece of a copy (a copy's MVM runs on all of them).
    const energyPerMvm = t.graph.layers.map(() => zeroEnergy());
    for (const r of reops) addEnergy(energyPerMvm[r.layer]!, placed[reopIndex.get(r)!]!.energyPerMvmJ, 1 / copies[r.layer]!);
    // A row-split copy's pieces merge at its gather tile, as the simulator charges it.
    const rowPieces = t.graph.layers.map((): typeof reops => []);
    for (const r of reops) if (r.rowSplit) rowPieces[r.layer]!.push(r);
    rowPieces.forEach((pieces, li) => {
      if (pieces.length > 1) energyPerMvm[li]!.sa += crossPieceAdds(mappings[li]!, pieces) * shiftAddJ;
    });
    const rowPieceCount = rowPieces.map((pieces, li) => (pieces.length > 1 ? rowPiecesOf(mappings[li]!, pieces) : 1));
    const profile = profileTenant(t.graph, chip, { mappings, costs: t.mapped.costs, copies, layerTiles, tiles: t.tiles.length, leakage: 'none', links: links[ti]!, spillBytesPerMvm: spill, energyPerMvm, rowPieces: rowPieceCount });
    let latency = 0;
    let interval = 0;
    let runTime = 0;
    const ownReprogram = zeroEnergy();
    const phases = Math.max(1, t.phases);
    if (phases === 1) {
      latency = profile.latencyS;
      interval = profile.intervalS;
      runTime = latency + (t.batch - 1) * interval;
    } else {
      for (let ph = 0; ph < phases; ph++) {
        const inPhase = new Set(reops.filter((r) => r.phase === ph).map((r) => r.layer));
        const sub = subGraph(t.graph, inPhase);
        const subProfile = profileTenant(sub.graph, chip, {
          mappings: sub.keep.map((i) => mappings[i]!),
          costs: sub.keep.map((i) => t.mapped.costs[i]!),
          copies: sub.keep.map((i) => copies[i]!),
          layerTiles: sub.keep.map((i) => layerTiles[i]!),
          leakage: 'none',
          links: { layers: sub.keep.map((i) => links[ti]!.layers[i]!), background: links[ti]!.background },
          spillBytesPerMvm: sub.keep.map((i) => spill[i]!),
        });
        latency += subProfile.latencyS;
        interval = Math.max(interval, subProfile.intervalS);
        runTime += subProfile.latencyS + (t.batch - 1) * subProfile.intervalS;
        if (loadCharged(ph, 0, false)) {
          const rp = reprogramOf(chip, mappings, reops.filter((r) => r.phase === ph));
          runTime += rp.timeS;
          ownReprogram.reprogram += rp.energyJ;
        }
      }
    }
    const dynamicPerInference = { ...profile.energy, leakage: 0 };
    // Tile-seconds of computation per inference (power policy idle): each layer busy on its tiles.
    const busyTileS = profile.layers.reduce((a, l, i) => a + l.timeS * Math.max(1, layerTiles[i]!.length), 0);
    return { profile, latency, interval, runTime, ownReprogram, dynamicPerInference, busyTileS };
  });

  const rounds: RoundEvaluation[] = [];
  const tenants: TenantEvaluation[] = [];
  const total = zeroEnergy();
  let clock = 0;
  let maxTilesAtOnce = 0;
  const steadyLoads = rewritesEachCycle(dep);
  dep.rounds.forEach((members, ri) => {
    // Rounds after the first reprogram the crossbars of their tenants' first phase; the first
    // round too when the schedule rewrites crossbars every repetition (steady state).
    // Each member of a later round loads its first phase's weights over the one off-chip link, in
    // member order (FIFO, as the simulator does): member j is granted the link after the members
    // before it, and starts once its bytes are in and its crossbars programmed.
    let reprogramJ = 0;
    const startOffset = new Map<number, number>();
    let linkFree = 0;
    for (const ti of members) {
      if (!loadCharged(0, ri, steadyLoads)) {
        startOffset.set(ti, 0);
        continue;
      }
      const load = reprogramOf(chip, dep.tenants[ti]!.mapped.mappings, byTenant[ti]!.filter((r) => r.phase === 0));
      startOffset.set(ti, linkFree + Math.max(load.transferS, load.programS));
      linkFree += load.transferS;
      reprogramJ += load.energyJ;
    }
    total.reprogram += reprogramJ;
    // The round's reprogramming time: until its last member could start.
    const reprogramS = Math.max(0, maxOf([...startOffset.values()]));
    let roundTime = 0;
    let tilesNow = 0;
    for (const ti of members) {
      const t = dep.tenants[ti]!;
      const ev = tenantEval[ti]!;
      const start = clock + startOffset.get(ti)!;
      roundTime = Math.max(roundTime, startOffset.get(ti)! + ev.runTime);
      tilesNow += t.phases > 1 ? Math.min(N, t.tiles.length) : t.tiles.length;
      const energy = addEnergy(zeroEnergy(), ev.dynamicPerInference, t.batch);
      energy.reprogram += ev.ownReprogram.reprogram;
      // Static energy under the power policy: the tenant holds its tiles from its round's start
      // (weight loading included) to its finish.
      const tiles = t.tiles.length;
      energy.leakage = allocatedTileStaticJ(power, { heldS: tiles * (startOffset.get(ti)! + ev.runTime), busyS: t.batch * ev.busyTileS, wakes: tiles * t.batch });
      addEnergy(total, energy);
      tenants[ti] = {
        name: t.name,
        model: t.model,
        batch: t.batch,
        phases: t.phases,
        round: ri,
        tiles: t.tiles.length,
        crossbars: byTenant[ti]!.reduce((s, r) => s + r.crossbars, 0),
        utilization: ev.profile.utilization,
        latencyS: ev.latency,
        intervalS: ev.interval,
        // A phased tenant reprograms between phases on every run: its rate is the batch over the run time.
        throughputIps: t.phases > 1 ? t.batch / ev.runTime : ev.interval > 0 ? 1 / ev.interval : 0,
        runTimeS: ev.runTime,
        startS: start,
        finishS: start + ev.runTime,
        energyPerInferenceJ: totalEnergy(ev.dynamicPerInference),
        energy,
        energyJ: totalEnergy(energy),
        energySplit: energySplit(energy),
        profile: ev.profile,
      };
    }
    maxTilesAtOnce = Math.max(maxTilesAtOnce, tilesNow);
    rounds.push({ tenants: members, reprogramS, reprogramJ, timeS: roundTime });
    clock += roundTime;
  });
  // Without gating the rest of the chip leaks too (charged to no tenant).
  const staticIdleJ = idleTilesStaticJ(power, N, clock, total.leakage);
  total.leakage += staticIdleJ;

  let mapped = 0;
  let allocated = 0;
  dep.tenants.forEach((t, ti) => {
    const mappings = t.mapped.mappings;
    for (const r of byTenant[ti]!) {
      const m = mappings[r.layer]!;
      if (m.crossbars === 0) continue;
      mapped += (m.mappedCells * r.crossbars) / m.crossbars;
      allocated += r.crossbars * chip.pe.crossbar.rows * chip.pe.crossbar.cols;
    }
  });

  return {
    strategy: dep.strategy,
    definition: dep.definition,
    makespanS: clock,
    energy: total,
    energyJ: totalEnergy(total),
    energySplit: energySplit(total, staticIdleJ),
    rounds,
    tenants,
    utilization: allocated > 0 ? mapped / allocated : 1,
    tileOccupancy: maxTilesAtOnce / N,
  };
}

/** The layers of one phase as a LayerGraph of their own (edges from other phases dropped: those inputs wait in buffers). */
function subGraph(graph: LayerGraph, layers: Set<number>): { graph: LayerGraph; keep: number[] } {
  const keep = [...layers].sort((a, b) => a - b);
  const index = new Map(keep.map((old, i) => [old, i]));
  return {
    keep,
    graph: {
      model: graph.model,
      layers: keep.map((old, i) => ({ ...graph.layers[old]!, index: i })),
      edges: graph.edges
        .filter((e) => index.has(e.from) && index.has(e.to))
        .map((e) => ({ ...e, from: index.get(e.from)!, to: index.get(e.to)! })),
      sources: keep.filter((old) => graph.sources.includes(old)).map((old) => index.get(old)!),
      inputRows: graph.inputRows,
    },
  };
}
