/**
 * Parquet output in Glow's schema (`frame.write("parquet", path)`), as Spark writes it: strings as
 * UTF8 BYTE_ARRAY, `long` INT64, `int` INT32, DOUBLE, BOOLEAN, arrays as three-level LIST groups
 * (`list` / `element`), structs as groups, and `genotypes` as a LIST of structs — with Spark's
 * schema JSON (`org.apache.spark.sql.parquet.row.metadata`, field metadata included) in the footer,
 * so that Spark restores the exact types and `glow.read("parquet")` restores the frame.
 *
 * Each partition becomes one row group, encoded in a worker (hyparquet-writer); the calling thread
 * appends the row group's bytes, moves its offsets to their place in the file and writes the footer.
 */
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import { GlowtsError } from "../../core/errors.js";
import type { Column, DataType, Field, VariantBatch } from "../../core/column.js";
import { batchFields, listRange } from "../../core/column.js";
import { AtomicFile } from "../writers/atomic.js";
import type { FormatWriter, PartSink, SerializedPart, WriteContext } from "../writers/part.js";
import { SPARK_SCHEMA_KEY, parquetSchema, sparkSchemaJson } from "./schema.js";
type RowGroup = { columns: Record<string, unknown>[]; file_offset?: bigint; [k: string]: unknown };

// ------------------------------------------------------------------ values

function element(c: Column, j: number): unknown {
  switch (c.type) {
    case "string": return c.values[j] ?? null;
    case "double": case "int": return c.nulls && c.nulls[j] ? null : c.values[j]!;
    case "long": return c.nulls && c.nulls[j] ? null : BigInt(Math.trunc(c.values[j]!));
    case "boolean": return c.nulls && c.nulls[j] ? null : c.values[j] === 1;
    case "list": {
      if (c.nulls && c.nulls[j]) return null;
      const [a, b] = listRange(c, j);
      const out = new Array<unknown>(b - a);
      for (let k = a; k < b; k++) out[k - a] = element(c.child, k);
      return out;
    }
    case "struct": {
      if (c.nulls && c.nulls[j]) return null;
      const o: Record<string, unknown> = {};
      for (const [k, f] of Object.entries(c.fields)) o[k] = element(f, j);
      return o;
    }
    case "genotypes": throw new GlowtsError("WRITE", "write parquet: nested genotypes");
  }
}

/** The column data hyparquet-writer takes for a column: typed arrays where there are no nulls. */
function columnData(c: Column, n: number): unknown[] | ArrayLike<unknown> {
  switch (c.type) {
    case "double": case "int":
      if (!c.nulls) return c.values;
      break;
    case "long":
      if (!c.nulls) { const v = new BigInt64Array(n); for (let i = 0; i < n; i++) v[i] = BigInt(Math.trunc(c.values[i]!)); return v; }
      break;
    case "genotypes": {
      const ns = c.nSamples;
      const fields = Object.entries(c.fields);
      const out = new Array<unknown>(n);
      for (let i = 0; i < n; i++) {
        const row = new Array<unknown>(ns);
        for (let s = 0; s < ns; s++) {
          const g: Record<string, unknown> = {};
          if (c.sampleIds) g["sampleId"] = c.sampleIds[s];
          for (const [k, f] of fields) g[k] = element(f, i * ns + s);
          row[s] = g;
        }
        out[i] = row;
      }
      return out;
    }
    default: break;
  }
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) out[i] = element(c, i);
  return out;
}

// ------------------------------------------------------------------ encoder (workers)

/** What a Parquet part carries besides its bytes. */
export interface ParquetPartInfo {
  fields: Field[];
  /** The row group's metadata, offsets relative to a file whose first row group starts at byte 4. */
  rowGroup: RowGroup | null;
}

/** Encodes a partition as one row group (bytes without the file's magic and footer). */
export function encodeParquetPart(b: VariantBatch, options: Record<string, unknown>): SerializedPart {
  const fields = batchFields(b);
  if (b.numRows === 0) return { numRows: 0, streams: {}, info: { fields, rowGroup: null } satisfies ParquetPartInfo };
  const writer = new ByteWriter(1 << 16);
  const pw = new ParquetWriter({ writer, schema: parquetSchema(fields) as never, codec: (options["codec"] as never) ?? "SNAPPY", createdBy: "glowts" });
  pw.write({
    columnData: Object.entries(b.columns).map(([name, c]) => ({ name, data: columnData(c, b.numRows) as never, offsetIndex: false, columnIndex: false })),
    rowGroupSize: b.numRows,
  });
  const rowGroup = (pw as unknown as { row_groups: RowGroup[] }).row_groups[0]!;
  const bytes = writer.getBytes().slice(4);
  return { numRows: b.numRows, streams: { data: bytes }, info: { fields, rowGroup } satisfies ParquetPartInfo };
}

