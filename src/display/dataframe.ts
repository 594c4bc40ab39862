/**
 * Rich display of danfo.js DataFrames and Series (phenotypes, covariates, offsets, results): the
 * shape, each column's dtype, and the corners of big frames (head and tail rows, first and last
 * columns). danfo is never imported here: frames are recognised by shape.
 */
import { ELLIPSIS_ROW, escapeHtml, formatValue, htmlTable, makeBundle, textTable, type MimeBundle, type TableColumn } from "../core/mime.js";

/** The parts of a danfo DataFrame the renderer reads. */
export interface DanfoFrameLike {
  shape: number[];
  columns: string[];
  dtypes: string[];
  index: (string | number)[];
  head(n: number): DanfoFrameLike;
  tail(n: number): DanfoFrameLike;
  values: unknown[][] | unknown[];
  iloc?(sel: { columns?: number[]; rows?: number[] }): DanfoFrameLike;
}

/** True for a danfo DataFrame or Series (duck-typed). */
export function isDanfoFrame(x: unknown): x is DanfoFrameLike {
  if (x === null || typeof x !== "object") return false;
  const d = x as Record<string, unknown>;
  return "$data" in d && Array.isArray(d["shape"]) && Array.isArray(d["columns"]) && Array.isArray(d["dtypes"])
    && typeof d["head"] === "function" && typeof d["tail"] === "function";
}

/** True for a danfo Series. */
export function isDanfoSeries(x: unknown): boolean {
  return isDanfoFrame(x) && (x as unknown as { $isSeries?: boolean }).$isSeries === true;
}

/** Options of the frame display. */
export interface DataFrameDisplayOptions {
  /** Frames with more rows show `headRows` + `tailRows`. @defaultValue 20 */
  maxRows?: number | undefined;
  /** @defaultValue 5 */
  headRows?: number | undefined;
  /** @defaultValue 5 */
  tailRows?: number | undefined;
  /** Frames with more columns show the first and last `maxColumns / 2`. @defaultValue 20 */
  maxColumns?: number | undefined;
}

/** The MIME bundle of a danfo DataFrame or Series. */
export function renderDataFrame(df: DanfoFrameLike, options: DataFrameDisplayOptions = {}): MimeBundle {
  const maxRows = options.maxRows ?? 20;
  const headRows = options.headRows ?? 5;
  const tailRows = options.tailRows ?? 5;
  const maxColumns = options.maxColumns ?? 20;
  const series = isDanfoSeries(df);
  const nRows = df.shape[0] ?? 0;
  const nCols = series ? 1 : (df.shape[1] ?? df.columns.length);
  const colNames = df.columns.length ? df.columns : ["0"];
  const dtypes = df.dtypes;

  // which columns: all, or first/last halves around an ellipsis column
  const colIdx: (number | null)[] = [];
  if (nCols <= maxColumns) for (let j = 0; j < nCols; j++) colIdx.push(j);
  else {
    const half = Math.max(1, Math.floor(maxColumns / 2));
    for (let j = 0; j < half; j++) colIdx.push(j);
    colIdx.push(null);
    for (let j = nCols - half; j < nCols; j++) colIdx.push(j);
  }
  // which rows: all, or head and tail
  const parts: { values: unknown[]; label: string | number }[][] = [];
  const toRows = (part: DanfoFrameLike): { values: unknown[]; label: string | number }[] => {
    const vals = part.values as unknown[];
    return vals.map((v, i) => ({ values: series ? [v] : (v as unknown[]), label: part.index[i] ?? i }));
  };
  const truncated = nRows > maxRows;
  if (nRows === 0) { /* nothing to show */ }
  else if (!truncated) parts.push(toRows(df.head(nRows)));
  else {
    parts.push(toRows(df.head(headRows)));
    parts.push(toRows(df.tail(tailRows)));
  }
  const columns: TableColumn[] = colIdx.map((j, k) =>
    j === null ? { key: k, label: "…", align: "left" as const } : { key: k, label: colNames[j] ?? String(j), dtype: dtypes[j] });
  const rows: (unknown[] | typeof ELLIPSIS_ROW)[] = [];
  const index: (string | number)[] = [];
  parts.forEach((part, p) => {
    if (p > 0) rows.push(ELLIPSIS_ROW);
    for (const r of part) {
      rows.push(colIdx.map((j) => (j === null ? "…" : r.values[j])));
      index.push(r.label);
    }
  });
  const kind = series ? "Series" : "DataFrame";
  const shapeText = series ? `${nRows} values · ${dtypes[0] ?? ""}` : `${nRows} rows × ${nCols} columns`;
  const html = [
    `<div class="glowts-title">${kind} <span style="font-weight:400">${escapeHtml(shapeText)}</span></div>`,
    nRows === 0 ? '<div class="glowts-meta">(no rows)</div>' : htmlTable(rows, columns, { index }),
  ].join("");
  const header = ["", ...columns.map((c) => `${c.label}${c.dtype ? ` (${c.dtype})` : ""}`)];
  let ri = 0;
  const textRows: string[][] = [];
  for (const r of rows) {
    if (r === ELLIPSIS_ROW) { textRows.push(header.map(() => "…")); continue; }
    textRows.push([String(index[ri++]), ...(r as unknown[]).map((v) => formatValue(v, 24))]);
  }
  const text = `${kind} ${shapeText}\n${nRows === 0 ? "(no rows)" : textTable(header, textRows)}`;
  return makeBundle(html, text, "dataframe");
}
