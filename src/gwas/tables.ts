/**
 * Sample-level tables for GWAS (phenotypes, covariates, offsets) and their alignment to the
 * genotype sample order.
 *
 * A table is anything shaped like a danfo DataFrame: `{index, columns, values}` where `index` is
 * the sample ids, `columns` the column names and `values` the rows (`values[i][j]`). A danfo
 * DataFrame (`new dfd.DataFrame(rows, {index, columns})`) qualifies as is, so does a plain object.
 * If a column `sample_id` (or `sampleId`) is present it is used as the sample id instead of the
 * index (the shape `dfd.readCSV` gives for a CSV written by pandas).
 *
 * Also accepted: a column-major `values` typed array (length rows × columns, as GloWGR's
 * `SampleTable`), or `{index, columns, data: {column: values}}`.
 *
 * LOCO offsets (pandas' (sample_id, contigName) MultiIndex in Glow) are either a table with a
 * `contigName` column (one row per (sample, contig), the other columns being the traits), or a
 * table whose index keys are `offsetKey(sampleId, contigName)` = `sample|contig` (what
 * `readRegenieLoco` / `readSampleTable({indexColumns})` return; the contig follows the last `|`).
 */
import { GlowtsError } from "../core/errors.js";
import { cellToNumber, MISSING_NUMBER_TEXT } from "../core/numbers.js";
import { columnTable, isEmptyTable, type TableLike } from "../core/table.js";

/** The duck type accepted for phenotype, covariate and offset tables (`core/table.ts`). */
export type SampleTableLike = TableLike;

/** A numeric sample × column matrix, column-major (`data[j*ids.length + i]`). */
export interface SampleMatrix {
  ids: string[];
  columns: string[];
  data: Float64Array;
}

const ID_COLUMNS = ["sample_id", "sampleId"];
const CONTIG_COLUMN = "contigName";
/** Separator of two-level index keys (`offsetKey` of `io/sample-table`). */
const OFFSET_KEY_SEPARATOR = "|";

function toNumber(v: unknown, what: string, row: string, column: string): number {
  const x = cellToNumber(v);
  if (x !== undefined) return x;
  throw new GlowtsError("SAMPLE_TABLE", `${what}: value ${JSON.stringify(v)} in column '${column}' is not a number`, { record: `sample ${row}` });
}

export { isEmptyTable };

interface ParsedTable {
  ids: string[];
  columns: string[];
  /** Per column, the raw row values. */
  raw: unknown[][];
}

function parseTable(t: unknown, what: string): ParsedTable {
  const tab = columnTable(t, what, "SAMPLE_TABLE");
  const columns = [...tab.columns];
  const nRows = tab.nRows;
  const raw = columns.map((c) => Array.from(tab.column(c)));
  for (const col of raw) {
    if (col.length !== nRows) throw new GlowtsError("SAMPLE_TABLE", `${what}: columns have different lengths`);
  }
  const idCol = columns.findIndex((c) => ID_COLUMNS.includes(c));
  let ids: string[];
  if (idCol >= 0) {
    ids = raw[idCol]!.map((v) => String(v));
    columns.splice(idCol, 1);
    raw.splice(idCol, 1);
  } else {
    if (!tab.index || tab.index.length !== nRows) {
      throw new GlowtsError("SAMPLE_TABLE", `${what} needs an index of sample ids (or a 'sample_id' column)`);
    }
    ids = tab.index;
  }
  return { ids, columns, raw };
}

function toMatrix(p: ParsedTable, what: string): SampleMatrix {
  const n = p.ids.length;
  const data = new Float64Array(n * p.columns.length);
  for (let j = 0; j < p.columns.length; j++) {
    const col = p.raw[j]!;
    for (let i = 0; i < n; i++) data[j * n + i] = toNumber(col[i], what, p.ids[i]!, p.columns[j]!);
  }
  const seen = new Set<string>();
  for (const id of p.ids) {
    if (seen.has(id)) throw new GlowtsError("SAMPLE_TABLE", `${what}: duplicate sample id '${id}'`, { record: `sample ${id}` });
    seen.add(id);
  }
  return { ids: p.ids, columns: p.columns, data };
}

/** Reads a sample-indexed numeric table (phenotypes or covariates). Missing values become NaN. */
export function readSampleMatrix(t: unknown, what: string): SampleMatrix {
  return toMatrix(parseTable(t, what), what);
}

function isMissingText(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === "number") return Number.isNaN(v);
  return typeof v === "string" && MISSING_NUMBER_TEXT.has(v.trim());
}

/**
 * Reads a covariate table. A column holding any non-numeric string is categorical and is one-hot
 * encoded as REGENIE's `--catCovarList` does: the levels are numbered in order of first appearance
 * in the table's rows, the first level seen (the level of the first row) is the reference, and
 * each other level becomes a 0/1 column named `<column>_<level>` (in order of first appearance).
 * A categorical column with a single level carries no information and is dropped (with a warning,
 * as REGENIE does). Missing values stay NaN (and are rejected by the GWAS functions).
 */
