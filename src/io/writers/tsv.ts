/**
 * Delimited text output (`frame.write("tsv", path, options)` and the CLI's `.regenie` files),
 * encoded partition by partition in the workers straight from the typed columns.
 *
 * Cells: null → `nullValue` ("NA"); doubles in JavaScript's shortest round-trip form (NaN as `NaN`,
 * ±Infinity as `Infinity`), or with `precision` significant digits (integral values in full, e.g.
 * positions; non-finite values then become `nullValue`, as REGENIE writes them); booleans `true`/`false`; arrays joined with `,`; structs as
 * JSON. Genotypes cannot be written as text.
 *
 * With `splitBy`, rows go to one file per value of that (string) column: `path` must contain `{}`,
 * the last of which is replaced by the value, and the column itself is not written.
 */
import { GlowtsError } from "../../core/errors.js";
import type { Column, VariantBatch } from "../../core/column.js";
import { batchFields, getValue, isNull, listRange } from "../../core/column.js";
import { AtomicFile, commitAll } from "./atomic.js";
import { ByteSink } from "./part.js";
import { formatDoubles } from "./number-text.js";
import type { FormatWriter, PartSink, SerializedPart, WriteContext } from "./part.js";

/** Options of the TSV writer. */
export interface TsvWriteOptions {
  /** Field separator. @defaultValue "\t" */
  delimiter?: string;
  /** Write a header line with the column names. @defaultValue true */
  header?: boolean;
  /** Text of a null cell. @defaultValue "NA" */
  nullValue?: string;
  /** Significant digits of doubles (as `Number(x.toPrecision(p))`); absent = shortest round trip. */
  precision?: number;
  /** Write one file per value of this column (`path` contains `{}`). */
  splitBy?: string;
  /** With `splitBy`: values that get a file even when no row has them (header only). */
  splitValues?: string[];
}

/** Normalized TSV options (plain data, sent to the workers). */
export interface TsvEncodeOptions {
  delimiter: string;
  header: boolean;
  nullValue: string;
  precision: number | null;
  splitBy: string | null;
}

/** Validates TSV options and fills in the defaults. */
export function normalizeTsvOptions(o: Record<string, unknown>): TsvEncodeOptions & { splitValues: string[]; splitFileNames: Record<string, string> } {
  const known = new Set(["delimiter", "header", "nullValue", "precision", "splitBy", "splitValues", "splitFileNames"]);
  for (const k of Object.keys(o)) if (!known.has(k)) throw new GlowtsError("OPTION", `write tsv: unknown option '${k}' (known: ${[...known].join(", ")})`, { option: k });
  const delimiter = o["delimiter"] ?? "\t";
  if (typeof delimiter !== "string" || delimiter.length === 0) throw new GlowtsError("OPTION", "write tsv: delimiter must be a non-empty string", { option: "delimiter" });
  const precision = o["precision"] ?? null;
  if (precision !== null && (!Number.isInteger(precision) || (precision as number) < 1 || (precision as number) > 21)) {
    throw new GlowtsError("OPTION", `write tsv: precision must be an integer in 1..21, got ${String(precision)}`, { option: "precision" });
  }
  const splitBy = o["splitBy"] ?? null;
  if (splitBy !== null && typeof splitBy !== "string") throw new GlowtsError("OPTION", "write tsv: splitBy must be a column name", { option: "splitBy" });
  return {
    delimiter,
    header: o["header"] === undefined ? true : Boolean(o["header"]),
    nullValue: String(o["nullValue"] ?? "NA"),
    precision: precision as number | null,
    splitBy: splitBy as string | null,
    splitValues: ((o["splitValues"] as unknown[] | undefined) ?? []).map(String),
    splitFileNames: (o["splitFileNames"] as Record<string, string> | undefined) ?? {},
  };
}

/** The header line (with newline) for the columns written. */
export function tsvHeader(names: string[], o: TsvEncodeOptions): string {
  return names.join(o.delimiter) + "\n";
}

function numberText(v: number, o: TsvEncodeOptions): string {
  if (o.precision !== null) {
    if (!Number.isFinite(v)) return o.nullValue;
    return Number.isInteger(v) && Math.abs(v) < 1e15 ? String(v) : String(Number(v.toPrecision(o.precision)));
  }
  return Number.isNaN(v) ? "NaN" : String(v);
}

function cleanText(s: string, delimiter: string): string {
  if (s.indexOf("\n") < 0 && s.indexOf(delimiter) < 0 && s.indexOf("\t") < 0) return s;
  return s.replace(/[\t\n]/g, " ").split(delimiter).join(" ");
}

