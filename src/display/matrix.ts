/**
 * Rich display of numeric matrices (glowts' DenseMatrix `{rows, cols, data}`, ml-matrix, arrays of
 * rows) and plain typed-array vectors: shape, summary statistics, the top-left corner, and a small
 * heatmap (matrices) or histogram (vectors) as inline SVG.
 */
import { asMatrix, heatmap } from "../plot/heatmap.js";
import { histogram } from "../plot/histogram.js";
import { summaryStats, summaryStatsOf, type SummaryStats } from "../stats/summary.js";
import { ELLIPSIS_ROW, escapeHtml, formatNumber, htmlTable, makeBundle, textTable, type MimeBundle, type TableColumn } from "../core/mime.js";

/** True for a numeric typed array (not a Buffer of bytes, not BigInt). */
export function isNumericVector(x: unknown): x is ArrayLike<number> {
  return ArrayBuffer.isView(x) && !(x instanceof DataView) && !(x instanceof BigInt64Array) && !(x instanceof BigUint64Array)
    && !(typeof Buffer !== "undefined" && Buffer.isBuffer(x));
}

/** True when {@link renderMatrix} can show `x`. */
export function isMatrixLike(x: unknown): boolean {
  return asMatrix(x) !== null;
}

function statsLine(s: SummaryStats): string {
  return `min ${formatNumber(s.min)} · max ${formatNumber(s.max)} · mean ${formatNumber(s.mean)} · sd ${formatNumber(s.sd)}`
    + (s.missing ? ` · ${s.missing} missing (NaN)` : "");
}

/** Options of the matrix display. */
export interface MatrixDisplayOptions {
  /** Corner rows/columns shown as numbers. @defaultValue 6, 8 */
  cornerRows?: number | undefined;
  cornerCols?: number | undefined;
  /** Show the heatmap. @defaultValue true */
  heatmap?: boolean | undefined;
}

/** The MIME bundle of a matrix-like value (see `asMatrix`). */
export function renderMatrix(x: unknown, options: MatrixDisplayOptions = {}): MimeBundle {
  const m = asMatrix(x);
  if (!m) throw new TypeError("renderMatrix: not a matrix");
  const stats = summaryStatsOf(m.rows * m.cols, (k) => m.get(Math.floor(k / m.cols), k % m.cols));
  const cr = Math.min(options.cornerRows ?? 6, m.rows);
  const cc = Math.min(options.cornerCols ?? 8, m.cols);
  const columns: TableColumn[] = [];
  for (let j = 0; j < cc; j++) columns.push({ key: j, label: m.colNames?.[j] ?? String(j) });
  if (cc < m.cols) columns.push({ key: cc, label: "…" });
  const rows: (unknown[] | typeof ELLIPSIS_ROW)[] = [];
  const index: string[] = [];
  for (let i = 0; i < cr; i++) {
    const r: unknown[] = [];
    for (let j = 0; j < cc; j++) r.push(m.get(i, j));
    if (cc < m.cols) r.push("…");
    rows.push(r);
    index.push(m.rowNames?.[i] ?? String(i));
  }
  if (cr < m.rows) rows.push(ELLIPSIS_ROW);
  const shape = `${m.rows} × ${m.cols}`;
  let figure = "";
  if (options.heatmap !== false && stats.count > 0) figure = heatmap(m, { size: 240, maxCells: 40 }).svg;
  const html = [
    `<div class="glowts-title">${escapeHtml(m.kind)} <span style="font-weight:400">${escapeHtml(shape)}</span></div>`,
    `<div class="glowts-meta">${escapeHtml(statsLine(stats))}</div>`,
    `<div style="display:flex;gap:16px;align-items:flex-start;flex-wrap:wrap"><div>${htmlTable(rows, columns, { index })}</div>`,
    figure ? `<div class="glowts-figure">${figure}</div>` : "",
    "</div>",
  ].join("");
  const textRows = rows.map((r, k) => (r === ELLIPSIS_ROW ? ["…", ...columns.map(() => "…")] : [index[k]!, ...r.map((v) => (typeof v === "number" ? formatNumber(v) : String(v)))]));
  const text = `${m.kind} ${shape}\n${statsLine(stats)}\n${textTable(["", ...columns.map((c) => c.label!)], textRows)}`;
  return makeBundle(html, text, "matrix");
}

/** The MIME bundle of a numeric typed array: length, statistics, first values and a histogram. */
export function renderVector(v: ArrayLike<number>, options: { firstValues?: number } = {}): MimeBundle {
  const k = Math.min(options.firstValues ?? 10, v.length);
  const stats = summaryStats(v);
  const kind = (v as object).constructor?.name ?? "Array";
  const first: string[] = [];
  for (let i = 0; i < k; i++) first.push(formatNumber(Number(v[i])));
  const values = `[${first.join(", ")}${v.length > k ? ", …" : ""}]`;
  let figure = "";
  if (stats.count > 1 && stats.max > stats.min) figure = histogram(v, { width: 360, height: 160, bins: 30, title: "" }).svg;
  const html = [
    `<div class="glowts-title">${escapeHtml(kind)} <span style="font-weight:400">length ${v.length}</span></div>`,
    `<div class="glowts-meta">${escapeHtml(statsLine(stats))}</div>`,
    `<pre class="glowts-pre">${escapeHtml(values)}</pre>`,
    figure ? `<div class="glowts-figure">${figure}</div>` : "",
  ].join("");
  return makeBundle(html, `${kind}(${v.length}) ${values}\n${statsLine(stats)}`, "vector");
}
