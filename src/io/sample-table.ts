/**
 * Sample-level tables: phenotypes, covariates, offsets (Glow's pandas DataFrames indexed by sample
 * id) as danfo DataFrames, plus REGENIE step-1 `.loco` predictions as LOCO offset tables.
 *
 * Layers: pure text parsers ({@link parseSampleTable}, {@link parseRegenieLoco}) that return plain
 * columnar data; async adapters ({@link readSampleTable}, {@link readRegenieLoco},
 * {@link readRegeniePredList}) that read files and build danfo DataFrames; and
 * {@link tableToMatrix}, which aligns rows to a sample list for GWAS/WGR kernels.
 *
 * **Index representation.** A one-level table is indexed by the sample id. A two-level table
 * (Glow's offset DataFrame with MultiIndex `(sample_id, contigName)`) is indexed by the string
 * `offsetKey(sampleId, contigName)` = `` `${sampleId}|${contigName}` `` (e.g. `HG00096|22`; the
 * contig is what follows the LAST `|`, so sample ids may contain `|` but contig names must not).
 * A printable separator keeps danfo's `print()` working (it rejects control characters). Look rows up with
 * `tableToMatrix(df, sampleIds, columns, { contigName })` or build keys with {@link offsetKey}.
 *
 * danfo is heavy to load, so it is imported lazily inside the async readers.
 */
import { readFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { existsSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import type { DataFrame } from "danfojs";
import { GlowtsError, asGlowtsError, optionError } from "../core/errors.js";
import { cellToNumber, MISSING_NUMBER_TEXT, parseDouble, parseDoubleBytes } from "../core/numbers.js";
import { columnTable } from "../core/table.js";

/** Separator between the sample id and the contig in a two-level index key. */
export const OFFSET_KEY_SEPARATOR = "|";

/** Index key of a two-level (sample, contig) table row, e.g. a LOCO offset. */
export function offsetKey(sampleId: string, contigName: string): string {
  return `${sampleId}${OFFSET_KEY_SEPARATOR}${contigName}`;
}

/** Splits an {@link offsetKey} back into `[sampleId, contigName]`. */
export function parseOffsetKey(key: string): [string, string] {
  const i = key.lastIndexOf(OFFSET_KEY_SEPARATOR);
  if (i < 0) return [key, ""];
  return [key.slice(0, i), key.slice(i + 1)];
}

/** Options of {@link readSampleTable} / {@link parseSampleTable}. */
export interface ReadSampleTableOptions {
  /**
   * Field separator: `","`, `"\t"`, `"whitespace"` (runs of spaces/tabs, like pandas `sep=r'\s+'`),
   * any other string, or `"auto"`: tab if the header has a tab, else comma if it has a comma, else
   * whitespace. @defaultValue "auto"
   */
  sep?: string;
  /** Column holding the sample id (e.g. `"sample_id"`). */
  indexColumn?: string;
  /**
   * Two columns forming a (sample, contig) index, e.g. `["sample_id", "contigName"]`; rows are
   * then keyed by {@link offsetKey}.
   */
  indexColumns?: [string, string];
  /**
   * For PLINK/REGENIE `FID IID ...` tables: index by `FID_IID` (true) or `IID` (false). Both FID and
   * IID are dropped from the data columns. Only used when the table has FID and IID columns and no
   * `indexColumn(s)` is given. @defaultValue true
   */
  mergeFidIid?: boolean;
  /** Data columns to keep, in this order (default: all but the index columns). */
  columns?: string[];
}

/** Plain columnar contents of a sample table (what the danfo DataFrame is built from). */
export interface SampleTableData {
  /** Row keys: sample ids, or {@link offsetKey}s for a two-level table. */
  index: string[];
  /** Data column names. */
  columns: string[];
  /** Numeric columns are Float64Array (missing = NaN); others are strings (missing = null). */
  data: (Float64Array | (string | null)[])[];
  /** The names of the index column(s) used, e.g. `["FID", "IID"]`, `["sample_id"]`. */
  indexNames: string[];
}

/** Parses one numeric cell; `undefined` when the text is not a number nor a missing marker. */
function parseNumberCell(s: string): number | undefined {
  return MISSING_NUMBER_TEXT.has(s) ? NaN : parseDouble(s, false);
}

/** Splits a CSV line honouring double quotes (`""` escapes a quote). */
function splitCsvLine(line: string, sep: string): string[] {
  if (!line.includes('"')) return line.split(sep).map((s) => s.trim());
  const out: string[] = [];
  let cur = "";
  let inQ = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (inQ) {
      if (ch === '"') {
        if (line[i + 1] === '"') { cur += '"'; i++; }
        else inQ = false;
      } else cur += ch;
    } else if (ch === '"' && cur.trim() === "") {
      inQ = true;
      cur = "";
    } else if (line.startsWith(sep, i)) {
      out.push(cur.trim());
      cur = "";
      i += sep.length - 1;
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

function makeSplitter(sep: string): (line: string) => string[] {
  if (sep === "whitespace") return (line) => { const t = line.trim(); return t === "" ? [] : t.split(/[ \t]+/); };
  if (sep === ",") return (line) => splitCsvLine(line, ",");
  return (line) => line.split(sep).map((s) => s.trim());
}

function detectSep(header: string): string {
  if (header.includes("\t")) return "\t";
  if (header.includes(",")) return ",";
  return "whitespace";
}

function normalizeSep(sep: string | undefined): string {
  if (sep === undefined || sep.toLowerCase() === "auto") return "auto";
  if (sep === "\\t") return "\t";
  if (sep === "\\s+" || sep.toLowerCase() === "whitespace") return "whitespace";
  if (sep.length === 0) return optionError("readSampleTable", "sep", "must not be empty");
  return sep;
}

const TABLE_OPTIONS = new Set(["sep", "indexColumn", "indexColumns", "mergeFidIid", "columns"]);

/**
 * Parses the text of a sample table (header line, then one row per sample). Pure: no file access.
 *
 * @param text - the whole (decompressed) file.
 * @param options - see {@link ReadSampleTableOptions}.
 * @param file - name used in errors.
 * @returns the index, the data column names and the columns (numeric ones as Float64Array with
 *   `NA`/`nan`/`NaN`/empty as NaN; any other column as strings with those markers as null).
 * @throws GlowtsError `TABLE_PARSE` naming the file and line for ragged rows, duplicate ids or
 *   columns; `OPTION` for unknown options or missing index/selected columns.
 */
export function parseSampleTable(text: string, options: ReadSampleTableOptions = {}, file?: string): SampleTableData {
  for (const k of Object.keys(options)) {
    if (!TABLE_OPTIONS.has(k)) optionError("readSampleTable", k, `is not an option; known: ${[...TABLE_OPTIONS].join(", ")}`);
  }
  if (options.sep !== undefined && typeof options.sep !== "string") optionError("readSampleTable", "sep", "must be a string");
  if (options.mergeFidIid !== undefined && typeof options.mergeFidIid !== "boolean") optionError("readSampleTable", "mergeFidIid", "must be true or false");
  if (options.indexColumn !== undefined && typeof options.indexColumn !== "string") optionError("readSampleTable", "indexColumn", "must be a column name");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split("\n");
  let h = 0;
  while (h < lines.length && lines[h]!.trim() === "") h++;
  if (h >= lines.length) throw new GlowtsError("TABLE_PARSE", "empty table: no header line", { file });
  const headerLine = lines[h]!.replace(/\r$/, "");
  let sep = normalizeSep(options.sep);
  if (sep === "auto") sep = detectSep(headerLine);
  const split = makeSplitter(sep);
  const header = split(headerLine);
  const nCols = header.length;
  const seen = new Map<string, number>();
  header.forEach((name, j) => {
    if (seen.has(name)) {
      throw new GlowtsError("TABLE_PARSE", `duplicate column '${name}' (columns ${seen.get(name)! + 1} and ${j + 1})`, { file, record: `line ${h + 1}` });
    }
    seen.set(name, j);
  });

  // Raw cells, column-major.
  const cells: string[][] = header.map(() => []);
  for (let i = h + 1; i < lines.length; i++) {
    const line = lines[i]!.endsWith("\r") ? lines[i]!.slice(0, -1) : lines[i]!;
    if (line.trim() === "") continue;
    const f = split(line);
    if (f.length !== nCols) {
      throw new GlowtsError("TABLE_PARSE", `row has ${f.length} field(s), the header has ${nCols} (separator ${sep === "\t" ? "'\\t'" : sep === "whitespace" ? "whitespace" : `'${sep}'`})`, {
        file,
        record: `line ${i + 1}`,
      });
    }
    for (let j = 0; j < nCols; j++) cells[j]!.push(f[j]!);
  }
  const nRows = cells[0]?.length ?? 0;

  const colIndex = (name: string, option: string): number => {
    const j = seen.get(name);
    if (j === undefined) return optionError("readSampleTable", option, `names column '${name}', which is not in ${file ?? "the table"}; columns: ${header.join(", ")}`);
    return j;
  };
  const fidName = seen.has("FID") ? "FID" : seen.has("#FID") ? "#FID" : undefined;
  const iidName = seen.has("IID") ? "IID" : seen.has("#IID") ? "#IID" : undefined;

  let index: string[];
  let indexNames: string[];
  if (options.indexColumns !== undefined) {
    if (options.indexColumn !== undefined) optionError("readSampleTable", "indexColumns", "cannot be combined with indexColumn");
    if (!Array.isArray(options.indexColumns) || options.indexColumns.length !== 2) {
      optionError("readSampleTable", "indexColumns", "must be two column names [sample, contig]");
    }
    const [a, b] = options.indexColumns.map((c) => colIndex(c, "indexColumns")) as [number, number];
    index = cells[a]!.map((s, i) => offsetKey(s, cells[b]![i]!));
    indexNames = [...options.indexColumns];
  } else if (options.indexColumn !== undefined) {
    index = cells[colIndex(options.indexColumn, "indexColumn")]!.slice();
    indexNames = [options.indexColumn];
  } else if (fidName !== undefined && iidName !== undefined) {
    const fid = cells[seen.get(fidName)!]!;
    const iid = cells[seen.get(iidName)!]!;
    index = options.mergeFidIid === false ? iid.slice() : fid.map((f, i) => `${f}_${iid[i]}`);
    indexNames = [fidName, iidName];
  } else if (seen.has("sample_id")) {
    index = cells[seen.get("sample_id")!]!.slice();
    indexNames = ["sample_id"];
  } else {
    index = cells[0]!.slice();
    indexNames = [header[0]!];
  }
  const dupIndex = new Map<string, number>();
  for (let i = 0; i < index.length; i++) {
    const prev = dupIndex.get(index[i]!);
    if (prev !== undefined) {
      throw new GlowtsError("TABLE_PARSE", `duplicate sample id '${index[i]!.replace(OFFSET_KEY_SEPARATOR, "', contig '")}' (rows ${prev + 1} and ${i + 1} of the data)`, { file });
    }
    dupIndex.set(index[i]!, i);
  }

  let columns: string[];
  if (options.columns !== undefined) {
    if (!Array.isArray(options.columns)) optionError("readSampleTable", "columns", "must be an array of column names");
    for (const c of options.columns) colIndex(c, "columns");
    columns = [...options.columns];
  } else {
    const idx = new Set(indexNames);
    columns = header.filter((c) => !idx.has(c));
  }

  const data = columns.map((c) => {
    const raw = cells[seen.get(c)!]!;
    const num = new Float64Array(nRows);
    for (let i = 0; i < nRows; i++) {
      const v = parseNumberCell(raw[i]!);
      if (v === undefined) return raw.map((s) => (MISSING_NUMBER_TEXT.has(s) ? null : s));
      num[i] = v;
    }
    return num;
  });
  return { index, columns, data, indexNames };
}

async function readTextMaybeGzip(path: string): Promise<string> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new GlowtsError(code === "ENOENT" ? "FILE_NOT_FOUND" : "IO", code === "ENOENT" ? "file not found" : `cannot read file: ${(e as Error).message}`, { file: path });
  }
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = gunzipSync(buf);
    } catch (e) {
      throw asGlowtsError(e, "TABLE_PARSE", { file: path, record: "gzip stream" });
    }
  }
  return buf.toString("utf8");
}

