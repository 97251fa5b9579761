/**
 * Multi-tenant metrics (docs/method.md#metrics), named and defined as in the multi-tenant accelerator
 * literature: PREMA (Choi and Rhu, HPCA 2020), MoCA (Kim et al., HPCA 2023), Planaria (Ghodrati et
 * al., MICRO 2020), MAGMA (Kao and Krishna, HPCA 2022); STP after Eyerman and Eeckhout (IEEE Micro 2008). T_i^alone is tenant i alone on the whole chip with its own best
 * duplication (the collaborative operator level over every tile), simulated like the run itself.
 *  - NTT_i = T_i^MT / T_i^alone (batch turnaround: finish of its last inference, all arrive at 0)
 *  - ANTT = mean NTT; STP = sum NP_i with NP_i = 1 / NTT_i
 *  - fairness F = min NP / max NP; Jain J = (sum NP)^2 / (n sum NP^2)
 *  - SLA rate = |{i with an SLA: mean latency_i <= SLA_i}| / |{i with an SLA}|, null without SLAs
 *  - temporal utilization = busy crossbar-seconds / (chip crossbars x makespan) (MAGMA-style)
 *  - spatial utilization = mapped cells / allocated cells; allocated fraction = crossbars
 *    allocated at once (largest round/phase) / chip crossbars
 *  - EDP = energy x makespan (Herald, SET); speed-up = makespan_direct / makespan; energy gain =
 *    energy_direct / energy (Li et al. 2024's "direct deployment" comparison).
 */
import { maxOf, minOf } from '../arrays';

export interface MultiTenantInput {
  turnaroundS: number[];
  aloneS: number[];
  latencyS: number[];
  slaS: (number | null)[];
}

export interface MultiTenantMetrics {
  ntt: number[];
  antt: number;
  stp: number;
  fairness: number;
  jain: number;
  slaMet: (boolean | null)[];
  slaRate: number | null;
}

export function multiTenantMetrics(x: MultiTenantInput): MultiTenantMetrics {
  const n = x.turnaroundS.length;
  const ntt = x.turnaroundS.map((t, i) => t / Math.max(x.aloneS[i]!, 1e-30));
  const np = ntt.map((v) => 1 / v);
  const sumNp = np.reduce((a, b) => a + b, 0);
  const sumNp2 = np.reduce((a, b) => a + b * b, 0);
  const slaMet = x.slaS.map((s, i) => (s === null ? null : x.latencyS[i]! <= s));
  const withSla = slaMet.filter((m) => m !== null);
  return {
    ntt,
    antt: ntt.reduce((a, b) => a + b, 0) / n,
    stp: sumNp,
    fairness: minOf(np) / maxOf(np),
    jain: (sumNp * sumNp) / (n * sumNp2),
    slaMet,
    slaRate: withSla.length ? withSla.filter((m) => m).length / withSla.length : null,
  };
}

/** Ratio of a baseline figure to ours (> 1: ours is better); 1 when both are 0. */
export function gain(baseline: number, ours: number): number {
  if (ours <= 0) return baseline <= 0 ? 1 : Infinity;
  return baseline / ours;
}
