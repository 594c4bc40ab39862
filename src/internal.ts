/**
 * `glow.internal`: building blocks of glowts' own modules, exported for tests, benchmarks and
 * extensions that need them. Not part of the stable API: names here may change in any release.
 * @ignore
 * @packageDocumentation
 */
export { decodeBedToGenotypeStates, decodeBedToCalls, bedBlockSize, bedVariantOffset, BED_CODE_CALLS, BED_CODE_STATES } from "./io/plink/bed-decode.js";
export { hardCallsFromProbabilities, hardCallsInto } from "./io/bgen/hard-calls.js";
export { escapeHtml, wrapHtml, renderAs, rendererFor } from "./core/mime.js";
export {
  renderGwasResults, renderBlockMatrix, renderRidgeModel, renderCrossValidation, renderLocoPredictions, renderEvaluation, isGwasResults,
  type GwasResultsInput, type GwasResultsDisplayOptions,
} from "./display/index.js";
export { registerFunction, lookupFunction, functionNames, type ColumnFunction } from "./core/function-registry.js";
