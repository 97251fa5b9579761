/**
 * Objectives of a serving run, refereed by serving every candidate (docs/simulator.md, "Serving
 * objectives"), in a file of their own so the API's argument schemas (bundled with the renderer)
 * share them without the report code.
 */
export const SERVING_OBJECTIVES = ['throughput', 'sla-attainment'] as const;
export type ServingObjective = (typeof SERVING_OBJECTIVES)[number];
