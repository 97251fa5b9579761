/**
 * What every strategy is given (optimize/strategies.ts), apart from the strategies themselves so
 * the baselines (baselines.ts), which the strategies also use, can take it without a cycle.
 */
import type { ChipSpec } from '../hardware/spec';
import type { Deployment } from '../placement/types';
import type { ProgressSink } from '../progress';
import type { AloneFigures, LoopObjective } from './objective';
import type { Evaluator } from './deploy-plans';
import type { MappedTenant } from '../mapping/mapped-tenant';

export interface StrategyContext {
  chip: ChipSpec;
  models: MappedTenant[];
  /** The burst objective of the run, or 'throughput' for the loop steered by a stream's cost (throughputStrategy). */
  objective: LoopObjective;
  seed: number;
  /** Single-copy need of each tenant (tiles, packed). */
  need: number[];
  alone: AloneFigures[];
  progress?: ProgressSink;
  /** Analytic evaluator of a whole deployment (injected: strategies never import the evaluator or the simulator). */
  evaluate: Evaluator;
  /**
   * The simulator in the learning loops (injected by pipeline/run.ts): every tenant's simulated
   * finish time in the deployment, in tenant order, and the rows simulated, or null when the
   * deployment has more than `maxRows` rows to compute. Without it the analytic model steers.
   */
  measure?: (dep: Deployment, maxRows: number) => { finishS: number[]; rows: number } | null;
}
