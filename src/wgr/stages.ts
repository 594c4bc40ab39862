/**
 * GloWGR's stage functions, exported together as `glow.wgr.stages` for step-by-step use and tests
 * (each mirrors one of Glow's pandas UDFs or model functions).
 */
export {
  WgrInputs, assembleDesign, sliceLabels, groupRows, mapNormalEqn, ridgeMap, reduceNormalEqn, ridgeReduce, solveNormalEqn, ridgeSolve,
  ridgeFit, AUTO_INVERSE_MAX_COLUMNS, predictGroup, newHeaders, ridgeApply, rSquared, summarizeScores, ridgeCrossValidate, predictLevel1, locoPattern, chromosomeSortIndex,
} from "./ridge-stages.js";
export type { GroupMode } from "./ridge-stages.js";
export {
  constrainedLogisticFit, getIrlsPieces, labelMask, fitCovariateBetas, mapIrlsEqn, logisticMap, reduceIrlsEqn, logisticReduce, solveIrlsEqn,
  logisticSolve, logLoss, logisticCrossValidate, sigmoidInPlace,
} from "./logistic-stages.js";
export type { IrlsEquations } from "./logistic-stages.js";
export { isBinary, fillNaAndStandardize, prepareLabelsAndWarn, prepareCovariates, pairwiseSum } from "./labels.js";
export { createAlphaDict, alphasForHeaderCount, countLabelFreeHeaders, sortedAlphaNames, labelFreeHeader } from "./alphas.js";
export { minimizeLbfgsb } from "../linalg/ridge-lbfgsb.js";
export type { LbfgsbOptions, LbfgsbResult } from "../linalg/ridge-lbfgsb.js";
export { ridgeFitParallel, shutdownWgrWorkers, PARALLEL_MIN_VALUES } from "./parallel.js";
