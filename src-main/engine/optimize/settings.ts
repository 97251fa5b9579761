/**
 * Every constant of the optimizer in one place, each with the reason it has its value.
 * docs/method.md repeats them; change them here only.
 */
export const OPTIMIZER_SETTINGS = {
  // ---- classification (docs/method.md#step-1-profile-and-classification)
  /**
   * A layer is area-intensive when its footprint share (its crossbars / the tenant's) is at least
   * AREA_RATIO times its work share (its crossbar-MVM time / the tenant's), computation-intensive
   * when its work share is at least AREA_RATIO times its footprint share, balanced otherwise.
   * 2 = "twice as much of one as of the other": a round, symmetric cut that puts VGG16's FC layers
   * and late convs in 'area' and its first convs in 'compute' (docs/method.md, classification).
   */
  classRatio: 2,

  // ---- tenant level (docs/method.md#step-2-tenant-level)
  /** Initial learning rate: the fraction of a tenant's share moved per unit of normalized gap. */
  learningRate: 0.5,
  /** Learning-rate decay when the worst cost does not improve (halving: the classic step-size back-off). */
  learningRateDecay: 0.5,
  /** Stop when (worst - best) / worst cost is below this: 2 % is below the analytic model's own error vs the simulator. */
  tolerance: 0.02,
  /** Hard cap on tenant-level iterations (keeps the run inside the 1 s budget; convergence takes 10-30). */
  maxIterations: 60,
  /**
   * The simulator as referee of the learning-rate loop: the loop's best share vectors by the
   * analytic objective (this many per round, the footprint-proportional start among the
   * evaluated ones) are each deployed and simulated, and the fastest is the candidate. The
   * analytic model ranks close share vectors unreliably (docs/simulator.md); three simulations
   * per run keep a 32x32 run near its time budget.
   */
  refereeCandidates: 3,
  /**
   * Two simulated makespans within this relative difference are the same to the referee, and the
   * lower total energy decides (optimize/referee-order.ts). Makespans are f64 sums of event
   * times: the same critical path gives bit-identical makespans (medium-16x32: learning-rate and
   * operator), the same durations summed in another order differ by a few ulps (under 1e-12
   * relative for a million events); the smallest real difference between two candidates of the
   * study is 0.16 % (medium-8x8). 1e-9 sits between the two.
   */
  makespanTieRel: 1e-9,
  /**
   * The simulator in the learning loops (docs/method.md, step 2): each share vector's deployment
   * is simulated and every tenant's analytic cost scaled by its simulated / analytic run time,
   * while the loop's simulated rows (one event per row of every re-operator and request, the
   * simulator's own lower bound on its events) stay within loopSimRows; past it the last ratios
   * carry over (the analytic model calibrated at the last simulated point). The start is
   * simulated whenever it has at most loopSimStartRows rows. 1e6 rows are a few seconds of
   * simulation on one core: a batch-1 study case simulates every point of its loops.
   */
  loopSimRows: 1_000_000,
  loopSimStartRows: 4_000_000,

  // ---- operator level (docs/method.md#step-3-operator-level)
  /**
   * Absolute cap on copies of one layer (besides its MVM count): bounds the re-operators the
   * simulator replays; past the NoC floor (mapping/mapped-tenant.ts) more copies gain nothing anyway.
   */
  maxCopiesPerLayer: 256,
  /** Budget retries when packing wastes more fragments than estimated (each retry removes the overflow). */
  packRetries: 8,

  // ---- SLA objective
  /** A tenant without sla_ms is held to SLA_FACTOR x its time alone on the whole chip (a relative SLA, k x time alone; k = 2, the middle of the tightness levels 1.2, 2 and 4). */
  slaFactor: 2,

  // ---- anneal (docs/method.md#step-5-strategies-lower-bound-anneal, cross-check)
  annealIterations: 400,
  /** Start temperature as a fraction of the initial cost; geometric cooling to 1e-3 of it. */
  annealT0: 0.05,
  annealTEnd: 1e-3,
  /**
   * Documented margin: on the quick study `anneal` may beat `collaborative` (simulated makespan)
   * by at most this fraction; more means the collaborative optimizer must be improved.
   */
  annealMargin: 0.05,
} as const;

export type OptimizerSettings = typeof OPTIMIZER_SETTINGS;
