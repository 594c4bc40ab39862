/** GloWGR (`glow.wgr`): blocking, RidgeReduction, RidgeRegression, LogisticRidgeRegression, LOCO offsets. */
export { getSampleIds } from "./sample-ids.js";
export { blockVariantRows, makeSampleBlocks, sampleBlockRanges, arrayMeanAndSd } from "./blocking.js";
export { blockVariantsAndSamples, StreamedBlockMatrix } from "./streamed-blocks.js";
export type { BlockingOptions, StreamedBlockedVariants, StreamableFrame, HeaderBlockLayout } from "./streamed-blocks.js";
export type { BlockVariantInput, BlockedVariants, BatchSource } from "./blocking.js";
export { BlockMatrix, BlockMatrixBuilder, readBlockMatrixParquet, readSampleBlocksParquet } from "./block-matrix.js";
export type { BlockRow, SampleBlocks } from "./block-matrix.js";
export { RidgeReduction } from "./ridge-reduction.js";
export type { RidgeReductionOptions } from "./ridge-reduction.js";
export { RidgeRegression } from "./ridge-regression.js";
export type { RidgeRegressionOptions, RidgeFitResult } from "./ridge-regression.js";
export { LogisticRidgeRegression } from "./logistic-ridge-regression.js";
export type { LogisticRidgeRegressionOptions, LogisticResponse } from "./logistic-ridge-regression.js";
export { estimateLocoOffsets, estimateLocoOffsetsToTable } from "./estimate-loco-offsets.js";
export type { EstimateLocoOffsetsOptions } from "./estimate-loco-offsets.js";
export { LocoPredictions, locoIndex, locoFromDanfo } from "./loco.js";
export { SampleTable, toSampleTable } from "./sample-table.js";
export type { SampleTableLike } from "./sample-table.js";
export { RidgeModel, CrossValidation, inferChromosomes } from "./ridge-stages.js";
export type { RidgeModelBlock, NormalEquations, Design, RidgeSolver } from "./ridge-stages.js";
export type { LabelType, WgrLogger } from "./labels.js";
export type { AlphaDict } from "./alphas.js";
export { shutdownWgrWorkers } from "./parallel.js";
/** The stage functions (map → reduce → solve → apply), for inspection and tests. */
export * as stages from "./stages.js";
export { writeBlockMatrixParquet, writeSampleBlocksJson, readSampleBlocksJson } from "./persist.js";
export { regenieRidge, REGENIE_HERITABILITY_GRID } from "./regenie-ridge.js";
export type { RegenieRidgeOptions, RegenieRidgeResult } from "./regenie-ridge.js";
