/** One row of the tenant-level learning loop's trace (shown in the result document). */
export interface TraceRow {
  iteration: number;
  /** Crossbars (or tiles) given to each tenant, in tenant order. */
  shares: number[];
  latencies_s: number[];
  learning_rate: number;
  /** The objective of this row's round (rounds are partitioned one after another). */
  objective: number;
  /** Which round of execution this row belongs to (tenants that do not fit together run in rounds). */
  round?: number;
  /** Tenant indices partitioned in this row's round; the others' shares and latencies are carried over. */
  members?: number[];
}