/** A function that appends cell `i` of a column to a sink. */
type CellWriter = (out: ByteSink, i: number) => void;

function elementText(c: Column, j: number, o: TsvEncodeOptions): string {
  if (isNull(c, j)) return "null";
  switch (c.type) {
    case "string": return cleanText(c.values[j]!, o.delimiter).replace(/,/g, " ");
    case "double": return numberText(c.values[j]!, o);
    case "long": case "int": return String(c.values[j]!);
    case "boolean": return c.values[j] ? "true" : "false";
    default: return JSON.stringify(getValue(c, j));
  }
}

/**
 * A writer of number cells: `String(v)` (or {@link numberText} with `precision`), the shortest
 * round-trip texts of the whole column formatted at once into bytes when possible.
 */
function numberCells(v: Float64Array, count: number, nulls: Uint8Array | undefined, o: TsvEncodeOptions): CellWriter {
  const na = o.nullValue;
  const f = o.precision === null ? formatDoubles(v, Math.min(count, v.length)) : null;
  if (!f) return (out, i) => out.text(nulls && nulls[i] ? na : numberText(v[i]!, o));
  const { bytes, starts } = f;
  return (out, i) => {
    if (nulls && nulls[i]) { out.text(na); return; }
    const a = starts[i]!;
    const b = starts[i + 1]!;
    if (a < b) out.range(bytes, a, b);
    else out.text(numberText(v[i]!, o));
  };
}

function cellWriter(name: string, c: Column, o: TsvEncodeOptions, numRows: number): CellWriter {
  const na = o.nullValue;
  const d = o.delimiter;
  // strings without tab, newline or the delimiter are copied as is (the common case)
  const dc = d.length === 1 && d.charCodeAt(0) < 0x80 ? d.charCodeAt(0) : -1;
  switch (c.type) {
    case "string": {
      const v = c.values;
      return (out, i) => {
        const s = v[i];
        if (s === null || s === undefined) out.text(na);
        else if (dc < 0 || !out.plainText(s, 9, 10, dc)) out.text(cleanText(s, d));
      };
    }
    case "double":
      return numberCells(c.values, numRows, c.nulls, o);
    case "long":
      // integers as String(v) writes them: the same formatter
      return numberCells(c.values, numRows, c.nulls, { ...o, precision: null });
    case "int":
      return numberCells(Float64Array.from(c.values.subarray(0, Math.min(numRows, c.values.length))), numRows, c.nulls, { ...o, precision: null });
    case "boolean": {
      const v = c.values; const nulls = c.nulls;
      return (out, i) => out.text(nulls && nulls[i] ? na : v[i] ? "true" : "false");
    }
    case "list": {
      const child = c.child;
      if (child.type === "string" && dc >= 0) {
        const cv = child.values;
        return (out, i) => {
          if (c.nulls && c.nulls[i]) { out.text(na); return; }
          const [a, b] = listRange(c, i);
          for (let j = a; j < b; j++) {
            if (j > a) out.byte(44);
            const s = cv[j];
            // without tab, newline, delimiter or comma as is; else cleaned as elementText does
            if (s === null || s === undefined || !out.plainText(s, 9, 10, dc, 44)) out.text(elementText(child, j, o));
          }
        };
      }
      return (out, i) => {
        if (c.nulls && c.nulls[i]) { out.text(na); return; }
        const [a, b] = listRange(c, i);
        for (let j = a; j < b; j++) { if (j > a) out.byte(44); out.text(elementText(child, j, o)); }
      };
    }
    case "struct":
      return (out, i) => { const v = getValue(c, i); out.text(v === null ? na : cleanText(JSON.stringify(v), o.delimiter)); };
    case "genotypes":
      throw new GlowtsError("WRITE", `write tsv: column '${name}' (genotypes) cannot be written as text; drop it first`);
  }
}

/** The info a TSV part carries: column names and, with `splitBy`, the rows' byte ranges per value. */
export interface TsvPartInfo {
  names: string[];
  /** With splitBy: value → [offset, length] in the `data` stream. */
  split?: [string, number, number][];
}

