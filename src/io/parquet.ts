/**
 * Parquet and TSV output of variant-level tables (GWAS results, QC tables) in Glow's column names
 * and types: strings as UTF8, `long` as INT64, `int` as INT32, doubles, booleans, and arrays of
 * scalars as Parquet LIST columns — so that Glow on Spark reads them back unchanged. Files are
 * written atomically (complete or absent). Uses `hyparquet-writer`.
 */
import { GlowtsError } from "../core/errors.js";
import type { Column, VariantBatch } from "../core/column.js";
import { getValue, isNull } from "../core/column.js";
import { AtomicFile } from "./writers/atomic.js";

type SchemaElement = Record<string, unknown>;

function scalarSchema(name: string, type: string): SchemaElement {
  switch (type) {
    case "string": return { name, type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" };
    case "long": return { name, type: "INT64", repetition_type: "OPTIONAL" };
    case "int": return { name, type: "INT32", repetition_type: "OPTIONAL" };
    case "boolean": return { name, type: "BOOLEAN", repetition_type: "OPTIONAL" };
    default: return { name, type: "DOUBLE", repetition_type: "OPTIONAL" };
  }
}

function scalarValue(c: Column, i: number): unknown {
  if (isNull(c, i)) return null;
  const v = getValue(c, i);
  if (c.type === "long") return BigInt(Math.trunc(v as number));
  return v;
}

/** Parquet schema and column data for a batch. @throws GlowtsError for genotypes/struct columns */
export function batchToParquet(b: VariantBatch): { schema: SchemaElement[]; columnData: { name: string; data: unknown[] }[] } {
  const schema: SchemaElement[] = [{ name: "root", num_children: Object.keys(b.columns).length }];
  const columnData: { name: string; data: unknown[] }[] = [];
  for (const [name, c] of Object.entries(b.columns)) {
    const data: unknown[] = new Array(b.numRows);
    if (c.type === "list") {
      const child = c.child;
      if (child.type === "list" || child.type === "struct" || child.type === "genotypes") {
        throw new GlowtsError("WRITE", `writeParquet: column '${name}' (array of ${child.type}) is not supported yet; select it out or flatten it`);
      }
      schema.push({ name, repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 });
      schema.push({ name: "list", repetition_type: "REPEATED", num_children: 1 });
      schema.push({ ...scalarSchema("element", child.type), repetition_type: "OPTIONAL" });
      for (let i = 0; i < b.numRows; i++) {
        const v = getValue(c, i) as unknown[] | null;
        data[i] = v === null ? null : child.type === "long" ? v.map((x) => (x === null ? null : BigInt(Math.trunc(x as number)))) : v;
      }
    } else if (c.type === "genotypes" || c.type === "struct") {
      throw new GlowtsError("WRITE", `writeParquet: column '${name}' (${c.type}) is not supported yet; select it out (e.g. frame.drop("${name}"))`);
    } else {
      schema.push(scalarSchema(name, c.type));
      for (let i = 0; i < b.numRows; i++) data[i] = scalarValue(c, i);
    }
    columnData.push({ name, data });
  }
  return { schema, columnData };
}

/** Writes a batch as a Parquet file (atomically). */
export async function writeBatchParquet(path: string, b: VariantBatch): Promise<void> {
  const { parquetWriteBuffer } = await import("hyparquet-writer");
  const { schema, columnData } = batchToParquet(b);
  const buf = parquetWriteBuffer({ columnData: columnData as never, schema: schema as never, createdBy: "glowts" });
  const f = new AtomicFile(path);
  try { f.write(new Uint8Array(buf)); f.commit(); } catch (e) { f.abort(); throw e; }
}

function tsvCell(v: unknown): string {
  if (v === null || v === undefined) return "NA";
  if (Array.isArray(v)) return v.map((x) => tsvCell(x)).join(",");
  if (typeof v === "number") return Number.isNaN(v) ? "NaN" : String(v);
  return String(v).replace(/[\t\n]/g, " ");
}

/** Writes a batch as tab-separated text with a header (atomically); arrays joined with commas. */
export function writeBatchTsv(path: string, b: VariantBatch): void {
  const names = Object.keys(b.columns);
  for (const n of names) if (b.columns[n]!.type === "genotypes") throw new GlowtsError("WRITE", `writeTsv: column '${n}' (genotypes) cannot be written as text; drop it first`);
  const f = new AtomicFile(path);
  const enc = new TextEncoder();
  try {
    f.write(enc.encode(names.join("\t") + "\n"));
    const chunk: string[] = [];
    for (let i = 0; i < b.numRows; i++) {
      chunk.push(names.map((n) => tsvCell(getValue(b.columns[n]!, i))).join("\t"));
      if (chunk.length >= 4096) { f.write(enc.encode(chunk.join("\n") + "\n")); chunk.length = 0; }
    }
    if (chunk.length) f.write(enc.encode(chunk.join("\n") + "\n"));
    f.commit();
  } catch (e) {
    f.abort();
    throw e;
  }
}
