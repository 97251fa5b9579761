/**
 * The result of evaluating one deployment (one strategy on one spec): what `retile run --json`
 * prints, what a project stores per run, and what the UI draws. Field names are the CLI's stable
 * JSON names (snake_case, units in the name). Plain data only.
 */
import type { BoundTerm } from '../evaluate/bound';
import type { EnergySplit } from '../hardware/power-policy';
import type { TraceRow } from '../optimize/trace';
import type { OptimumFigures } from '../optimize/analytic-optimum';
import type { BufferFigures } from './buffer-figures';
import type { WriteWear } from '../placement/reprogram';

export type { TraceRow };

export interface TenantResult {
  name: string;
  model: string;
  batch: number;
  priority: number;
  /** Mean request latency (batch mode: each inference's finish minus its arrival). */
  latency_s: number;
  p50_s: number;
  p99_s: number;
  /** When the tenant's last inference finished. */
  finish_s: number;
  throughput_ips: number;
  energy_j: number;
  /** energy_j split: dynamic, static on the tenant's tiles (power policy), reprogramming. */
  energy_split_j?: EnergySplit;
  tiles: number;
  crossbars: number;
  /** Total copies over all layers (= layers when nothing is duplicated). */
  copies: number;
  /** Total re-operator pieces over all layers and copies. */
  pieces: number;
  phases: number;
  /** Normalized turnaround time vs the tenant alone on the whole chip with its best duplication. */
  ntt: number;
  sla_ms: number | null;
  sla_met: boolean | null;
  /** Simulated batch turnaround of the tenant alone on the whole chip with its best duplication (NTT's reference). */
  alone_s?: number;
  /** Tiles of the tenant's area share (its placement may use fewer). */
  share_tiles?: number;
}

export interface LayerResult {
  tenant: string;
  name: string;
  kind: string;
  rows: number;
  cols: number;
  copies: number;
  pieces: number;
  crossbars: number;
  mvms: number;
  /** Analytic time of the layer per inference with its copies. */
  latency_s: number;
  energy_j: number;
  utilization: number;
  class: 'area' | 'compute' | 'balanced';
}


export interface PlacedReOp {
  tenant: number;
  layer: number;
  layer_name: string;
  copy: number;
  piece: number;
  tile: number;
  crossbars: number;
}

export interface TimelineBar {
  reop: number;
  tenant: number;
  start_s: number;
  end_s: number;
}

export interface AnalyticFigures {
  makespan_s: number;
  energy_j: number;
  tenants: { name: string; latency_s: number; throughput_ips: number; energy_j: number }[];
}

export interface RunResult {
  strategy: string;
  objective: string;
  seed: number;
  /** How the deployment was formed (the baseline's definition is printed next to every speed-up). */
  definition: string;
  direct_definition: string;
  chip: { name: string; mesh: [number, number]; tiles: number; crossbars: number };
  makespan_s: number;
  energy_j: number;
  edp_js: number;
  lower_bound_s: number;
  gap_to_bound: number;
  speedup_vs_direct: number;
  energy_gain_vs_direct: number;
  // The next five are always written by runDeployment; results stored by older versions lack them.
  /** The three baselines simulated from the same spec, each with its definition (docs/method.md, "Baselines"). */
  /** Each baseline's simulated figures, and its `writes` when it reprograms (sequential with several tenants always does). */
  baselines?: Record<'direct' | 'balanced' | 'sequential', { makespan_s: number; energy_j: number; definition: string; writes?: WriteWear }>;
  /** The fastest baseline by simulated makespan: the denominator of the headline figures. */
  best_baseline?: 'direct' | 'balanced' | 'sequential';
  speedup_vs_best_baseline?: number;
  energy_gain_vs_best_baseline?: number;
  /** Sustained operations (2 per MAC) over the makespan / the chip's peak operations per second. */
  peak_fraction?: number;
  /** The optimum under the analytic model where the mixed-integer program is small enough (docs/method.md, "Analytic optimum"); absent when the host gave no solver. */
  analytic_optimum?: OptimumFigures;
  /** Wall-clock seconds this run took (with `events_per_s`, the only fields that differ between identical runs). */
  seconds: number;
  events: number;
  /** Events the run's simulations ran per second of their wall time (clock-dependent like `seconds`; 0 when every simulation was remembered; absent from results stored by older versions). */
  events_per_s?: number;
  tenants: TenantResult[];
  metrics: {
    antt: number;
    stp: number;
    fairness: number;
    jain: number;
    sla_rate: number | null;
    temporal_utilization: number;
    spatial_utilization: number;
    allocated_fraction: number;
  };
  analytic: AnalyticFigures;
  trace: TraceRow[];
  layers: LayerResult[];
  placement: { mesh: [number, number]; reops: PlacedReOp[] };
  energy_breakdown_j: Record<string, number>;
  /** energy_j split: dynamic, static on allocated tiles, static on idle tiles, reprogramming. Absent in runs stored before it existed. */
  energy_split_j?: EnergySplit;
  /** Which tiles drew static power (hardware/power-policy.ts). */
  power_policy?: 'none' | 'unused' | 'idle';
  /** Chip-spec cost fields given rather than derived by their component models. */
  pinned?: string[];
  /** Writes per cell and lifetime of the chosen deployment's schedule repeated back to back; present only when it reprograms. */
  writes?: WriteWear;
  tile_busy_s: number[];
  timeline: TimelineBar[];
  /** Bounded input buffers in the simulation: stalls and peak occupancy per stage. Absent in runs stored before it existed. */
  buffers?: BufferFigures;
  /** The direct baseline's simulated figures (the denominator of speed-up and energy gain). */
  direct?: { makespan_s: number; energy_j: number };
  /** Candidates simulated for this result (collaborative keeps the fastest; see docs/method.md). */
  candidates?: { strategy: string; makespan_s: number; energy_j: number }[];
  /** The candidate that produced this result (collaborative: the fastest simulated one). */
  chosen_candidate?: string;
  /** Tenants (indices) resident together; rounds run one after another with reprogramming between. */
  rounds?: number[][];
  /** Operator classes and inter-layer parallelism per tenant (docs/method.md#step-1-profile-and-classification). */
  classification?: { tenant: string; area: number; compute: number; balanced: number; parallelism: number; pipeline_depth: number }[];
  /** The lower bound's terms (docs/method.md, "Lower bound"); per-tenant arrays in tenant order. */
  bound?: {
    work_s: number;
    critical_path_s: number[];
    reprogram_s?: number[];
    /** Per tenant: the slowest layer at its most copies (copy cap, chip area), after the chain before it. */
    stage_s?: number[];
    /** Every unit's buffer bytes over the chip's tile ports. */
    buffer_port_s?: number;
    /** Per tenant: NoC ejection into the routers of its widest consumers. */
    noc_s?: number[];
    /** The term that sets lower_bound_s. */
    binding?: BoundTerm;
    /** Whether the makespan is within 2x of the bound, so that the ratio certifies the plan (docs/method.md, "Lower bound"). */
    certifies?: boolean;
  };
  /** The optimizer settings in force (docs/method.md). */
  settings?: Record<string, number | boolean>;
}
