/**
 * `glow.read("parquet", path)`: Parquet files (as `frame.write("parquet")` or Spark write them) as
 * a frame, one partition per row group. The schema comes from Spark's schema JSON in the footer
 * (`org.apache.spark.sql.parquet.row.metadata`, with field metadata) when present, else from the
 * Parquet schema; a top-level `genotypes: array<struct<...>>` column becomes Glow's genotypes
 * column (sample ids from `sampleId`). Uses hyparquet.
 */
import { GlowtsError } from "../../core/errors.js";
import type { Column, DataType, Field, VariantBatch } from "../../core/column.js";
import type { FormatReader, PartitionSpec, SourcePlan } from "../../core/source.js";
import { SPARK_SCHEMA_KEY, fromParquetNode, fromSparkField, type SchemaNode, type SparkField } from "./schema.js";

/** Options of the Parquet reader (none yet; unknown options are rejected). */
export type ParquetReadOptions = Record<string, never>;

interface FileMeta { path: string; fields: Field[]; rowGroups: { rows: number }[] }

async function fileSchema(file: string): Promise<FileMeta> {
  const { asyncBufferFromFile, parquetMetadataAsync, parquetSchema } = await import("hyparquet");
  let md;
  try { md = await parquetMetadataAsync(await asyncBufferFromFile(file)); }
  catch (e) { throw new GlowtsError("PARQUET", `not a readable Parquet file: ${(e as Error).message}`, { file }); }
  const kv = md.key_value_metadata?.find((k) => k.key === SPARK_SCHEMA_KEY);
  let fields: Field[];
  if (kv?.value) fields = ((JSON.parse(kv.value) as { fields: SparkField[] }).fields).map((f) => fromSparkField(f, true));
  else fields = (parquetSchema(md) as unknown as SchemaNode).children.map((c) => ({ name: String(c.element["name"]), type: fromParquetNode(c, true) }));
  return { path: file, fields, rowGroups: md.row_groups.map((rg) => ({ rows: Number(rg.num_rows) })) };
}

// ------------------------------------------------------------------ values → columns

function num(v: unknown): number { return typeof v === "bigint" ? Number(v) : (v as number); }

/** Builds a column of a Glow type from JS values (null = null). */
export function valuesToColumn(t: DataType, values: unknown[]): Column {
  const n = values.length;
  if (typeof t === "string") {
    if (t === "string") return { type: "string", values: values.map((v) => (v === null || v === undefined ? null : String(v))) };
    let nulls: Uint8Array | undefined;
    const mark = (i: number): void => { (nulls ??= new Uint8Array(n))[i] = 1; };
    if (t === "boolean") {
      const v = new Uint8Array(n);
      for (let i = 0; i < n; i++) { const x = values[i]; if (x === null || x === undefined) mark(i); else v[i] = x ? 1 : 0; }
      return { type: "boolean", values: v, nulls };
    }
    if (t === "int") {
      const v = new Int32Array(n);
      for (let i = 0; i < n; i++) { const x = values[i]; if (x === null || x === undefined) mark(i); else v[i] = num(x); }
      return { type: "int", values: v, nulls };
    }
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) { const x = values[i]; if (x === null || x === undefined) mark(i); else v[i] = num(x); }
    return { type: t, values: v, nulls };
  }
  if ("list" in t) {
    const offsets = new Int32Array(n + 1);
    const flat: unknown[] = [];
    let nulls: Uint8Array | undefined;
    for (let i = 0; i < n; i++) {
      const r = values[i] as unknown[] | null | undefined;
      if (r === null || r === undefined) (nulls ??= new Uint8Array(n))[i] = 1;
      else for (const x of r) flat.push(x);
      offsets[i + 1] = flat.length;
    }
    return { type: "list", child: valuesToColumn(t.list, flat), offsets, nulls };
  }
  if ("struct" in t) {
    let nulls: Uint8Array | undefined;
    for (let i = 0; i < n; i++) if (values[i] === null || values[i] === undefined) (nulls ??= new Uint8Array(n))[i] = 1;
    const fields: Record<string, Column> = {};
    for (const f of t.struct) fields[f.name] = valuesToColumn(f.type, values.map((v) => (v === null || v === undefined ? null : (v as Record<string, unknown>)[f.name] ?? null)));
    return { type: "struct", fields, nulls };
  }
  // genotypes: every row has the same samples
  const first = values.find((v) => Array.isArray(v)) as Record<string, unknown>[] | undefined;
  const nSamples = first ? first.length : 0;
  const hasIds = t.genotypes.some((f) => f.name === "sampleId");
  const sampleIds = hasIds ? (first ?? []).map((g) => String(g["sampleId"])) : null;
  const fields: Record<string, Column> = {};
  for (const f of t.genotypes) {
    if (f.name === "sampleId") continue;
    const flat = new Array<unknown>(n * nSamples);
    for (let i = 0; i < n; i++) {
      const row = values[i] as Record<string, unknown>[] | null;
      if (!row || row.length !== nSamples) throw new GlowtsError("PARQUET", `genotypes of row ${i} have ${row ? row.length : 0} samples, expected ${nSamples}`);
      for (let s = 0; s < nSamples; s++) flat[i * nSamples + s] = row[s]![f.name] ?? null;
    }
    fields[f.name] = valuesToColumn(f.type, flat);
  }
  return { type: "genotypes", nSamples, sampleIds, fields };
}

