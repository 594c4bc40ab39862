/**
 * `glow.plot.heatmap`: a small picture of a numeric matrix. Large matrices are shown as block means
 * on a grid of at most `maxCells` × `maxCells` cells; a diverging palette centred on 0 is used when
 * the values have both signs, a sequential one otherwise.
 */
import { GlowtsError } from "../core/errors.js";
import { PlotFigure, plotLibrary, renderPlot } from "./figure.js";
import { stripUndefined } from "./manhattan.js";

/** A row-major view of any matrix-like value. */
export interface MatrixView {
  rows: number;
  cols: number;
  get(i: number, j: number): number;
  rowNames?: readonly string[] | undefined;
  colNames?: readonly string[] | undefined;
  /** What it was made from (e.g. `DenseMatrix`, `Matrix`, `number[][]`). */
  kind: string;
}

/**
 * A {@link MatrixView} of: `{rows, cols, data}` row-major (glowts' DenseMatrix), ml-matrix's
 * `Matrix` (`rows`, `columns`, `get`), `{shape: [r, c], data}`, or an array of equal-length numeric
 * arrays. Returns null for anything else.
 */
export function asMatrix(x: unknown): MatrixView | null {
  if (x === null || typeof x !== "object") return null;
  const m = x as Record<string, unknown>;
  const ctor = (x as object).constructor?.name;
  const kind = !ctor || ctor === "Object" ? "matrix" : ctor;
  if (typeof m["rows"] === "number" && typeof m["cols"] === "number" && isNumeric(m["data"])) {
    const r = m["rows"] as number, c = m["cols"] as number, d = m["data"] as ArrayLike<number>;
    if (d.length !== r * c) return null;
    return { rows: r, cols: c, get: (i, j) => d[i * c + j]!, rowNames: strings(m["rowNames"]), colNames: strings(m["colNames"]), kind };
  }
  if (typeof m["rows"] === "number" && typeof m["cols"] === "number" && typeof m["get"] === "function" && typeof m["kind"] === "string") {
    return x as MatrixView; // already a view
  }
  if (typeof m["rows"] === "number" && typeof m["columns"] === "number" && typeof m["get"] === "function") {
    const mm = x as { rows: number; columns: number; get(i: number, j: number): number };
    return { rows: mm.rows, cols: mm.columns, get: (i, j) => mm.get(i, j), kind };
  }
  if (Array.isArray(m["shape"]) && (m["shape"] as unknown[]).length === 2 && isNumeric(m["data"])) {
    const [r, c] = m["shape"] as number[];
    const d = m["data"] as ArrayLike<number>;
    if (d.length !== r! * c!) return null;
    return { rows: r!, cols: c!, get: (i, j) => d[i * c! + j]!, kind };
  }
  if (Array.isArray(x) && x.length > 0 && x.every((row) => isNumeric(row))) {
    const rows = x as ArrayLike<number>[];
    const c = rows[0]!.length;
    if (c === 0 || !rows.every((row) => row.length === c)) return null;
    if (!rows.every((row) => ArrayBuffer.isView(row) || Array.from(row).every((v) => typeof v === "number" || v === null))) return null;
    return { rows: rows.length, cols: c, get: (i, j) => rows[i]![j]!, kind: ArrayBuffer.isView(rows[0]) ? `${rows[0]!.constructor.name}[]` : "number[][]" };
  }
  return null;
}

function isNumeric(v: unknown): v is ArrayLike<number> {
  return (ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array))
    || (Array.isArray(v) && (v.length === 0 || typeof v[0] === "number" || v[0] === null));
}

function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.map(String) : undefined;
}

/** Block means of a matrix on a grid of at most `maxCells` per side (NaN ignored; all-NaN blocks NaN). */
export function downsampleMatrix(m: MatrixView, maxCells: number): { rows: number; cols: number; rowStep: number; colStep: number; values: Float64Array } {
  const rowStep = Math.max(1, Math.ceil(m.rows / maxCells));
  const colStep = Math.max(1, Math.ceil(m.cols / maxCells));
  const rows = Math.ceil(m.rows / rowStep);
  const cols = Math.ceil(m.cols / colStep);
  const sum = new Float64Array(rows * cols);
  const cnt = new Float64Array(rows * cols);
  for (let i = 0; i < m.rows; i++) {
    const bi = Math.floor(i / rowStep) * cols;
    for (let j = 0; j < m.cols; j++) {
      const v = m.get(i, j);
      if (typeof v !== "number" || Number.isNaN(v)) continue;
      const k = bi + Math.floor(j / colStep);
      sum[k] += v;
      cnt[k]++;
    }
  }
  for (let k = 0; k < sum.length; k++) sum[k] = cnt[k] ? sum[k]! / cnt[k]! : NaN;
  return { rows, cols, rowStep, colStep, values: sum };
}