async function toDataFrame(t: SampleTableData, file: string): Promise<DataFrame> {
  if (t.columns.length === 0) {
    throw new GlowtsError("TABLE_PARSE", "the table has no data columns besides its index", { file });
  }
  const danfo = await import("danfojs");
  const obj: Record<string, unknown[]> = {};
  const dtypes: string[] = [];
  t.columns.forEach((c, j) => {
    const d = t.data[j]!;
    obj[c] = d instanceof Float64Array ? Array.from(d) : d;
    dtypes.push(d instanceof Float64Array ? "float32" : "string");
  });
  if (t.index.length === 0) {
    return new danfo.DataFrame([], { columns: t.columns }) as DataFrame;
  }
  return new danfo.DataFrame(obj, { index: t.index, columns: t.columns, dtypes }) as DataFrame;
}

/**
 * Reads a phenotype, covariate or offset table into a danfo DataFrame indexed by sample id, as
 * Glow's pandas tables are.
 *
 * Formats: CSV, TSV or whitespace-separated text (auto-detected from the header or `sep`), gzip
 * or bgzip (detected by magic bytes). Index: `indexColumns` (two-level, see module doc), else
 * `indexColumn`, else `FID_IID` when the table has `FID` and `IID` columns (REGENIE/PLINK files;
 * `mergeFidIid: false` gives `IID`), else a `sample_id` column, else the first column.
 * `NA`, `nan`, `NaN` and empty cells are missing: NaN in numeric columns (danfo dtype `float32`,
 * values are JS doubles), null in string columns. Row order is the file's.
 *
 * @returns a danfo DataFrame: index = sample ids (or offset keys), one column per data column.
 * @throws GlowtsError `FILE_NOT_FOUND`, `TABLE_PARSE` (ragged row with its line, duplicate id),
 *   `OPTION`.
 * @example
 * ```ts
 * const pheno = await readSampleTable("phenotype.txt");                 // FID IID Y1 Y2 → index "1_1"
 * const covs = await readSampleTable("covariates.csv.gz", { indexColumn: "sample_id" });
 * const offs = await readSampleTable("offsets.csv", { indexColumns: ["sample_id", "contigName"] });
 * ```
 */