interface ParquetPartition extends PartitionSpec { rowStart: number; rowEnd: number }

async function readRows(file: string, rowStart: number, rowEnd: number, columns?: string[]): Promise<Record<string, unknown>[]> {
  const { asyncBufferFromFile, parquetReadObjects } = await import("hyparquet");
  try {
    return await parquetReadObjects({ file: await asyncBufferFromFile(file), rowStart, rowEnd, ...(columns ? { columns } : {}) }) as Record<string, unknown>[];
  } catch (e) {
    throw new GlowtsError("PARQUET", `cannot read rows ${rowStart}..${rowEnd}: ${(e as Error).message}`, { file });
  }
}

/** Glow-schema reader of Parquet files. */
export const parquetReader: FormatReader<ParquetReadOptions> = {
  format: "parquet",
  normalizeOptions(options) {
    for (const k of Object.keys(options)) throw new GlowtsError("OPTION", `read parquet: unknown option '${k}'`, { option: k });
    return {};
  },
  async plan(paths): Promise<SourcePlan> {
    const files = await Promise.all(paths.map(fileSchema));
    const fields = files[0]?.fields ?? [];
    for (const f of files.slice(1)) {
      if (JSON.stringify(f.fields.map((x) => [x.name, x.type])) !== JSON.stringify(fields.map((x) => [x.name, x.type]))) {
        throw new GlowtsError("PARQUET", `files have different schemas: ${files[0]!.path} and ${f.path}`, { file: f.path });
      }
    }
    const partitions: ParquetPartition[] = [];
    for (const f of files) {
      let start = 0;
      f.rowGroups.forEach((rg, i) => {
        if (rg.rows > 0) partitions.push({ path: f.path, describe: `row group ${i} (rows ${start}..${start + rg.rows})`, rowStart: start, rowEnd: start + rg.rows, estimatedRows: rg.rows });
        start += rg.rows;
      });
    }
    let sampleIds: string[] | null = null;
    const g = fields.find((f) => f.name === "genotypes" && typeof f.type === "object" && "genotypes" in f.type);
    if (g && partitions[0] && (g.type as { genotypes: Field[] }).genotypes.some((f) => f.name === "sampleId")) {
      const rows = await readRows(partitions[0].path, partitions[0].rowStart, partitions[0].rowStart + 1, ["genotypes"]);
      const gs = rows[0]?.["genotypes"] as Record<string, unknown>[] | undefined;
      sampleIds = gs ? gs.map((x) => String(x["sampleId"])) : null;
    }
    return { schema: fields, sampleIds, partitions, meta: { fields } };
  },
  async readPartition(partition, meta): Promise<VariantBatch> {
    const p = partition as ParquetPartition;
    const { fields } = meta as { fields: Field[] };
    const rows = await readRows(p.path, p.rowStart, p.rowEnd);
    const columns: Record<string, Column> = {};
    for (const f of fields) columns[f.name] = valuesToColumn(f.type, rows.map((r) => r[f.name] ?? null));
    return { numRows: rows.length, columns };
  },
};
