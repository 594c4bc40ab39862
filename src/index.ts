/**
 * glowts — Glow's population-genomics toolkit in TypeScript.
 *
 * ```ts
 * import * as glow from "glowts";
 * const df = glow.read("vcf", "genotypes.vcf.gz")
 *   .withColumn("values", glow.functions.meanSubstitute(glow.functions.genotypeStates("genotypes")));
 * await df.show();
 * ```
 * @packageDocumentation
 */
export { read } from "./read.js";
export { VariantFrame, batchRows } from "./frame/variant-frame.js";
export type { ActionOptions, VariantRow } from "./frame/variant-frame.js";
export { GroupedFrame } from "./frame/variant-frame.js";
export { SortOrder, AggregateExpr } from "./frame/sort-aggregate.js";
export { Col, col, lit } from "./frame/expr.js";
export type { ColLike, ExprNode } from "./frame/expr.js";
export type { Column, VariantBatch, Field, DataType, GenotypesColumn, ListColumn } from "./frame/column.js";
export { getValue, typeToString } from "./frame/column.js";
export { GlowtsError } from "./errors.js";
export { config, type EngineConfig } from "./engine/config.js";
export { shutdown } from "./engine/pool.js";
export type { Progress, ProgressCallback } from "./engine/progress.js";
export * as functions from "./functions/index.js";
export { genotypeStates, meanSubstitute, hardCalls, arraySize, arrayDistinct, callSummaryStats, hardyWeinberg, expandStruct } from "./functions/index.js";
export * as wgr from "./wgr/index.js";
export { transform, transformerNames } from "./transform/index.js";
export { registerFormat, readerFormats } from "./io/registry.js";
export type { FormatReader, PartitionSpec, SourcePlan, PlanContext, RegionHint } from "./io/source.js";
export * as simulate from "./sim/index.js";
export { readSampleTable, parseSampleTable, tableToMatrix, readRegenieLoco, readRegeniePredList, parseRegenieLoco, offsetKey, parseOffsetKey, OFFSET_KEY_SEPARATOR } from "./io/sample-table.js";
export type { ReadSampleTableOptions, SampleTableData, TableMatrix, RegenieLoco } from "./io/sample-table.js";
export { decodeBedToGenotypeStates, decodeBedToCalls, bedBlockSize, bedVariantOffset, BED_CODE_CALLS, BED_CODE_STATES } from "./io/plink/bed-decode.js";
export { plinkSchema, plinkDefaults, type PlinkReadOptions } from "./io/plink/reader.js";
export type { VcfReadOptions } from "./io/vcf/reader.js";
export * as gwas from "./gwas/index.js";
export { hardCallsFromProbabilities, hardCallsInto } from "./io/bgen/hard-calls.js";
export { bgenSchema } from "./io/bgen/reader.js";
export { bgenDefaults, type BgenReadOptions } from "./io/bgen/options.js";
export { parseOxfordSampleFile, readOxfordSampleFile } from "./io/bgen/sample-file.js";
export { writeBatchParquet, writeBatchTsv, batchToParquet } from "./io/parquet.js";
export * as plot from "./plot/index.js";
export { display, toMimeBundle, isRichDisplayable, MIME_BUNDLE, makeBundle, htmlTable, escapeHtml, wrapHtml } from "./display/index.js";
export type { MimeBundle, MimeBundleProvider, TableColumn } from "./display/index.js";
export { renderGwasResults, renderBlockMatrix, renderRidgeModel, renderCrossValidation, renderLocoPredictions, renderEvaluation, isGwasResults } from "./display/index.js";
export type { GwasResultsInput, GwasResultsDisplayOptions } from "./display/index.js";