export async function readSampleTable(path: string, options: ReadSampleTableOptions = {}): Promise<DataFrame> {
  const text = await readTextMaybeGzip(path);
  const t = parseSampleTable(text, options, path);
  return toDataFrame(t, path);
}

/** Contents of a REGENIE step-1 `.loco` file: one row of predictions per chromosome. */
export interface RegenieLoco {
  /** Sample ids from the `FID_IID` header row. */
  sampleIds: string[];
  /** Chromosome of each prediction row, in file order. */
  contigNames: string[];
  /** Predictions, row-major: `values[c * sampleIds.length + s]` for contig `c`, sample `s`. */
  values: Float64Array;
}

/**
 * Parses a REGENIE step-1 `.loco` file (pure). Row 1 is `FID_IID` followed by the sample ids; each
 * later row is a chromosome followed by one prediction per sample. Fields are whitespace-separated;
 * `NA`/`nan`/`NaN` give NaN.
 *
 * @throws GlowtsError `LOCO_PARSE` naming the file and line on a bad header, ragged row, non-numeric
 *   value or repeated chromosome.
 */
export function parseRegenieLoco(input: string | Uint8Array, file?: string): RegenieLoco {
  // Scanned as bytes, a field at a time: a .loco of 23 rows × n samples would otherwise make 23·n strings.
  const t = typeof input === "string" ? new TextEncoder().encode(input) : input;
  const len = t.length;
  const isBlank = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d;
  const text = (x: number, y: number): string => Buffer.from(t.buffer, t.byteOffset + x, y - x).toString("utf8");
  /** Field boundaries [start, end) of the line [x, y), separated by spaces and tabs. */
  const fieldsOf = (x: number, y: number): number[] => {
    const f: number[] = [];
    let i = x;
    while (i < y) {
      while (i < y && isBlank(t[i]!)) i++;
      if (i >= y) break;
      const a0 = i;
      while (i < y && !isBlank(t[i]!)) i++;
      f.push(a0, i);
    }
    return f;
  };
  let pos = 0;
  let line = 0;
  const nextLine = (): [number, number] => {
    const e = t.indexOf(0x0a, pos);
    const end = e < 0 ? len : e;
    const r: [number, number] = [pos, end];
    pos = end + 1;
    line++;
    return r;
  };
  let head: number[] = [];
  let headLine: [number, number] = [0, 0];
  while (pos < len && head.length === 0) { headLine = nextLine(); head = fieldsOf(headLine[0], headLine[1]); }
  const first = head.length ? text(head[0]!, head[1]!) : "";
  if (first !== "FID_IID") {
    throw new GlowtsError("LOCO_PARSE", `expected a header row starting with 'FID_IID', got '${first}'`, { file, record: `line ${Math.max(line, 1)}` });
  }
  const sampleIds: string[] = [];
  for (let k = 2; k < head.length; k += 2) sampleIds.push(text(head[k]!, head[k + 1]!));
  const n = sampleIds.length;
  const seenIds = new Set<string>();
  for (const id of sampleIds) {
    if (seenIds.has(id)) throw new GlowtsError("LOCO_PARSE", `duplicate sample id '${id}' in the header`, { file, record: `line ${line}` });
    seenIds.add(id);
  }
  const contigNames: string[] = [];
  const rows: Float64Array[] = [];
  while (pos < len) {
    const [x, y] = nextLine();
    const f = fieldsOf(x, y);
    if (f.length === 0) continue;
    if (f.length / 2 !== n + 1) {
      throw new GlowtsError("LOCO_PARSE", `row has ${f.length / 2} field(s), expected ${n + 1} (chromosome + ${n} samples)`, { file, record: `line ${line}` });
    }
    const contig = text(f[0]!, f[1]!);
    if (contigNames.includes(contig)) throw new GlowtsError("LOCO_PARSE", `chromosome '${contig}' appears twice`, { file, record: `line ${line}` });
    const row = new Float64Array(n);
    for (let s = 0; s < n; s++) {
      const a0 = f[2 * s + 2]!, b0 = f[2 * s + 3]!;
      let v = parseDoubleBytes(t, a0, b0);
      if (v === undefined) {
        const cell = text(a0, b0);
        v = parseNumberCell(cell);
        if (v === undefined) throw new GlowtsError("LOCO_PARSE", `value '${cell}' for sample '${sampleIds[s]}' is not a number`, { file, record: `line ${line}` });
      }
      row[s] = v;
    }
    contigNames.push(contig);
    rows.push(row);
  }
  const values = new Float64Array(rows.length * n);
  rows.forEach((r, c) => values.set(r, c * n));
  return { sampleIds, contigNames, values };
}

