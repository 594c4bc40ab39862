/**
 * `glow.io`: the readers' options and schemas, sample tables, and batch writers.
 * `glow.read(format, path)` is the entry point for variant data; this namespace holds the rest.
 */
export { registerFormat, readerFormats } from "./registry.js";
export type { FormatReader, PartitionSpec, SourcePlan, PlanContext, RegionHint } from "../core/source.js";
export {
  readSampleTable, parseSampleTable, tableToMatrix, readRegenieLoco, readRegeniePredList, parseRegenieLoco,
  offsetKey, parseOffsetKey, OFFSET_KEY_SEPARATOR,
} from "./sample-table.js";
export type { ReadSampleTableOptions, SampleTableData, TableMatrix, RegenieLoco } from "./sample-table.js";
export { plinkSchema, plinkDefaults, type PlinkReadOptions } from "./plink/reader.js";
export type { VcfReadOptions } from "./vcf/reader.js";
export { bgenSchema } from "./bgen/reader.js";
export { bgenDefaults, type BgenReadOptions } from "./bgen/options.js";
export { parseOxfordSampleFile, readOxfordSampleFile } from "./bgen/sample-file.js";
export { writeBatchParquet, batchToParquet } from "./parquet/index.js";
export { writeBatchTsv } from "./writers/tsv.js";
