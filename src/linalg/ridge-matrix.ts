/**
 * A small dense row-major matrix with row and column names, used for GloWGR's model pieces
 * (XᵀX, XᵀY, coefficients, predictions) so that every intermediate has a readable `toString()`.
 */

/** Formats a number compactly for matrix displays. */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-4) return v.toExponential(4);
  return Number(v.toPrecision(6)).toString();
}

/** Dense row-major `rows × cols` matrix over a Float64Array, with optional row/column names. */
export class DenseMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
  rowNames: string[] | undefined;
  colNames: string[] | undefined;

  constructor(rows: number, cols: number, data?: Float64Array, rowNames?: string[], colNames?: string[]) {
    this.rows = rows;
    this.cols = cols;
    this.data = data ?? new Float64Array(rows * cols);
    if (this.data.length !== rows * cols) throw new RangeError(`DenseMatrix: data has ${this.data.length} elements, expected ${rows}×${cols}`);
    this.rowNames = rowNames;
    this.colNames = colNames;
  }

  /** Builds a matrix from nested arrays (rows). */
  static fromRows(rows: ArrayLike<number>[], rowNames?: string[], colNames?: string[]): DenseMatrix {
    const r = rows.length;
    const c = r ? rows[0]!.length : 0;
    const m = new DenseMatrix(r, c, undefined, rowNames, colNames);
    for (let i = 0; i < r; i++) {
      const row = rows[i]!;
      if (row.length !== c) throw new RangeError(`DenseMatrix.fromRows: row ${i} has ${row.length} elements, expected ${c}`);
      for (let j = 0; j < c; j++) m.data[i * c + j] = row[j]!;
    }
    return m;
  }

  get(i: number, j: number): number {
    return this.data[i * this.cols + j]!;
  }

  set(i: number, j: number, v: number): void {
    this.data[i * this.cols + j] = v;
  }

  /** Row `i` as a view. */
  row(i: number): Float64Array {
    return this.data.subarray(i * this.cols, (i + 1) * this.cols);
  }

  /** Column `j` as a copy. */
  column(j: number): Float64Array {
    const out = new Float64Array(this.rows);
    for (let i = 0; i < this.rows; i++) out[i] = this.data[i * this.cols + j]!;
    return out;
  }

  /** Nested arrays, one per row. */
  toArray(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) out.push(Array.from(this.row(i)));
    return out;
  }

  /** A corner view: at most `maxRows` × `maxCols` values, with names when present. */
  toString(maxRows = 8, maxCols = 6): string {
    const head = `DenseMatrix ${this.rows}×${this.cols}`;
    if (this.rows === 0 || this.cols === 0) return `${head} (empty)`;
    const ri = pickIndices(this.rows, maxRows);
    const ci = pickIndices(this.cols, maxCols);
    const cells: string[][] = [];
    cells.push(["", ...ci.map((j) => (j < 0 ? "…" : this.colNames?.[j] ?? `[${j}]`))]);
    for (const i of ri) {
      if (i < 0) { cells.push(["⋮", ...ci.map(() => "")]); continue; }
      cells.push([this.rowNames?.[i] ?? `[${i}]`, ...ci.map((j) => (j < 0 ? "…" : formatNumber(this.get(i, j))))]);
    }
    const widths = cells[0]!.map((_, k) => Math.min(28, Math.max(...cells.map((r) => r[k]!.length))));
    const lines = cells.map((r) => r.map((v, k) => (v.length > 28 ? v.slice(0, 27) + "…" : v).padStart(widths[k]!)).join("  "));
    return [head, ...lines].join("\n");
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

/** Indices shown in a corner view; -1 marks an ellipsis. */
function pickIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const h = Math.ceil(max / 2);
  const t = max - h;
  return [...Array.from({ length: h }, (_, i) => i), -1, ...Array.from({ length: t }, (_, i) => n - t + i)];
}