/** The long form of one or more `.loco` files: keys `offsetKey(sample, contig)`, one column per trait. */
function locoLongForm(locos: RegenieLoco[], traits: string[]): SampleTableData {
  const first = locos[0]!;
  const n = first.sampleIds.length;
  const nc = first.contigNames.length;
  const index: string[] = new Array(n * nc);
  for (let s = 0; s < n; s++) for (let c = 0; c < nc; c++) index[s * nc + c] = offsetKey(first.sampleIds[s]!, first.contigNames[c]!);
  const data = locos.map((l) => {
    const col = new Float64Array(n * nc);
    const sPos = new Map(l.sampleIds.map((id, i) => [id, i]));
    const cPos = new Map(l.contigNames.map((id, i) => [id, i]));
    for (let s = 0; s < n; s++) {
      const si = sPos.get(first.sampleIds[s]!)!;
      for (let c = 0; c < nc; c++) col[s * nc + c] = l.values[cPos.get(first.contigNames[c]!)! * l.sampleIds.length + si]!;
    }
    return col;
  });
  return { index, columns: traits, data, indexNames: ["FID_IID", "contigName"] };
}

/**
 * Reads a REGENIE step-1 `.loco` file as a LOCO offset table (Glow's `offset_df` with MultiIndex
 * `(FID_IID, contigName)`, i.e. the `.loco` melted to long form).
 *
 * @param path - the `.loco` file (gzip allowed).
 * @param options.trait - name of the value column (default: the file name without `.loco`).
 * @returns a danfo DataFrame indexed by `offsetKey(FID_IID, contigName)`, sample-major (each sample's
 *   chromosomes in file order), with one column named after the trait.
 * @example
 * ```ts
 * const off = await readRegenieLoco("fit_lin_out_1.loco", { trait: "Y1" });
 * const { matrix } = tableToMatrix(off, sampleIds, ["Y1"], { contigName: "1" });
 * ```
 */
