/**
 * One-batch Parquet and TSV output (GloWGR's block matrices, the demo's tables), through the same
 * encoders as `frame.write` (src/io/writers/parquet.ts, tsv.ts): Glow's column names and types,
 * Spark's schema JSON in the footer, atomic files (complete or absent).
 */
import type { VariantBatch } from "../core/column.js";
import { batchFields, encodeParquetPart, parquetSchema, parquetWriter } from "./writers/parquet.js";
import { encodeTsvPart, tsvWriter } from "./writers/tsv.js";

/** Parquet schema (flattened SchemaElements) of a batch, as written. */
export function batchToParquet(b: VariantBatch): { schema: Record<string, unknown>[] } {
  return { schema: parquetSchema(batchFields(b)) };
}

/** Writes a batch as a Parquet file (atomically; one row group). */
export async function writeBatchParquet(path: string, b: VariantBatch): Promise<void> {
  const { spec, sink } = await parquetWriter.prepare({ path, options: {}, schema: batchFields(b), sampleIds: null });
  try { await sink.append(encodeParquetPart(b, spec.options)); await sink.commit(); } catch (e) { sink.abort(); throw e; }
}

/** Writes a batch as tab-separated text with a header (atomically); arrays joined with commas. */
export function writeBatchTsv(path: string, b: VariantBatch): void {
  const { spec, sink } = tsvWriter.prepare({ path, options: {}, schema: batchFields(b), sampleIds: null }) as Awaited<ReturnType<typeof tsvWriter.prepare>>;
  try { void sink.append(encodeTsvPart(b, spec.options)); void sink.commit(); } catch (e) { sink.abort(); throw e; }
}
