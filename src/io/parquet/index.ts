/**
 * Parquet in Glow's schema, in one module: `schema.ts` (Glow's types ⇄ the Parquet schema and
 * Spark's schema JSON), `reader.ts` (`glow.read("parquet")`), `writer.ts` (`frame.write("parquet")`:
 * row groups encoded in the workers, footer on the calling thread). Here: the one-batch output of
 * GloWGR's block matrices and the demo's tables, through the same encoder, atomically.
 */
import { batchFields, type VariantBatch } from "../../core/column.js";
import { parquetSchema } from "./schema.js";
import { encodeParquetPart, parquetWriter } from "./writer.js";

export { parquetReader, valuesToColumn, type ParquetReadOptions } from "./reader.js";
export { parquetWriter, encodeParquetPart, type ParquetPartInfo } from "./writer.js";
export { SPARK_SCHEMA_KEY, parquetSchema, sparkSchemaJson, sparkType } from "./schema.js";

/** Parquet schema (flattened SchemaElements) of a batch, as written. */
export function batchToParquet(b: VariantBatch): { schema: Record<string, unknown>[] } {
  return { schema: parquetSchema(batchFields(b)) };
}

/** Writes a batch as a Parquet file (atomically; one row group). */
export async function writeBatchParquet(path: string, b: VariantBatch): Promise<void> {
  const { spec, sink } = await parquetWriter.prepare({ path, options: {}, schema: batchFields(b), sampleIds: null });
  try { await sink.append(encodeParquetPart(b, spec.options)); await sink.commit(); } catch (e) { sink.abort(); throw e; }
}