export async function readRegenieLoco(path: string, options: { trait?: string } = {}): Promise<DataFrame> {
  for (const k of Object.keys(options)) if (k !== "trait") optionError("readRegenieLoco", k, "is not an option; known: trait");
  const loco = parseRegenieLoco(await readTextMaybeGzip(path), path);
  const trait = options.trait ?? basename(path).replace(/\.gz$/, "").replace(/\.loco$/, "");
  return toDataFrame(locoLongForm([loco], [trait]), path);
}

/**
 * Reads a REGENIE step-1 `_pred.list` (lines `TRAIT path.loco`) and merges all traits' `.loco`
 * files into one LOCO offset table (one column per trait, as Glow's tests merge Y1 and Y2). A listed
 * path that does not exist is looked up by file name next to the list (REGENIE writes absolute paths).
 *
 * @returns a danfo DataFrame indexed by `offsetKey(FID_IID, contigName)` with one column per trait.
 * @throws GlowtsError when a `.loco` is missing or the files disagree on samples or chromosomes.
 */
export async function readRegeniePredList(path: string): Promise<DataFrame> {
  const text = await readTextMaybeGzip(path);
  const traits: string[] = [];
  const locos: RegenieLoco[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (t === "") continue;
    const f = t.split(/[ \t]+/);
    if (f.length !== 2) throw new GlowtsError("LOCO_PARSE", `expected 'TRAIT path' (2 fields), got ${f.length}`, { file: path, record: `line ${i + 1}` });
    let p = f[1]!;
    if (!existsSync(p)) {
      const local = join(dirname(path), basename(p));
      if (existsSync(local)) p = local;
      else throw new GlowtsError("FILE_NOT_FOUND", `.loco file for trait '${f[0]}' not found: ${f[1]} (nor ${local})`, { file: path, record: `line ${i + 1}` });
    }
    const loco = parseRegenieLoco(await readTextMaybeGzip(p), p);
    if (locos.length > 0) {
      const a = locos[0]!;
      const sameSet = (x: string[], y: string[]): boolean => x.length === y.length && new Set([...x, ...y]).size === x.length;
      if (!sameSet(a.sampleIds, loco.sampleIds) || !sameSet(a.contigNames, loco.contigNames)) {
        throw new GlowtsError("LOCO_PARSE", `samples or chromosomes differ from those of trait '${traits[0]}'`, { file: p });
      }
    }
    if (traits.includes(f[0]!)) throw new GlowtsError("LOCO_PARSE", `trait '${f[0]}' listed twice`, { file: path, record: `line ${i + 1}` });
    traits.push(f[0]!);
    locos.push(loco);
  }
  if (locos.length === 0) throw new GlowtsError("LOCO_PARSE", "no traits listed", { file: path });
  return toDataFrame(locoLongForm(locos, traits), path);
}

