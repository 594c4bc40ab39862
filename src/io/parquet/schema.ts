/**
 * Glow's schema ⇄ Parquet, in one place: the Parquet schema and Spark's schema JSON that
 * `frame.write("parquet")` writes (strings as UTF8 BYTE_ARRAY, `long` INT64, `int` INT32, DOUBLE,
 * BOOLEAN, arrays as three-level LIST groups, structs as groups, `genotypes` as a LIST of structs),
 * and the way back that `glow.read("parquet")` takes (from Spark's JSON when the footer has it,
 * else from the Parquet schema; a top-level `genotypes: array<struct>` is Glow's genotypes column).
 */
import { GlowtsError } from "../../core/errors.js";
import type { DataType, Field } from "../../core/column.js";

type SchemaElement = Record<string, unknown>;

/** The key under which Spark keeps its schema in a Parquet footer. */
export const SPARK_SCHEMA_KEY = "org.apache.spark.sql.parquet.row.metadata";

function scalarElement(name: string, type: string): SchemaElement {
  switch (type) {
    case "string": return { name, type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" };
    case "long": return { name, type: "INT64", repetition_type: "OPTIONAL" };
    case "int": return { name, type: "INT32", repetition_type: "OPTIONAL" };
    case "boolean": return { name, type: "BOOLEAN", repetition_type: "OPTIONAL" };
    case "double": return { name, type: "DOUBLE", repetition_type: "OPTIONAL" };
    default: throw new GlowtsError("WRITE", `write parquet: unsupported type ${type}`);
  }
}

function elements(name: string, t: DataType): SchemaElement[] {
  if (typeof t === "string") return [scalarElement(name, t)];
  if ("list" in t) {
    return [
      { name, repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 },
      { name: "list", repetition_type: "REPEATED", num_children: 1 },
      ...elements("element", t.list),
    ];
  }
  if ("struct" in t) return [{ name, repetition_type: "OPTIONAL", num_children: t.struct.length }, ...t.struct.flatMap((f) => elements(f.name, f.type))];
  return elements(name, { list: { struct: t.genotypes } });
}

/** The Parquet schema (flattened SchemaElements, root first) of a Glow schema. */
export function parquetSchema(fields: Field[]): SchemaElement[] {
  return [{ name: "spark_schema", num_children: fields.length }, ...fields.flatMap((f) => elements(f.name, f.type))];
}

/** Spark's JSON data type of a Glow type (`genotypes` is an array of structs). */
export function sparkType(t: DataType): unknown {
  if (typeof t === "string") return t === "int" ? "integer" : t;
  if ("list" in t) return { type: "array", elementType: sparkType(t.list), containsNull: true };
  if ("struct" in t) return sparkStruct(t.struct);
  return { type: "array", elementType: sparkStruct(t.genotypes), containsNull: true };
}

function sparkStruct(fields: Field[]): unknown {
  return { type: "struct", fields: fields.map((f) => ({ name: f.name, type: sparkType(f.type), nullable: true, metadata: f.metadata ?? {} })) };
}

/** Spark's schema JSON for a Glow schema, as Spark stores it in the Parquet footer. */
export function sparkSchemaJson(fields: Field[]): string {
  return JSON.stringify(sparkStruct(fields));
}

// ------------------------------------------------------------------ back to Glow's types

/** A field of Spark's schema JSON. */
export interface SparkField { name: string; type: unknown; metadata?: Record<string, unknown> }

function fromSparkType(t: unknown, name: string, top: boolean): DataType {
  if (typeof t === "string") {
    switch (t) {
      case "string": case "double": case "long": case "boolean": return t;
      case "integer": case "short": case "byte": return "int";
      case "float": return "double";
      default: throw new GlowtsError("PARQUET", `unsupported Spark type ${t} of column ${name}`);
    }
  }
  const o = t as { type: string; elementType?: unknown; fields?: SparkField[] };
  if (o.type === "array") {
    const el = fromSparkType(o.elementType, name, false);
    if (top && name === "genotypes" && typeof el === "object" && "struct" in el) return { genotypes: el.struct };
    return { list: el };
  }
  if (o.type === "struct") return { struct: (o.fields ?? []).map((f) => fromSparkField(f)) };
  throw new GlowtsError("PARQUET", `unsupported Spark type ${JSON.stringify(t)} of column ${name}`);
}

export function fromSparkField(f: SparkField, top = false): Field {
  const out: Field = { name: f.name, type: fromSparkType(f.type, f.name, top) };
  if (f.metadata && Object.keys(f.metadata).length) out.metadata = Object.fromEntries(Object.entries(f.metadata).map(([k, v]) => [k, String(v)]));
  return out;
}

export interface SchemaNode { element: Record<string, unknown>; children: SchemaNode[] }

export function fromParquetNode(n: SchemaNode, top: boolean): DataType {
  const e = n.element;
  const name = String(e["name"]);
  if (e["converted_type"] === "LIST" || (e["logical_type"] as { type?: string } | undefined)?.type === "LIST") {
    const rep = n.children[0]!;
    const el = rep.children.length === 1 ? rep.children[0]! : rep;
    const t = fromParquetNode(el, false);
    if (top && name === "genotypes" && typeof t === "object" && "struct" in t) return { genotypes: t.struct };
    return { list: t };
  }
  if (n.children.length > 0) return { struct: n.children.map((c) => ({ name: String(c.element["name"]), type: fromParquetNode(c, false) })) };
  switch (e["type"]) {
    case "BYTE_ARRAY": case "FIXED_LEN_BYTE_ARRAY": return "string";
    case "INT64": return "long";
    case "INT32": return "int";
    case "DOUBLE": case "FLOAT": return "double";
    case "BOOLEAN": return "boolean";
    default: throw new GlowtsError("PARQUET", `unsupported Parquet type ${String(e["type"])} of column ${name}`);
  }
}

