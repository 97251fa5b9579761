/**
 * A deployment: tenants' layers reconstructed into re-operators and placed on the chip.
 * Produced by the direct baseline and by every optimizer strategy; consumed by the analytic
 * evaluation and by the Wasm event simulator. Plain data only (JSON- and clone-safe). It carries
 * what its readers would otherwise derive again: each tenant's layers mapped on the chip
 * (`DeployedTenant.mapped`) and each re-operator's per-MVM costs (`reopCosts`).
 */
import type { ChipSpec } from '../hardware/spec';
import type { TenantWorkload } from '../workload/tenant';
import type { MappedTenant } from '../mapping/mapped-tenant';
import type { ReopCosts } from '../mapping/reop';

export type { TenantWorkload };

/** The placed unit after reconstruction: (tenant, layer, copy, piece). */
export interface ReOperator {
  /** Index into Deployment.tenants. */
  tenant: number;
  /** Index into the tenant's LayerGraph.layers. */
  layer: number;
  /** Duplicator: this copy's index, and how many copies the layer has. Copies share the layer's output positions. */
  copy: number;
  copies: number;
  /** Splitter: this piece's index within its copy, and the copy's piece count. */
  piece: number;
  pieces: number;
  /** Crossbar row blocks and column blocks this piece holds (row blocks produce partial sums to merge). */
  rowBlocks: number;
  colBlocks: number;
  /** True when the copy was cut along rows: the pieces' partial sums are merged by digital adders. */
  rowSplit: boolean;
  /** Crossbars this re-operator occupies (0 for digital-only act x act matmuls). */
  crossbars: number;
  /** Tile index, row-major on the mesh: tile = r * meshCols + c. */
  tile: number;
  /** First PE (IMA) used within the tile. */
  pe: number;
  /** Phase of its tenant (0 unless the tenant runs in phases with reprogramming in between). */
  phase: number;
}


export interface DeployedTenant extends TenantWorkload {
  /** Poisson arrival rate (requests per second); absent for batch mode. */
  arrivalRate?: number;
  /** Number of phases (1 when all weights are resident). */
  phases: number;
  /** Tiles the tenant occupies. */
  tiles: number[];
  /** Its deployed graph mapped on the deployment's chip, once (layer mappings, whole-copy costs). */
  mapped: MappedTenant;
  /**
   * Set on a request-level replica (placement/replicas.ts): the index of the tenant it copies,
   * whose requests it shares. Absent on the spec's own tenants.
   */
  replicaOf?: number;
}

export interface Deployment {
  strategy: string;
  chip: ChipSpec;
  tenants: DeployedTenant[];
  reops: ReOperator[];
  /** Per-MVM costs of each re-operator (index-aligned with `reops`), nothing spilled: placement/reop-costs.ts. */
  reopCosts: ReopCosts[];
  /**
   * Rounds of execution: tenants within a round run concurrently; rounds run one after another
   * with crossbars reprogrammed in between (write time and energy charged). One round when
   * everything fits at once.
   */
  rounds: number[][];
  /** Human-readable definition of how this deployment was formed (printed next to results). */
  definition: string;
}