/** Result of {@link tableToMatrix}. */
export interface TableMatrix {
  /** n×k values, column-major: `matrix[j * n + i]` is column `j` of sample `i`. Missing = NaN. */
  matrix: Float64Array;
  /** The k column names, in matrix order. */
  columns: string[];
  /** The n sample ids, in matrix order (as requested). */
  sampleIds: string[];
  nRows: number;
  nCols: number;
}

/** Anything with a danfo-like surface, or the plain {@link SampleTableData}. */
type TableLike = DataFrame | SampleTableData;

function tableColumns(t: TableLike): { index: string[]; columns: string[]; get: (c: string) => ArrayLike<unknown>; numeric: (c: string) => boolean } {
  const tab = columnTable(t, "tableToMatrix", "OPTION");
  return { index: tab.index ?? [], columns: tab.columns, get: (c) => tab.column(c), numeric: (c) => tab.declaredNumeric(c) === true };
}

/**
 * Aligns a sample table's rows to a list of sample ids and returns its numeric columns as a
 * column-major Float64Array (what GWAS/WGR kernels take).
 *
 * @param df - a danfo DataFrame from {@link readSampleTable} (or the plain {@link SampleTableData}).
 * @param sampleIds - wanted row order (e.g. the genotype sample ids).
 * @param columns - columns to take (default: every numeric column, in table order).
 * @param options.contigName - for a two-level offset table: take the rows `offsetKey(id, contigName)`.
 * @returns `{matrix, columns, sampleIds, nRows, nCols}`; null/undefined cells become NaN.
 * @throws GlowtsError `SAMPLE_MISMATCH` listing (up to 10 of) the ids missing from the table;
 *   `OPTION` for an unknown or non-numeric column.
 */
export function tableToMatrix(
  df: TableLike,
  sampleIds: readonly string[],
  columns?: readonly string[],
  options: { contigName?: string } = {},
): TableMatrix {
  const t = tableColumns(df);
  const cols = columns ? [...columns] : t.columns.filter((c) => t.numeric(c));
  for (const c of cols) {
    if (!t.columns.includes(c)) optionError("tableToMatrix", "columns", `names '${c}', which is not a column; columns: ${t.columns.join(", ")}`);
    if (!t.numeric(c)) optionError("tableToMatrix", "columns", `names '${c}', which is not numeric`);
  }
  const rowOf = new Map<string, number>();
  t.index.forEach((k, i) => { if (!rowOf.has(k)) rowOf.set(k, i); });
  const n = sampleIds.length;
  const rows = new Int32Array(n);
  const missing: string[] = [];
  const contig = options.contigName;
  for (let i = 0; i < n; i++) {
    const key = contig === undefined ? sampleIds[i]! : offsetKey(sampleIds[i]!, contig);
    const r = rowOf.get(key);
    if (r === undefined) { missing.push(sampleIds[i]!); rows[i] = -1; }
    else rows[i] = r;
  }
  if (missing.length > 0) {
    const shown = missing.slice(0, 10).map((s) => `'${s}'`).join(", ");
    throw new GlowtsError(
      "SAMPLE_MISMATCH",
      `tableToMatrix: ${missing.length} of ${n} sample id(s) not in the table${contig !== undefined ? ` for contig '${contig}'` : ""}: ${shown}${missing.length > 10 ? ", ..." : ""}`,
    );
  }
  const k = cols.length;
  const matrix = new Float64Array(n * k);
  for (let j = 0; j < k; j++) {
    const v = t.get(cols[j]!);
    const base = j * n;
    for (let i = 0; i < n; i++) {
      const x = v[rows[i]!];
      matrix[base + i] = cellToNumber(x) ?? NaN;
    }
  }
  return { matrix, columns: cols, sampleIds: [...sampleIds], nRows: n, nCols: k };
}
