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
import type { Column, ListColumn, VariantBatch } from "../../core/column.js";
import { batchFields, getValue, isNull, listRange } from "../../core/column.js";
import { AtomicFile, commitAll } from "./atomic.js";
import { ByteSink } from "./part.js";
import { formatDoubles, layOutLines } from "./number-text.js";
import type { FormattedDoubles, LineColumn } from "./number-text.js";
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
 * A writer of number cells: `String(v)` (or {@link numberText} with `precision`), the formatter's
 * bytes `f` (the shortest round-trip texts of the whole column) where it wrote the value.
 */
function numberCells(v: Float64Array, nulls: Uint8Array | undefined, o: TsvEncodeOptions, f: FormattedDoubles | null): CellWriter {
  const na = o.nullValue;
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

/**
 * The writer of the cells that {@link columnCells} does not write itself: booleans, lists other than
 * lists of strings with a one-character ASCII delimiter, structs (as JSON).
 */
function cellWriter(name: string, c: Column, o: TsvEncodeOptions): CellWriter {
  const na = o.nullValue;
  switch (c.type) {
    case "string": case "double": case "long": case "int":
      throw new GlowtsError("WRITE", `write tsv: column '${name}' (${c.type}) is written by columnCells`);
    case "boolean": {
      const v = c.values; const nulls = c.nulls;
      return (out, i) => out.text(nulls && nulls[i] ? na : v[i] ? "true" : "false");
    }
    case "list": {
      const child = c.child;
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

/**
 * One column's cells as bytes: cell `i` is `bytes[starts[i] .. starts[i+1])`. A partition is
 * encoded a column at a time into these and the rows are then laid out from them, so that the row
 * loop only copies bytes (no per-cell calls or strings).
 */
interface CellBytes {
  bytes: Uint8Array;
  starts: Int32Array;
}

/** The cells of a column through its {@link CellWriter} (the general path). */
function writtenCells(w: CellWriter, n: number, bytesPerCell: number): CellBytes {
  const out = new ByteSink(Math.max(1 << 10, n * bytesPerCell));
  const starts = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) { starts[i] = out.length; w(out, i); }
  starts[n] = out.length;
  return { bytes: out.view(), starts };
}

/** Number cells: the formatter's bytes as they are when it wrote every cell (no nulls, NaN or ±Infinity). */
function numberColumnCells(v: Float64Array, n: number, nulls: Uint8Array | undefined, o: TsvEncodeOptions): CellBytes {
  const f = o.precision === null && v.length >= n ? formatDoubles(v, n) : null;
  if (f && !hasNulls(nulls, n)) {
    const st = f.starts;
    let complete = true;
    for (let i = 0; i < n; i++) if (st[i] === st[i + 1]) { complete = false; break; }
    if (complete) return f;
  }
  return writtenCells(numberCells(v, nulls, o, f), n, 12);
}

/** String cells: ASCII text without tab, newline or the delimiter copied as is, the rest cleaned. */
function stringColumnCells(v: (string | null)[], n: number, o: TsvEncodeOptions): CellBytes {
  const d = o.delimiter;
  const dc = d.length === 1 && d.charCodeAt(0) < 0x80 ? d.charCodeAt(0) : -1;
  const na = o.nullValue;
  const out = new ByteSink(Math.max(1 << 10, n * 8));
  const starts = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    starts[i] = out.length;
    const s = v[i];
    if (s === null || s === undefined) out.text(na);
    else if (dc < 0 || !out.plainText(s, 9, 10, dc)) out.text(cleanText(s, d));
  }
  starts[n] = out.length;
  return { bytes: out.view(), starts };
}

/** Cells of a list of strings (e.g. alternateAlleles): elements joined with `,`, plain ASCII copied as is, the rest as {@link elementText} writes it. */
function stringListCells(c: ListColumn, n: number, o: TsvEncodeOptions): CellBytes {
  const child = c.child as { values: (string | null)[] };
  const cv = child.values;
  const dc = o.delimiter.charCodeAt(0);
  const out = new ByteSink(Math.max(1 << 10, n * 4));
  const starts = new Int32Array(n + 1);
  const offsets = c.offsets;
  const width = c.width ?? 0;
  for (let i = 0; i < n; i++) {
    starts[i] = out.length;
    if (c.nulls && c.nulls[i]) { out.text(o.nullValue); continue; }
    const a = offsets ? offsets[i]! : i * width;
    const b = offsets ? offsets[i + 1]! : a + width;
    for (let j = a; j < b; j++) {
      if (j > a) out.byte(44);
      const s = cv[j];
      if (s === null || s === undefined || !out.plainText(s, 9, 10, dc, 44)) out.text(elementText(c.child, j, o));
    }
  }
  starts[n] = out.length;
  return { bytes: out.view(), starts };
}

function columnCells(name: string, c: Column, o: TsvEncodeOptions, n: number): CellBytes {
  switch (c.type) {
    case "string": return stringColumnCells(c.values, n, o);
    case "list":
      if (c.child.type === "string" && o.delimiter.length === 1 && o.delimiter.charCodeAt(0) < 0x80) return stringListCells(c, n, o);
      return writtenCells(cellWriter(name, c, o), n, 8);
    case "double": return numberColumnCells(c.values, n, c.nulls, o);
    case "long": return numberColumnCells(c.values, n, c.nulls, { ...o, precision: null });
    case "int": return numberColumnCells(Float64Array.from(c.values.subarray(0, Math.min(n, c.values.length))), n, c.nulls, { ...o, precision: null });
    default: return writtenCells(cellWriter(name, c, o), n, 8);
  }
}

/**
 * The lines of rows `order[0 .. m)` (or rows 0 .. m when `order` is null), cells joined by the
 * delimiter: each line's length is summed first, then every column copies its cells into place.
 * Returns the bytes and where each line starts (`lineStarts[m]` = the total).
 */
function layOutRows(cells: CellBytes[], order: Int32Array | null, m: number, delim: Uint8Array): { bytes: Uint8Array; lineStarts: Int32Array } {
  const k = cells.length;
  const dl = delim.length;
  const pos = new Int32Array(m + 1);
  const fixed = Math.max(0, k - 1) * dl + 1;
  for (let r = 0; r < m; r++) pos[r] = fixed;
  for (const { starts } of cells) {
    if (order === null) for (let r = 0; r < m; r++) pos[r]! += starts[r + 1]! - starts[r]!;
    else for (let r = 0; r < m; r++) { const i = order[r]!; pos[r]! += starts[i + 1]! - starts[i]!; }
  }
  let total = 0;
  for (let r = 0; r < m; r++) { const len = pos[r]!; pos[r] = total; total += len; }
  pos[m] = total;
  const lineStarts = pos.slice();
  const out = new Uint8Array(total);
  const d0 = dl > 0 ? delim[0]! : 0;
  for (let c = 0; c < k; c++) {
    const { bytes, starts } = cells[c]!;
    const last = c === k - 1;
    for (let r = 0; r < m; r++) {
      const i = order === null ? r : order[r]!;
      let p = pos[r]!;
      const b = starts[i + 1]!;
      for (let j = starts[i]!; j < b; j++) out[p++] = bytes[j]!;
      if (last) out[p++] = 10;
      else if (dl === 1) out[p++] = d0;
      else for (let j = 0; j < dl; j++) out[p++] = delim[j]!;
      pos[r] = p;
    }
  }
  if (k === 0) for (let r = 0; r < m; r++) out[lineStarts[r]!] = 10;
  return { bytes: out, lineStarts };
}

function hasNulls(nulls: Uint8Array | undefined, n: number): boolean {
  if (nulls === undefined) return false;
  for (let i = 0; i < n; i++) if (nulls[i] !== 0) return true;
  return false;
}

/**
 * The lines of a partition: in one WebAssembly call where possible (doubles formatted straight
 * into the lines), else with {@link layOutRows}.
 */
function partLines(b: VariantBatch, names: string[], o: TsvEncodeOptions, order: Int32Array | null): { bytes: Uint8Array; lineStarts: Int32Array } {
  const n = b.numRows;
  const delim = encoder.encode(o.delimiter);
  const cols: LineColumn[] = names.map((name) => {
    const c = b.columns[name]!;
    const plainNumbers = (c.type === "double" && o.precision === null) || c.type === "long";
    if (plainNumbers && c.values.length >= n && !hasNulls(c.nulls, n)) return { doubles: c.values };
    return columnCells(name, c, o, n);
  });
  for (;;) {
    const laid = layOutLines(cols, order, n, delim);
    if (laid === null) break;
    if (!("unformatted" in laid)) return laid;
    const k = laid.unformatted;
    cols[k] = columnCells(names[k]!, b.columns[names[k]!]!, o, n);
  }
  // without WebAssembly: the numbers as text cells too (String(v)), the text cells as they are
  return layOutRows(cols.map((c, k) => ("doubles" in c ? columnCells(names[k]!, b.columns[names[k]!]!, o, n) : c)), order, n, delim);
}

/** Encodes a partition as delimited lines (no header). Runs in the workers. */
export function encodeTsvPart(b: VariantBatch, options: Record<string, unknown>): SerializedPart {
  const o = options as unknown as TsvEncodeOptions;
  const names = Object.keys(b.columns).filter((n) => n !== o.splitBy);
  const n = b.numRows;
  if (!o.splitBy) {
    const { bytes } = partLines(b, names, o, null);
    return { numRows: n, streams: { data: bytes }, info: { names } satisfies TsvPartInfo };
  }
  const key = b.columns[o.splitBy];
  if (!key) throw new GlowtsError("WRITE", `write tsv: splitBy column '${o.splitBy}' is not in the frame (columns: ${Object.keys(b.columns).join(", ")})`, { option: "splitBy" });
  const groups = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const v = getValue(key, i);
    const k = v === null ? o.nullValue : String(v);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(i);
  }
  const order = new Int32Array(n);
  const firstRow: [string, number, number][] = [];
  let r = 0;
  for (const [k, rows] of groups) {
    firstRow.push([k, r, rows.length]);
    for (const i of rows) order[r++] = i;
  }
  const { bytes, lineStarts } = partLines(b, names, o, order);
  const split: [string, number, number][] = firstRow.map(([k, r0, count]) => [k, lineStarts[r0]!, lineStarts[r0 + count]! - lineStarts[r0]!]);
  return { numRows: n, streams: { data: bytes }, info: { names, split } satisfies TsvPartInfo };
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
