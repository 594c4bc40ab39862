/** The cohort simulator (`glow.simulate`). */
export { cohort, cohortDefaults, regenieTable } from "./cohort.js";
export type { Cohort, CohortOptions, CohortTruth, CausalVariant } from "./cohort.js";
export { Random, normalQuantile, normalCdf } from "./random.js";
export { evaluate, lambdaGc, Evaluation } from "./evaluate.js";
export type { EvaluateOptions, TraitEvaluation, AssociationRow } from "./evaluate.js";
