/**
 * glowts — Glow's population-genomics toolkit in TypeScript.
 *
 * ```ts
 * import * as glow from "glowts";
 * const df = glow.read("vcf", "genotypes.vcf.gz")
 *   .withColumn("values", glow.functions.meanSubstitute(glow.functions.genotypeStates("genotypes")));
 * await df.show();
 * ```
 *
 * Top level: Glow's names (`read`, the column functions, `col`/`lit`, `display`, ...) and the
 * namespaces `functions`, `wgr`, `gwas`, `plot`, `simulate`, `io`. `internal` holds building blocks
 * that are not part of the stable API. See docs/architecture.md for the layers behind them.
 * @packageDocumentation
 */
// Installs the renderers of glowts' objects into the MIME-bundle registry (side effect).
import "./display/index.js";

export { read } from "./frame/read.js";
export { VariantFrame, batchRows } from "./frame/variant-frame.js";
export type { ActionOptions, VariantRow } from "./frame/variant-frame.js";
export { GroupedFrame } from "./frame/variant-frame.js";
export { SortOrder, AggregateExpr } from "./core/sort-aggregate.js";
export { Col, col, lit } from "./core/expr.js";
export type { ColLike, ExprNode } from "./core/expr.js";
export type { Column, VariantBatch, Field, DataType, GenotypesColumn, ListColumn } from "./core/column.js";
export { getValue, typeToString } from "./core/column.js";
export { GlowtsError } from "./core/errors.js";
export { config, type EngineConfig } from "./engine/config.js";
export { shutdown } from "./engine/pool.js";
export type { Progress, ProgressCallback } from "./engine/progress.js";
export * as functions from "./functions/index.js";
export { genotypeStates, meanSubstitute, hardCalls, arraySize, arrayDistinct, callSummaryStats, hardyWeinberg, expandStruct } from "./functions/index.js";
export * as wgr from "./wgr/index.js";
export { transform, transformerNames } from "./transform/index.js";
export * as gwas from "./gwas/index.js";
export * as plot from "./plot/index.js";
export * as simulate from "./sim/index.js";
export * as io from "./io/index.js";
export { registerFormat, readerFormats, readSampleTable, readRegenieLoco, readRegeniePredList } from "./io/index.js";
export type { FormatReader, PartitionSpec, SourcePlan, PlanContext, RegionHint } from "./io/index.js";
export { display, toMimeBundle, isRichDisplayable, htmlTable } from "./display/index.js";
export { MIME_BUNDLE, makeBundle, registerRenderer } from "./core/mime.js";
export type { MimeBundle, MimeBundleProvider, TableColumn } from "./core/mime.js";
/** @ignore Building blocks, not part of the stable API (see src/internal.ts). */
export * as internal from "./internal.js";