// ------------------------------------------------------------------ sink (calling thread)

function shift(v: unknown, by: bigint): unknown {
  return typeof v === "bigint" ? v + by : v;
}

function shiftRowGroup(rg: RowGroup, by: bigint): RowGroup {
  return {
    ...rg,
    file_offset: shift(rg.file_offset, by) as bigint | undefined,
    columns: rg.columns.map((c) => {
      const m = c["meta_data"] as Record<string, unknown> | undefined;
      return {
        ...c,
        file_offset: shift(c["file_offset"], by),
        meta_data: m && { ...m, data_page_offset: shift(m["data_page_offset"], by), dictionary_page_offset: shift(m["dictionary_page_offset"], by), index_page_offset: shift(m["index_page_offset"], by) },
      };
    }),
  };
}

/** Field types equal (names and types, metadata ignored)? */
function sameFields(a: Field[], b: Field[]): boolean {
  const strip = (fs: Field[]): unknown => fs.map((f) => [f.name, stripType(f.type)]);
  const stripType = (t: DataType): unknown => typeof t === "string" ? t : "list" in t ? { list: stripType(t.list) } : "struct" in t ? { struct: strip(t.struct) } : { genotypes: strip(t.genotypes) };
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

/** Copies field metadata (VCF header counts and descriptions) from the frame's schema. */
function withMetadata(fields: Field[], schema: Field[] | null): Field[] {
  if (!schema) return fields;
  const by = new Map(schema.map((f) => [f.name, f]));
  return fields.map((f) => {
    const s = by.get(f.name);
    if (!s) return f;
    let type = f.type;
    if (typeof type === "object" && "genotypes" in type && typeof s.type === "object" && "genotypes" in s.type) type = { genotypes: withMetadata(type.genotypes, s.type.genotypes) };
    return { ...f, type, ...(s.metadata ? { metadata: s.metadata } : {}) };
  });
}

const known = new Set(["codec"]);

/** The calling-thread side of the Parquet writer. */
export const parquetWriter: FormatWriter = {
  prepare(ctx: WriteContext) {
    for (const k of Object.keys(ctx.options)) if (!known.has(k)) throw new GlowtsError("OPTION", `write parquet: unknown option '${k}' (known: codec)`, { option: k });
    const codec = ctx.options["codec"] ?? "SNAPPY";
    if (codec !== "SNAPPY" && codec !== "UNCOMPRESSED") throw new GlowtsError("OPTION", `write parquet: codec must be 'SNAPPY' or 'UNCOMPRESSED', got ${String(codec)}`, { option: "codec" });
    const file = new AtomicFile(ctx.path);
    file.write(new Uint8Array([0x50, 0x41, 0x52, 0x31]));
    let fields: Field[] | null = null;
    const rowGroups: RowGroup[] = [];
    let numRows = 0n;
    const sink: PartSink = {
      append(part) {
        const info = part.info as ParquetPartInfo;
        if (fields === null) fields = info.fields;
        else if (part.numRows > 0 && !sameFields(fields, info.fields)) {
          throw new GlowtsError("WRITE", `write parquet: partitions have different schemas (${info.fields.map((f) => f.name).join(", ")} vs ${fields.map((f) => f.name).join(", ")})`, { file: ctx.path });
        }
        if (!info.rowGroup) return;
        const by = BigInt(file.bytesWritten - 4);
        file.write(part.streams["data"]!);
        rowGroups.push(shiftRowGroup(info.rowGroup, by));
        numRows += BigInt(part.numRows);
      },
      commit() {
        const fs = withMetadata(fields ?? ctx.schema ?? [], ctx.schema);
        const writer = new ByteWriter(1 << 12);
        writer.offset = file.bytesWritten - 4;
        const pw = new ParquetWriter({ writer, schema: parquetSchema(fs) as never, createdBy: "glowts", kvMetadata: [{ key: SPARK_SCHEMA_KEY, value: sparkSchemaJson(fs) }] });
        const internal = pw as unknown as { row_groups: RowGroup[]; num_rows: bigint };
        internal.row_groups = rowGroups;
        internal.num_rows = numRows;
        pw.finish();
        file.write(writer.getBytes().slice(4)); // the writer's own magic was counted in its offset
        file.commit();
      },
      abort() { file.abort(); },
    };
    return { spec: { encoder: "parquet", options: { codec } }, sink };
  },
};
