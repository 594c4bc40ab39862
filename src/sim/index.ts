/** The cohort simulator (`glow.simulate`). */
export { cohort, cohortDefaults, regenieTable } from "./cohort.js";
export type { Cohort, CohortOptions, CohortTruth, CausalVariant } from "./cohort.js";
export { Random } from "./random.js";