/** Encodes a partition as delimited lines (no header). Runs in the workers. */
export function encodeTsvPart(b: VariantBatch, options: Record<string, unknown>): SerializedPart {
  const o = options as unknown as TsvEncodeOptions;
  const names = Object.keys(b.columns).filter((n) => n !== o.splitBy);
  const writers = names.map((n) => cellWriter(n, b.columns[n]!, o, b.numRows));
  const out = new ByteSink(Math.max(1 << 12, b.numRows * names.length * 16));
  const delim = o.delimiter;
  const delimCode = delim.length === 1 && delim.charCodeAt(0) < 128 ? delim.charCodeAt(0) : -1;
  const writeRow = (i: number): void => {
    for (let k = 0; k < writers.length; k++) {
      if (k > 0) { if (delimCode >= 0) out.byte(delimCode); else out.text(delim); }
      writers[k]!(out, i);
    }
    out.byte(10);
  };
  if (!o.splitBy) {
    for (let i = 0; i < b.numRows; i++) writeRow(i);
    return { numRows: b.numRows, streams: { data: out.finish() }, info: { names } satisfies TsvPartInfo };
  }
  const key = b.columns[o.splitBy];
  if (!key) throw new GlowtsError("WRITE", `write tsv: splitBy column '${o.splitBy}' is not in the frame (columns: ${Object.keys(b.columns).join(", ")})`, { option: "splitBy" });
  const groups = new Map<string, number[]>();
  for (let i = 0; i < b.numRows; i++) {
    const v = getValue(key, i);
    const k = v === null ? o.nullValue : String(v);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(i);
  }
  const split: [string, number, number][] = [];
  for (const [k, rows] of groups) {
    const start = out.length;
    for (const i of rows) writeRow(i);
    split.push([k, start, out.length - start]);
  }
  return { numRows: b.numRows, streams: { data: out.finish() }, info: { names, split } satisfies TsvPartInfo };
}

/** The calling-thread side of the TSV writer. */
export const tsvWriter: FormatWriter = {
  prepare(ctx: WriteContext) {
    const o = normalizeTsvOptions(ctx.options);
    // splitFileNames: value → the text put in place of `{}` (e.g. sanitized trait names)
    const { splitValues, splitFileNames, ...enc } = o;
    if (enc.splitBy && !ctx.path.includes("{}")) throw new GlowtsError("OPTION", `write tsv: with splitBy, the path must contain '{}' (replaced by the ${enc.splitBy} value), got ${ctx.path}`, { option: "splitBy" });
    const schemaNames = ctx.schema ? ctx.schema.map((f) => f.name).filter((n) => n !== enc.splitBy) : null;
    if (ctx.schema) for (const f of ctx.schema) if (typeof f.type === "object" && "genotypes" in f.type) throw new GlowtsError("WRITE", `write tsv: column '${f.name}' (genotypes) cannot be written as text; drop it first`);
    const files = new Map<string, AtomicFile>();
    let names: string[] | null = null;
    const fileFor = (key: string | null): AtomicFile => {
      const k = key ?? "";
      let f = files.get(k);
      if (!f) {
        // the last `{}` (a folder or prefix may contain the characters themselves)
        const at = ctx.path.lastIndexOf("{}");
        f = new AtomicFile(key === null ? ctx.path : ctx.path.slice(0, at) + (splitFileNames[key] ?? key) + ctx.path.slice(at + 2));
        files.set(k, f);
        if (enc.header && names) f.write(encoder.encode(tsvHeader(names, enc)));
      }
      return f;
    };
    const sink: PartSink = {
      append(part) {
        const info = part.info as TsvPartInfo;
        if (names === null) {
          names = info.names;
          if (enc.header) for (const f of files.values()) f.write(encoder.encode(tsvHeader(names, enc)));
        }
        const data = part.streams["data"]!;
        if (!info.split) { fileFor(null).write(data); return; }
        for (const [k, off, len] of info.split) fileFor(k).write(data.subarray(off, off + len));
      },
      commit() {
        if (names === null) {
          names = schemaNames ?? [];
          if (enc.header) for (const f of files.values()) f.write(encoder.encode(tsvHeader(names, enc)));
        }
        if (!enc.splitBy) fileFor(null);
        commitAll([...files.values()]); // one file per split value: all or nothing
      },
      abort() { for (const f of files.values()) f.abort(); },
    };
    try { for (const v of splitValues) fileFor(v); } catch (e) { sink.abort(); throw e; }
    return { spec: { encoder: "tsv", options: enc as unknown as Record<string, unknown> }, sink };
  },
};

const encoder = new TextEncoder();

/** Writes one batch as tab-separated text with a header (atomically); arrays joined with commas. */
export function writeBatchTsv(path: string, b: VariantBatch): void {
  const { spec, sink } = tsvWriter.prepare({ path, options: {}, schema: batchFields(b), sampleIds: null }) as Awaited<ReturnType<typeof tsvWriter.prepare>>;
  try { void sink.append(encodeTsvPart(b, spec.options)); void sink.commit(); } catch (e) { sink.abort(); throw e; }
}
