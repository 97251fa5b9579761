/**
 * The bounds of a serving sweep (pipeline/serve.ts serveSweep), in a file of their own so the API's
 * argument schemas (bundled with the renderer) share them without the pipeline.
 */
export const SERVE_SWEEP_LIMITS = {
  /** Most request rates in one sweep. */
  rates: 8,
  /** Highest rate, requests/s per tenant (a microsecond between arrivals). */
  maxRate: 1e6,
  /** Requests per tenant per stream, warm-up included. */
  minRequests: 20,
  maxRequests: 2000,
} as const;