/** Options of {@link heatmap}. */
export interface HeatmapOptions {
  /** @defaultValue "" */
  title?: string | undefined;
  /** Cells per side at most (larger matrices are shown as block means). @defaultValue 48 */
  maxCells?: number | undefined;
  /** Size of the square plot area in px. @defaultValue 300 */
  size?: number | undefined;
  /** Axis labels. @defaultValue "row", "column" */
  rowLabel?: string | undefined;
  colLabel?: string | undefined;
  /** Colour scheme (an Observable Plot scheme name). @defaultValue "rdbu" (diverging) / "viridis" */
  scheme?: string | undefined;
}

export const heatmapDefaults = { title: "", maxCells: 48, size: 300, rowLabel: "row", colLabel: "column" };

/**
 * A heatmap of a matrix (see {@link asMatrix} for the accepted shapes).
 * @returns a {@link PlotFigure} (`details`: rows, cols, rowStep, colStep, min, max)
 */
export function heatmap(matrix: unknown, options: HeatmapOptions = {}): PlotFigure {
  const o = { ...heatmapDefaults, ...stripUndefined(options) };
  const m = asMatrix(matrix);
  if (!m) throw new GlowtsError("OPTION", "heatmap: expected a matrix ({rows, cols, data}, ml-matrix Matrix, or an array of equal-length numeric arrays)");
  if (m.rows === 0 || m.cols === 0) throw new GlowtsError("EMPTY", `heatmap: the matrix is empty (${m.rows}×${m.cols})`);
  const d = downsampleMatrix(m, o.maxCells);
  let min = Infinity;
  let max = -Infinity;
  const cells: { x: number; y: number; v: number }[] = [];
  for (let i = 0; i < d.rows; i++) {
    for (let j = 0; j < d.cols; j++) {
      const v = d.values[i * d.cols + j]!;
      if (Number.isNaN(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
      cells.push({ x: j * d.colStep, y: i * d.rowStep, v });
    }
  }
  const diverging = min < 0 && max > 0;
  const extent = Math.max(Math.abs(min), Math.abs(max)) || 1;
  const Plot = plotLibrary();
  const aspect = d.rows / d.cols;
  const width = o.size + 60;
  const height = Math.round(Math.max(80, Math.min(2, aspect) * o.size)) + 50;
  const svg = renderPlot({
    width,
    height,
    marginLeft: 48,
    marginBottom: 36,
    style: { background: "white", color: "#222" },
    x: { type: "band", domain: Array.from({ length: d.cols }, (_, j) => j * d.colStep), padding: 0, label: o.colLabel, labelArrow: "none", labelAnchor: "center", ticks: axisTicks(d.cols, d.colStep), tickSize: 0 },
    y: { type: "band", domain: Array.from({ length: d.rows }, (_, i) => i * d.rowStep), padding: 0, label: o.rowLabel, labelArrow: "none", ticks: axisTicks(d.rows, d.rowStep), tickSize: 0 },
    color: diverging
      ? { type: "linear", scheme: (o.scheme ?? "rdbu") as never, domain: [-extent, extent] }
      : { type: "linear", scheme: (o.scheme ?? "viridis") as never, domain: min === max ? [min - 1, max + 1] : [min, max] },
    marks: [Plot.cell(cells, { x: "x", y: "y", fill: "v", inset: 0 })],
  });
  const block = d.rowStep > 1 || d.colStep > 1 ? `; shown as means of ${d.rowStep}×${d.colStep} blocks` : "";
  const caption = `${m.rows.toLocaleString("en-US")}×${m.cols.toLocaleString("en-US")}${block}; colour from ${fmt(diverging ? -extent : min)} to ${fmt(diverging ? extent : max)}`
    + (diverging ? " (red < 0 < blue)" : "");
  return new PlotFigure("heatmap", o.title, svg, caption, { rows: m.rows, cols: m.cols, rowStep: d.rowStep, colStep: d.colStep, min, max });
}

function axisTicks(n: number, step: number): number[] {
  const every = Math.max(1, Math.ceil(n / 6));
  const out: number[] = [];
  for (let k = 0; k < n; k += every) out.push(k * step);
  return out;
}

function fmt(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(3))) : String(v);
}