export function readCovariateMatrix(t: unknown, what: string): SampleMatrix {
  const p = parseTable(t, what);
  const columns: string[] = [];
  const raw: unknown[][] = [];
  for (let j = 0; j < p.columns.length; j++) {
    const col = p.raw[j]!;
    if (col.every((v) => cellToNumber(v) !== undefined)) { columns.push(p.columns[j]!); raw.push(col); continue; }
    const levels: string[] = [];
    const code = new Map<string, number>();
    const codes = col.map((v) => {
      if (isMissingText(v)) return -1;
      const s = String(v).trim();
      let c = code.get(s);
      if (c === undefined) { c = levels.length; code.set(s, c); levels.push(s); }
      return c;
    });
    if (levels.length === 1) {
      process.emitWarning(`${what}: categorical covariate '${p.columns[j]}' has a single level ('${levels[0]}') and is ignored`, { type: "GlowtsWarning", code: "SINGLE_LEVEL" });
      continue;
    }
    for (let l = 1; l < levels.length; l++) {
      columns.push(`${p.columns[j]}_${levels[l]}`);
      raw.push(codes.map((c) => (c < 0 ? NaN : c === l ? 1 : 0)));
    }
  }
  return toMatrix({ ids: p.ids, columns, raw }, what);
}

/** Offsets: one matrix for all contigs, or one per contig (LOCO). */
export type OffsetTable =
  | { kind: "none" }
  | { kind: "single"; matrix: SampleMatrix }
  | { kind: "loco"; contigs: string[]; byContig: Map<string, SampleMatrix> };

/** Reads an offset table; a `contigName` column makes it a LOCO (per sample, per contig) offset. */
export function readOffsetTable(t: unknown, what = "offsetDf"): OffsetTable {
  if (isEmptyTable(t)) return { kind: "none" };
  const p = parseTable(t, what);
  const ci = p.columns.indexOf(CONTIG_COLUMN);
  let contigOf: string[];
  let columns = p.columns;
  let raw = p.raw;
  if (ci >= 0) {
    contigOf = p.raw[ci]!.map((v) => String(v));
    columns = p.columns.filter((_, j) => j !== ci);
    raw = p.raw.filter((_, j) => j !== ci);
  } else if (p.ids.length > 0 && p.ids.every((id) => id.includes(OFFSET_KEY_SEPARATOR))) {
    contigOf = p.ids.map((id) => id.slice(id.lastIndexOf(OFFSET_KEY_SEPARATOR) + 1));
    p.ids = p.ids.map((id) => id.slice(0, id.lastIndexOf(OFFSET_KEY_SEPARATOR)));
  } else {
    return { kind: "single", matrix: toMatrix(p, what) };
  }
  const rowsByContig = new Map<string, number[]>();
  contigOf.forEach((c, i) => {
    let l = rowsByContig.get(c);
    if (!l) rowsByContig.set(c, (l = []));
    l.push(i);
  });
  const byContig = new Map<string, SampleMatrix>();
  for (const [c, rows] of rowsByContig) {
    byContig.set(c, toMatrix({ ids: rows.map((i) => p.ids[i]!), columns, raw: raw.map((col) => rows.map((i) => col[i])) }, `${what} (contig ${c})`));
  }
  const contigs = [...byContig.keys()].sort();
  return { kind: "loco", contigs, byContig };
}

/**
 * Rows of `m` in the order of `ids` (column-major result, `ids.length` rows).
 * @throws GlowtsError `SAMPLE_MISMATCH` naming the first id that `m` lacks.
 */
export function alignRows(m: SampleMatrix, ids: readonly string[], what: string, columns: readonly string[] = m.columns): Float64Array {
  const pos = new Map<string, number>();
  m.ids.forEach((id, i) => pos.set(id, i));
  const colIdx = columns.map((c) => {
    const j = m.columns.indexOf(c);
    if (j < 0) throw new GlowtsError("SAMPLE_MISMATCH", `${what} has no column '${c}'`);
    return j;
  });
  const n = ids.length;
  const nm = m.ids.length;
  const out = new Float64Array(n * columns.length);
  for (let i = 0; i < n; i++) {
    const r = pos.get(ids[i]!);
    if (r === undefined) throw new GlowtsError("SAMPLE_MISMATCH", `${what} has no row for sample '${ids[i]}'`, { record: `sample ${ids[i]}` });
    for (let j = 0; j < colIdx.length; j++) out[j * n + i] = m.data[colIdx[j]! * nm + r]!;
  }
  return out;
}

/** Same elements, any order. */
export function sameIdSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const s = new Set(a);
  return b.every((x) => s.has(x));
}
